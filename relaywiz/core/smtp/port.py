"""Probe one port: every attempt a mail client could make there, stopping before DATA.

Attempts share a connection where the protocol allows (plain, then STARTTLS on
the same session, then AUTH), and reconnect when the server drops the session
or the next attempt needs a state this connection cannot reach (e.g. not
authenticated after AUTH). A failure to connect, greet or EHLO ends the port.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace

from relaywiz.core.model import (
    Attempt,
    Exchange,
    Outcome,
    RecipientResult,
    Reply,
    Stage,
    TlsInfo,
    TlsMode,
)
from relaywiz.core.smtp.choose import client_attempt, port_result
from relaywiz.core.smtp.classify import classify
from relaywiz.core.smtp.request import (
    AttemptEvent,
    ProbeListener,
    ProbeRequest,
    StageEvent,
)
from relaywiz.core.smtp.session import AttemptStop, Connection, TlsVerifyFailed

__all__ = ["PortProber", "PortState", "client_attempt", "port_result", "run_bounded"]


@dataclass
class PortState:
    """What a port's probe has learnt so far (mutable while the port is probed)."""

    port: int
    implicit: bool
    transcript: list[Exchange] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    banner: Reply | None = None
    esmtp: tuple[str, ...] = ()
    starttls_offered: bool = False
    auth_plain: tuple[str, ...] = ()
    auth_tls: tuple[str, ...] = ()
    size_limit: int | None = None
    tls: TlsInfo | None = None
    verify_failed: str | None = None  # the certificate failed verification (message)
    greeted: bool = False


class PortProber:
    """Runs the attempts for one port (on the first of the host's addresses that answers)."""

    def __init__(
        self,
        request: ProbeRequest,
        addresses: tuple[str, ...],
        port: int,
        listener: ProbeListener | None,
    ) -> None:
        self.req = request
        self.addresses = addresses
        self.address = addresses[0]
        self.state = PortState(port=port, implicit=port in request.implicit_tls_ports)
        self.listener = listener
        self.conn: Connection | None = None
        self.wall_ms = 0.0  # time spent inside run_bounded, budget overruns included
        self.helo_name: str | None = request.helo_name
        self._attempt_log: list[Exchange] = []
        self.current: tuple[TlsMode, bool, bool] = (
            TlsMode.IMPLICIT if self.state.implicit else TlsMode.NONE,
            False,
            False,
        )

    # -- recording -------------------------------------------------------------------
    def _record(self, exchange: Exchange) -> None:
        self.state.transcript.append(exchange)
        self._attempt_log.append(exchange)
        if self.listener is not None:
            self.listener(StageEvent(self.state.port, exchange))

    def last_stage(self) -> Stage:
        """The stage the port was at most recently (for a budget that ran out)."""
        return self.state.transcript[-1].stage if self.state.transcript else Stage.CONNECT

    def _finish(self, attempt: Attempt) -> Attempt:
        attempt = replace(attempt, transcript=tuple(self._attempt_log))
        self._attempt_log = []
        self.state.attempts.append(attempt)
        if self.listener is not None:
            self.listener(AttemptEvent(self.state.port, attempt))
        return attempt

    # -- connections -----------------------------------------------------------------
    def _new_connection(self, verify: bool) -> Connection:
        return Connection(
            self.req.host,
            self.address,
            self.state.port,
            timeouts=self.req.timeouts,
            record=self._record,
            cafile=self.req.cafile,
            verify=verify,
            insecure=self.req.insecure,
            source=self.req.source_address,
            helo_name=self.helo_name,
            secret=self.req.credentials.password if self.req.credentials else None,
        )

    async def _open(self, want: TlsMode) -> Connection:
        """A greeted connection that has said EHLO, in TLS mode `want` (not authenticated)."""
        if self.conn is not None:
            await self.conn.quit()
            self.conn = None
        if want is TlsMode.IMPLICIT:
            self._refuse_unverified(Stage.TLS_HANDSHAKE)
        verify = self.state.verify_failed is None
        conn = self._new_connection(verify)
        self.conn = conn
        try:
            banner = await conn.open(implicit=want is TlsMode.IMPLICIT)
        except TlsVerifyFailed as failed:
            return await self._after_verify_failure(failed, want)
        self.helo_name = conn.helo_name
        if self.state.banner is None:
            self.state.banner = banner
            self.state.greeted = True
        await conn.ehlo()
        self._learn(conn)
        if want is TlsMode.STARTTLS:
            await self._starttls(conn)
        return conn

    async def _starttls(self, conn: Connection) -> None:
        if "starttls" not in conn.extensions:
            raise AttemptStop(
                Outcome.STARTTLS_UNAVAILABLE,
                Stage.STARTTLS,
                None,
                "the server does not offer STARTTLS",
            )
        self._refuse_unverified(Stage.STARTTLS)
        try:
            await conn.starttls()
        except TlsVerifyFailed as failed:
            await self._after_verify_failure(failed, TlsMode.STARTTLS)
            return
        await conn.ehlo()
        self._learn(conn)

    def _refuse_unverified(self, stage: Stage) -> None:
        """Once the certificate failed verification, no later attempt may go on over TLS
        (and so send a password) unless the user said --insecure."""
        if self.state.verify_failed is not None and not self.req.insecure:
            raise AttemptStop(Outcome.TLS_ERROR, stage, None, self.state.verify_failed)

    async def _rset(self, conn: Connection) -> None:
        """RSET between recipients; a server that hung up instead is reconnected later."""
        if conn.alive:
            # on failure the connection is closed; the caller reconnects if it needs to
            with contextlib.suppress(AttemptStop):
                await conn.command(Stage.RSET, "RSET")

    async def _after_verify_failure(self, failed: TlsVerifyFailed, want: TlsMode) -> Connection:
        """Read the bad certificate's facts over an unverified session; go on only if insecure."""
        self.state.verify_failed = failed.detail
        conn = self._new_connection(verify=False)
        self.conn = conn
        try:
            await conn.open(implicit=want is TlsMode.IMPLICIT)
            if want is TlsMode.STARTTLS:
                await conn.ehlo()
                self._learn(conn)
                await conn.starttls()
            await conn.ehlo()
            self._learn(conn)
        except AttemptStop:
            raise failed from None
        if conn.tls is not None:
            self.state.tls = replace(
                conn.tls,
                verified=False,
                verify_error=failed.detail,
                hostname_match=failed.hostname_match
                if failed.hostname_match is not None
                else conn.tls.hostname_match,
                insecure=self.req.insecure,
            )
        if not self.req.insecure:
            await conn.quit()
            self.conn = None
            raise failed
        return conn

    def _learn(self, conn: Connection) -> None:
        s = self.state
        if conn.mode is TlsMode.NONE:
            s.esmtp = tuple(sorted(conn.extensions))
            s.starttls_offered = "starttls" in conn.extensions
            s.auth_plain = conn.auth_mechanisms
        else:
            s.auth_tls = conn.auth_mechanisms
            if not s.esmtp:
                s.esmtp = tuple(sorted(conn.extensions))
            if conn.tls is not None and s.verify_failed is None:
                s.tls = conn.tls
        size = conn.extensions.get("size", "")
        if size.strip().isdigit():
            s.size_limit = int(size.strip())

    async def _ready(self, mode: TlsMode, auth: bool) -> Connection:
        """A connection in `mode`, authenticated if `auth`, reusing the current one if it can."""
        c = self.conn
        reusable = (
            c is not None
            and c.alive
            and not c.authed
            and (c.mode is mode or (c.mode is TlsMode.NONE and mode is TlsMode.STARTTLS))
        )
        if reusable and c is not None:
            if mode is TlsMode.STARTTLS and c.mode is TlsMode.NONE:
                await self._starttls(c)
                c = self.conn
            conn = c
        else:
            conn = await self._open(mode)
        assert conn is not None
        if auth and self.req.credentials is not None:
            await conn.authenticate(self.req.credentials)
        return conn

    # -- one attempt -----------------------------------------------------------------
    async def attempt(self, mode: TlsMode, auth: bool, pop: bool = False) -> Attempt:
        start = time.monotonic()
        mechanism: str | None = None
        same: RecipientResult | None = None
        other: RecipientResult | None = None

        def done(outcome: Outcome, stage: Stage, reply: Reply | None, detail: str) -> Attempt:
            return self._finish(
                Attempt(
                    tls=mode,
                    auth=auth,
                    outcome=outcome,
                    stage=stage,
                    reply=reply,
                    same=same,
                    other=other,
                    pop_before_smtp=pop,
                    auth_mechanism=mechanism,
                    detail=detail,
                    elapsed_ms=round((time.monotonic() - start) * 1000, 1),
                )
            )

        try:
            self.current = (mode, auth, pop)
            conn = await self._ready(mode, auth)
            if auth and conn.authed:
                mechanism = _last_auth(self.state.transcript)
            mail = await self._mail(conn)
            if mail is not None:
                return done(*mail)
            reply = await conn.command(
                Stage.RCPT_SAME, f"RCPT TO:<{self.req.same_domain_recipient}>"
            )
            same = RecipientResult(self.req.same_domain_recipient, 200 <= reply.code < 300, reply)
            await self._rset(conn)
            if not conn.alive:  # dropped after a refusal: reconnect into the same state
                conn = await self._open(mode)
                if auth and self.req.credentials is not None:
                    await conn.authenticate(self.req.credentials)
            mail = await self._mail(conn)
            if mail is not None:
                return done(*mail)
            reply = await conn.command(Stage.RCPT_OTHER, f"RCPT TO:<{self.req.rcpt_other}>")
            other = RecipientResult(self.req.rcpt_other, 200 <= reply.code < 300, reply)
            await self._rset(conn)
            verdict = classify(Stage.RCPT_OTHER, reply)
            return done(verdict.outcome, Stage.RCPT_OTHER, reply, verdict.reason)
        except AttemptStop as stop:
            return done(stop.outcome, stop.stage, stop.reply, stop.detail)

    async def _mail(self, conn: Connection) -> tuple[Outcome, Stage, Reply, str] | None:
        reply = await conn.command(Stage.MAIL, f"MAIL FROM:<{self.req.mail_from}>")
        if 200 <= reply.code < 300:
            return None
        verdict = classify(Stage.MAIL, reply)
        return verdict.outcome, Stage.MAIL, reply, verdict.reason

    # -- the port --------------------------------------------------------------------
    def modes(self) -> list[tuple[TlsMode, bool]]:
        """The (TLS mode, AUTH) attempts worth making, given what EHLO offered."""
        creds = self.req.credentials is not None
        if self.state.implicit:
            return [(TlsMode.IMPLICIT, False)] + ([(TlsMode.IMPLICIT, True)] if creds else [])
        plan = [(TlsMode.NONE, False)]
        if self.state.starttls_offered:
            plan.append((TlsMode.STARTTLS, False))
            if creds:
                plan.append((TlsMode.STARTTLS, True))
        elif creds:
            plan.append((TlsMode.NONE, True))  # the only way there is: AUTH in clear text
        return plan

    async def _open_any(self, mode: TlsMode) -> None:
        """Open the first connection, trying the host's next address when one refuses."""
        for i, address in enumerate(self.addresses):
            self.address = address
            try:
                await self._open(mode)
                return
            except AttemptStop as stop:
                last = i == len(self.addresses) - 1
                if last or stop.outcome is not Outcome.REFUSED:
                    raise

    async def run(self) -> None:
        """Make every attempt; connection-level failures end the port after the first."""
        first_mode = TlsMode.IMPLICIT if self.state.implicit else TlsMode.NONE
        try:
            await self._open_any(first_mode)
        except AttemptStop as stop:
            self._finish(
                Attempt(
                    tls=first_mode,
                    auth=False,
                    outcome=stop.outcome,
                    stage=stop.stage,
                    reply=stop.reply,
                    detail=stop.detail,
                )
            )
            return
        for mode, auth in self.modes():
            attempt = await self.attempt(mode, auth)
            if attempt.outcome is Outcome.TIMEOUT:
                break
        if self.conn is not None:
            await self.conn.quit()
            self.conn = None


def _last_auth(transcript: list[Exchange]) -> str | None:
    for ex in reversed(transcript):
        if ex.stage is Stage.AUTH and ex.command:
            return ex.command.split()[1]
    return None


async def run_bounded(prober: PortProber, work: Awaitable[object], budget: float) -> None:
    """Run `work` for `prober` within `budget` seconds; on expiry record a timeout attempt."""
    start = time.monotonic()
    try:
        async with asyncio.timeout(budget):
            await work
    except TimeoutError:
        if prober.conn is not None:
            prober.conn.close()
            prober.conn = None
        mode, auth, pop = prober.current
        prober._finish(
            Attempt(
                tls=mode,
                auth=auth,
                pop_before_smtp=pop,
                outcome=Outcome.TIMEOUT,
                stage=prober.last_stage(),
                reply=None,
                detail=f"the port took longer than {budget:g} s in all",
            )
        )
    finally:
        prober.wall_ms += (time.monotonic() - start) * 1000
