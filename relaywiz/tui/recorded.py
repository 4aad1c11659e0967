"""Fixed, recorded probe evidence for the screenshot gallery and the wizard's tests.

Three situations a helpdesk meets every day, written down as the transcripts
a typical ISP server produces (our own words, modelled on what Postfix says):
everything works; the user is at work and the ISP's server refuses to relay
for an unknown network; the hotel blocks port 25. `RecordedCore` replays one of
them through the facade's API (events, evidence, and the core's own diagnosis),
so the wizard can be driven and photographed without a network.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

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
from relaywiz.core.smtp.request import (
    AttemptEvent,
    PortEvent,
    PortStarted,
    ProbeListener,
    ProbeRequest,
    StageEvent,
)
from relaywiz.tui.facade import CoreFacade, ServerSuggestion

HOST = "mail.example-isp.net"
ADDRESS = "anna@example-isp.net"
SAME = "postmaster@example-isp.net"
OTHER = "postmaster@gmail.com"
BANNER = Reply(220, None, "mail.example-isp.net ESMTP Postfix")
EHLO_PLAIN = Reply(250, None, "mail.example-isp.net\nPIPELINING\nSIZE 20480000\nSTARTTLS\n8BITMIME")
EHLO_TLS = Reply(
    250, None, "mail.example-isp.net\nPIPELINING\nSIZE 20480000\nAUTH PLAIN LOGIN\n8BITMIME"
)
OK_MAIL = Reply(250, "2.1.0", "2.1.0 Ok")
OK_RCPT = Reply(250, "2.1.5", "2.1.5 Ok")
RELAY = Reply(554, "5.7.1", f"5.7.1 <{OTHER}>: Relay access denied")
AUTH_REQ = Reply(530, "5.7.0", "5.7.0 Authentication required")
AUTH_OK = Reply(235, "2.7.0", "2.7.0 Authentication successful")
TLS = TlsInfo(
    version="TLSv1.3",
    cipher="TLS_AES_256_GCM_SHA384",
    subject="CN=mail.example-isp.net",
    san=("mail.example-isp.net",),
    issuer="CN=R11,O=Let's Encrypt,C=US",
    not_before="2026-10-01T00:00:00+00:00",
    not_after="2026-12-30T00:00:00+00:00",
    days_left=32,
    verified=True,
    hostname_match=True,
    verify_error=None,
    insecure=False,
)


def _x(stage: Stage, command: str | None, reply: Reply | None, ms: float) -> Exchange:
    return Exchange(stage, command, reply, ms)


def _opening(tls: TlsMode) -> list[Exchange]:
    steps = [_x(Stage.CONNECT, None, None, 21.0)]
    if tls is TlsMode.IMPLICIT:
        steps.append(_x(Stage.TLS_HANDSHAKE, None, None, 38.0))
    steps += [
        _x(Stage.BANNER, None, BANNER, 24.0),
        _x(Stage.EHLO, "EHLO anna-laptop.home.example", EHLO_PLAIN, 20.0),
    ]
    if tls is TlsMode.STARTTLS:
        steps += [
            _x(Stage.STARTTLS, "STARTTLS", Reply(220, "2.0.0", "2.0.0 Ready to start TLS"), 19.0),
            _x(Stage.TLS_HANDSHAKE, None, None, 41.0),
            _x(Stage.EHLO, "EHLO anna-laptop.home.example", EHLO_TLS, 20.0),
        ]
    elif tls is TlsMode.IMPLICIT:
        steps[-1] = _x(Stage.EHLO, "EHLO anna-laptop.home.example", EHLO_TLS, 20.0)
    return steps


def _attempt(tls: TlsMode, auth: bool, other: Reply, *, mail: Reply = OK_MAIL) -> Attempt:
    """One attempt that got as far as RCPT (or was stopped at MAIL by `mail`)."""
    steps = _opening(tls)
    if auth:
        steps.append(_x(Stage.AUTH, "AUTH PLAIN ****", AUTH_OK, 30.0))
    steps.append(_x(Stage.MAIL, f"MAIL FROM:<{ADDRESS}>", mail, 20.0))
    if mail.code >= 400:
        outcome = Outcome.AUTH_REQUIRED if mail.code == 530 else Outcome.TEMPORARY_FAILURE
        return Attempt(
            tls,
            auth,
            outcome,
            Stage.MAIL,
            mail,
            transcript=tuple(steps),
            elapsed_ms=sum(s.elapsed_ms for s in steps),
        )
    steps += [
        _x(Stage.RCPT_SAME, f"RCPT TO:<{SAME}>", OK_RCPT, 22.0),
        _x(Stage.RSET, "RSET", Reply(250, "2.0.0", "2.0.0 Ok"), 18.0),
        _x(Stage.MAIL, f"MAIL FROM:<{ADDRESS}>", OK_MAIL, 20.0),
        _x(Stage.RCPT_OTHER, f"RCPT TO:<{OTHER}>", other, 23.0),
        _x(Stage.QUIT, "QUIT", Reply(221, "2.0.0", "2.0.0 Bye"), 17.0),
    ]
    accepted = other.code < 400
    outcome = Outcome.OK if accepted else Outcome.RELAY_DENIED
    return Attempt(
        tls,
        auth,
        outcome,
        Stage.RCPT_OTHER,
        other,
        same=RecipientResult(SAME, True, OK_RCPT),
        other=RecipientResult(OTHER, accepted, other),
        auth_mechanism="PLAIN" if auth else None,
        transcript=tuple(steps),
        elapsed_ms=sum(s.elapsed_ms for s in steps),
    )


def _unreachable(port: int, outcome: Outcome, ms: float, detail: str) -> PortResult:
    ex = Exchange(Stage.CONNECT, None, None, ms, error=detail)
    attempt = Attempt(
        TlsMode.IMPLICIT if port == 465 else TlsMode.NONE,
        False,
        outcome,
        Stage.CONNECT,
        None,
        detail=detail,
        elapsed_ms=ms,
        transcript=(ex,),
    )
    return PortResult(
        port,
        outcome,
        Stage.CONNECT,
        None,
        ms,
        detail=detail,
        implicit_tls=port == 465,
        attempts=(attempt,),
        transcript=(ex,),
    )


def _port(port: int, attempts: tuple[Attempt, ...], decisive: Attempt) -> PortResult:
    implicit = port == 465
    tls_seen = any(a.tls is not TlsMode.NONE for a in attempts)
    return PortResult(
        port,
        decisive.outcome,
        decisive.stage,
        decisive.reply,
        max(a.elapsed_ms for a in attempts) + 40.0,
        implicit_tls=implicit,
        banner=BANNER,
        esmtp=("PIPELINING", "SIZE", "STARTTLS", "8BITMIME"),
        starttls_offered=not implicit,
        auth_mechanisms_tls=("PLAIN", "LOGIN") if tls_seen else (),
        size_limit=20480000,
        tls=TLS if tls_seen else None,
        attempts=attempts,
        transcript=tuple(ex for a in attempts for ex in a.transcript),
    )


def _evidence(ports: tuple[PortResult, ...], credentials: bool) -> Evidence:
    return Evidence(
        target=Target(HOST, tuple(p.port for p in ports), ("192.0.2.25",)),
        mail_from=ADDRESS,
        rcpt_same=SAME,
        rcpt_other=OTHER,
        helo_name="anna-laptop.home.example",
        credentials_given=credentials,
        username=ADDRESS if credentials else None,
        insecure=False,
        source_address=None,
        ports=ports,
        started_at="2026-11-27T09:15:00+00:00",
        elapsed_ms=max(p.elapsed_ms for p in ports) + 12.0,
    )


def _submission(port: int, tls: TlsMode, credentials: bool, relay_ok_plain: bool) -> PortResult:
    """587 or 465: without login relay is refused; with login (when given) it works."""
    without = _attempt(
        tls,
        False,
        OK_RCPT if relay_ok_plain else RELAY,
        mail=OK_MAIL if relay_ok_plain else AUTH_REQ,
    )
    if not credentials:
        return _port(port, (without,), without)
    with_login = _attempt(tls, True, OK_RCPT)
    return _port(port, (without, with_login), with_login)


def _port25(relays: bool) -> PortResult:
    plain = _attempt(TlsMode.NONE, False, OK_RCPT if relays else RELAY)
    return _port(25, (plain,), plain)


@dataclass(frozen=True)
class Scenario:
    """A recorded probe and the situation it was made in."""

    name: str
    title: str
    evidence: Evidence
    situation: Situation
    password_given: bool


def all_good() -> Scenario:
    ports = (
        _submission(587, TlsMode.STARTTLS, True, False),
        _submission(465, TlsMode.IMPLICIT, True, False),
        _port25(relays=True),
        _unreachable(2525, Outcome.REFUSED, 20.0, "connection refused"),
    )
    situation = Situation(Location.HOME, AccountType.ISP, RecipientDomain.OTHER)
    return Scenario("all_good", "all good", _evidence(ports, True), situation, True)


def relay_denied() -> Scenario:
    ports = (
        _submission(587, TlsMode.STARTTLS, False, False),
        _submission(465, TlsMode.IMPLICIT, False, False),
        _port25(relays=False),
        _unreachable(2525, Outcome.REFUSED, 20.0, "connection refused"),
    )
    situation = Situation(Location.WORK, AccountType.ISP, RecipientDomain.OTHER, "0x800CCC79")
    return Scenario("relay_denied", "relay denied", _evidence(ports, False), situation, False)


def port25_blocked() -> Scenario:
    blocked = "no answer within 10 s (the network drops connections to this port)"
    ports = (
        _submission(587, TlsMode.STARTTLS, True, False),
        _submission(465, TlsMode.IMPLICIT, True, False),
        _unreachable(25, Outcome.FILTERED, 10000.0, blocked),
        _unreachable(2525, Outcome.FILTERED, 10000.0, blocked),
    )
    situation = Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER, "0x800CCC0E")
    return Scenario("port25_blocked", "port 25 blocked", _evidence(ports, True), situation, True)


SCENARIOS = {s.name: s for s in (all_good(), relay_denied(), port25_blocked())}


class RecordedCore(CoreFacade):
    """The facade with the probe replaced by a recorded one; judgement stays the core's own.

    `hold_after` stops the replay after that many events (the probe then stays
    "running" until cancelled), to photograph or test a probe in flight.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        hold_after: int | None = None,
        suggestion: ServerSuggestion | None = None,
        without_keyring: bool = False,
    ) -> None:
        self.scenario = scenario
        self.hold_after = hold_after
        self.suggestion = suggestion
        self.without_keyring = without_keyring  # pictures must not depend on the machine
        self.held = threading.Event()  # set once a held replay has stopped
        self.released = threading.Event()  # set once a held replay was cancelled
        self.requests: list[ProbeRequest] = []
        self.situations: list[Situation] = []

    def has_discovery(self) -> bool:
        return self.suggestion is not None

    async def discover(self, address: str) -> ServerSuggestion | None:
        return self.suggestion

    def keyring_backend(self) -> str | None:
        return None if self.without_keyring else super().keyring_backend()

    def stored_password(self, username: str) -> str | None:
        return None if self.without_keyring else super().stored_password(username)

    def save_password(self, username: str, password: str) -> str | None:
        if self.without_keyring:
            return "no system keyring is available on this machine"
        return super().save_password(username, password)

    async def check_domain(self, domain: str) -> str:
        """A recorded result (no DNS), rendered by the core as a live one would be."""
        from relaywiz.core.checks.render import render_text
        from relaywiz.tui.recorded_check import recorded_check_report

        return str(render_text(recorded_check_report(domain)))

    def clock(self) -> float:
        """A replay takes no wall time: its running time reads the same on every machine."""
        return 0.0

    async def probe(self, request: ProbeRequest, listener: ProbeListener | None) -> Evidence:
        self.requests.append(request)
        evidence = self.scenario.evidence
        events: list[object] = [PortStarted(p.port) for p in evidence.ports]
        for result in evidence.ports:
            for attempt in result.attempts:
                events += [StageEvent(result.port, ex) for ex in attempt.transcript]
                events.append(AttemptEvent(result.port, attempt))
            events.append(PortEvent(result.port, result))
        for i, event in enumerate(events):
            if self.hold_after is not None and i >= self.hold_after:
                self.held.set()
                try:
                    await asyncio.Event().wait()  # held "in flight" until cancelled
                finally:
                    self.released.set()
            if listener is not None:
                listener(event)  # type: ignore[arg-type]
            await asyncio.sleep(0)
        return evidence

    def diagnose(self, evidence: Evidence, situation: Situation) -> object:  # type: ignore[override]
        self.situations.append(situation)
        return super().diagnose(evidence, situation)
