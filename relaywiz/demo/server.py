"""The practice server behind `relaywiz --demo`: a small ISP on loopback.

It behaves the way a typical ISP's mail servers do, so a newcomer sees the
whole story with no account of their own:

- the "port 25" listener relays only for the ISP's own network (a second
  loopback address stands for it); from anywhere else, mail to other domains
  gets `554 5.7.1 ... Relay access denied`;
- the "port 587" listener wants STARTTLS first and then AUTH with the demo
  account, which is shown on screen (it is not a secret);
- the "port 465" port is absent (connection refused).

It binds only loopback addresses and unprivileged ports, speaks real TLS with a
throw-away CA, and throws away anything sent with DATA.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import socket
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from relaywiz.demo.certs import make_demo_tls


class _QuietInternals(logging.Filter):
    """aiosmtpd logs a warning about its own internals on every AUTH; not the user's business."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


_QUIET = _QuietInternals()

DEMO_HOST = "127.0.0.1"
DEMO_DOMAIN = "isp.test"  # .test is reserved (RFC 2606): no real domain is involved
DEMO_ADDRESS = "demo@isp.test"
DEMO_USERNAME = "demo@isp.test"
DEMO_PASSWORD = "practice-1234"  # shown on screen: the practice account is public
DEMO_RCPT_OTHER = "friend@elsewhere.test"
INSIDE_CANDIDATE = "127.0.0.2"  # plays the ISP's own network
# Preferred port for each standard port; a free one is chosen when taken.
PREFERRED = {587: 10587, 465: 10465, 25: 10025}


@dataclass(frozen=True)
class DemoInfo:
    """Where the practice server listens and the account it accepts.

    `stands_for` maps each real (high) port to the standard port it plays.
    `cafile` is the practice CA: a probe must trust it to check the certificate.
    `source_inside` is a local address the server treats as its own network
    (None where the system cannot bind a second loopback address).
    """

    host: str
    ports: tuple[int, ...]
    implicit_tls_ports: frozenset[int]
    mail_from: str
    username: str
    password: str
    rcpt_other: str
    source_inside: str | None
    cafile: str | None = None
    stands_for: tuple[tuple[int, int], ...] = ()

    def standard_port(self, port: int) -> int:
        """The standard port that `port` plays in the demo (itself if unknown)."""
        return dict(self.stands_for).get(port, port)


class _IspHandler:
    """Relay policy of a typical ISP: local domain always, others only for insiders or AUTH."""

    def __init__(self, inside: frozenset[str], domain: str, username: str) -> None:
        self.inside = inside
        self.domain = domain
        self.username = username

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        domain = address.rpartition("@")[2].lower()
        if session.authenticated and address and domain != self.domain:
            return (
                f"553 5.7.1 <{address}>: Sender address rejected: not owned by user {self.username}"
            )
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        domain = address.rpartition("@")[2].lower()
        peer = session.peer[0] if isinstance(session.peer, tuple) else ""
        if domain == self.domain or session.authenticated or peer in self.inside:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 Ok"
        return f"554 5.7.1 <{address}>: Relay access denied"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return "250 2.0.0 Ok: accepted and discarded by the practice server"


class _NoAuthHandler(_IspHandler):
    """The port-25 face: the same policy, and no AUTH in the EHLO answer (even after STARTTLS)."""

    async def handle_EHLO(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        hostname: str,
        responses: list[str],
    ) -> list[str]:
        session.host_name = hostname
        return [r for r in responses if not r[4:].upper().startswith("AUTH")]


class _Authenticator:
    def __init__(self, username: str, password: str) -> None:
        self._user = username.encode()
        self._password = password.encode()

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = hmac.compare_digest(data.login, self._user) and hmac.compare_digest(
            data.password, self._password
        )
        return AuthResult(success=ok, handled=False)


def _can_bind(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str, preferred: int) -> int:
    if _can_bind(host, preferred):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
    return port


async def _listen(host: str, preferred: int, factory: Any) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    for port in (preferred, 0):
        try:
            return await loop.create_server(factory, host=host, port=port, reuse_address=True)
        except OSError:
            if port == 0:
                raise
    raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def practice_server() -> AsyncIterator[DemoInfo]:
    """Run the practice ISP on loopback for the duration of the `async with` block."""
    loop = asyncio.get_running_loop()
    logger = logging.getLogger("mail.log")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)
    inside = INSIDE_CANDIDATE if _can_bind(INSIDE_CANDIDATE, 0) else None
    insiders = frozenset({inside} if inside else ())
    handler = _IspHandler(insiders, DEMO_DOMAIN, DEMO_USERNAME)
    relay_handler = _NoAuthHandler(insiders, DEMO_DOMAIN, DEMO_USERNAME)
    authenticator = _Authenticator(DEMO_USERNAME, DEMO_PASSWORD)
    sessions: list[SMTP] = []
    with tempfile.TemporaryDirectory(prefix="relaywiz-demo-") as tmp:
        tls = make_demo_tls(Path(tmp))
        context = tls.server_context()

        def submission() -> SMTP:
            smtp = SMTP(
                handler,
                hostname="mail.isp.test",
                ident="ESMTP practice server (relaywiz --demo)",
                tls_context=context,
                require_starttls=True,
                auth_required=True,
                auth_require_tls=True,
                authenticator=authenticator,
                timeout=60,
                loop=loop,
            )
            sessions.append(smtp)
            return smtp

        def relay() -> SMTP:
            smtp = SMTP(
                relay_handler,
                hostname="mail.isp.test",
                ident="ESMTP practice server (relaywiz --demo)",
                tls_context=context,
                authenticator=authenticator,
                auth_exclude_mechanism=["LOGIN", "PLAIN"],
                timeout=60,
                loop=loop,
            )
            sessions.append(smtp)
            return smtp

        servers: list[asyncio.Server] = []
        try:
            servers.append(await _listen(DEMO_HOST, PREFERRED[587], submission))
            servers.append(await _listen(DEMO_HOST, PREFERRED[25], relay))
            port_587 = servers[0].sockets[0].getsockname()[1]
            port_25 = servers[1].sockets[0].getsockname()[1]
            port_465 = _free_port(DEMO_HOST, PREFERRED[465])  # nothing listens there
            info = DemoInfo(
                host=DEMO_HOST,
                ports=(port_587, port_465, port_25),
                implicit_tls_ports=frozenset({port_465}),
                mail_from=DEMO_ADDRESS,
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                rcpt_other=DEMO_RCPT_OTHER,
                source_inside=inside,
                cafile=str(tls.cafile),
                stands_for=((port_587, 587), (port_465, 465), (port_25, 25)),
            )
            yield info
        finally:
            for server in servers:
                server.close()
            for smtp in sessions:
                transport = smtp.transport
                if transport is not None and not transport.is_closing():
                    transport.close()
            for server in servers:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(server.wait_closed(), 2)
