"""diagnose(evidence, situation) -> Report: the judgement, as one pure function.

Runs every rule module over the recorded evidence, picks the one
recommendation among the ways seen to work, and sets the exit code:
0 a working way was found, 1 it works but with warnings (no TLS, a certificate
near expiry or invalid, a login offered in clear text, an open relay),
2 no working way.
"""

from __future__ import annotations

from collections.abc import Callable

from relaywiz.core.diagnose import (
    catalogue as C,
)
from relaywiz.core.diagnose import (
    rules_auth,
    rules_connect,
    rules_envelope,
    rules_relay,
    rules_situation,
    rules_tls,
)
from relaywiz.core.diagnose.facts import Facts, reachable
from relaywiz.core.diagnose.recommend import recommend
from relaywiz.core.exitcodes import ExitCode
from relaywiz.core.model import (
    Evidence,
    Finding,
    Outcome,
    Recommendation,
    Report,
    Security,
    Severity,
    Situation,
)

Rule = Callable[[Facts], list[Finding]]
RULES: tuple[Rule, ...] = (
    rules_connect.rules,
    rules_tls.rules,
    rules_auth.rules,
    rules_relay.rules,
    rules_envelope.rules,
    rules_situation.rules,
)
_ORDER = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}


def diagnose(evidence: Evidence, situation: Situation | None = None) -> Report:
    """The report for this evidence: findings (most severe first), recommendation, exit code."""
    facts = Facts(evidence, situation or Situation())
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(facts))
    findings.extend(rules_situation.client_error(facts, findings))
    rec = recommend(facts)
    if rec is not None and rec.security is Security.NONE:
        findings.append(
            C.finding(
                C.SECURITY_NO_TLS,
                f"The only way seen to work (port {rec.port}) is unencrypted: the mail, and "
                "the password if one is used, cross the network readable.",
                "Ask the server's administrator for STARTTLS (587) or SSL/TLS (465); until "
                "then avoid public networks.",
                port=rec.port,
            )
        )
    findings = _dedupe(findings)
    findings.sort(key=lambda x: _ORDER[x.severity])
    reason = None if rec is not None else no_recommendation_reason(facts, findings)
    code = exit_code(rec, findings)
    return Report(
        evidence=evidence,
        situation=facts.situation,
        findings=tuple(findings),
        recommendation=rec,
        no_recommendation_reason=reason,
        exit_code=int(code),
        ticket=ticket(facts, findings, rec, reason, code),
    )


def exit_code(
    rec: Recommendation | None, findings: list[Finding] | tuple[Finding, ...]
) -> ExitCode:
    """0 working, 1 working with warnings, 2 no working way (monitoring-plugin convention)."""
    if rec is None:
        return ExitCode.CRITICAL
    if any(C.CATALOGUE[f.id].warns for f in findings):
        return ExitCode.WARNING
    return ExitCode.OK


_SECURITY_WORDS = {
    Security.SSL_TLS: "SSL/TLS",
    Security.STARTTLS: "STARTTLS",
    Security.NONE: "no encryption",
}


def summary(rec: Recommendation | None, reason: str | None, code: ExitCode) -> str:
    """The verdict in one line: what works, or why nothing does."""
    if rec is None:
        return f"No working way to send: {reason}"
    login = "with login" if rec.auth else "without login"
    pop = ", POP3 login first" if rec.pop_before_smtp else ""
    head = "Works" if code is ExitCode.OK else "Works, with warnings"
    return f"{head}: {rec.host} port {rec.port}, {_SECURITY_WORDS[rec.security]}, {login}{pop}"


def ticket(
    facts: Facts,
    findings: list[Finding],
    rec: Recommendation | None,
    reason: str | None,
    code: ExitCode,
) -> tuple[tuple[str, str], ...]:
    """The lines a helpdesk ticket opens with: verdict, main problem, the user's relay-table row."""
    out = [("Verdict", summary(rec, reason, code))]
    problem = next((f for f in findings if f.severity is Severity.PROBLEM), None)
    if problem is not None:
        number = f" (Outlook {problem.outlook_error})" if problem.outlook_error else ""
        out.append(("Main problem", problem.title + number))
        out.append(("What to change", problem.remedy))
    row = next((f for f in findings if f.id == C.SITUATION_RELAY), None)
    if row is not None:
        out.append(("Relay table", row.explanation))
    return tuple(out)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int | None]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.id, f.port)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def no_recommendation_reason(facts: Facts, findings: list[Finding]) -> str:
    """Why nothing can be recommended, in one sentence a person understands."""
    ev = facts.evidence
    ids = {f.id for f in findings}
    if not ev.ports:
        return "No port was probed."
    if C.DNS_HOST_NOT_FOUND in ids:
        return f"The server name {ev.target.host} could not be looked up."
    if not any(reachable(p) for p in ev.ports):
        return "No port of the server accepted a connection from this network."
    outcomes = {a.outcome for _, a in facts.attempts()} | {p.outcome for p in ev.ports}
    if C.AUTH_FAILED in ids:
        return "The server refused the user name and password wherever the login was tried."
    if C.RELAY_NEEDS_CREDENTIALS in ids:
        return (
            "The server relays only after a login, and no user name was given; run again "
            "with --user to test the login."
        )
    if C.RELAY_POP_BEFORE_SMTP_LIKELY in ids:
        return (
            "The server refused relay and offers no login; it may trust POP-before-SMTP "
            "(test with --pop-before-smtp)."
        )
    if Outcome.GREYLISTED in outcomes:
        return "The server greylisted the probe (try again later); nothing was seen to work yet."
    if Outcome.REJECTED_AT_BANNER in outcomes:
        return "The server refused this network at the greeting on every port that answered."
    return (
        "No attempt on any port got a recipient in another domain accepted, so no setting "
        "can be recommended from what was seen."
    )
