"""Which attempt speaks for a port: the one a client with the given credentials would
make. Pure, so the rule ("with AUTH when credentials were given, over TLS when
offered, after POP3 where there is no AUTH") is tested apart from the network."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relaywiz.core.model import Attempt, Outcome, PortResult, Stage, TlsMode

if TYPE_CHECKING:
    from relaywiz.core.smtp.port import PortProber


def client_attempt(attempts: tuple[Attempt, ...], credentials: bool) -> Attempt | None:
    """The attempt a client with (or without) credentials would make: over TLS when offered."""
    if not attempts:
        return None
    tls = [a for a in attempts if a.tls is not TlsMode.NONE]
    pool = tls or list(attempts)
    auth = next((a for a in pool if a.auth), None)
    pop = next((a for a in pool if a.pop_before_smtp), None)
    plain = next((a for a in pool if not a.auth and not a.pop_before_smtp), None)
    if credentials:
        if auth is not None and not (auth.outcome is Outcome.AUTH_UNAVAILABLE and pop is not None):
            return auth
        if pop is not None:
            return pop
    return plain or pool[0]


def port_result(prober: PortProber, elapsed_ms: float) -> PortResult:
    """The frozen result of a port from what its prober collected."""
    s = prober.state
    attempts = tuple(s.attempts)
    chosen = client_attempt(attempts, prober.req.credentials is not None)
    if chosen is None:
        chosen = Attempt(
            tls=TlsMode.NONE,
            auth=False,
            outcome=Outcome.TIMEOUT,
            stage=Stage.CONNECT,
            reply=None,
            detail="not probed",
        )
    return PortResult(
        port=s.port,
        outcome=chosen.outcome,
        stage=chosen.stage,
        reply=chosen.reply,
        elapsed_ms=elapsed_ms,
        detail=chosen.detail,
        implicit_tls=s.implicit,
        banner=s.banner,
        esmtp=s.esmtp,
        starttls_offered=s.starttls_offered,
        auth_mechanisms_plain=s.auth_plain,
        auth_mechanisms_tls=s.auth_tls,
        size_limit=s.size_limit,
        tls=s.tls,
        attempts=attempts,
        transcript=tuple(s.transcript),
    )
