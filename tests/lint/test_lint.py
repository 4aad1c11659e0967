"""lint rules on messages we wrote (tests/corpus/lint) and on messages built here."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import jsonschema
import pytest

import relaywiz.core.lint
from relaywiz.core.lint import LintInputError, LintStatus, lint_message
from relaywiz.core.lint.render import render_json, render_text, to_json_dict

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "lint"
SCHEMA = json.loads((Path(relaywiz.core.lint.__file__).parent / "lint.schema.json").read_text())
OK, WARN, PROBLEM = LintStatus.OK, LintStatus.WARNING, LintStatus.PROBLEM


def lint_file(name: str):
    return lint_message((CORPUS / name).read_bytes())


def not_ok(report) -> dict[str, LintStatus]:
    return {r.id: r.status for r in report.results if r.status is not OK}


@pytest.mark.parametrize(
    ("name", "expected", "exit_code"),
    [
        ("newsletter-good.eml", {}, 0),
        ("personal-plain.eml", {}, 0),
        ("image-only.eml", {"image-only": PROBLEM, "text-part": WARN}, 2),
        (
            "bad-links.eml",
            {
                "numeric-url": PROBLEM,
                "link-mismatch": PROBLEM,
                "url-shortener": WARN,
                "bare-url": WARN,
            },
            2,
        ),
        (
            "bulk-no-unsubscribe.eml",
            {
                "list-unsubscribe": PROBLEM,
                "one-click-unsubscribe": PROBLEM,
                "unsubscribe-link": WARN,
                "to": WARN,
                "subject": WARN,
            },
            2,
        ),
        ("freemail-from.eml", {"from-domain": PROBLEM}, 2),
        (
            "broken-headers.eml",
            {"date": PROBLEM, "message-id": PROBLEM, "to": WARN, "encoding": WARN},
            2,
        ),
    ],
)
def test_corpus(name, expected, exit_code) -> None:
    report = lint_file(name)
    jsonschema.validate(to_json_dict(report, name), SCHEMA)
    assert not_ok(report) == expected
    assert report.exit_code == exit_code
    for r in report.results:
        assert r.found and r.why
        if r.status is not OK:
            assert r.fix


def build(
    text: str | None = "Hello, the minutes of Monday's meeting are below.",
    html: str | None = None,
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    defaults = {
        "From": "Ana <ana@orchard.example>",
        "To": "bo@recipient.example",
        "Subject": "Minutes",
        "Date": "Sat, 28 Nov 2026 09:00:00 +0000",
        "Message-ID": "<m1@orchard.example>",
    }
    overrides = {k.replace("_", "-"): v for k, v in headers.items()}
    for key, value in {**defaults, **overrides}.items():
        if value:
            msg[key] = value
    if text is not None:
        msg.set_content(text)
    if html is not None:
        if text is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    return msg


def test_text_and_html_that_say_different_things() -> None:
    msg = build(
        text="Thank you for your order of garden tools, it ships on Monday.",
        html="<p>Cheap watches and pills, limited offer, buy now at our store today only</p>",
    )
    report = lint_message(msg.as_bytes())
    assert report.by_id("text-matches-html").status is WARN


def test_matching_text_and_html() -> None:
    words = "Thank you for your order of garden tools, it ships on Monday."
    msg = build(text=words, html=f"<p>{words}</p>")
    assert lint_message(msg.as_bytes()).by_id("text-matches-html").status is OK


def test_big_html_is_clipped() -> None:
    para = "<p>" + "Seasonal notes from the orchard, with pictures and recipes. " * 20 + "</p>\n"
    msg = build(text="Seasonal notes.", html=para * 120)
    result = lint_message(msg.as_bytes()).by_id("html-size")
    assert result.status is WARN and "KB" in result.found


def test_attachments_size_and_type() -> None:
    msg = build()
    msg.add_attachment(
        b"\x00" * (11 * 1024 * 1024),
        maintype="application",
        subtype="octet-stream",
        filename="backup.bin",
    )
    report = lint_message(msg.as_bytes())
    assert report.by_id("attachment-size").status is WARN
    msg = build()
    msg.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="invoice.pdf.exe"
    )
    report = lint_message(msg.as_bytes())
    assert report.by_id("attachment-type").status is PROBLEM
    assert "invoice.pdf.exe" in report.by_id("attachment-type").found
    msg = build()
    msg.add_attachment(
        b"x" * (26 * 1024 * 1024), maintype="application", subtype="zip", filename="photos.zip"
    )
    assert lint_message(msg.as_bytes()).by_id("attachment-size").status is PROBLEM


def test_bulk_with_header_but_no_one_click() -> None:
    msg = build(
        text="Monthly news. To unsubscribe reply with 'stop'.",
        List_Unsubscribe="<mailto:leave@orchard.example>",
    )
    report = lint_message(msg.as_bytes())
    assert report.by_id("list-unsubscribe").status is OK
    one_click = report.by_id("one-click-unsubscribe")
    assert one_click.status is PROBLEM and "https" in one_click.found
    assert report.by_id("unsubscribe-link").status is OK


def test_list_unsubscribe_without_brackets() -> None:
    msg = build(List_Id="news <news.orchard.example>", List_Unsubscribe="https://orchard.example/u")
    assert lint_message(msg.as_bytes()).by_id("list-unsubscribe").status is PROBLEM


@pytest.mark.parametrize(
    ("headers", "rule", "status"),
    [
        ({"Date": "yesterday at noon"}, "date", PROBLEM),
        ({"Date": "Sat, 28 Nov 2026 09:00:00"}, "date", WARN),
        ({"Message_ID": "m1-no-brackets"}, "message-id", PROBLEM),
        ({"Message_ID": "<abc@localhost>"}, "message-id", WARN),
        ({"To": "not an address"}, "to", PROBLEM),
        ({"Subject": ""}, "subject", WARN),
        ({"Subject": "Win $$$ now!!!"}, "subject", WARN),
        ({"From": "Ana <ana@yahoo.com>"}, "from-domain", WARN),
        ({"From": "no-domain-here"}, "from-domain", PROBLEM),
    ],
)
def test_header_rules(headers, rule, status) -> None:
    report = lint_message(build(**headers).as_bytes())
    assert report.by_id(rule).status is status, report.by_id(rule)


def test_freemail_signed_by_the_provider_is_fine() -> None:
    raw = build(From="Ana <ana@gmail.com>").as_bytes()
    raw = b"DKIM-Signature: v=1; a=rsa-sha256; d=gmail.com; s=20230601; b=x; bh=y\n" + raw
    assert lint_message(raw).by_id("from-domain").status is OK


def test_unaligned_own_domain_warns() -> None:
    raw = build(Return_Path="<b@mailer.example>").as_bytes()
    assert lint_message(raw).by_id("from-domain").status is WARN


def test_date_after_received() -> None:
    raw = (
        b"Received: from a.example by b.example; Sat, 28 Nov 2026 09:00:00 +0000\n"
        + build(Date="Mon, 30 Nov 2026 09:00:00 +0000").as_bytes()
    )
    assert lint_message(raw).by_id("date").status is WARN


def test_eight_bit_without_charset() -> None:
    raw = (
        "From: a@orchard.example\nTo: b@r.example\nSubject: x\nDate: Sat, 28 Nov 2026 09:00:00 "
        "+0000\nMessage-ID: <a@orchard.example>\nContent-Type: text/plain\n\nGrüße aus Köln\n"
    ).encode()
    assert lint_message(raw).by_id("encoding").status is WARN


def test_numeric_host_forms() -> None:
    msg = build(text="Get it at http://3232235777/file or http://[2001:db8::1]/x today.")
    result = lint_message(msg.as_bytes()).by_id("numeric-url")
    assert result.status is PROBLEM and "3232235777" in result.found


@pytest.mark.parametrize("raw", [b"\x00\x01binary", b"just some words\nwithout headers\n"])
def test_not_a_message(raw) -> None:
    with pytest.raises(LintInputError):
        lint_message(raw)


def test_renderers() -> None:
    report = lint_file("bad-links.eml")
    doc = to_json_dict(report, "bad-links.eml")
    assert next(iter(doc)) == "schema_version"
    assert {r["id"] for r in doc["rules"]} >= {"numeric-url", "from-domain", "encoding"}
    assert render_json(report).startswith('{\n  "schema_version"')
    text = render_text(report, "bad-links.eml")
    assert text.index("Problems:") < text.index("Warnings:") and "why:" in text
