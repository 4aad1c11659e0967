"""Runs every lint rule over one message, in reading order: headers, body, links, bulk."""

from __future__ import annotations

from relaywiz.core.lint import body, bulk, headers
from relaywiz.core.lint.model import LintReport, LintResult
from relaywiz.core.lint.view import read


def lint_message(raw: bytes) -> LintReport:
    """All rule results for the raw message; LintInputError if it is not a message."""
    v = read(raw)
    results: list[LintResult] = [
        headers.from_domain(v),
        headers.date(v),
        headers.message_id(v),
        headers.recipients(v),
        headers.subject(v),
        headers.encoding(v),
        body.text_part(v),
        body.text_matches_html(v),
        body.image_only(v),
        body.numeric_urls(v),
        body.shorteners(v),
        body.link_text_mismatch(v),
        body.bare_urls(v),
        body.html_size(v),
        *body.attachments(v),
        *bulk.unsubscribe(v),
    ]
    return LintReport(
        subject=v.header("Subject"),
        from_address=v.header("From"),
        size=v.size,
        results=tuple(results),
    )
