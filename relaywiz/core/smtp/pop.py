"""POP-before-SMTP: log in to the POP3 server so an SMTP server that trusts recent
POP3 logins lets this address relay (Outlook's "Log on to incoming mail server
before sending mail").

poplib is synchronous; it runs in a thread. The login binds the same source
address as the SMTP probe, since the server trusts the address, not the user.
"""

from __future__ import annotations

import asyncio
import poplib
import socket
import ssl
import time

from relaywiz.core.model import PopResult, TlsMode
from relaywiz.core.smtp.request import Credentials
from relaywiz.core.smtp.tlsinfo import make_context


class _BoundPOP3(poplib.POP3):
    source: str | None = None

    def _create_socket(self, timeout: float) -> socket.socket:
        src = (self.source, 0) if self.source else None
        return socket.create_connection((self.host, self.port), timeout, source_address=src)


class _BoundPOP3SSL(poplib.POP3_SSL):
    source: str | None = None

    def _create_socket(self, timeout: float) -> socket.socket:
        src = (self.source, 0) if self.source else None
        sock = socket.create_connection((self.host, self.port), timeout, source_address=src)
        context: ssl.SSLContext = self.context  # type: ignore[attr-defined]
        return context.wrap_socket(sock, server_hostname=self.host)


def _login(
    host: str,
    port: int | None,
    creds: Credentials,
    source: str | None,
    cafile: str | None,
    verify: bool,
    timeout: float,
) -> PopResult:
    start = time.monotonic()
    ctx = make_context(cafile, verify)
    tried: list[str] = []
    ports = [port] if port else [995, 110]
    for p in ports:
        try:
            if p == 995:
                _BoundPOP3SSL.source = source
                box: poplib.POP3 = _BoundPOP3SSL(host, p, timeout=timeout, context=ctx)
                mode = TlsMode.IMPLICIT
            else:
                _BoundPOP3.source = source
                box = _BoundPOP3(host, p, timeout=timeout)
                mode = TlsMode.NONE
                try:
                    caps = box.capa()
                except poplib.error_proto:
                    caps = {}
                if "STLS" in caps:
                    box.stls(context=ctx)
                    mode = TlsMode.STARTTLS
            try:
                box.user(creds.username)
                box.pass_(creds.password)
            except poplib.error_proto as exc:
                text = exc.args[0].decode("utf-8", "replace") if exc.args else "refused"
                box.quit()
                return PopResult(
                    host,
                    p,
                    mode,
                    False,
                    f"POP3 login refused: {text[:200]}",
                    round((time.monotonic() - start) * 1000, 1),
                )
            box.quit()
            return PopResult(
                host, p, mode, True, "logged in", round((time.monotonic() - start) * 1000, 1)
            )
        except (OSError, ssl.SSLError, poplib.error_proto) as exc:
            tried.append(f"port {p}: {type(exc).__name__}: {str(exc)[:120]}")
    return PopResult(
        host,
        ports[-1],
        TlsMode.NONE,
        False,
        "could not reach the POP3 server (" + "; ".join(tried) + ")",
        round((time.monotonic() - start) * 1000, 1),
    )


async def pop_login(
    host: str,
    port: int | None,
    creds: Credentials,
    source: str | None,
    cafile: str | None,
    verify: bool,
    timeout: float,
) -> PopResult:
    """Log in to POP3 (995 TLS, else 110 with STLS where offered); never raises."""
    return await asyncio.to_thread(_login, host, port, creds, source, cafile, verify, timeout)
