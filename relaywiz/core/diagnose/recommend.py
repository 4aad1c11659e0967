"""The one client configuration to recommend, chosen only among ways the probe saw work.

A recommendation is never a guess: it is built from an attempt whose
other-domain recipient was accepted. Among those, the most robust wins: a
verified TLS session over an unverified one over none, a login over trust in
the network (a login works from every network), implicit TLS (465) over
STARTTLS (587), the submission ports over 2525 and 25. The fields are then
written in the words of classic Outlook, Thunderbird and a generic client.
"""

from __future__ import annotations

from relaywiz.core.diagnose.facts import Facts, describe
from relaywiz.core.model import Attempt, Outcome, PortResult, Recommendation, Security, TlsMode

_TLS_RANK = {TlsMode.IMPLICIT: 0, TlsMode.STARTTLS: 1, TlsMode.NONE: 2}
_PORT_RANK = {465: 0, 587: 1, 2525: 2, 25: 3}
_SECURITY = {
    TlsMode.IMPLICIT: Security.SSL_TLS,
    TlsMode.STARTTLS: Security.STARTTLS,
    TlsMode.NONE: Security.NONE,
}


def _cert_rank(pr: PortResult, at: Attempt) -> int:
    if at.tls is TlsMode.NONE:
        return 2
    if pr.tls is not None and not pr.tls.verified:
        return 1
    return 0


def rank(pr: PortResult, at: Attempt) -> tuple[int, int, int, int, int, int]:
    """Sort key: lower is better."""
    return (
        _cert_rank(pr, at),
        0 if at.auth else 1,
        1 if at.pop_before_smtp else 0,
        _TLS_RANK[at.tls],
        _PORT_RANK.get(pr.port, 4),
        pr.port,
    )


def choose(facts: Facts) -> tuple[PortResult, Attempt] | None:
    """The best attempt that worked, or None when none did."""
    working = facts.working()
    if not working:
        return None
    return min(working, key=lambda pa: rank(*pa))


def recommend(facts: Facts) -> Recommendation | None:
    """The recommendation built from the best working attempt (None when nothing worked)."""
    chosen = choose(facts)
    if chosen is None:
        return None
    pr, at = chosen
    assert at.outcome is Outcome.OK
    ev = facts.evidence
    security = _SECURITY[at.tls]
    username = ev.username if at.auth else None
    host = ev.target.host
    why = _why(facts, pr, at)
    return Recommendation(
        host=host,
        port=pr.port,
        security=security,
        auth=at.auth,
        username=username,
        pop_before_smtp=at.pop_before_smtp,
        why=why,
        outlook=outlook_fields(host, pr.port, security, at.auth, username, at.pop_before_smtp),
        thunderbird=thunderbird_fields(host, pr.port, security, at.auth, username),
        generic=generic_fields(host, pr.port, security, at.auth, username, at.pop_before_smtp),
    )


def _why(facts: Facts, pr: PortResult, at: Attempt) -> tuple[str, ...]:
    reasons = [
        f"Port {pr.port} with {describe(at)}: the server accepted a recipient in another "
        f"domain this way ({_accepted(at)}).",
    ]
    if at.tls is TlsMode.IMPLICIT:
        reasons.append(
            f"Encryption SSL/TLS: port {pr.port} speaks TLS from the first byte (implicit TLS)."
        )
    elif at.tls is TlsMode.STARTTLS:
        reasons.append(
            f"Encryption STARTTLS: port {pr.port} starts plain and switches to TLS on request."
        )
    else:
        reasons.append(
            "Encryption none: no encrypted way was seen to work, so this one is unprotected."
        )
    if at.auth:
        reasons.append(
            "Authentication on: with a login the server relays for you from any network "
            "(home, work, hotel)."
        )
    else:
        reasons.append(
            "Authentication off: the server accepted the mail without a login from the "
            "network you are on now; this may stop working on another network."
        )
    if at.pop_before_smtp:
        reasons.append(
            "Log on to the incoming (POP3) server first: this server only trusts clients that "
            "have recently collected their mail."
        )
    others = sorted({p.port for p, a in facts.working() if p.port != pr.port})
    if others:
        listed = ", ".join(str(p) for p in others)
        reasons.append(f"Also seen to work: port {listed}; this one is preferred.")
    return tuple(reasons)


def _accepted(at: Attempt) -> str:
    if at.other is not None and at.other.reply is not None:
        return f'"{at.other.reply}"'
    if at.reply is not None:
        return f'"{at.reply}"'
    return "recipient accepted"


_OUTLOOK_SECURITY = {
    Security.SSL_TLS: "SSL/TLS",
    Security.STARTTLS: "STARTTLS",
    Security.NONE: "None",
}
_THUNDERBIRD_SECURITY = {
    Security.SSL_TLS: "SSL/TLS",
    Security.STARTTLS: "STARTTLS",
    Security.NONE: "None",
}
_GENERIC_SECURITY = {
    Security.SSL_TLS: "SSL/TLS (implicit TLS, sometimes called SSL)",
    Security.STARTTLS: "STARTTLS (sometimes called TLS)",
    Security.NONE: "none",
}


def outlook_fields(
    host: str,
    port: int,
    security: Security,
    auth: bool,
    username: str | None,
    pop_before_smtp: bool,
) -> tuple[tuple[str, str], ...]:
    """Classic Outlook's account dialog (More Settings), field by field."""
    fields: list[tuple[str, str]] = [
        ("Outgoing mail server (SMTP)", host),
        ("Outgoing server (SMTP)", str(port)),
        ("Use the following type of encrypted connection", _OUTLOOK_SECURITY[security]),
        ("My outgoing server (SMTP) requires authentication", "on" if auth else "off"),
    ]
    if auth:
        name = username or "your full e-mail address"
        fields.append(
            (
                "Use same settings as my incoming mail server",
                f"on if your incoming user name is {name}; otherwise choose "
                f"'Log on using' with User Name {name}",
            )
        )
    fields.append(
        ("Log on to incoming mail server before sending mail", "on" if pop_before_smtp else "off")
    )
    return tuple(fields)


def thunderbird_fields(
    host: str,
    port: int,
    security: Security,
    auth: bool,
    username: str | None,
) -> tuple[tuple[str, str], ...]:
    """Thunderbird's Outgoing Server (SMTP) dialog, field by field."""
    fields: list[tuple[str, str]] = [
        ("Server Name", host),
        ("Port", str(port)),
        ("Connection security", _THUNDERBIRD_SECURITY[security]),
        ("Authentication method", "Normal password" if auth else "No authentication"),
    ]
    if auth:
        fields.append(("User Name", username or "your full e-mail address"))
    return tuple(fields)


def generic_fields(
    host: str,
    port: int,
    security: Security,
    auth: bool,
    username: str | None,
    pop_before_smtp: bool,
) -> tuple[tuple[str, str], ...]:
    """Any other mail client (phones, printers, scripts)."""
    fields: list[tuple[str, str]] = [
        ("SMTP server", host),
        ("Port", str(port)),
        ("Encryption", _GENERIC_SECURITY[security]),
        ("Authentication", "yes (password)" if auth else "none"),
    ]
    if auth:
        fields.append(("User name", username or "your full e-mail address"))
    if pop_before_smtp:
        fields.append(("Before sending", "check for new mail (POP3 login) first"))
    return tuple(fields)
