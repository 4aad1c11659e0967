"""A fixed, recorded-style Evidence for golden reports: an ISP-like server seen from a
hotel network (25 filtered, 587 STARTTLS + AUTH works, 465 refused, 2525 relay denied)."""

from __future__ import annotations

from relaywiz.core.model import (
    AccountType,
    Attempt,
    Evidence,
    Exchange,
    Location,
    Outcome,
    PortResult,
    RecipientDomain,
    RecipientResult,
    Reply,
    Situation,
    Stage,
    Target,
    TlsInfo,
    TlsMode,
)

OK250 = Reply(250, "2.1.5", "2.1.5 Ok")
RELAY = Reply(554, "5.7.1", "5.7.1 <postmaster@gmail.com>: Relay access denied")
TLS = TlsInfo(
    version="TLSv1.3",
    cipher="TLS_AES_256_GCM_SHA384",
    subject="CN=smtp.isp.test",
    san=("smtp.isp.test",),
    issuer="CN=Test CA",
    not_before="2026-09-01T00:00:00+00:00",
    not_after="2027-09-01T00:00:00+00:00",
    days_left=277,
    verified=True,
    hostname_match=True,
    verify_error=None,
    insecure=False,
)
TRANSCRIPT_587 = (
    Exchange(Stage.CONNECT, None, None, 20.0),
    Exchange(Stage.BANNER, None, Reply(220, None, "smtp.isp.test ESMTP Postfix"), 31.0),
    Exchange(
        Stage.EHLO,
        "EHLO laptop.home.test",
        Reply(250, None, "smtp.isp.test\nPIPELINING\nSIZE 10240000\nSTARTTLS"),
        12.0,
    ),
    Exchange(Stage.STARTTLS, "STARTTLS", Reply(220, "2.0.0", "2.0.0 Ready to start TLS"), 40.0),
    Exchange(
        Stage.EHLO,
        "EHLO laptop.home.test",
        Reply(250, None, "smtp.isp.test\nPIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN"),
        11.0,
    ),
    Exchange(
        Stage.AUTH, "AUTH PLAIN ****", Reply(235, "2.7.0", "2.7.0 Authentication successful"), 30.0
    ),
    Exchange(Stage.MAIL, "MAIL FROM:<alice@isp.test>", Reply(250, "2.1.0", "2.1.0 Ok"), 10.0),
    Exchange(Stage.RCPT_OTHER, "RCPT TO:<postmaster@gmail.com>", OK250, 10.0),
)


def hotel_evidence() -> Evidence:
    p587 = PortResult(
        port=587,
        outcome=Outcome.OK,
        stage=Stage.RCPT_OTHER,
        reply=OK250,
        elapsed_ms=164.0,
        banner=Reply(220, None, "smtp.isp.test ESMTP Postfix"),
        esmtp=("pipelining", "size", "starttls"),
        starttls_offered=True,
        auth_mechanisms_tls=("PLAIN", "LOGIN"),
        size_limit=10240000,
        tls=TLS,
        attempts=(
            Attempt(
                TlsMode.NONE,
                False,
                Outcome.TLS_REQUIRED,
                Stage.MAIL,
                Reply(530, "5.7.0", "5.7.0 Must issue a STARTTLS command first"),
            ),
            Attempt(
                TlsMode.STARTTLS,
                False,
                Outcome.RELAY_DENIED,
                Stage.RCPT_OTHER,
                RELAY,
                same=RecipientResult("postmaster@isp.test", True, OK250),
                other=RecipientResult("postmaster@gmail.com", False, RELAY),
            ),
            Attempt(
                TlsMode.STARTTLS,
                True,
                Outcome.OK,
                Stage.RCPT_OTHER,
                OK250,
                same=RecipientResult("postmaster@isp.test", True, OK250),
                other=RecipientResult("postmaster@gmail.com", True, OK250),
                auth_mechanism="PLAIN",
            ),
        ),
        transcript=TRANSCRIPT_587,
    )
    p465 = PortResult(
        port=465,
        outcome=Outcome.REFUSED,
        stage=Stage.CONNECT,
        reply=None,
        elapsed_ms=1.0,
        detail="connection refused: nothing accepts connections on port 465",
        implicit_tls=True,
        attempts=(
            Attempt(
                TlsMode.IMPLICIT,
                False,
                Outcome.REFUSED,
                Stage.CONNECT,
                None,
                detail="connection refused: nothing accepts connections on port 465",
            ),
        ),
    )
    p25 = PortResult(
        port=25,
        outcome=Outcome.FILTERED,
        stage=Stage.CONNECT,
        reply=None,
        elapsed_ms=10000.0,
        detail="no answer to connect within 10 s",
        attempts=(
            Attempt(
                TlsMode.NONE,
                False,
                Outcome.FILTERED,
                Stage.CONNECT,
                None,
                detail="no answer to connect within 10 s",
            ),
        ),
    )
    p2525 = PortResult(
        port=2525,
        outcome=Outcome.RELAY_DENIED,
        stage=Stage.RCPT_OTHER,
        reply=RELAY,
        elapsed_ms=90.0,
        banner=Reply(220, None, "smtp.isp.test ESMTP"),
        esmtp=("size",),
        attempts=(
            Attempt(
                TlsMode.NONE,
                False,
                Outcome.RELAY_DENIED,
                Stage.RCPT_OTHER,
                RELAY,
                same=RecipientResult("postmaster@isp.test", True, OK250),
                other=RecipientResult("postmaster@gmail.com", False, RELAY),
            ),
            Attempt(
                TlsMode.NONE,
                True,
                Outcome.AUTH_UNAVAILABLE,
                Stage.AUTH,
                None,
                detail="the server offers no AUTH here",
            ),
        ),
    )
    return Evidence(
        target=Target("smtp.isp.test", (587, 465, 25, 2525), ("192.0.2.25",)),
        mail_from="alice@isp.test",
        rcpt_same="postmaster@isp.test",
        rcpt_other="postmaster@gmail.com",
        helo_name="laptop.home.test",
        credentials_given=True,
        username="alice@isp.test",
        insecure=False,
        source_address=None,
        ports=(p587, p465, p25, p2525),
        started_at="2026-11-28T09:00:00+00:00",
        elapsed_ms=10012.0,
    )


HOTEL = Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER, "0x800CCC0E")
