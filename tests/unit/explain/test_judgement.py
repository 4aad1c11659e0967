"""The judgement rules the issue spells out, each on its own."""

from __future__ import annotations

from relaywiz.core.bounce import Category, Kind, explain
from relaywiz.core.bounce.model import BounceStage
from relaywiz.core.bounce.rules import classify

C = Category


def test_text_beats_the_status_code() -> None:
    # Exim's 5.0.0 says nothing; the words do
    assert classify("550 Unrouteable address", "5.0.0", 550).category is C.USER_UNKNOWN
    # Yahoo's 5.7.9 is a policy refusal, not the RFC's "mechanism too weak"
    text = "554 5.7.9 Message not accepted for policy reasons."
    assert classify(text, "5.7.9", 554).category is C.POLICY_VIOLATION
    assert classify("535 5.7.9 weak", "5.7.9", 535).category is C.AUTH_REQUIRED


def test_same_code_different_providers() -> None:
    gmail = "550-5.7.26 This mail has been blocked because the sender is unauthenticated."
    assert classify(gmail, "5.7.26", 550).category is C.AUTH_FAILURE
    m365 = "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"
    assert classify(m365, "5.4.1", 550).category is C.USER_UNKNOWN
    plain = "550 5.7.1 <a@b.example>: Recipient address rejected: Access denied"
    assert classify(plain, "5.7.1", 550).category is C.RECIPIENT_FILTERED


def test_stage_matters() -> None:
    text = "550 5.1.1 <a@b.example>: user unknown"
    assert classify(text, "5.1.1", 550, BounceStage.RCPT).category is C.USER_UNKNOWN
    assert classify(text, "5.1.1", 550, BounceStage.AFTER_DATA).category is C.CONTENT_REJECTED


def test_status_and_reply_code_decide_only_when_the_text_is_silent() -> None:
    assert classify("550 whatever", "5.2.2", 550).category is C.MAILBOX_FULL
    assert classify("552 whatever", None, 552).category is C.MAILBOX_FULL
    assert classify("554 Transaction failed", None, 554).category is C.UNKNOWN


def test_the_returned_original_is_never_the_reason() -> None:
    msg = (
        b"From: Mail Delivery System <MAILER-DAEMON@mail.example>\n"
        b"Subject: Undelivered Mail Returned to Sender\n"
        b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=z\n\n"
        b"--z\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
        b"--z\nContent-Type: message/rfc822\n\n"
        b"From: a@b.example\nTo: c@d.example\nX-Failed-Recipients: c@d.example\n"
        b"Subject: 550 5.1.1 user unknown\n\n<c@d.example>: host x said: 550 5.1.1 User unknown\n"
        b"--z--\n"
    )
    result = explain(msg)
    assert result.kind is Kind.BOUNCE
    assert [r.category for r in result.recipients] == [C.UNKNOWN]
    assert result.recipients[0].address is None


def test_expired_after_retrying_a_temporary_failure() -> None:
    dsn = (
        b"From: MAILER-DAEMON@mail.example\nSubject: Undelivered Mail Returned to Sender\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=q\n\n"
        b"--q\nContent-Type: text/plain\n\nbody\n--q\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; mail.example\n\nFinal-Recipient: rfc822; a@slow.example\n"
        b"Action: failed\nStatus: 4.4.1\n"
        b"Diagnostic-Code: X-Postfix; connect to mx.slow.example[192.0.2.1]:25: Connection "
        b"timed out\n--q--\n"
    )
    r = explain(dsn).recipients[0]
    assert (r.category, r.permanent, r.status) == (C.EXPIRED, True, "4.4.1")


def test_log_summary_groups_by_cause() -> None:
    line = (
        "2024-03-05 10:15:42 1rhXaa-0004Ab-C{0} ** u{0}@example.net R=dnslookup T=remote_smtp "
        "H=mx.example.net [192.0.2.25]: SMTP error from remote mail server after RCPT TO:"
        "<u{0}@example.net>: 550 5.1.1 User unknown\n"
    )
    grey = (
        "2024-03-05 10:16:00 1rhXbb-0004Ab-Cd == g@example.org R=dnslookup T=remote_smtp defer "
        "(-44) H=mx.example.org [198.51.100.7]: SMTP error from remote mail server after RCPT "
        "TO:<g@example.org>: 451 4.7.1 Greylisted, try again later\n"
    )
    data = ("".join(line.format(i) for i in range(5)) + grey).encode()
    result = explain(data)
    assert result.kind is Kind.LOG and result.counts is not None
    assert (result.counts.bounced, result.counts.deferred) == (5, 1)
    assert result.summary is not None
    assert [(c.category, c.count, c.permanent) for c in result.summary] == [
        (C.USER_UNKNOWN, 5, True),
        (C.POLICY_VIOLATION, 1, False),
    ]
    assert result.exit_code == 2


def test_remedies_name_the_providers_pages() -> None:
    bl = explain(b"550 5.7.606 Access denied, banned sending IP [192.0.2.1].").recipients[0]
    assert bl.category is C.IP_BLOCKLISTED
    reply = b"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using dnsbl.sorbs.net"
    assert "SORBS closed in 2024" in explain(reply).recipients[0].remedy
    spam = explain(
        b"550 spam message rejected. Please visit https://help.mail.ru/notspam-support/id?c=x"
    ).recipients[0]
    assert "https://help.mail.ru/notspam-support/id?c=x" in spam.remedy


def test_rule_prefilters_never_hide_a_match() -> None:
    from relaywiz.core.bounce.render import to_json_dict
    from relaywiz.core.bounce.rules import RULES
    from tests.corpus.explain.catalogue import REPLIES
    from tests.unit.explain.corpus import samples

    texts = [" ".join(r.lines).lower() for r in REPLIES]
    for s in samples():
        doc = to_json_dict(explain(s.path.read_bytes()))
        texts.extend(r["diagnostic"].lower() for r in doc["recipients"])
    assert len(texts) > 300
    for text in texts:
        for rule in RULES:
            assert rule.search(text) == bool(rule.pattern.search(text)), (rule.category, text)
