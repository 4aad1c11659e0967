"""One SMTP connection, driven through aiosmtplib, recording every exchange.

The probe needs more than a mail library gives a sender: the exact reply at each
stage, the time it took, where a failure happened (connect, TLS handshake,
banner), and a transcript with AUTH payloads redacted. This wrapper turns each
aiosmtplib result or exception into an `Exchange`, and each failure into an
`AttemptStop` that carries the outcome, stage and reply. It never judges a reply
itself: `classify` does.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import ssl
import time
from collections.abc import Callable

import aiosmtplib
from aiosmtplib import errors as smtp_errors

from relaywiz.core.model import Exchange, Outcome, Reply, Stage, TlsInfo, TlsMode
from relaywiz.core.smtp.classify import classify, parse_reply, printable
from relaywiz.core.smtp.net import ConnectFailed, default_helo_name, open_socket
from relaywiz.core.smtp.request import Credentials, Timeouts
from relaywiz.core.smtp.tlsinfo import describe_verify_error, make_context, tls_facts

Recorder = Callable[[Exchange], None]

SUPPORTED_AUTH = ("PLAIN", "LOGIN", "CRAM-MD5")


class AttemptStop(Exception):
    """An attempt ended early: the outcome, the stage it was decided at, the reply if any."""

    def __init__(
        self, outcome: Outcome, stage: Stage, reply: Reply | None = None, detail: str = ""
    ) -> None:
        super().__init__(f"{outcome.value} at {stage.value}: {detail}")
        self.outcome = outcome
        self.stage = stage
        self.reply = reply
        self.detail = detail


class TlsVerifyFailed(AttemptStop):
    """The server's certificate did not verify; `facts_error` says why."""

    def __init__(self, stage: Stage, message: str, hostname_match: bool | None) -> None:
        super().__init__(Outcome.TLS_ERROR, stage, None, message)
        self.hostname_match = hostname_match


def secret_forms(secret: str | None) -> tuple[str, ...]:
    """The password as a server could echo it back: plain and base64 (alone or in PLAIN)."""
    if not secret:
        return ()
    raw = secret.encode()
    forms = {secret, base64.b64encode(raw).decode(), base64.b64encode(raw).decode().rstrip("=")}
    return tuple(sorted(forms, key=len, reverse=True))


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


def _reset_in_handshake(exc: BaseException) -> bool:
    """The transport itself failed (reset, broken pipe) rather than SMTP saying goodbye."""
    cause = exc.__cause__
    return isinstance(cause, OSError) and not isinstance(cause, smtp_errors.SMTPException)


def _tls_cause(exc: BaseException) -> BaseException | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class Connection:
    """A live SMTP session on one port, in one TLS mode, authenticated or not."""

    def __init__(
        self,
        host: str,
        address: str,
        port: int,
        *,
        timeouts: Timeouts,
        record: Recorder,
        cafile: str | None,
        verify: bool,
        insecure: bool,
        source: str | None,
        helo_name: str | None,
        secret: str | None = None,
    ) -> None:
        self.secrets = secret_forms(secret)
        self.host = host
        self.address = address
        self.port = port
        self.timeouts = timeouts
        self.record = record
        self.cafile = cafile
        self.verify = verify
        self.insecure = insecure
        self.source = source
        self.helo_name = helo_name
        self.mode = TlsMode.NONE
        self.authed = False
        self.smtp: aiosmtplib.SMTP | None = None
        self.tls: TlsInfo | None = None
        self.extensions: dict[str, str] = {}
        self.auth_mechanisms: tuple[str, ...] = ()

    @property
    def alive(self) -> bool:
        return self.smtp is not None and self.smtp.is_connected

    def _context(self) -> ssl.SSLContext:
        return make_context(self.cafile, self.verify)

    def scrub(self, text: str) -> str:
        """`text` with every form of the password replaced by ****, made printable."""
        for form in self.secrets:
            text = text.replace(form, "****")
        return printable(text)

    def _parse(self, code: int, message: str) -> Reply:
        return parse_reply(code, self.scrub(message))

    def _note(
        self,
        stage: Stage,
        command: str | None,
        reply: Reply | None,
        start: float,
        error: str | None = None,
    ) -> None:
        self.record(Exchange(stage, command, reply, _ms(start), error))

    async def open(self, implicit: bool) -> Reply:
        """Connect, (implicit TLS,) read the banner; AttemptStop on any failure."""
        start = time.monotonic()
        sock = await self._connect(start)
        local_ip = sock.getsockname()[0]
        if not self.helo_name:
            self.helo_name = default_helo_name(local_ip)
        self.smtp = aiosmtplib.SMTP(
            sock=sock,
            hostname=self.host,
            use_tls=implicit,
            tls_context=self._context() if implicit else None,
            start_tls=False,
            timeout=self.timeouts.command,
            local_hostname=self.helo_name,
        )
        start = time.monotonic()
        stage = Stage.TLS_HANDSHAKE if implicit else Stage.BANNER
        try:
            response = await self.smtp.connect(timeout=self.timeouts.banner)
        except smtp_errors.SMTPConnectResponseError as exc:
            reply = self._parse(exc.code, exc.message)
            self._note(Stage.BANNER, None, reply, start)
            verdict = classify(Stage.BANNER, reply)
            self.close()
            raise AttemptStop(verdict.outcome, Stage.BANNER, reply, verdict.reason) from None
        except smtp_errors.SMTPConnectTimeoutError as exc:
            self.close()
            if implicit and "ready message" not in str(exc):
                self._note(stage, None, None, start, "TLS handshake timed out")
                raise AttemptStop(
                    Outcome.TIMEOUT, stage, None, "the TLS handshake did not finish"
                ) from None
            self._note(Stage.BANNER, None, None, start, "no greeting")
            raise AttemptStop(
                Outcome.NO_BANNER,
                Stage.BANNER,
                None,
                f"connected, but the server sent no greeting within {self.timeouts.banner:g} s",
            ) from None
        except (smtp_errors.SMTPException, OSError) as exc:
            self.close()
            cause = _tls_cause(exc)
            if cause is not None:
                message, match = describe_verify_error(cause)
                self._note(stage, None, None, start, message)
                if isinstance(cause, ssl.SSLCertVerificationError):
                    raise TlsVerifyFailed(stage, message, match) from None
                if (
                    "wrong version number" in str(cause).lower()
                    or "record layer" in str(cause).lower()
                ):
                    message = "the server does not speak TLS on this port (plain text?)"
                raise AttemptStop(Outcome.TLS_ERROR, stage, None, message) from None
            if isinstance(exc, smtp_errors.SMTPResponseException):
                bad = self._server_reply(exc)
                self._note(Stage.BANNER, None, bad, start, "invalid greeting")
                raise AttemptStop(
                    Outcome.PROTOCOL_ERROR,
                    Stage.BANNER,
                    bad,
                    f"the server's greeting was not valid SMTP ({self.scrub(exc.message[:120])})",
                ) from None
            if implicit and _reset_in_handshake(exc):
                message = "the server closed the connection during the TLS handshake"
                self._note(stage, None, None, start, message)
                raise AttemptStop(Outcome.TLS_ERROR, stage, None, message) from None
            self._note(Stage.BANNER, None, None, start, "closed before greeting")
            raise AttemptStop(
                Outcome.NO_BANNER,
                Stage.BANNER,
                None,
                "the server closed the connection without a greeting",
            ) from None
        reply = self._parse(response.code, response.message)
        if implicit:
            self.mode = TlsMode.IMPLICIT
            self.tls = self._read_tls()
        self._note(Stage.BANNER, None, reply, start)
        return reply

    async def _connect(self, start: float) -> socket.socket:
        try:
            sock = await open_socket(self.address, self.port, self.source, self.timeouts.connect)
        except ConnectFailed as failed:
            self._note(Stage.CONNECT, None, None, start, failed.detail)
            raise AttemptStop(failed.outcome, Stage.CONNECT, None, failed.detail) from None
        self._note(Stage.CONNECT, None, None, start)
        return sock

    def _read_tls(self) -> TlsInfo:
        assert self.smtp is not None
        obj = self.smtp.get_transport_info("ssl_object")
        return tls_facts(
            obj,
            self.host,
            verified=self.verify,
            verify_error=None,
            insecure=self.insecure and not self.verify,
        )

    async def ehlo(self) -> Reply:
        """EHLO, falling back to HELO; records extensions and AUTH mechanisms."""
        assert self.smtp is not None
        start = time.monotonic()
        try:
            response = await self.smtp.ehlo()
        except smtp_errors.SMTPHeloError as exc:
            reply = self._parse(exc.code, exc.message)
            self._note(Stage.EHLO, f"EHLO {self.helo_name}", reply, start)
            start = time.monotonic()
            try:
                response = await self.smtp.helo()
            except smtp_errors.SMTPHeloError as exc2:
                reply = self._parse(exc2.code, exc2.message)
                self._note(Stage.EHLO, f"HELO {self.helo_name}", reply, start)
                verdict = classify(Stage.EHLO, reply)
                raise AttemptStop(verdict.outcome, Stage.EHLO, reply, verdict.reason) from None
            except Exception as exc2:
                raise self._broken(Stage.EHLO, exc2, start) from None
            self.extensions = {}
            self.auth_mechanisms = ()
            reply = self._parse(response.code, response.message)
            self._note(Stage.EHLO, f"HELO {self.helo_name}", reply, start)
            return reply
        except Exception as exc:
            raise self._broken(Stage.EHLO, exc, start) from None
        reply = self._parse(response.code, response.message)
        self._note(Stage.EHLO, f"EHLO {self.helo_name}", reply, start)
        self.extensions = {
            printable(k): printable(v) for k, v in self.smtp.esmtp_extensions.items()
        }
        self.auth_mechanisms = tuple(printable(m.upper()) for m in self.smtp.server_auth_methods)
        return reply

    async def starttls(self) -> None:
        """STARTTLS and the TLS handshake; AttemptStop (tls_error) on failure."""
        assert self.smtp is not None
        start = time.monotonic()
        try:
            response = await self.smtp.starttls(
                tls_context=self._context(), timeout=self.timeouts.command
            )
        except smtp_errors.SMTPResponseException as exc:
            reply = self._parse(exc.code, exc.message)
            self._note(Stage.STARTTLS, "STARTTLS", reply, start)
            verdict = classify(Stage.STARTTLS, reply)
            raise AttemptStop(verdict.outcome, Stage.STARTTLS, reply, verdict.reason) from None
        except Exception as exc:
            cause = _tls_cause(exc)
            if cause is not None:
                self.close()
                message, match = describe_verify_error(cause)
                self._note(Stage.STARTTLS, "STARTTLS", None, start, message)
                if isinstance(cause, ssl.SSLCertVerificationError):
                    raise TlsVerifyFailed(Stage.STARTTLS, message, match) from None
                raise AttemptStop(Outcome.TLS_ERROR, Stage.STARTTLS, None, message) from None
            if _reset_in_handshake(exc):
                self.close()
                message = "the server closed the connection during the TLS handshake"
                self._note(Stage.STARTTLS, "STARTTLS", None, start, message)
                raise AttemptStop(Outcome.TLS_ERROR, Stage.STARTTLS, None, message) from None
            raise self._broken(Stage.STARTTLS, exc, start) from None
        self._note(Stage.STARTTLS, "STARTTLS", self._parse(response.code, response.message), start)
        self.mode = TlsMode.STARTTLS
        self.tls = self._read_tls()

    async def authenticate(self, credentials: Credentials) -> str:
        """AUTH with the best mechanism both sides know; returns it. AttemptStop on refusal."""
        assert self.smtp is not None
        offered = self.auth_mechanisms
        usable = [m for m in SUPPORTED_AUTH if m in offered]
        if self.mode is TlsMode.NONE and "CRAM-MD5" in usable:
            usable.remove("CRAM-MD5")
            usable.insert(0, "CRAM-MD5")
        if not usable:
            if offered:
                detail = "the server offers only " + ", ".join(offered)
                raise AttemptStop(Outcome.AUTH_UNAVAILABLE, Stage.AUTH, None, detail)
            raise AttemptStop(
                Outcome.AUTH_UNAVAILABLE, Stage.AUTH, None, "the server offers no AUTH here"
            )
        mechanism = usable[0]
        start = time.monotonic()
        method = {
            "PLAIN": self.smtp.auth_plain,
            "LOGIN": self.smtp.auth_login,
            "CRAM-MD5": self.smtp.auth_crammd5,
        }[mechanism]
        command = f"AUTH {mechanism} ****"
        try:
            response = await method(credentials.username, credentials.password)
        except smtp_errors.SMTPResponseException as exc:
            reply = self._parse(exc.code, exc.message)
            self._note(Stage.AUTH, command, reply, start)
            verdict = classify(Stage.AUTH, reply)
            raise AttemptStop(verdict.outcome, Stage.AUTH, reply, verdict.reason) from None
        except Exception as exc:
            raise self._broken(Stage.AUTH, exc, start) from None
        self._note(Stage.AUTH, command, self._parse(response.code, response.message), start)
        self.authed = True
        return mechanism

    async def command(self, stage: Stage, text: str) -> Reply:
        """Send one plain command line and return the reply (any code); AttemptStop if broken."""
        assert self.smtp is not None
        start = time.monotonic()
        verb, _, rest = text.partition(" ")
        args = [verb.encode()] + ([rest.encode("utf-8")] if rest else [])
        try:
            response = await self.smtp.execute_command(*args, timeout=self.timeouts.command)
        except Exception as exc:
            raise self._broken(stage, exc, start, text) from None
        reply = self._parse(response.code, response.message)
        self._note(stage, text, reply, start)
        return reply

    def _broken(
        self, stage: Stage, exc: BaseException, start: float, command: str | None = None
    ) -> AttemptStop:
        """The AttemptStop for a connection that timed out, closed or spoke nonsense."""
        self.close()
        if isinstance(exc, TimeoutError | smtp_errors.SMTPTimeoutError):
            self._note(stage, command, None, start, "timed out")
            return AttemptStop(
                Outcome.TIMEOUT, stage, None, f"the server stopped answering at {stage.value}"
            )
        if isinstance(exc, smtp_errors.SMTPResponseException):
            reply = self._server_reply(exc)
            self._note(stage, command, reply, start, "invalid reply")
            return AttemptStop(
                Outcome.PROTOCOL_ERROR,
                stage,
                reply,
                f"the server's reply was not valid SMTP ({self.scrub(exc.message[:120])})",
            )
        self._note(stage, command, None, start, "connection closed")
        return AttemptStop(
            Outcome.PROTOCOL_ERROR,
            stage,
            None,
            f"the server closed the connection at {stage.value}",
        )

    def _server_reply(self, exc: smtp_errors.SMTPResponseException) -> Reply | None:
        """The reply in a response exception, or None when aiosmtplib made it up (code < 100:
        the server's bytes were too long or not SMTP at all)."""
        if exc.code < 100:
            return None
        return self._parse(exc.code, exc.message[:500])

    async def quit(self) -> None:
        """QUIT politely, ignoring whatever happens; always closes."""
        if self.alive:
            with contextlib.suppress(AttemptStop):
                await self.command(Stage.QUIT, "QUIT")
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(Exception):
                self.smtp.close()
