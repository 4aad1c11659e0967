"""The classifier on the replies real MTAs send, each at the stage where it comes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relaywiz.core.model import Outcome, Stage
from relaywiz.core.smtp.classify import classify, parse_reply

O, S = Outcome, Stage

REAL_REPLIES = [
    # (who, stage, code, text, outcome)
    ("Postfix", S.RCPT_OTHER, 554, "5.7.1 <bob@other.test>: Relay access denied", O.RELAY_DENIED),
    (
        "Postfix defer",
        S.RCPT_OTHER,
        454,
        "4.7.1 <bob@other.test>: Relay access denied",
        O.RELAY_DENIED,
    ),
    ("Exim", S.RCPT_OTHER, 550, "relay not permitted", O.RELAY_DENIED),
    (
        "qmail",
        S.RCPT_OTHER,
        553,
        "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        O.RELAY_DENIED,
    ),
    ("Sendmail", S.RCPT_OTHER, 550, "5.7.1 <bob@other.test>... Relaying denied", O.RELAY_DENIED),
    (
        "Exchange",
        S.RCPT_OTHER,
        550,
        "5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
        O.RELAY_DENIED,
    ),
    ("Exchange auth", S.MAIL, 530, "5.7.1 Client was not authenticated", O.AUTH_REQUIRED),
    (
        "Microsoft 365",
        S.RCPT_OTHER,
        550,
        "5.7.64 TenantAttribution; Relay Access Denied [DM6NAM11FT012.eop-nam11.prod.protection]",
        O.RELAY_DENIED,
    ),
    (
        "Gmail",
        S.MAIL,
        530,
        "5.7.0 Authentication Required. For more information, go to\n5.7.0  https://support.google.com/",
        O.AUTH_REQUIRED,
    ),
    (
        "Gmail bad password",
        S.AUTH,
        535,
        "5.7.8 Username and Password not accepted. For more information, go to\n5.7.8  https://x",
        O.AUTH_FAILED,
    ),
    (
        "Gmail app password",
        S.AUTH,
        534,
        "5.7.9 Application-specific password required. For more information, go to",
        O.AUTH_FAILED,
    ),
    (
        "Gmail web login",
        S.AUTH,
        534,
        "5.7.14 <https://accounts.google.com/signin/continue?...>",
        O.AUTH_FAILED,
    ),
    (
        "Postfix must STARTTLS",
        S.MAIL,
        530,
        "5.7.0 Must issue a STARTTLS command first",
        O.TLS_REQUIRED,
    ),
    ("aiosmtpd must STARTTLS", S.MAIL, 530, "Must issue a STARTTLS command first", O.TLS_REQUIRED),
    (
        "Postfix sender login",
        S.RCPT_OTHER,
        553,
        "5.7.1 <alice@isp.test>: Sender address rejected: not owned by user bob@isp.test",
        O.SENDER_REJECTED,
    ),
    ("mail.ru", S.MAIL, 550, "not local sender over smtp", O.SENDER_REJECTED),
    (
        "Postfix greylist",
        S.RCPT_OTHER,
        450,
        "4.2.0 <bob@other.test>: Recipient address rejected: Greylisted, see http://postgrey",
        O.GREYLISTED,
    ),
    ("greylist 451", S.RCPT_OTHER, 451, "4.7.1 Please try again later", O.GREYLISTED),
    ("busy", S.RCPT_OTHER, 421, "4.7.0 mx.isp.test Error: too many errors", O.TEMPORARY_FAILURE),
    (
        "user unknown",
        S.RCPT_OTHER,
        550,
        "5.1.1 <nobody@isp.test>: Recipient address rejected: "
        "User unknown in local recipient table",
        O.RECIPIENT_REJECTED,
    ),
    (
        "Exim helo",
        S.EHLO,
        504,
        "5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
        O.PROTOCOL_ERROR,
    ),
    ("syntax", S.MAIL, 501, "5.1.7 Bad sender address syntax", O.SENDER_REJECTED),
    ("unknown 5xx at rcpt", S.RCPT_OTHER, 550, "5.7.1 policy says no", O.RECIPIENT_REJECTED),
    ("unknown 4xx", S.RCPT_OTHER, 452, "4.3.1 Insufficient system storage", O.TEMPORARY_FAILURE),
    ("auth mechanism", S.AUTH, 504, "5.5.4 Unrecognized authentication type", O.AUTH_UNAVAILABLE),
    ("auth temp", S.AUTH, 454, "4.7.0 Temporary authentication failure", O.TEMPORARY_FAILURE),
    ("Courier auth", S.AUTH, 535, "Authentication failed.", O.AUTH_FAILED),
    ("accepted", S.RCPT_OTHER, 250, "2.1.5 Ok", O.OK),
    (
        "STARTTLS refused",
        S.STARTTLS,
        454,
        "4.7.0 TLS not available due to local problem",
        O.TLS_ERROR,
    ),
    ("Russian Outlook text", S.RCPT_OTHER, 550, "5.7.1 Ретрансляция запрещена", O.RELAY_DENIED),
]

BANNERS = [
    (
        554,
        "5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
        O.REJECTED_AT_BANNER,
        "blocklisted",
    ),
    (
        421,
        "4.3.2 Service not available, closing transmission channel",
        O.REJECTED_AT_BANNER,
        "busy",
    ),
    (220, "mx.isp.test ESMTP Postfix", O.OK, ""),
]


@pytest.mark.parametrize(
    ("who", "stage", "code", "text", "outcome"), REAL_REPLIES, ids=[r[0] for r in REAL_REPLIES]
)
def test_real_replies(who: str, stage: Stage, code: int, text: str, outcome: Outcome) -> None:
    assert classify(stage, parse_reply(code, text)).outcome is outcome


@pytest.mark.parametrize(("code", "text", "outcome", "reason"), BANNERS)
def test_banners(code: int, text: str, outcome: Outcome, reason: str) -> None:
    verdict = classify(Stage.BANNER, parse_reply(code, text))
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_enhanced_status_is_read_from_the_first_line_only_when_the_class_agrees() -> None:
    assert parse_reply(550, "5.7.1 no").enhanced == "5.7.1"
    assert parse_reply(250, "5.7.1 odd").enhanced is None
    assert parse_reply(530, "5.7.0 Authentication Required.\n5.7.0 more").enhanced == "5.7.0"
    assert parse_reply(550, "relay not permitted").enhanced is None


@given(
    st.integers(min_value=100, max_value=599), st.text(max_size=300), st.sampled_from(list(Stage))
)
def test_every_reply_gets_exactly_one_outcome(code: int, text: str, stage: Stage) -> None:
    verdict = classify(stage, parse_reply(code, text))
    assert isinstance(verdict.outcome, Outcome)
    if stage is not Stage.BANNER and 200 <= code < 400:
        assert verdict.outcome is Outcome.OK
    if code >= 400:
        assert verdict.outcome is not Outcome.OK
