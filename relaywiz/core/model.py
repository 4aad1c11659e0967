"""The vocabulary relaywiz speaks, as frozen dataclasses.

Everything that crosses a boundary (probe -> diagnose -> report -> CLI/TUI) is
one of these types, so the faces and the core agree on one meaning of "outcome",
"stage" or "finding" and nothing mutable leaks between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """What happened to one attempt (and so to one port), from the design's vocabulary."""

    OK = "ok"
    DNS_ERROR = "dns_error"
    REFUSED = "refused"
    FILTERED = "filtered"
    NO_BANNER = "no_banner"
    REJECTED_AT_BANNER = "rejected_at_banner"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    TLS_REQUIRED = "tls_required"
    STARTTLS_UNAVAILABLE = "starttls_unavailable"
    AUTH_UNAVAILABLE = "auth_unavailable"
    AUTH_FAILED = "auth_failed"
    AUTH_REQUIRED = "auth_required"
    RELAY_DENIED = "relay_denied"
    SENDER_REJECTED = "sender_rejected"
    RECIPIENT_REJECTED = "recipient_rejected"
    GREYLISTED = "greylisted"
    TEMPORARY_FAILURE = "temporary_failure"
    PROTOCOL_ERROR = "protocol_error"


class Stage(StrEnum):
    """Where in the SMTP dialogue something was decided."""

    RESOLVE = "resolve"
    CONNECT = "connect"
    TLS_HANDSHAKE = "tls_handshake"
    BANNER = "banner"
    EHLO = "ehlo"
    STARTTLS = "starttls"
    AUTH = "auth"
    POP3 = "pop3"
    MAIL = "mail"
    RCPT_SAME = "rcpt_same"
    RSET = "rset"
    RCPT_OTHER = "rcpt_other"
    DATA = "data"
    QUIT = "quit"


class TlsMode(StrEnum):
    """How an attempt protected its session."""

    NONE = "none"
    STARTTLS = "starttls"
    IMPLICIT = "implicit"


@dataclass(frozen=True)
class Reply:
    """One SMTP reply as the server sent it (multiline replies keep their lines)."""

    code: int
    enhanced: str | None
    text: str

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.text else ""

    def __str__(self) -> str:
        return f"{self.code} {self.text}".replace("\n", " / ").strip()


@dataclass(frozen=True)
class Exchange:
    """One step of a transcript: what we sent (redacted), what came back, how long it took."""

    stage: Stage
    command: str | None
    reply: Reply | None
    elapsed_ms: float
    error: str | None = None


@dataclass(frozen=True)
class TlsInfo:
    """Facts about one TLS session and the certificate the server showed."""

    version: str | None
    cipher: str | None
    subject: str | None
    san: tuple[str, ...]
    issuer: str | None
    not_before: str | None
    not_after: str | None
    days_left: int | None
    verified: bool
    hostname_match: bool | None
    verify_error: str | None
    insecure: bool


@dataclass(frozen=True)
class RecipientResult:
    """What the server said to RCPT TO for one recipient."""

    address: str
    accepted: bool
    reply: Reply | None


@dataclass(frozen=True)
class Attempt:
    """One way a mail client could try to send, and what became of it."""

    tls: TlsMode
    auth: bool
    outcome: Outcome
    stage: Stage
    reply: Reply | None
    same: RecipientResult | None = None
    other: RecipientResult | None = None
    pop_before_smtp: bool = False
    auth_mechanism: str | None = None
    detail: str = ""
    elapsed_ms: float = 0.0
    transcript: tuple[Exchange, ...] = ()


@dataclass(frozen=True)
class PortResult:
    """Everything one port told us; `outcome` is that of the attempt a real client would make."""

    port: int
    outcome: Outcome
    stage: Stage
    reply: Reply | None
    elapsed_ms: float
    detail: str = ""
    implicit_tls: bool = False
    banner: Reply | None = None
    esmtp: tuple[str, ...] = ()
    starttls_offered: bool = False
    auth_mechanisms_plain: tuple[str, ...] = ()
    auth_mechanisms_tls: tuple[str, ...] = ()
    size_limit: int | None = None
    tls: TlsInfo | None = None
    attempts: tuple[Attempt, ...] = ()
    transcript: tuple[Exchange, ...] = ()

    @property
    def auth_mechanisms(self) -> tuple[str, ...]:
        seen = dict.fromkeys(self.auth_mechanisms_plain + self.auth_mechanisms_tls)
        return tuple(seen)


@dataclass(frozen=True)
class Target:
    """The server being probed."""

    host: str
    ports: tuple[int, ...]
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class PopResult:
    """The POP-before-SMTP login, and whether it changed the server's answer."""

    host: str
    port: int
    tls: TlsMode
    logged_in: bool
    detail: str
    elapsed_ms: float
    changed_answer: bool | None = None


@dataclass(frozen=True)
class SendTestResult:
    """The one test message sent on request (`--send-test`)."""

    port: int
    recipient: str
    accepted: bool
    reply: Reply | None
    message_id: str
    detail: str = ""


@dataclass(frozen=True)
class Evidence:
    """What a whole probe collected: the only input diagnosis needs from the network."""

    target: Target
    mail_from: str
    rcpt_same: str
    rcpt_other: str
    helo_name: str
    credentials_given: bool
    username: str | None
    insecure: bool
    source_address: str | None
    ports: tuple[PortResult, ...]
    started_at: str
    elapsed_ms: float
    pop_before_smtp: PopResult | None = None
    send_test: SendTestResult | None = None
    dns_error: str | None = None


class Location(StrEnum):
    """Where the user is connected to the internet."""

    HOME = "home"
    WORK = "work"
    TRAVEL = "travel"  # hotel, airport, café
    MOBILE = "mobile"  # phone hotspot
    OTHER = "other"
    UNKNOWN = "unknown"


class AccountType(StrEnum):
    """Whose mail account the user sends from."""

    ISP = "isp"
    EMPLOYER = "employer"
    PROVIDER = "provider"  # Gmail, mail.ru, ...
    OWN_DOMAIN = "own_domain"
    UNKNOWN = "unknown"


class RecipientDomain(StrEnum):
    """Is the recipient in the sending server's own domain?"""

    SAME = "same"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Situation:
    """What the user told us about where they are and what they send."""

    location: Location = Location.UNKNOWN
    account_type: AccountType = AccountType.UNKNOWN
    recipient_domain: RecipientDomain = RecipientDomain.UNKNOWN
    client_error: str | None = None  # what the user saw (Outlook number, dialog text)


class Severity(StrEnum):
    """How much a finding matters, most severe last."""

    INFO = "info"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    """One thing relaywiz concluded, with the reply it rests on and what to do."""

    id: str
    severity: Severity
    title: str
    explanation: str
    remedy: str
    evidence: tuple[str, ...] = ()
    outlook_error: str | None = None
    port: int | None = None


class Security(StrEnum):
    """The encryption setting recommended to a client."""

    SSL_TLS = "ssl_tls"
    STARTTLS = "starttls"
    NONE = "none"


@dataclass(frozen=True)
class Recommendation:
    """One client configuration that the probe saw work, with the reason for each field."""

    host: str
    port: int
    security: Security
    auth: bool
    username: str | None
    pop_before_smtp: bool
    why: tuple[str, ...]
    outlook: tuple[tuple[str, str], ...]
    thunderbird: tuple[tuple[str, str], ...]
    generic: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """A probe's evidence with its judgement: what every face renders."""

    evidence: Evidence
    situation: Situation
    findings: tuple[Finding, ...]
    recommendation: Recommendation | None
    no_recommendation_reason: str | None
    exit_code: int
    ticket: tuple[tuple[str, str], ...] = field(default=())
