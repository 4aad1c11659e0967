"""The frozen vocabulary of `check`: a request, one result per check, and the report.

Check ids are a contract (JSON consumers key on them): mx, ptr, fcrdns, helo, spf,
dmarc, dkim:<selector>, mta-sts, tls-rpt, dnsbl:<zone>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from relaywiz.core.exitcodes import ExitCode


class Status(StrEnum):
    """A check's verdict. UNUSABLE: the source gave no trustworthy answer; ERROR: DNS failed."""

    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"
    UNUSABLE = "unusable"
    ERROR = "error"


class Area(StrEnum):
    """How the text output groups checks."""

    SENDING_IP = "sending-ip"
    BLACKLISTS = "blacklists"
    AUTHENTICATION = "authentication"
    DOMAIN = "domain"


AREA_TITLES = {
    Area.SENDING_IP: "Sending IP (reverse DNS, HELO)",
    Area.BLACKLISTS: "DNS blacklists",
    Area.AUTHENTICATION: "Authentication (SPF, DKIM, DMARC)",
    Area.DOMAIN: "Receiving side of the domain (MX, MTA-STS, TLS-RPT)",
}


class IpSource(StrEnum):
    """Where the sending IP came from."""

    GIVEN = "given"  # --ip
    MESSAGE = "message"  # the Received chain of --message
    DISCOVERED = "discovered"  # our own public address, asked over DNS
    NONE = "none"


@dataclass(frozen=True)
class CheckResult:
    """One check: verdict, one-line summary, the DNS answers it rests on, what to publish."""

    id: str
    area: Area
    status: Status
    summary: str
    evidence: tuple[str, ...] = ()
    fix: str | None = None
    informational: bool = False  # shown, but never moves the exit code (a retired list)


@dataclass(frozen=True)
class Blacklist:
    """One DNS blacklist: how to query it, read its answers, and get off it."""

    zone: str
    name: str
    kind: str  # "ip" or "domain"
    delist: str
    ipv6: bool = False
    note: str = ""
    retired: bool = False
    # answer address -> meaning; answers not in the map are "listed" with no detail
    codes: tuple[tuple[str, str], ...] = ()
    # answers that mean "the list refused to answer this resolver", never "listed"
    refusal_codes: tuple[str, ...] = ()
    spamhaus: bool = False  # may be queried through a DQS key
    # domain lists: the entry the list documents as always listed (RFC 5782 says "test")
    test_point: str = "test"

    @property
    def check_id(self) -> str:
        return f"dnsbl:{self.zone}"


@dataclass(frozen=True)
class CheckRequest:
    """What to check. `message` is the raw bytes of an .eml file (for IP, From, DKIM)."""

    domain: str
    ip: str | None = None
    helo: str | None = None
    dkim_selectors: tuple[str, ...] = ()
    message: bytes | None = None
    nameserver: str | None = None
    timeout: float = 5.0
    dqs_key: str | None = None
    discover_ip: bool = True
    blacklists: tuple[Blacklist, ...] | None = None  # None: the built-in catalogue
    smtp: bool = False  # connect to the MX hosts for a STARTTLS test (off: DNS only)
    smtp_port: int = 25
    cafile: str | None = None  # extra CA bundle for verifying MX certificates


@dataclass(frozen=True)
class CheckReport:
    """Everything `check` found, in the order the checks were run."""

    domain: str
    ip: str | None
    ip_source: IpSource
    ip_detail: str
    helo: str | None
    nameserver: str | None
    checks: tuple[CheckResult, ...]
    notes: tuple[str, ...] = field(default=())
    elapsed_ms: float = 0.0

    def by_id(self, check_id: str) -> CheckResult:
        for result in self.checks:
            if result.id == check_id:
                return result
        raise KeyError(check_id)

    @property
    def exit_code(self) -> int:
        """2 any problem; 1 any warning, unusable list or DNS error; 3 nothing could be checked."""
        live = [c for c in self.checks if not c.informational]
        statuses = {c.status for c in live}
        if live and statuses == {Status.ERROR}:
            return int(ExitCode.UNKNOWN)
        if Status.PROBLEM in statuses:
            return int(ExitCode.CRITICAL)
        if statuses & {Status.WARNING, Status.UNUSABLE, Status.ERROR}:
            return int(ExitCode.WARNING)
        return int(ExitCode.OK)
