"""Sockets and names below SMTP: the client-side connect (with its own timeout, so a
filtered port is told apart from a silent one) and the EHLO name a mail client uses."""

from __future__ import annotations

import asyncio
import socket

from relaywiz.core.model import Outcome, Stage


class ConnectFailed(Exception):
    """Connecting failed: `outcome` is refused or filtered, `detail` says how."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.stage = Stage.CONNECT
        self.detail = detail


def helo_literal(local_ip: str) -> str:
    """An address literal for EHLO (RFC 5321 4.1.3)."""
    return f"[IPv6:{local_ip}]" if ":" in local_ip else f"[{local_ip}]"


def default_helo_name(local_ip: str) -> str:
    """The machine's fully qualified name, or an address literal when it has none."""
    fqdn = socket.getfqdn()
    if "." in fqdn and not fqdn.startswith("localhost") and not fqdn.endswith(".localdomain"):
        return fqdn
    return helo_literal(local_ip)


async def open_socket(address: str, port: int, source: str | None, timeout: float) -> socket.socket:
    """A connected non-blocking TCP socket, or ConnectFailed (refused or filtered)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        if source:
            sock.bind((source, 0))
        await asyncio.wait_for(loop.sock_connect(sock, (address, port)), timeout)
    except TimeoutError:
        sock.close()
        raise ConnectFailed(
            Outcome.FILTERED, f"no answer to connect within {timeout:g} s"
        ) from None
    except (ConnectionRefusedError, ConnectionResetError):
        sock.close()
        raise ConnectFailed(
            Outcome.REFUSED,
            f"connection refused: nothing accepts connections on port {port}",
        ) from None
    except OSError as exc:
        sock.close()
        raise ConnectFailed(Outcome.FILTERED, f"cannot connect: {exc.strerror or exc}") from None
    return sock
