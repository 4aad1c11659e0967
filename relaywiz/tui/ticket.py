"""The running ticket summary: situation, what was tried, the result, what was changed.

Built from the wizard's state (pure, no UI) so the helpdesk sees it grow on
screen and the same lines end up in the saved report (`Report.ticket`).
"""

from __future__ import annotations

from relaywiz.core.model import AccountType, Location, Outcome, RecipientDomain, Report
from relaywiz.tui.state import WizardState

LOCATION_WORDS = {
    Location.HOME: "at home",
    Location.WORK: "at work",
    Location.TRAVEL: "in a hotel, airport or café",
    Location.MOBILE: "on a mobile hotspot",
    Location.OTHER: "somewhere else",
}
ACCOUNT_WORDS = {
    AccountType.ISP: "internet provider's account",
    AccountType.EMPLOYER: "employer's account",
    AccountType.PROVIDER: "mail provider's account (Gmail and the like)",
    AccountType.OWN_DOMAIN: "own domain",
}
RECIPIENT_WORDS = {
    RecipientDomain.SAME: "recipient in the same domain",
    RecipientDomain.OTHER: "recipient in another domain",
}
OUTCOME_WORDS = {
    Outcome.OK: "works",
    Outcome.DNS_ERROR: "name not found",
    Outcome.REFUSED: "connection refused",
    Outcome.FILTERED: "blocked (no answer)",
    Outcome.NO_BANNER: "connected, never greeted",
    Outcome.REJECTED_AT_BANNER: "refused at greeting",
    Outcome.TIMEOUT: "stopped answering",
    Outcome.TLS_ERROR: "TLS failed",
    Outcome.TLS_REQUIRED: "needs STARTTLS",
    Outcome.STARTTLS_UNAVAILABLE: "no STARTTLS",
    Outcome.AUTH_UNAVAILABLE: "no AUTH offered",
    Outcome.AUTH_FAILED: "password refused",
    Outcome.AUTH_REQUIRED: "needs AUTH",
    Outcome.RELAY_DENIED: "relay denied",
    Outcome.SENDER_REJECTED: "sender refused",
    Outcome.RECIPIENT_REJECTED: "recipient refused",
    Outcome.GREYLISTED: "greylisted",
    Outcome.TEMPORARY_FAILURE: "temporary failure",
    Outcome.PROTOCOL_ERROR: "protocol error",
}


def situation_words(state: WizardState) -> str:
    """The situation in a few words ("at home, ISP account, recipient in another domain")."""
    parts = [
        LOCATION_WORDS.get(state.location, ""),
        ACCOUNT_WORDS.get(state.account_type, ""),
        RECIPIENT_WORDS.get(state.recipient_domain, ""),
    ]
    return ", ".join(p for p in parts if p) or "not asked yet"


def result_words(report: Report, port_label: dict[int, str] | None = None) -> str:
    """One line: each port and its outcome."""
    label = port_label or {}
    return " · ".join(
        f"{label.get(p.port, str(p.port))}: {OUTCOME_WORDS.get(p.outcome, p.outcome.value)}"
        for p in report.evidence.ports
    )


def ticket_lines(
    state: WizardState, helpdesk: bool, port_label: dict[int, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """The ticket summary so far, as (label, text) pairs, in the order a ticket reads."""
    lines: list[tuple[str, str]] = []
    who = "Caller's address" if helpdesk else "Address"
    if state.address:
        lines.append((who, state.address))
    if state.location is not Location.UNKNOWN:
        lines.append(("Situation", situation_words(state)))
    if state.client_error.strip():
        seen = state.client_error.strip().replace("\n", " ")
        if state.client_error_meaning:
            seen += f": {state.client_error_meaning}"
        lines.append(("Error seen", seen))
    report = state.report
    if state.server and (report is not None or state.cancelled_probe):
        where = "the helpdesk's network" if helpdesk else "this computer's network"
        tried = f"probe of {state.server} from {where}"
        if report is not None:
            ports = ", ".join(
                port_label.get(p.port, str(p.port)) if port_label else str(p.port)
                for p in report.evidence.ports
            )
            tried += f", ports {ports}"
        if state.username and state.password_source:
            tried += f", with authentication as {state.username}"
        else:
            tried += ", without a password"
        if state.cancelled_probe and report is None:
            tried += " (cancelled)"
        lines.append(("Tried", tried))
    if report is not None:
        lines.append(("Result", result_words(report, port_label)))
        rec = report.recommendation
        if rec is not None:
            label = (port_label or {}).get(rec.port, str(rec.port))
            security = {"ssl_tls": "SSL/TLS", "starttls": "STARTTLS", "none": "no encryption"}
            auth = "authentication on" if rec.auth else "no authentication"
            lines.append(
                (
                    "Recommended",
                    f"{rec.host} port {label}, {security.get(rec.security.value, '')}, {auth}",
                )
            )
        else:
            lines.append(("Recommended", report.no_recommendation_reason or "nothing works yet"))
    for check in state.caller_checks:
        lines.append((f"Caller's port {check.port}", f"{check.verdict}: {check.meaning}"))
    if state.changed.strip():
        lines.append(("Changed", state.changed.strip()))
    return tuple(lines)
