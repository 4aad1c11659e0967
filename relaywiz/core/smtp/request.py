"""What a caller asks the probe to do, and the progress events it gets back.

Kept apart from the probe's I/O so that the CLI, the wizard and the tests can
build a request and follow a probe without touching the network code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from relaywiz.core.model import Attempt, Exchange, PortResult, Stage

DEFAULT_PORTS: tuple[int, ...] = (587, 465, 25, 2525)
IMPLICIT_TLS_PORTS: frozenset[int] = frozenset({465})
# A large, real mail domain: servers that check the recipient's domain accept it,
# and RCPT is never followed by DATA, so nothing is sent (see the design).
DEFAULT_OTHER_DOMAIN_RECIPIENT = "postmaster@gmail.com"


@dataclass(frozen=True)
class Credentials:
    """A user name and password; the password never leaves this object in any rendering."""

    username: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"Credentials({self.username!r}, password=***)"


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed per stage."""

    connect: float = 10.0
    banner: float = 10.0
    command: float = 10.0


@dataclass(frozen=True)
class ProbeRequest:
    """Everything one probe needs to know."""

    host: str
    mail_from: str
    ports: tuple[int, ...] = DEFAULT_PORTS
    rcpt_same: str | None = None  # default: postmaster@<domain of mail_from>
    rcpt_other: str = DEFAULT_OTHER_DOMAIN_RECIPIENT
    credentials: Credentials | None = field(default=None, repr=False)
    timeouts: Timeouts = Timeouts()
    source_address: str | None = None
    cafile: str | None = None
    insecure: bool = False
    implicit_tls_ports: frozenset[int] = IMPLICIT_TLS_PORTS
    helo_name: str | None = None  # default: the machine's FQDN or an address literal
    pop_before_smtp: str | None = None  # POP3 host ("" = same as host); None = off
    pop_port: int | None = None  # default 995 then 110
    send_test_to: str | None = None  # --send-test: the one case where DATA is sent
    nameserver: str | None = None  # HOST[:PORT] to resolve the host with (default: system)

    @property
    def same_domain_recipient(self) -> str:
        if self.rcpt_same:
            return self.rcpt_same
        return "postmaster@" + self.mail_from.rpartition("@")[2]


@dataclass(frozen=True)
class StageEvent:
    """A stage finished on one port (for live progress displays)."""

    port: int
    exchange: Exchange


@dataclass(frozen=True)
class AttemptEvent:
    """One attempt on one port finished."""

    port: int
    attempt: Attempt


@dataclass(frozen=True)
class PortEvent:
    """One port is done."""

    port: int
    result: PortResult


@dataclass(frozen=True)
class PortStarted:
    """A port's probe began (stage is the first stage tried)."""

    port: int
    stage: Stage = Stage.CONNECT


ProbeEvent = StageEvent | AttemptEvent | PortEvent | PortStarted
ProbeListener = Callable[[ProbeEvent], None]
