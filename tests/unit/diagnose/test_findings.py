"""Table-driven: recorded evidence from real-world server replies -> the findings, advice, exit code.

Every catalogued finding id appears in at least one case (checked at the end),
and every case checks the finding's evidence is the exact reply it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import tests.unit.diagnose.recorded_replies as R
from relaywiz.core.diagnose import ALL_IDS, diagnose
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.model import (
    AccountType,
    Evidence,
    Location,
    Outcome,
    PopResult,
    RecipientDomain,
    SendTestResult,
    Situation,
    Stage,
    TlsMode,
)
from tests.unit.diagnose.diagnose_builders import (
    bad_cert,
    dead,
    evidence,
    fail,
    good_cert,
    ok,
    port,
    reply,
)

NONE, STARTTLS, IMPLICIT = TlsMode.NONE, TlsMode.STARTTLS, TlsMode.IMPLICIT
O = Outcome


@dataclass(frozen=True)
class Case:
    name: str
    evidence: Evidence
    present: dict[str, str]  # finding id -> text its evidence must contain ("" = any)
    rec: tuple[int, str, bool] | None  # (port, security, auth) or no recommendation
    exit: int
    situation: Situation = field(default_factory=Situation)
    absent: tuple[str, ...] = ()
    outlook: dict[str, str | None] = field(default_factory=dict)  # id -> expected number
    text: dict[str, str] = field(default_factory=dict)  # id -> words its explanation/remedy has


def _submission_ok(relay_line: str = R.POSTFIX_RELAY) -> tuple:
    return (
        port(
            587,
            fail(O.RELAY_DENIED, relay_line),
            fail(O.RELAY_DENIED, relay_line, STARTTLS),
            ok(STARTTLS, True),
        ),
        port(465, fail(O.RELAY_DENIED, relay_line, IMPLICIT), ok(IMPLICIT, True)),
    )


CASES: list[Case] = [
    Case(
        "postfix: port 25 filtered at a hotel, submission ports need the login",
        evidence(*_submission_ok(), dead(25, O.FILTERED, "connect timed out after 10 s")),
        {
            C.CONNECT_PORT25_BLOCKED: "timed out",
            C.RELAY_NEEDS_AUTH: R.POSTFIX_RELAY[4:],
            C.AUTH_ONLY_AFTER_STARTTLS: "AUTH PLAIN LOGIN",
        },
        (465, "ssl_tls", True),
        0,
        situation=Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER),
        absent=(C.RELAY_OPEN, C.SECURITY_NO_TLS, C.AUTH_OFFERED_IN_CLEAR),
        outlook={
            C.CONNECT_PORT25_BLOCKED: "0x800CCC0E",
            C.RELAY_NEEDS_AUTH: "0x800CCC79",
            C.AUTH_ONLY_AFTER_STARTTLS: "0x800CCC80",
            C.SITUATION_RELAY: "0x800CCC79",
        },
        text={C.CONNECT_PORT25_BLOCKED: "Hotel", C.SITUATION_RELAY: "hotel"},
    ),
    Case(
        "sendmail: relay denied on 25 without login, login offered in clear text",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY),
                ok(NONE, True),
                banner=R.SENDMAIL_BANNER,
                starttls=False,
                auth_plain=("LOGIN", "PLAIN"),
                auth_tls=(),
            ),
            dead(587, O.REFUSED, "connection refused"),
        ),
        {
            C.RELAY_NEEDS_AUTH: "Relaying denied",
            C.AUTH_OFFERED_IN_CLEAR: "AUTH LOGIN PLAIN",
            C.SECURITY_NO_TLS: "",
            C.TLS_STARTTLS_UNAVAILABLE: "EHLO",
            C.CONNECT_REFUSED: "connection refused",
        },
        (25, "none", True),
        1,
    ),
    Case(
        "qmail: relay refused, login offered, no user name given",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.QMAIL_RELAY),
                fail(O.RELAY_DENIED, R.QMAIL_RELAY, STARTTLS),
                banner=R.QMAIL_BANNER,
                credentials=False,
            ),
            credentials=False,
        ),
        {C.RELAY_NEEDS_CREDENTIALS: "allowed rcpthosts"},
        None,
        2,
        text={C.RELAY_NEEDS_CREDENTIALS: "--user"},
    ),
    Case(
        "exim: relay refused and no port offers AUTH -> POP-before-SMTP?",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.EXIM_RELAY),
                fail(O.RELAY_DENIED, R.EXIM_RELAY, STARTTLS),
                banner=R.EXIM_BANNER,
                auth_tls=(),
            ),
            port(
                587,
                fail(O.RELAY_DENIED, R.EXIM_RELAY),
                fail(O.RELAY_DENIED, R.EXIM_RELAY, STARTTLS),
                banner=R.EXIM_BANNER,
                auth_tls=(),
            ),
        ),
        {C.RELAY_POP_BEFORE_SMTP_LIKELY: R.EXIM_RELAY},
        None,
        2,
        absent=(C.RELAY_NEEDS_AUTH, C.RELAY_NEEDS_CREDENTIALS),
        text={C.RELAY_POP_BEFORE_SMTP_LIKELY: "--pop-before-smtp"},
    ),
    Case(
        "old ISP server: POP-before-SMTP turns the refusal into acceptance",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY),
                ok(NONE, False, pop=True),
                banner=R.SENDMAIL_BANNER,
                starttls=False,
                auth_tls=(),
            ),
            pop=PopResult("pop.example.net", 110, NONE, True, "+OK Logged in.", 30.0, True),
        ),
        {C.RELAY_POP_BEFORE_SMTP_WORKS: "+OK Logged in.", C.SECURITY_NO_TLS: ""},
        (25, "none", False),
        1,
        absent=(C.RELAY_POP_BEFORE_SMTP_LIKELY, C.RELAY_OPEN),
    ),
    Case(
        "POP3 login worked but relay still refused",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY),
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY, pop=True),
                banner=R.SENDMAIL_BANNER,
                starttls=False,
                auth_tls=(),
            ),
            pop=PopResult("pop.example.net", 110, NONE, True, "+OK Logged in.", 30.0, False),
        ),
        {C.RELAY_POP_BEFORE_SMTP_NO_EFFECT: "+OK"},
        None,
        2,
    ),
    Case(
        "POP3 login failed",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY),
                banner=R.SENDMAIL_BANNER,
                starttls=False,
                auth_tls=(),
            ),
            pop=PopResult(
                "pop.example.net",
                995,
                IMPLICIT,
                False,
                "-ERR [AUTH] Authentication failed.",
                40.0,
                None,
            ),
        ),
        {C.RELAY_POP_LOGIN_FAILED: "-ERR [AUTH]"},
        None,
        2,
    ),
    Case(
        "gmail: normal password refused (app password or OAuth2 needed)",
        evidence(
            port(
                465,
                fail(O.AUTH_FAILED, R.GMAIL_BAD_CREDENTIALS, IMPLICIT, True),
                banner=R.GMAIL_BANNER,
            ),
            port(
                587,
                fail(O.AUTH_FAILED, R.GMAIL_APP_PASSWORD, STARTTLS, True),
                banner=R.GMAIL_BANNER,
            ),
            host="smtp.gmail.com",
            username="alice@gmail.com",
            mail_from="alice@gmail.com",
        ),
        {C.AUTH_FAILED: "BadCredentials"},
        None,
        2,
        outlook={C.AUTH_FAILED: None},
        text={C.AUTH_FAILED: "app password"},
    ),
    Case(
        "Microsoft 365: SMTP AUTH disabled for the tenant",
        evidence(
            port(
                587, fail(O.AUTH_FAILED, R.M365_AUTH_DISABLED, STARTTLS, True), banner=R.M365_BANNER
            ),
            host="smtp.office365.com",
        ),
        {C.AUTH_FAILED: "SmtpClientAuthentication is disabled"},
        None,
        2,
        text={C.AUTH_FAILED: "OAuth2"},
    ),
    Case(
        "mail.ru: application password required",
        evidence(
            port(
                465,
                fail(O.AUTH_FAILED, R.MAILRU_APP_PASSWORD, IMPLICIT, True),
                banner=R.MAILRU_BANNER,
            ),
            host="smtp.mail.ru",
            username="alice@mail.ru",
            mail_from="alice@mail.ru",
        ),
        {C.AUTH_FAILED: "Application password is REQUIRED"},
        None,
        2,
        text={C.AUTH_FAILED: "app password"},
    ),
    Case(
        "exim/qmail: wrong password, no provider known",
        evidence(
            port(
                587, fail(O.AUTH_FAILED, R.EXIM_AUTH_FAILED, STARTTLS, True), banner=R.EXIM_BANNER
            ),
            port(
                25, fail(O.AUTH_FAILED, R.QMAIL_AUTH_FAILED, STARTTLS, True), banner=R.QMAIL_BANNER
            ),
        ),
        {C.AUTH_FAILED: "Incorrect authentication data"},
        None,
        2,
        text={C.AUTH_FAILED: "user name"},
    ),
    Case(
        "postfix: sender not owned by the logged-in user",
        evidence(
            port(587, fail(O.SENDER_REJECTED, R.POSTFIX_NOT_OWNED, STARTTLS, True)),
            mail_from="boss@example.org",
        ),
        {C.SENDER_NOT_OWNED: "not owned by user"},
        None,
        2,
        outlook={C.SENDER_NOT_OWNED: "0x800CCC78"},
        absent=(C.SENDER_REJECTED,),
    ),
    Case(
        "send test timed out after the recipients were accepted",
        evidence(
            port(465, ok(IMPLICIT, True), banner=R.MAILRU_BANNER),
            host="smtp.mail.ru",
            username="alice@mail.ru",
            mail_from="boss@example.org",
            send_test=SendTestResult(
                465, "alice@mail.ru", False, None, "<t1@relaywiz>", "timed out"
            ),
        ),
        {C.SEND_TEST_REFUSED: "timed out"},
        (465, "ssl_tls", True),
        1,
    ),
    Case(
        "mail.ru: invalid headers at the end of DATA (send test)",
        evidence(
            port(465, ok(IMPLICIT, True), banner=R.MAILRU_BANNER),
            host="smtp.mail.ru",
            username="alice@mail.ru",
            mail_from="boss@example.org",
            send_test=SendTestResult(
                465, "alice@mail.ru", False, reply(R.MAILRU_INVALID_HEADERS), "<t2@relaywiz>"
            ),
        ),
        {C.SENDER_NOT_OWNED: "'From:' header must match"},
        (465, "ssl_tls", True),
        1,
    ),
    Case(
        "send test accepted",
        evidence(
            port(587, ok(STARTTLS, True)),
            send_test=SendTestResult(
                587,
                "alice@example.net",
                True,
                reply("250 2.0.0 Ok: queued as 4ZxY1T3abc"),
                "<t3@relaywiz>",
            ),
        ),
        {C.SEND_TEST_DELIVERED: "queued as"},
        (587, "starttls", True),
        0,
    ),
    Case(
        "send test refused as spam at the end of DATA",
        evidence(
            port(587, ok(STARTTLS, True)),
            send_test=SendTestResult(
                587,
                "alice@example.net",
                False,
                reply("550 5.7.1 Message rejected as spam by Content Filtering."),
                "<t4@relaywiz>",
            ),
        ),
        {C.SEND_TEST_REFUSED: "rejected as spam"},
        (587, "starttls", True),
        1,
        absent=(C.SENDER_NOT_OWNED,),
    ),
    Case(
        "Microsoft 365: no permission to send as this sender",
        evidence(
            port(
                587,
                fail(O.SENDER_REJECTED, R.M365_SEND_AS, STARTTLS, True, stage=Stage.MAIL),
                banner=R.M365_BANNER,
            ),
            host="smtp.office365.com",
        ),
        {C.SENDER_NOT_OWNED: "send as this sender"},
        None,
        2,
    ),
    Case(
        "postfix: sender domain does not exist",
        evidence(
            port(587, fail(O.SENDER_REJECTED, R.POSTFIX_SENDER_DOMAIN, STARTTLS, True)),
            mail_from="alice@example.invalid",
        ),
        {C.SENDER_REJECTED: "Domain not found"},
        None,
        2,
        absent=(C.SENDER_NOT_OWNED,),
    ),
    Case(
        "postgrey: greylisted on port 25 (retry, not a fault)",
        evidence(
            port(25, fail(O.GREYLISTED, R.POSTFIX_GREYLIST), credentials=False), credentials=False
        ),
        {C.SMTP_GREYLISTED: "Greylisted"},
        None,
        2,
        outlook={C.SMTP_GREYLISTED: "0x800CCC68"},
        text={C.SMTP_GREYLISTED: "not a fault"},
    ),
    Case(
        "exim: greylisted with 451",
        evidence(
            port(25, fail(O.GREYLISTED, R.EXIM_GREYLIST), banner=R.EXIM_BANNER, credentials=False),
            credentials=False,
        ),
        {C.SMTP_GREYLISTED: "try again in 5 minutes"},
        None,
        2,
        outlook={C.SMTP_GREYLISTED: "0x800CCC6A"},
    ),
    Case(
        "postscreen: this network is on Spamhaus at port 25; 587 with login works",
        evidence(
            dead(
                25,
                O.REJECTED_AT_BANNER,
                stage=Stage.BANNER,
                banner=R.POSTSCREEN_SPAMHAUS,
                line=R.POSTSCREEN_SPAMHAUS,
            ),
            port(587, fail(O.RELAY_DENIED, R.POSTFIX_RELAY, STARTTLS), ok(STARTTLS, True)),
        ),
        {C.BANNER_REJECTED: "zen.spamhaus.org", C.RELAY_NEEDS_AUTH: "Relay access denied"},
        (587, "starttls", True),
        0,
        outlook={C.BANNER_REJECTED: "0x800CCC0F"},
        text={C.BANNER_REJECTED: "Spamhaus"},
    ),
    Case(
        "exim: hotel network listed on SpamCop everywhere",
        evidence(
            dead(
                25,
                O.REJECTED_AT_BANNER,
                stage=Stage.BANNER,
                banner=R.EXIM_BANNER_SPAMCOP,
                line=R.EXIM_BANNER_SPAMCOP,
            ),
            dead(
                587,
                O.REJECTED_AT_BANNER,
                stage=Stage.BANNER,
                banner=R.EXIM_BANNER_SPAMCOP,
                line=R.EXIM_BANNER_SPAMCOP,
            ),
        ),
        {C.BANNER_REJECTED: "bl.spamcop.net"},
        None,
        2,
        situation=Situation(Location.TRAVEL),
        text={C.BANNER_REJECTED: "mobile data"},
    ),
    Case(
        "postfix 421 at the greeting: too many connections",
        evidence(
            dead(
                25,
                O.REJECTED_AT_BANNER,
                stage=Stage.BANNER,
                banner=R.POSTFIX_TOO_MANY,
                line=R.POSTFIX_TOO_MANY,
            )
        ),
        {C.BANNER_REJECTED: "too many connections"},
        None,
        2,
        outlook={C.BANNER_REJECTED: "0x800CCC67"},
    ),
    Case(
        "self-signed certificate, probe ran with --insecure",
        evidence(
            port(
                465,
                ok(IMPLICIT, True),
                tls=bad_cert("certificate verify failed: self-signed certificate"),
            ),
            insecure=True,
        ),
        {C.TLS_CERT_UNTRUSTED: "self-signed", C.TLS_CHECKS_DISABLED: ""},
        (465, "ssl_tls", True),
        1,
    ),
    Case(
        "certificate expires in five days",
        evidence(
            port(
                587,
                fail(O.RELAY_DENIED, R.POSTFIX_RELAY),
                ok(STARTTLS, True),
                tls=good_cert(days_left=5),
            )
        ),
        {C.TLS_CERT_EXPIRING: "valid until"},
        (587, "starttls", True),
        1,
    ),
    Case(
        "expired certificate breaks STARTTLS; trusted network works in clear",
        evidence(
            port(
                587,
                fail(
                    O.TLS_ERROR,
                    None,
                    STARTTLS,
                    True,
                    detail="certificate verify failed: certificate has expired",
                ),
                tls=bad_cert("certificate has expired", days_left=-3, insecure=False),
            ),
            port(25, ok(NONE, False), starttls=False, auth_tls=()),
        ),
        {
            C.TLS_CERT_EXPIRED: "certificate has expired",
            C.SECURITY_NO_TLS: "",
            C.RELAY_TRUSTED_NETWORK: "250 2.1.5 Ok",
        },
        (25, "none", False),
        1,
        situation=Situation(Location.WORK, AccountType.EMPLOYER, RecipientDomain.OTHER),
        absent=(C.TLS_HANDSHAKE_FAILED,),
        outlook={C.TLS_CERT_EXPIRED: "0x800CCC1A"},
    ),
    Case(
        "certificate for another name (detail only, no TlsInfo)",
        evidence(
            port(
                465,
                fail(
                    O.TLS_ERROR,
                    None,
                    IMPLICIT,
                    True,
                    detail="certificate verify failed: Hostname mismatch, certificate is "
                    "not valid for 'mail.example.net'",
                ),
                tls=None,
                starttls=False,
            ),
        ),
        {C.TLS_CERT_NAME_MISMATCH: "Hostname mismatch"},
        None,
        2,
    ),
    Case(
        "STARTTLS refused with 454",
        evidence(
            port(
                587,
                fail(O.TLS_ERROR, R.POSTFIX_TLS_454, STARTTLS, True, stage=Stage.STARTTLS),
                fail(O.TLS_REQUIRED, R.POSTFIX_STARTTLS_FIRST, NONE, True),
            ),
        ),
        {C.TLS_HANDSHAKE_FAILED: "TLS not available", C.TLS_REQUIRED: "Must issue a STARTTLS"},
        None,
        2,
        outlook={C.TLS_HANDSHAKE_FAILED: "0x800CCC7F", C.TLS_REQUIRED: "0x800CCC7C"},
    ),
    Case(
        "old server without STARTTLS at home on the ISP's network",
        evidence(
            port(25, ok(NONE, False), starttls=False, auth_tls=(), banner=R.SENDMAIL_BANNER),
            credentials=False,
        ),
        {C.TLS_STARTTLS_UNAVAILABLE: "EHLO", C.SECURITY_NO_TLS: "", C.RELAY_TRUSTED_NETWORK: "250"},
        (25, "none", False),
        1,
        situation=Situation(Location.HOME, AccountType.ISP, RecipientDomain.OTHER),
        outlook={C.TLS_STARTTLS_UNAVAILABLE: "0x800CCC7D"},
        absent=(C.RELAY_OPEN, C.RELAY_UNAUTHENTICATED_ACCEPTED),
    ),
    Case(
        "open relay: accepted without login from a hotel network",
        evidence(
            port(
                25,
                ok(STARTTLS, False, accepted="250 2.1.5 Recipient ok"),
                ok(NONE, False, accepted="250 2.1.5 Recipient ok"),
            ),
            credentials=False,
        ),
        {C.RELAY_OPEN: "Recipient ok"},
        (25, "starttls", False),
        1,
        situation=Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER),
    ),
    Case(
        "accepted without login, situation unknown",
        evidence(port(25, ok(STARTTLS, False)), credentials=False),
        {C.RELAY_UNAUTHENTICATED_ACCEPTED: "250 2.1.5 Ok"},
        (25, "starttls", False),
        1,
        text={C.RELAY_UNAUTHENTICATED_ACCEPTED: "--location"},
    ),
    Case(
        "exchange: login works but relay still refused",
        evidence(
            port(
                587,
                fail(O.RELAY_DENIED, R.EXCHANGE_RELAY, STARTTLS, True),
                banner=R.EXCHANGE_BANNER,
            ),
            host="exch01.corp.example.com",
        ),
        {C.RELAY_DENIED_WITH_AUTH: "Unable to relay"},
        None,
        2,
        situation=Situation(Location.WORK, AccountType.ISP, RecipientDomain.OTHER),
    ),
    Case(
        "exchange: anonymous MAIL FROM refused, login accepted",
        evidence(
            port(
                587,
                fail(O.AUTH_REQUIRED, R.EXCHANGE_ANONYMOUS, STARTTLS, stage=Stage.MAIL),
                ok(STARTTLS, True),
                banner=R.EXCHANGE_BANNER,
            ),
            host="exch01.corp.example.com",
        ),
        {C.RELAY_NEEDS_AUTH: "anonymous mail"},
        (587, "starttls", True),
        0,
        outlook={C.RELAY_NEEDS_AUTH: "0x800CCC78"},
    ),
    Case(
        "gmail: authentication required, no user name given",
        evidence(
            port(
                587,
                fail(O.AUTH_REQUIRED, R.GMAIL_AUTH_REQUIRED, STARTTLS, stage=Stage.MAIL),
                banner=R.GMAIL_BANNER,
                credentials=False,
            ),
            host="smtp.gmail.com",
            credentials=False,
        ),
        {C.RELAY_NEEDS_CREDENTIALS: "WantAuthError"},
        None,
        2,
        outlook={C.RELAY_NEEDS_CREDENTIALS: "0x800CCC78"},
    ),
    Case(
        "server name does not resolve",
        evidence(
            dead(587, O.DNS_ERROR, "NXDOMAIN", Stage.RESOLVE),
            dead(465, O.DNS_ERROR, "NXDOMAIN", Stage.RESOLVE),
            dns_error="NXDOMAIN: smtp.exmaple.net",
        ),
        {C.DNS_HOST_NOT_FOUND: "NXDOMAIN"},
        None,
        2,
        outlook={C.DNS_HOST_NOT_FOUND: "0x800CCC0D"},
        absent=(C.CONNECT_UNREACHABLE,),
    ),
    Case(
        "every port filtered",
        evidence(
            dead(587, O.FILTERED, "connect timed out"),
            dead(465, O.FILTERED, "connect timed out"),
            dead(25, O.FILTERED, "connect timed out"),
        ),
        {C.CONNECT_UNREACHABLE: "connect timed out"},
        None,
        2,
        absent=(C.CONNECT_PORT25_BLOCKED,),
    ),
    Case(
        "2525 filtered, 465 no greeting, 587 works",
        evidence(
            dead(2525, O.FILTERED, "connect timed out"),
            dead(465, O.NO_BANNER, "no greeting within 10 s", Stage.BANNER),
            port(587, ok(STARTTLS, True)),
        ),
        {C.CONNECT_FILTERED: "connect timed out", C.CONNECT_NO_BANNER: "no greeting"},
        (587, "starttls", True),
        0,
        outlook={C.CONNECT_NO_BANNER: "0x800CCC19"},
    ),
    Case(
        "server stops answering after MAIL FROM on 25",
        evidence(
            dead(
                25,
                O.TIMEOUT,
                "no reply to MAIL FROM within 10 s",
                Stage.MAIL,
                banner="220 mail.example.net ESMTP Postfix",
            ),
            port(587, ok(STARTTLS, True)),
        ),
        {C.CONNECT_TIMEOUT: "no reply to MAIL FROM"},
        (587, "starttls", True),
        0,
    ),
    Case(
        "postfix: HELO name refused at RCPT",
        evidence(
            port(
                587,
                fail(O.PROTOCOL_ERROR, R.POSTFIX_HELO, STARTTLS, True, stage=Stage.RCPT_SAME),
            )
        ),
        {C.HELO_REJECTED: "need fully-qualified hostname"},
        None,
        2,
        absent=(C.RECIPIENT_REJECTED, C.SMTP_PROTOCOL_ERROR),
    ),
    Case(
        "postfix: test recipient unknown",
        evidence(
            port(
                587,
                fail(
                    O.RECIPIENT_REJECTED,
                    R.POSTFIX_USER_UNKNOWN,
                    STARTTLS,
                    True,
                    stage=Stage.RCPT_SAME,
                ),
            )
        ),
        {C.RECIPIENT_REJECTED: "User unknown"},
        None,
        2,
        text={C.RECIPIENT_REJECTED: "--same-to"},
    ),
    Case(
        "postfix: 421 too many connections at MAIL",
        evidence(port(587, fail(O.TEMPORARY_FAILURE, R.POSTFIX_TOO_MANY, STARTTLS, True))),
        {C.SMTP_TEMPORARY_FAILURE: "too many connections"},
        None,
        2,
        outlook={C.SMTP_TEMPORARY_FAILURE: "0x800CCC67"},
    ),
    Case(
        "something that is not SMTP on 2525",
        evidence(
            port(
                2525,
                fail(
                    O.PROTOCOL_ERROR,
                    None,
                    NONE,
                    True,
                    detail="unexpected reply: 'HTTP/1.1 400 Bad Request'",
                ),
                banner=None,
            ),
            port(587, ok(STARTTLS, True)),
        ),
        {C.SMTP_PROTOCOL_ERROR: "HTTP/1.1 400"},
        (587, "starttls", True),
        0,
    ),
    Case(
        "no login on port 25, login on 587",
        evidence(
            port(
                25,
                fail(
                    O.AUTH_UNAVAILABLE,
                    None,
                    STARTTLS,
                    True,
                    detail="no AUTH offered after STARTTLS",
                ),
                auth_tls=(),
            ),
            port(587, ok(STARTTLS, True)),
        ),
        {C.AUTH_UNAVAILABLE: "no AUTH offered"},
        (587, "starttls", True),
        0,
        outlook={C.AUTH_UNAVAILABLE: "0x800CCC80"},
    ),
    Case(
        "at work through the home ISP's server, with the Outlook number the user saw",
        evidence(
            port(
                25,
                fail(O.RELAY_DENIED, R.SENDMAIL_RELAY_AUTH),
                banner=R.SENDMAIL_BANNER,
                credentials=False,
            ),
            credentials=False,
        ),
        {
            C.SITUATION_RELAY: "",
            C.CLIENT_OUTLOOK_ERROR: "0x800ccc79",
            C.RELAY_NEEDS_CREDENTIALS: "Proper authentication required",
        },
        None,
        2,
        situation=Situation(
            Location.WORK,
            AccountType.ISP,
            RecipientDomain.OTHER,
            client_error="Outlook said 0x800ccc79",
        ),
        outlook={C.SITUATION_RELAY: "0x800CCC79", C.CLIENT_OUTLOOK_ERROR: "0x800CCC79"},
        text={C.SITUATION_RELAY: "at work", C.CLIENT_OUTLOOK_ERROR: "relaying denied"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    report = diagnose(case.evidence, case.situation)
    by_id = {f.id: f for f in report.findings}
    for fid, needle in case.present.items():
        assert fid in by_id, f"{fid} missing; got {sorted(by_id)}"
        f = by_id[fid]
        assert all(e for e in f.evidence), f"{fid} has an empty evidence line"
        if needle:
            assert any(needle in e for e in f.evidence), (fid, f.evidence)
        assert f.explanation and f.remedy and f.title
    for fid in case.absent:
        assert fid not in by_id, f"{fid} should not be reported: {by_id[fid]}"
    for fid, number in case.outlook.items():
        assert by_id[fid].outlook_error == number, (fid, by_id[fid].outlook_error)
    for fid, words in case.text.items():
        f = by_id[fid]
        assert words.lower() in (f.explanation + " " + f.remedy).lower(), (fid, f)
    if case.rec is None:
        assert report.recommendation is None
        assert report.no_recommendation_reason
    else:
        rec = report.recommendation
        assert rec is not None, report.no_recommendation_reason
        assert (rec.port, rec.security.value, rec.auth) == case.rec
        assert report.no_recommendation_reason is None
    assert report.exit_code == case.exit, [f.id for f in report.findings]


def test_every_finding_id_is_exercised() -> None:
    seen: set[str] = set()
    for case in CASES:
        seen.update(f.id for f in diagnose(case.evidence, case.situation).findings)
    assert set(ALL_IDS) - seen == set()


def test_findings_are_ordered_most_severe_first() -> None:
    order = {"problem": 0, "warning": 1, "info": 2}
    for case in CASES:
        sev = [order[f.severity.value] for f in diagnose(case.evidence, case.situation).findings]
        assert sev == sorted(sev), case.name


def test_ticket_opens_with_the_verdict_and_the_main_problem() -> None:
    case = CASES[0]
    report = diagnose(case.evidence, case.situation)
    fields = dict(report.ticket)
    assert fields["Verdict"].startswith("Works: mail.example.net port 465, SSL/TLS, with login")
    assert fields["Main problem"].startswith(report.findings[0].title)
    assert "hotel" in fields["Relay table"]
    dead_case = next(c for c in CASES if c.name == "every port filtered")
    fields = dict(diagnose(dead_case.evidence, dead_case.situation).ticket)
    assert fields["Verdict"].startswith("No working way to send: No port")


def test_the_documentation_lists_every_finding_id() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[3] / "docs" / "diagnosis.md").read_text()
    missing = [fid for fid in ALL_IDS if f"`{fid}`" not in doc]
    assert missing == []


@pytest.mark.parametrize(
    ("host", "line", "words"),
    [
        ("smtp.gmail.com", R.GMAIL_WEB_LOGIN, "web page"),
        ("smtp.mail.yahoo.com", R.YAHOO_TOO_MANY, "wait before trying again"),
        ("smtp.mail.yahoo.com", R.YAHOO_TOO_MANY, "Yahoo wants an app password"),
    ],
)
def test_auth_failure_hints(host: str, line: str, words: str) -> None:
    ev = evidence(port(465, fail(O.AUTH_FAILED, line, IMPLICIT, True)), host=host)
    f = next(f for f in diagnose(ev).findings if f.id == C.AUTH_FAILED)
    assert words.lower() in (f.explanation + f.remedy).lower()


def test_the_outlook_number_the_user_saw_is_matched_to_a_finding() -> None:
    ev = evidence(port(587, ok(STARTTLS, True)), dead(25, O.FILTERED, "connect timed out"))
    seen = diagnose(ev, Situation(client_error="0x800CCC0E")).findings
    f = next(f for f in seen if f.id == C.CLIENT_OUTLOOK_ERROR)
    assert "Port 25 is blocked on this network" in f.explanation
    unseen = diagnose(ev, Situation(client_error="Outlook: 0x800CCC78")).findings
    f = next(f for f in unseen if f.id == C.CLIENT_OUTLOOK_ERROR)
    assert "did not meet this failure" in f.explanation
    assert C.CLIENT_OUTLOOK_ERROR not in {
        f.id for f in diagnose(ev, Situation(client_error="it just fails")).findings
    }


def test_wrong_password_but_the_network_is_trusted_is_a_warning() -> None:
    ev = evidence(
        port(25, ok(STARTTLS, False), fail(O.AUTH_FAILED, R.POSTFIX_AUTH_FAILED, STARTTLS, True))
    )
    report = diagnose(ev, Situation(Location.HOME, AccountType.ISP, RecipientDomain.OTHER))
    rec = report.recommendation
    assert rec is not None and not rec.auth
    assert {C.AUTH_FAILED, C.RELAY_TRUSTED_NETWORK} <= {f.id for f in report.findings}
    assert report.exit_code == 1


def test_port_25_blocked_with_only_2525_answering() -> None:
    ev = evidence(
        dead(25, O.FILTERED, "connect timed out"),
        dead(587, O.FILTERED, "connect timed out"),
        port(
            2525,
            fail(O.RELAY_DENIED, R.EXIM_RELAY, STARTTLS),
            ok(STARTTLS, True),
            banner=R.EXIM_BANNER,
        ),
    )
    report = diagnose(ev)
    f = next(f for f in report.findings if f.id == C.CONNECT_PORT25_BLOCKED)
    assert "Use port 2525 with authentication" in f.remedy
    assert report.recommendation is not None and report.recommendation.port == 2525


def test_the_documented_outlook_table_is_the_code_table() -> None:
    from pathlib import Path

    from relaywiz.core.diagnose.outlook import TABLE

    doc = (Path(__file__).parents[3] / "docs" / "diagnosis.md").read_text()
    for entry in TABLE.values():
        outcomes = ", ".join(o.value for o in entry.outcomes)
        assert f"| {entry.code} | {entry.meaning} | {outcomes} |" in doc, entry.code


def test_explain_and_the_diagnosis_read_an_outlook_number_the_same_way() -> None:
    from relaywiz.core.bounce.outlook import TABLE as EXPLAIN_TABLE
    from relaywiz.core.diagnose.outlook import TABLE, lookup

    for code, entry in TABLE.items():
        assert EXPLAIN_TABLE[code].meaning == entry.meaning
    for code, number in EXPLAIN_TABLE.items():  # numbers no probe outcome gives, too
        found = lookup(f"Error number: {code.lower()}")
        assert found is not None and found.meaning == number.meaning
