"""The vocabulary of `relaywiz explain`: categories, input kinds, and the frozen results.

Kept apart from the parsers so that the CLI, the wizard and the tests share one
meaning of "category" and "stage" and nothing mutable crosses the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCHEMA_VERSION = "1.0"


class Category(StrEnum):
    """Why a recipient failed (or why the input is not a failure). Stable names."""

    USER_UNKNOWN = "user_unknown"
    MAILBOX_FULL = "mailbox_full"
    MAILBOX_DISABLED = "mailbox_disabled"
    ADDRESS_MOVED = "address_moved"
    RECIPIENT_FILTERED = "recipient_filtered"
    MESSAGE_TOO_BIG = "message_too_big"
    HOST_UNKNOWN = "host_unknown"
    DOMAIN_NOT_ACCEPTING_MAIL = "domain_not_accepting_mail"
    NETWORK_ERROR = "network_error"
    NETWORK_TIMEOUT = "network_timeout"
    EXPIRED = "expired"
    STARTTLS_FAILED = "starttls_failed"
    SENDER_REJECTED = "sender_rejected"
    SENDER_MISMATCH = "sender_mismatch"
    RELAY_DENIED = "relay_denied"
    IP_BLOCKLISTED = "ip_blocklisted"
    BAD_REPUTATION = "bad_reputation"
    PTR_REQUIRED = "ptr_required"
    AUTH_FAILURE = "auth_failure"
    AUTH_REQUIRED = "auth_required"
    SECURITY_ERROR = "security_error"
    POLICY_VIOLATION = "policy_violation"
    RATE_LIMITED = "rate_limited"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    TOO_MANY_RECIPIENTS = "too_many_recipients"
    SPAM_DETECTED = "spam_detected"
    CONTENT_REJECTED = "content_rejected"
    VIRUS_DETECTED = "virus_detected"
    NOT_RFC_COMPLIANT = "not_rfc_compliant"
    SYSTEM_ERROR = "system_error"
    SYSTEM_FULL = "system_full"
    MAILER_ERROR = "mailer_error"
    SYNTAX_ERROR = "syntax_error"
    SUPPRESSED = "suppressed"
    DELIVERED = "delivered"
    AUTO_REPLY = "auto_reply"
    FEEDBACK_REPORT = "feedback_report"
    NOT_A_BOUNCE = "not_a_bounce"
    UNKNOWN = "unknown"


#: Categories that describe something other than a failed delivery.
NOT_FAILURES = frozenset(
    {Category.DELIVERED, Category.AUTO_REPLY, Category.FEEDBACK_REPORT, Category.NOT_A_BOUNCE}
)


class Kind(StrEnum):
    """What the input turned out to be."""

    BOUNCE = "bounce"
    OUTLOOK_ERROR = "outlook_error"
    LOG = "log"
    SMTP_REPLY = "smtp_reply"
    NOT_A_BOUNCE = "not_a_bounce"


class InputKind(StrEnum):
    """How to read the input (`--as`); AUTO detects it."""

    AUTO = "auto"
    MESSAGE = "message"
    MBOX = "mbox"
    BOUNCE_TEXT = "bounce-text"
    SMTP_REPLY = "smtp-reply"
    OUTLOOK = "outlook"
    LOG = "log"


class BounceStage(StrEnum):
    """Where in the SMTP dialogue (or after it) the recipient was refused."""

    CONNECT = "connect"
    HELO = "helo"
    STARTTLS = "starttls"
    AUTH = "auth"
    MAIL = "mail"
    RCPT = "rcpt"
    DATA = "data"
    AFTER_DATA = "after_data"
    DELIVERY = "delivery"  # accepted, then failed during local delivery


class ExplainError(Exception):
    """The input could not be read at all (empty, unreadable); reported in one line."""


@dataclass(frozen=True)
class RawFailure:
    """What a parser found for one recipient, before judgement."""

    address: str | None
    diagnostic: str
    status: str | None = None
    reply_code: int | None = None
    remote_mta: str | None = None
    stage: BounceStage | None = None
    action: str | None = None  # "failed", "delayed", "delivered" (DSN vocabulary)
    permanent: bool | None = None
    outlook_error: str | None = None


@dataclass(frozen=True)
class RecipientExplanation:
    """The explanation of one recipient's fate."""

    address: str | None
    category: Category
    status: str | None
    reply_code: int | None
    remote_mta: str | None
    diagnostic: str
    stage: BounceStage | None
    permanent: bool | None
    outlook_error: str | None
    remedy: str
    status_inferred: bool = False
    action: str | None = None
    provider: str | None = None


@dataclass(frozen=True)
class CauseCount:
    """One line of a log summary: how many recipients failed for one cause."""

    category: Category
    permanent: bool | None
    count: int
    recipients: int
    remote_mtas: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class LogCounts:
    """Totals for a log: lines read, deliveries, failures, deferrals, rejections."""

    lines: int
    delivered: int
    bounced: int
    deferred: int
    rejected: int


@dataclass(frozen=True)
class Explanation:
    """Everything `explain` concluded about one input (one message, dialog, reply or log)."""

    kind: Kind
    category: Category
    recipients: tuple[RecipientExplanation, ...]
    family: str | None = None  # postfix, exim, sendmail, qmail, exchange, gmail, ...
    subject: str | None = None
    note: str | None = None
    summary: tuple[CauseCount, ...] | None = None
    counts: LogCounts | None = None

    @property
    def failures(self) -> tuple[RecipientExplanation, ...]:
        return tuple(r for r in self.recipients if r.category not in NOT_FAILURES)

    @property
    def exit_code(self) -> int:
        """0 nothing failed, 1 only temporary failures, 2 a permanent (or unclear) failure."""
        failed = self.failures
        if not failed:
            return 0
        if all(r.permanent is False for r in failed):
            return 1
        return 2
