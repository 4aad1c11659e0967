"""Real SMTP servers on loopback for the probe's tests: aiosmtpd scripted per test,
raw sockets for servers that misbehave below SMTP, trustme certificates.

Every server records whether DATA was ever sent to it, so each test can prove the
probe stopped before DATA.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOCAL_DOMAIN = "isp.test"
OTHER = "friend@other.test"
USER = "alice@isp.test"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Certs:
    """A test CA and server certificates: right name, wrong name, expired."""

    ca: trustme.CA
    cafile: Path
    good: trustme.LeafCert
    wrong_name: trustme.LeafCert
    expired: trustme.LeafCert

    def server_context(self, leaf: trustme.LeafCert) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(ctx)
        return ctx


def make_certs(directory: Path) -> Certs:
    ca = trustme.CA()
    cafile = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    now = dt.datetime.now(dt.UTC)
    return Certs(
        ca=ca,
        cafile=cafile,
        good=ca.issue_cert("localhost", "127.0.0.1", "::1"),
        wrong_name=ca.issue_cert("mail.wrong-name.test"),
        expired=ca.issue_cert(
            "localhost",
            "127.0.0.1",
            not_before=now - dt.timedelta(days=60),
            not_after=now - dt.timedelta(days=2),
        ),
    )


@dataclass
class Policy:
    """How the scripted server answers. Replies are full lines such as '554 5.7.1 …'."""

    local_domain: str = LOCAL_DOMAIN
    relay_needs_auth: bool = True
    relay_reply: str = "554 5.7.1 <{rcpt}>: Relay access denied"
    mail_reply: str | None = None
    rcpt_other_reply: str | None = None  # forced reply to the other-domain RCPT
    rcpt_same_reply: str | None = None
    sender_must_match_login: bool = False
    users: dict[str, str] = field(default_factory=dict)
    auth_fail_reply: str = "535 5.7.8 Error: authentication failed"
    drop_after_rcpt_refusal: bool = False


@dataclass
class Log:
    """What the server saw."""

    data_sent: int = 0
    mail_from: list[str] = field(default_factory=list)
    rcpt_to: list[str] = field(default_factory=list)
    auth_logins: list[str] = field(default_factory=list)
    peers: list[str] = field(default_factory=list)


class ScriptedHandler:
    """aiosmtpd handler applying a Policy and keeping a Log."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.log = Log()

    def authenticator(self, server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode()
            ok = self.policy.users.get(login) == auth_data.password.decode()
            self.log.auth_logins.append(login)
            if ok:
                return AuthResult(success=True, auth_data=login)
        return AuthResult(success=False, handled=False, message=self.policy.auth_fail_reply)

    async def handle_MAIL(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        self.log.mail_from.append(address)
        self.log.peers.append(session.peer[0])
        if self.policy.mail_reply:
            return self.policy.mail_reply
        envelope.mail_from = address
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        p = self.policy
        self.log.rcpt_to.append(address)
        same = address.lower().endswith("@" + p.local_domain)
        login = session.auth_data if session.authenticated else None
        if p.sender_must_match_login and login and envelope.mail_from != login:
            return f"553 5.7.1 <{envelope.mail_from}>: Sender address rejected: not owned by user {login}"
        if same and p.rcpt_same_reply:
            return p.rcpt_same_reply.format(rcpt=address)
        if not same:
            if p.rcpt_other_reply:
                reply = p.rcpt_other_reply.format(rcpt=address)
                if p.drop_after_rcpt_refusal:
                    server.transport.close()
                return reply
            if p.relay_needs_auth and not session.authenticated:
                if p.drop_after_rcpt_refusal:
                    server.transport.close()
                return p.relay_reply.format(rcpt=address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.log.data_sent += 1
        return "250 2.0.0 Ok: queued as TEST"


@contextlib.contextmanager
def smtp_server(
    policy: Policy | None = None,
    *,
    host: str = "127.0.0.1",
    handler: ScriptedHandler | None = None,
    starttls: ssl.SSLContext | None = None,
    implicit: ssl.SSLContext | None = None,
    require_starttls: bool = False,
    auth_require_tls: bool = True,
    auth_required: bool = False,
) -> Iterator[tuple[int, ScriptedHandler]]:
    """An aiosmtpd server on a free loopback port, stopped on exit."""
    handler = handler or ScriptedHandler(policy or Policy())
    port = free_port(host)
    kwargs: dict[str, object] = {
        "authenticator": handler.authenticator,
        "auth_require_tls": auth_require_tls,
        "auth_required": auth_required,
        "require_starttls": require_starttls,
    }
    if starttls is not None:
        kwargs["tls_context"] = starttls
    controller = Controller(
        handler,
        hostname=host,
        port=port,
        ssl_context=implicit,
        server_hostname="localhost",
        **kwargs,
    )
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


class RawServer:
    """A TCP listener whose connections are handled by `script(conn)` in threads."""

    def __init__(
        self,
        script: Callable[[socket.socket], None],
        host: str = "127.0.0.1",
        backlog: int = 16,
        accept: bool = True,
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(backlog)
        self.port = int(self.sock.getsockname()[1])
        self.host = host
        self.script = script
        self.accept = accept
        self.stopped = threading.Event()
        self.conns: list[socket.socket] = []
        self.fillers: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawServer:
        if self.accept:
            self.thread.start()
        else:  # a "filtered" port: fill the accept queue so further connects time out
            for _ in range(4):
                c = socket.socket(self.sock.family, socket.SOCK_STREAM)
                c.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    c.connect((self.host, self.port))
                self.fillers.append(c)
        return self

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.conns.append(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.script(conn)

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for c in self.conns + self.fillers:
            with contextlib.suppress(OSError):
                c.close()
        self.sock.close()
        if self.accept:
            self.thread.join(timeout=2)


def read_line(conn: socket.socket, limit: int = 4096) -> bytes:
    """One line from a raw connection ('' at EOF)."""
    buf = b""
    while not buf.endswith(b"\n") and len(buf) < limit:
        chunk = conn.recv(1)
        if not chunk:
            break
        buf += chunk
    return buf


def hold(conn: socket.socket, stop_after: float = 30.0) -> None:
    """Keep a connection open without a word until the client leaves."""
    conn.settimeout(stop_after)
    with contextlib.suppress(OSError):
        while conn.recv(1024):
            pass


class PopBeforeSmtp:
    """A small real POP3 server (USER/PASS/QUIT over plain TCP) that remembers the
    addresses that logged in, for a ScriptedHandler to trust (POP-before-SMTP)."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users
        self.trusted: set[str] = set()
        self.server = RawServer(self._session)

    def _session(self, conn: socket.socket) -> None:
        peer = conn.getpeername()[0]
        conn.sendall(b"+OK POP3 ready\r\n")
        user = None
        while True:
            line = read_line(conn).decode(errors="replace").strip()
            if not line:
                return
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb == "CAPA":
                conn.sendall(b"+OK\r\nUSER\r\n.\r\n")
            elif verb == "USER":
                user = arg
                conn.sendall(b"+OK\r\n")
            elif verb == "PASS":
                if user is not None and self.users.get(user) == arg:
                    self.trusted.add(peer)
                    conn.sendall(b"+OK logged in\r\n")
                else:
                    conn.sendall(b"-ERR [AUTH] Authentication failed.\r\n")
            elif verb == "QUIT":
                conn.sendall(b"+OK bye\r\n")
                return
            else:
                conn.sendall(b"-ERR unknown command\r\n")

    def __enter__(self) -> PopBeforeSmtp:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)


class PopTrustingHandler(ScriptedHandler):
    """Relays for clients whose address logged in to `pop` (and for no one else)."""

    def __init__(self, policy: Policy, pop: PopBeforeSmtp) -> None:
        super().__init__(policy)
        self.pop = pop

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if session.peer[0] in self.pop.trusted:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 Ok"
        return await super().handle_RCPT(server, session, envelope, address, options)
