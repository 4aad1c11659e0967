"""Hostile SMTP servers on loopback: each misbehaves in one way a real broken,
overloaded or malicious server does.

Raw-socket servers (tests.support.servers.RawServer) script the bytes exactly;
aiosmtpd serves the well-behaved-but-wrong cases (TLS where plain text is
expected, an open relay). Every server is a context manager yielding a `Hostile`:
the port to probe, which ports the probe must treat as implicit TLS, and what the
outcome should be named.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from relaywiz.core.smtp.request import Timeouts
from tests.support.servers import Certs, Policy, RawServer, hold, read_line, smtp_server

BANNER = b"220 mx.hostile.test ESMTP\r\n"
BAD_BANNER = b"220 mx\x00.\xfftest ESMTP \xc0\xaf\x1b]0;owned\x07\r\n"
EHLO_OK = b"250-mx.hostile.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
# The tarpit answers every line 0.3 s inside its timeouts; a probe with these timeouts
# can only be ended by the port's total budget (connect + banner + 6 commands = 21.2 s),
# which runs out 0.4 s before the attempt's last reply (banner + 7 replies = 21.6 s).
TARPIT_TIMEOUTS = Timeouts(connect=0.2, banner=3.0, command=3.0)
TARPIT_DELAY = 2.7
EHLO_STARTTLS = b"250-mx.hostile.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n"


@dataclass
class Hostile:
    """One hostile listener as the tests see it."""

    name: str
    port: int
    host: str = "127.0.0.1"
    implicit: frozenset[int] = frozenset()
    seen: list[bytes] = field(default_factory=list)  # command lines the server received
    data_count: Callable[[], int] | None = None  # DATA commands seen (aiosmtpd servers)
    timeouts: Timeouts | None = None  # the probe timeouts this server is made for, if special

    def data_sent(self) -> int:
        """How many times a client sent DATA here (must stay 0: the probe stops before)."""
        if self.data_count is not None:
            return self.data_count()
        return sum(1 for line in self.seen if line.strip().upper() == b"DATA")


Script = Callable[[socket.socket], None]


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0) instead of an orderly FIN."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def dialogue(
    replies: dict[bytes, bytes | Callable[[socket.socket], None]],
    banner: bytes = BANNER,
    seen: list[bytes] | None = None,
    default: bytes = b"250 2.0.0 Ok\r\n",
    delay: float = 0.0,
) -> Script:
    """A line-by-line SMTP server: each verb gets its scripted bytes, or its action runs.

    `delay`: seconds to wait before every reply, the banner included (a tarpit).
    """

    def script(conn: socket.socket) -> None:
        conn.settimeout(30)
        time.sleep(delay)
        conn.sendall(banner)
        while True:
            line = read_line(conn)
            if not line:
                return
            if seen is not None:
                seen.append(line)
            verb = line.split(b" ", 1)[0].split(b":", 1)[0].strip().upper()
            if verb == b"QUIT":
                conn.sendall(b"221 2.0.0 Bye\r\n")
                return
            answer = replies.get(verb, default)
            time.sleep(delay)
            if callable(answer):
                answer(conn)
                return
            conn.sendall(answer)

    return script


def _drip(conn: socket.socket) -> None:
    for byte in BANNER:
        conn.sendall(bytes([byte]))
        time.sleep(1.0)
    hold(conn)


def _huge_banner(conn: socket.socket) -> None:
    conn.sendall(b"220 " + b"x" * (1 << 20) + b"\r\n")
    hold(conn)


def _endless(conn: socket.socket) -> None:
    chunk = b"250-mx.hostile.test says more\r\n" * 2048
    while True:  # until the client leaves (sendall then raises)
        conn.sendall(chunk)


def _tls_reset(conn: socket.socket) -> None:
    """Read the start of the client's TLS hello, then reset the connection."""
    conn.settimeout(10)
    conn.recv(5)
    _reset(conn)


def _starttls_then_reset(conn: socket.socket) -> None:
    conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
    _tls_reset(conn)


BAD_BYTES_DIALOGUE: dict[bytes, bytes | Callable[[socket.socket], None]] = {
    b"EHLO": b"250-mx.\xff\xfehostile\x00.test\r\n250-SIZE 10\x00240000\r\n250 8BITMIME\xc3\x28\r\n",
    b"MAIL": b"250 2.1.0 Ok \xe2\x82 sender\x00\r\n",
    b"RCPT": b"554 5.7.1 <x>: Relay access denied \xff\xfe\x00 \xed\xa0\x80\x1b[31m\r\n",
    b"RSET": b"250 \x00\r\n",
}


def _close_now(conn: socket.socket) -> None:
    conn.close()


def _accept_then_close(conn: socket.socket) -> None:
    conn.sendall(b"250 2.1.5 Ok\r\n")
    conn.close()


@contextlib.contextmanager
def raw(name: str, script: Script, host: str = "127.0.0.1", **kw: object) -> Iterator[Hostile]:
    with RawServer(script, host=host, **kw) as srv:  # type: ignore[arg-type]
        yield Hostile(name, srv.port, host)


@contextlib.contextmanager
def scripted(
    name: str, replies: dict[bytes, object], host: str = "127.0.0.1", **kw: object
) -> Iterator[Hostile]:
    seen: list[bytes] = []
    script = dialogue(replies, seen=seen, **kw)  # type: ignore[arg-type]
    with RawServer(script, host=host) as srv:
        yield Hostile(name, srv.port, host, seen=seen)


@contextlib.contextmanager
def hostile(name: str, certs: Certs, host: str = "127.0.0.1") -> Iterator[Hostile]:
    """The hostile server called `name` (one of NAMES), listening on `host`."""
    raw_scripts: dict[str, Script] = {
        "silent": hold,
        "drip_banner": _drip,
        "huge_banner": _huge_banner,
        "tls_reset_implicit": _tls_reset,
    }
    dialogues: dict[str, tuple[dict[bytes, object], dict[str, object]]] = {
        "huge_rcpt_reply": ({b"EHLO": EHLO_OK, b"RCPT": b"550 " + b"y" * (1 << 20) + b"\r\n"}, {}),
        "endless_multiline": ({b"EHLO": _endless}, {}),
        "bad_bytes": (dict(BAD_BYTES_DIALOGUE), {"banner": BAD_BANNER}),
        "tls_reset_starttls": ({b"EHLO": EHLO_STARTTLS, b"STARTTLS": _starttls_then_reset}, {}),
        "close_after_rcpt": ({b"EHLO": EHLO_OK, b"RCPT": _close_now}, {}),
        "close_after_rcpt_reply": ({b"EHLO": EHLO_OK, b"RCPT": _accept_then_close}, {}),
        # every reply just inside the command timeout: only the port's total budget ends it
        "slow_tarpit": ({b"EHLO": EHLO_OK}, {"delay": TARPIT_DELAY}),
    }
    aiosmtpd: dict[str, dict[str, object]] = {
        "tls_on_plain_port": {"implicit": certs.server_context(certs.good)},
        "plain_on_implicit_port": {},
        "open_relay": {"policy": Policy(relay_needs_auth=False)},
    }
    if name in raw_scripts:
        with raw(name, raw_scripts[name], host) as h:
            if name == "tls_reset_implicit":
                h.implicit = frozenset({h.port})
            yield h
    elif name in dialogues:
        replies, kw = dialogues[name]
        with scripted(name, replies, host, **kw) as h:
            if name == "slow_tarpit":
                h.timeouts = TARPIT_TIMEOUTS
            yield h
    elif name in aiosmtpd:
        kw = dict(aiosmtpd[name])
        policy = kw.pop("policy", None)
        with smtp_server(policy, host=host, **kw) as (port, handler):  # type: ignore[arg-type]
            h = Hostile(name, port, host, data_count=lambda: handler.log.data_sent)
            if name == "plain_on_implicit_port":
                h.implicit = frozenset({port})
            yield h
    else:
        raise KeyError(name)


NAMES = (
    "silent",
    "drip_banner",
    "huge_banner",
    "huge_rcpt_reply",
    "endless_multiline",
    "bad_bytes",
    "tls_reset_implicit",
    "tls_reset_starttls",
    "tls_on_plain_port",
    "plain_on_implicit_port",
    "open_relay",
    "close_after_rcpt",
    "close_after_rcpt_reply",
    "slow_tarpit",
)


def has_ipv6_loopback() -> bool:
    """Whether this machine can listen on ::1."""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True
