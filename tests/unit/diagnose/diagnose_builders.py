"""Build recorded evidence for diagnosis tests: the servers' replies, written down by us.

Each helper builds the same frozen dataclasses the probe produces, so the tests
feed `diagnose` exactly what a probe of such a server would have collected.
"""

from __future__ import annotations

from relaywiz.core.model import (
    Attempt,
    Evidence,
    Outcome,
    PopResult,
    PortResult,
    RecipientResult,
    Reply,
    SendTestResult,
    Stage,
    Target,
    TlsInfo,
    TlsMode,
)
from relaywiz.core.smtp.classify import classify, parse_reply

MAIL_FROM = "alice@example.net"
RCPT_SAME = "postmaster@example.net"
RCPT_OTHER = "postmaster@gmail.com"
USER = "alice@example.net"


def reply(line: str) -> Reply:
    """A Reply from how it looked on the wire ("554 5.7.1 text"; lines joined by \\n)."""
    lines = line.split("\n")
    code = int(lines[0][:3])
    texts = [raw[4:] if len(raw) > 3 and raw[:3].isdigit() else raw.strip() for raw in lines]
    return parse_reply(code, "\n".join(texts))


OK_RCPT = reply("250 2.1.5 Ok")


def ok(
    tls: TlsMode = TlsMode.STARTTLS,
    auth: bool = True,
    pop: bool = False,
    accepted: str = "250 2.1.5 Ok",
) -> Attempt:
    """An attempt that got the other-domain recipient accepted."""
    r = reply(accepted)
    return Attempt(
        tls=tls,
        auth=auth,
        outcome=Outcome.OK,
        stage=Stage.RCPT_OTHER,
        reply=r,
        same=RecipientResult(RCPT_SAME, True, OK_RCPT),
        other=RecipientResult(RCPT_OTHER, True, r),
        pop_before_smtp=pop,
    )


_DEFAULT_STAGE = {
    Outcome.RELAY_DENIED: Stage.RCPT_OTHER,
    Outcome.AUTH_REQUIRED: Stage.RCPT_OTHER,
    Outcome.AUTH_FAILED: Stage.AUTH,
    Outcome.SENDER_REJECTED: Stage.MAIL,
    Outcome.RECIPIENT_REJECTED: Stage.RCPT_OTHER,
    Outcome.GREYLISTED: Stage.RCPT_OTHER,
    Outcome.TEMPORARY_FAILURE: Stage.MAIL,
    Outcome.TLS_REQUIRED: Stage.MAIL,
    Outcome.TLS_ERROR: Stage.TLS_HANDSHAKE,
    Outcome.AUTH_UNAVAILABLE: Stage.AUTH,
    Outcome.STARTTLS_UNAVAILABLE: Stage.STARTTLS,
    Outcome.PROTOCOL_ERROR: Stage.EHLO,
    Outcome.TIMEOUT: Stage.MAIL,
}


_CLASSIFIED_STAGES = frozenset(
    {Stage.EHLO, Stage.STARTTLS, Stage.AUTH, Stage.MAIL, Stage.RCPT_SAME, Stage.RCPT_OTHER}
)


def fail(
    outcome: Outcome,
    line: str | None = None,
    tls: TlsMode = TlsMode.NONE,
    auth: bool = False,
    stage: Stage | None = None,
    detail: str = "",
    pop: bool = False,
) -> Attempt:
    """An attempt that ended in `outcome` with the server's reply `line`."""
    st = stage or _DEFAULT_STAGE.get(outcome, Stage.RCPT_OTHER)
    r = reply(line) if line else None
    if r is not None and st in _CLASSIFIED_STAGES:
        # the recorded evidence must be what the probe's own classifier makes of the reply
        judged = classify(st, r).outcome
        assert judged is outcome, f"classifier says {judged} for {line!r} at {st}"
    other = RecipientResult(RCPT_OTHER, False, r) if st is Stage.RCPT_OTHER else None
    same = RecipientResult(RCPT_SAME, True, OK_RCPT) if st is Stage.RCPT_OTHER else None
    return Attempt(
        tls=tls,
        auth=auth,
        outcome=outcome,
        stage=st,
        reply=r,
        same=same,
        other=other,
        detail=detail,
        pop_before_smtp=pop,
    )


POSTFIX_BANNER = "220 mail.example.net ESMTP Postfix (Debian/GNU)"


def port(
    number: int,
    *attempts: Attempt,
    banner: str | None = POSTFIX_BANNER,
    starttls: bool | None = None,
    auth_plain: tuple[str, ...] = (),
    auth_tls: tuple[str, ...] = ("PLAIN", "LOGIN"),
    implicit: bool | None = None,
    tls: TlsInfo | None = None,
    credentials: bool = True,
) -> PortResult:
    """A port that greeted and on which `attempts` were made."""
    implicit = (number == 465) if implicit is None else implicit
    starttls = (not implicit) if starttls is None else starttls
    if implicit:
        auth_plain = ()
    chosen = _client_attempt(attempts, credentials)
    esmtp = ("PIPELINING", "SIZE 10240000", "8BITMIME")
    if starttls:
        esmtp = (*esmtp, "STARTTLS")
    if auth_plain:
        esmtp = (*esmtp, "AUTH " + " ".join(auth_plain))
    if tls is None and (implicit or starttls) and any(a.tls is not TlsMode.NONE for a in attempts):
        tls = good_cert()
    return PortResult(
        port=number,
        outcome=chosen.outcome if chosen else Outcome.PROTOCOL_ERROR,
        stage=chosen.stage if chosen else Stage.EHLO,
        reply=chosen.reply if chosen else None,
        elapsed_ms=12.0,
        implicit_tls=implicit,
        banner=reply(banner) if banner else None,
        esmtp=esmtp,
        starttls_offered=bool(starttls),
        auth_mechanisms_plain=auth_plain,
        auth_mechanisms_tls=auth_tls,
        size_limit=10240000,
        tls=tls,
        attempts=attempts,
    )


def _client_attempt(attempts: tuple[Attempt, ...], credentials: bool) -> Attempt | None:
    """The attempt a client with (or without) credentials would make: login if any, TLS if any."""
    if not attempts:
        return None

    def key(a: Attempt) -> tuple[int, int]:
        return (0 if a.auth == credentials else 1, 0 if a.tls is not TlsMode.NONE else 1)

    return min(attempts, key=key)


def dead(
    number: int,
    outcome: Outcome,
    detail: str = "",
    stage: Stage = Stage.CONNECT,
    line: str | None = None,
    banner: str | None = None,
) -> PortResult:
    """A port whose first attempt ended it (filtered, refused, no banner, rejected at banner)."""
    implicit = number == 465
    r = reply(line) if line else None
    first = Attempt(
        tls=TlsMode.IMPLICIT if implicit else TlsMode.NONE,
        auth=False,
        outcome=outcome,
        stage=stage,
        reply=r,
        detail=detail,
    )
    return PortResult(
        port=number,
        outcome=outcome,
        stage=stage,
        reply=r,
        elapsed_ms=10000.0 if outcome is Outcome.FILTERED else 3.0,
        detail=detail,
        implicit_tls=implicit,
        banner=reply(banner) if banner else None,
        attempts=(first,),
    )


def good_cert(days_left: int = 80, host: str = "mail.example.net") -> TlsInfo:
    return TlsInfo(
        "TLSv1.3",
        "TLS_AES_256_GCM_SHA384",
        f"CN={host}",
        (host,),
        "CN=R11,O=Let's Encrypt,C=US",
        "2026-10-01T00:00:00Z",
        "2027-02-16T00:00:00Z",
        days_left,
        True,
        True,
        None,
        False,
    )


def bad_cert(
    verify_error: str,
    *,
    days_left: int = 80,
    hostname_match: bool | None = True,
    insecure: bool = True,
) -> TlsInfo:
    return TlsInfo(
        "TLSv1.3",
        "TLS_AES_256_GCM_SHA384",
        "CN=mail.example.net",
        ("mail.example.net",),
        "CN=mail.example.net",
        "2025-01-01T00:00:00Z",
        "2027-02-16T00:00:00Z",
        days_left,
        False,
        hostname_match,
        verify_error,
        insecure,
    )


def evidence(
    *ports: PortResult,
    host: str = "mail.example.net",
    credentials: bool = True,
    username: str | None = USER,
    insecure: bool = False,
    pop: PopResult | None = None,
    send_test: SendTestResult | None = None,
    dns_error: str | None = None,
    mail_from: str = MAIL_FROM,
) -> Evidence:
    return Evidence(
        target=Target(host, tuple(p.port for p in ports), ("192.0.2.10",)),
        mail_from=mail_from,
        rcpt_same=RCPT_SAME,
        rcpt_other=RCPT_OTHER,
        helo_name="laptop.example.org",
        credentials_given=credentials,
        username=username if credentials else None,
        insecure=insecure,
        source_address=None,
        ports=ports,
        started_at="2026-11-28T00:40:00Z",
        elapsed_ms=150.0,
        pop_before_smtp=pop,
        send_test=send_test,
        dns_error=dns_error,
    )
