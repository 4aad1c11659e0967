"""Small questions about the evidence that several rules ask.

Rules stay short and agree on meanings ("did this port answer?", "which
attempts worked?") because they all ask here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from relaywiz.core.model import (
    Attempt,
    Evidence,
    Outcome,
    PortResult,
    Reply,
    Situation,
    Stage,
    TlsMode,
)

# Outcomes that mean the port never got as far as a TCP connection.
UNREACHABLE = frozenset({Outcome.DNS_ERROR, Outcome.REFUSED, Outcome.FILTERED})
SUBMISSION_PORTS = (587, 465)
EXPIRY_WARNING_DAYS = 14


@dataclass(frozen=True)
class Facts:
    """The evidence and the situation, with the questions rules ask of them."""

    evidence: Evidence
    situation: Situation

    @property
    def host(self) -> str:
        return self.evidence.target.host

    def attempts(self) -> Iterator[tuple[PortResult, Attempt]]:
        """Every attempt on every port, in probe order."""
        for pr in self.evidence.ports:
            for at in pr.attempts:
                yield pr, at

    def working(self) -> list[tuple[PortResult, Attempt]]:
        """Attempts that got the other-domain recipient accepted: ways that were seen to work."""
        return [(pr, at) for pr, at in self.attempts() if at.outcome is Outcome.OK]

    def any_auth_offered(self) -> bool:
        return any(pr.auth_mechanisms for pr in self.evidence.ports)

    def port(self, number: int) -> PortResult | None:
        for pr in self.evidence.ports:
            if pr.port == number:
                return pr
        return None


def reachable(pr: PortResult) -> bool:
    """A TCP connection was made (something listens and nothing filtered it)."""
    if pr.banner is not None:
        return True
    if pr.outcome in UNREACHABLE:
        return False
    return not (pr.outcome is Outcome.TIMEOUT and pr.stage in (Stage.RESOLVE, Stage.CONNECT))


def spoke(pr: PortResult) -> bool:
    """The server sent an SMTP greeting on this port."""
    return pr.banner is not None


def outcomes_of(pr: PortResult) -> list[tuple[Outcome, Stage, Reply | None]]:
    """The port's attempts' outcomes, or the port's own when no attempt was made."""
    if pr.attempts:
        return [(a.outcome, a.stage, a.reply) for a in pr.attempts]
    return [(pr.outcome, pr.stage, pr.reply)]


def reply_text(reply: Reply | None) -> str:
    """The reply as the server sent it, on one line ("" for none)."""
    return str(reply) if reply is not None else ""


def describe(at: Attempt) -> str:
    """An attempt in words: "STARTTLS with login", "implicit TLS without login"."""
    tls = {
        TlsMode.NONE: "no encryption",
        TlsMode.STARTTLS: "STARTTLS",
        TlsMode.IMPLICIT: "SSL/TLS",
    }[at.tls]
    who = "with login" if at.auth else "without login"
    pop = " after a POP3 login" if at.pop_before_smtp else ""
    return f"{tls}, {who}{pop}"


def contains(reply: Reply | None, *needles: str) -> bool:
    """Whether the reply text contains any of the needles (case-insensitive)."""
    if reply is None:
        return False
    text = reply.text.lower()
    return any(n.lower() in text for n in needles)
