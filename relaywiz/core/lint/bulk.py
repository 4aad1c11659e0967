"""Bulk-mail rules: List-Unsubscribe, RFC 8058 one-click, and an unsubscribe link in the body.

Since 2024 Gmail and Yahoo require one-click unsubscribe from bulk senders; without
an easy way out, recipients press "Report spam", which hurts the sender most.
"""

from __future__ import annotations

import re

from relaywiz.core.lint.model import LintResult, LintStatus
from relaywiz.core.lint.view import MessageView

OK, WARN, PROBLEM = LintStatus.OK, LintStatus.WARNING, LintStatus.PROBLEM

_UNSUB_WORDS = re.compile(
    r"unsubscribe|opt[ -]?out|abmelden|désinscri|desinscri|darse de baja|cancel(ar)? "
    r"(la )?suscripci|отписат|отказаться от рассылки|afmelden|disiscriv",
    re.IGNORECASE,
)


def bulk_reason(v: MessageView) -> str | None:
    """Why the message looks like bulk mail (a list, a newsletter), or None."""
    precedence = (v.header("Precedence") or "").lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    for header in ("List-Id", "List-Unsubscribe", "Feedback-ID", "List-Post"):
        if v.header(header):
            return f"it has a {header} header"
    to_cc = [x for x in (v.header("To"), v.header("Cc")) if x]
    if sum(x.count("@") for x in to_cc) > 20:
        return "it is addressed to more than 20 recipients"
    if _UNSUB_WORDS.search(v.plain) or _UNSUB_WORDS.search(v.html_text):
        return "its body offers to unsubscribe"
    return None


def unsubscribe(v: MessageView) -> list[LintResult]:
    """list-unsubscribe, one-click-unsubscribe and unsubscribe-link results."""
    reason = bulk_reason(v)
    why_header = (
        "Gmail and Yahoo require a List-Unsubscribe header from bulk senders; mail clients "
        "show an 'Unsubscribe' button for it instead of recipients pressing 'Report spam'."
    )
    why_post = (
        "RFC 8058 one-click unsubscribe (List-Unsubscribe-Post with an https link) is required "
        "by Gmail and Yahoo for bulk mail since 2024."
    )
    why_body = (
        "A visible opt-out in the body is required by anti-spam law (CAN-SPAM, GDPR/ePrivacy) "
        "and keeps complaint rates down."
    )
    if reason is None:
        na = "not bulk mail (no list headers, no unsubscribe text): not required"
        return [
            LintResult("list-unsubscribe", OK, na, why_header),
            LintResult("one-click-unsubscribe", OK, na, why_post),
            LintResult("unsubscribe-link", OK, na, why_body),
        ]
    header = v.header("List-Unsubscribe") or ""
    uris = re.findall(r"<([^>]+)>", header)
    https = [u for u in uris if u.lower().startswith("https://")]
    post = (v.header("List-Unsubscribe-Post") or "").replace(" ", "").lower()
    results = []
    if not header:
        results.append(
            LintResult(
                "list-unsubscribe",
                PROBLEM,
                f"bulk mail ({reason}) without List-Unsubscribe",
                why_header,
                "Add: List-Unsubscribe: <https://yourdomain.example/unsub?id=...>, "
                "<mailto:unsubscribe@yourdomain.example?subject=unsubscribe>",
            )
        )
    elif not uris or not all(
        u.lower().startswith(("https://", "http://", "mailto:")) for u in uris
    ):
        results.append(
            LintResult(
                "list-unsubscribe",
                PROBLEM,
                f"List-Unsubscribe {header!r} holds no valid <URI>",
                why_header,
                "Write each URI in angle brackets: <https://...>, <mailto:...>.",
            )
        )
    else:
        results.append(
            LintResult("list-unsubscribe", OK, f"List-Unsubscribe: {header}", why_header)
        )
    if https and post == "list-unsubscribe=one-click":
        results.append(
            LintResult(
                "one-click-unsubscribe", OK, "one-click unsubscribe (RFC 8058) offered", why_post
            )
        )
    else:
        missing = "no https URI in List-Unsubscribe" if not https else "no List-Unsubscribe-Post"
        results.append(
            LintResult(
                "one-click-unsubscribe",
                PROBLEM,
                f"bulk mail without one-click unsubscribe: {missing}",
                why_post,
                "Add 'List-Unsubscribe-Post: List-Unsubscribe=One-Click' and an https URI in "
                "List-Unsubscribe that unsubscribes on a POST without further questions.",
            )
        )
    in_links = any(_UNSUB_WORDS.search(link.text + " " + link.href) for link in v.html_links)
    in_text = bool(_UNSUB_WORDS.search(v.plain))
    if in_links or in_text:
        results.append(
            LintResult("unsubscribe-link", OK, "the body has an unsubscribe link", why_body)
        )
    else:
        results.append(
            LintResult(
                "unsubscribe-link",
                WARN,
                f"bulk mail ({reason}) with no unsubscribe link in the body",
                why_body,
                "Add a visible 'Unsubscribe' link at the end of every message.",
            )
        )
    return results
