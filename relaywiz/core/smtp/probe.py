"""The probe: every port of one server at once, then POP-before-SMTP and the test
message when asked. Collects evidence only; `diagnose` judges it.

All ports run concurrently, so a probe costs about as much as its slowest port.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import time
import uuid

from aiosmtplib.errors import SMTPResponseException

from relaywiz.core.model import (
    Attempt,
    Evidence,
    Outcome,
    PopResult,
    PortResult,
    SendTestResult,
    Stage,
    Target,
    TlsMode,
)
from relaywiz.core.smtp.classify import classify, parse_reply
from relaywiz.core.smtp.pop import pop_login
from relaywiz.core.smtp.port import PortProber, port_result, run_bounded
from relaywiz.core.smtp.request import PortEvent, PortStarted, ProbeListener, ProbeRequest
from relaywiz.core.smtp.session import AttemptStop


class ProbeSetupError(ValueError):
    """The request cannot be run at all (e.g. a source address this machine does not have)."""


def port_budget(request: ProbeRequest) -> float:
    """Seconds one port may take in all: connect, banner and a handful of commands."""
    t = request.timeouts
    return t.connect + t.banner + 6 * t.command


class ResolveFailed(Exception):
    """The host name gave no address; the message says why in words."""


async def resolve(host: str, source: str | None, nameserver: str | None = None) -> tuple[str, ...]:
    """The host's addresses (of the source address's family when one is given).

    With `nameserver`, A/AAAA are asked of that server (dnspython) instead of the
    system resolver. Raises ResolveFailed, OSError or UnicodeError when there are none.
    """
    want6 = source is None or ":" in source
    want4 = source is None or ":" not in source
    if nameserver:
        from relaywiz.core.dns import DnsClient

        try:
            ipaddress.ip_address(host)
            return (host,)
        except ValueError:
            pass
        client = DnsClient(nameserver)
        kinds = [k for k, want in (("A", want4), ("AAAA", want6)) if want]
        answers = await asyncio.gather(*(client.resolve(host, k) for k in kinds))
        found = tuple(t for a in answers for t in a.texts)
        if found:
            return found
        failures = [a for a in answers if not a.ok and not a.absent]
        if failures:
            raise ResolveFailed(f"DNS did not answer: {failures[0].why}")
        raise ResolveFailed("no such name in DNS")
    loop = asyncio.get_running_loop()
    family = socket.AF_UNSPEC if want4 and want6 else (socket.AF_INET if want4 else socket.AF_INET6)
    infos = await loop.getaddrinfo(host, None, family=family, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def check_source_address(source: str) -> None:
    """Raise ProbeSetupError unless this machine can send from `source`."""
    family = socket.AF_INET6 if ":" in source else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((source, 0))
    except OSError as exc:
        raise ProbeSetupError(
            f"this machine cannot send from {source} ({exc.strerror or exc})"
        ) from None


def _dns_failure(request: ProbeRequest, message: str, started: str, start: float) -> Evidence:
    ports = tuple(
        PortResult(
            port=p,
            outcome=Outcome.DNS_ERROR,
            stage=Stage.RESOLVE,
            reply=None,
            elapsed_ms=0.0,
            detail=message,
            implicit_tls=p in request.implicit_tls_ports,
            attempts=(
                Attempt(
                    tls=TlsMode.NONE,
                    auth=False,
                    outcome=Outcome.DNS_ERROR,
                    stage=Stage.RESOLVE,
                    reply=None,
                    detail=message,
                ),
            ),
        )
        for p in request.ports
    )
    return _evidence(request, (), ports, started, start, dns_error=message)


def _evidence(
    request: ProbeRequest,
    addresses: tuple[str, ...],
    ports: tuple[PortResult, ...],
    started: str,
    start: float,
    *,
    helo: str | None = None,
    pop: PopResult | None = None,
    send: SendTestResult | None = None,
    dns_error: str | None = None,
) -> Evidence:
    creds = request.credentials
    return Evidence(
        target=Target(request.host, request.ports, addresses),
        mail_from=request.mail_from,
        rcpt_same=request.same_domain_recipient,
        rcpt_other=request.rcpt_other,
        helo_name=helo or request.helo_name or "",
        credentials_given=creds is not None,
        username=creds.username if creds else None,
        insecure=request.insecure,
        source_address=request.source_address,
        ports=ports,
        started_at=started,
        elapsed_ms=round((time.monotonic() - start) * 1000, 1),
        pop_before_smtp=pop,
        send_test=send,
        dns_error=dns_error,
    )


async def run_probe(request: ProbeRequest, listener: ProbeListener | None = None) -> Evidence:
    """Probe every requested port of `request.host`; never raises for server-side failures.

    Raises ProbeSetupError only when the request itself cannot run (bad source address).
    """
    start = time.monotonic()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if request.source_address:
        check_source_address(request.source_address)
    try:
        addresses = await asyncio.wait_for(
            resolve(request.host, request.source_address, request.nameserver),
            request.timeouts.connect,
        )
    except (OSError, TimeoutError, UnicodeError, ResolveFailed) as exc:
        message = f"the name {request.host!r} does not resolve ({_gai_reason(exc)})"
        return _dns_failure(request, message, started, start)
    if not addresses:
        return _dns_failure(request, f"{request.host!r} has no usable address", started, start)

    budget = port_budget(request)
    probers = [PortProber(request, addresses, p, listener) for p in request.ports]
    for prober in probers:
        if listener is not None:
            listener(PortStarted(prober.state.port))
    await asyncio.gather(*(run_bounded(p, p.run(), budget) for p in probers))

    pop: PopResult | None = None
    if request.pop_before_smtp is not None and request.credentials is not None:
        pop = await _pop_phase(request, probers, budget)

    results = []
    for prober in probers:
        result = port_result(prober, _port_elapsed(prober))
        results.append(result)
        if listener is not None:
            listener(PortEvent(result.port, result))
    helo = next((p.helo_name for p in probers if p.helo_name), None)
    send: SendTestResult | None = None
    if request.send_test_to:
        send = await _send_test(request, addresses, tuple(results), budget)
    return _evidence(
        request, addresses, tuple(results), started, start, helo=helo, pop=pop, send=send
    )


def _gai_reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "the lookup timed out"
    if isinstance(exc, socket.gaierror):
        return exc.strerror or str(exc)
    if isinstance(exc, ResolveFailed):
        return str(exc)
    if isinstance(exc, UnicodeError):
        return "not a valid host name"
    return str(exc)


def _port_elapsed(prober: PortProber) -> float:
    """How long the port took: wall time, so an attempt cut off by the budget counts too."""
    return round(prober.wall_ms, 1)


async def _pop_phase(request: ProbeRequest, probers: list[PortProber], budget: float) -> PopResult:
    assert request.credentials is not None
    host = request.pop_before_smtp or request.host
    pop = await pop_login(
        host,
        request.pop_port,
        request.credentials,
        request.source_address,
        request.cafile,
        not request.insecure,
        request.timeouts.connect,
    )
    if not pop.logged_in:
        return pop
    greeted = [p for p in probers if p.state.greeted]

    async def again(prober: PortProber) -> None:
        mode = (
            TlsMode.IMPLICIT
            if prober.state.implicit
            else (TlsMode.STARTTLS if prober.state.starttls_offered else TlsMode.NONE)
        )
        await prober.attempt(mode, auth=False, pop=True)
        if prober.conn is not None:
            await prober.conn.quit()
            prober.conn = None

    await asyncio.gather(*(run_bounded(p, again(p), budget) for p in greeted))
    changed = False
    for prober in greeted:
        before = [a for a in prober.state.attempts if not a.auth and not a.pop_before_smtp]
        after = [a for a in prober.state.attempts if a.pop_before_smtp]
        if before and after and before[-1].outcome is not after[-1].outcome:
            changed = True
    return PopResult(pop.host, pop.port, pop.tls, True, pop.detail, pop.elapsed_ms, changed)


TEST_MESSAGE = (
    "From: <{sender}>\r\nTo: <{rcpt}>\r\nSubject: relaywiz test message\r\n"
    "Message-ID: <{mid}>\r\nDate: {date}\r\nX-Relaywiz: test\r\n\r\n"
    "This is a test message sent by relaywiz (--send-test) to check that this\r\n"
    "server accepts mail from this account. It needs no answer.\r\n"
)


async def _send_test(
    request: ProbeRequest,
    addresses: tuple[str, ...],
    results: tuple[PortResult, ...],
    budget: float,
) -> SendTestResult:
    """Send the one labelled test message over the best path that was seen to work."""
    rcpt = request.send_test_to or ""
    mid = f"{uuid.uuid4().hex}@relaywiz.invalid"
    creds = request.credentials is not None
    working = [r for r in results if r.outcome is Outcome.OK]
    working.sort(key=lambda r: (r.tls is None, r.port not in (465, 587)))
    if not working:
        return SendTestResult(0, rcpt, False, None, mid, "no port was seen to work: not sent")
    port = working[0]
    attempt = next(
        (a for a in port.attempts if a.outcome is Outcome.OK and (a.auth or not creds)),
        next(a for a in port.attempts if a.outcome is Outcome.OK),
    )
    prober = PortProber(request, addresses, port.port, None)
    outcome: SendTestResult | None = None

    async def send() -> None:
        nonlocal outcome
        try:
            conn = await prober._ready(attempt.tls, attempt.auth)
            for stage, line in (
                (Stage.MAIL, f"MAIL FROM:<{request.mail_from}>"),
                (Stage.RCPT_OTHER, f"RCPT TO:<{rcpt}>"),
            ):
                reply = await conn.command(stage, line)
                if reply.code >= 400:
                    outcome = SendTestResult(
                        port.port, rcpt, False, reply, mid, classify(stage, reply).outcome.value
                    )
                    return
            body = TEST_MESSAGE.format(
                sender=request.mail_from,
                rcpt=rcpt,
                mid=mid,
                date=dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
            )
            assert conn.smtp is not None
            try:
                response = await conn.smtp.data(body.encode())
                reply = parse_reply(response.code, response.message)
            except SMTPResponseException as exc:
                reply = parse_reply(exc.code, exc.message)
            outcome = SendTestResult(port.port, rcpt, 200 <= reply.code < 300, reply, mid)
            await conn.quit()
        except AttemptStop as stop:
            outcome = SendTestResult(port.port, rcpt, False, stop.reply, mid, stop.detail)

    await run_bounded(prober, send(), budget)
    return outcome or SendTestResult(port.port, rcpt, False, None, mid, "timed out")
