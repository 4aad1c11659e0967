"""Findings about reaching the server: name, connection, greeting.

The classic case lives here: port 25 filtered (ISPs and hotels block it to stop
spam from infected machines) while the submission ports answer.
"""

from __future__ import annotations

from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import SUBMISSION_PORTS, Facts, reachable, reply_text
from relaywiz.core.diagnose.outlook import for_attempt
from relaywiz.core.model import Finding, Location, Outcome, PortResult, Stage

BLOCKLISTS = {
    "spamhaus": "Spamhaus",
    "spamcop": "SpamCop",
    "barracuda": "Barracuda",
    "sorbs": "SORBS",
    "uceprotect": "UCEPROTECT",
    "psbl": "PSBL",
}
_LISTED_MARKERS = (
    "blocked using",
    "listed",
    "blocklist",
    "blacklist",
    "dnsbl",
    "rbl",
    "reputation",
    "dynamic",
    "dial-up",
    "dialup",
    "residential",
    "poor",
)


def _filtered(pr: PortResult) -> bool:
    return pr.outcome is Outcome.FILTERED or (
        pr.outcome is Outcome.TIMEOUT and pr.stage in (Stage.RESOLVE, Stage.CONNECT)
    )


def _where(f: Facts) -> str:
    return {
        Location.TRAVEL: "Hotel, airport and café networks",
        Location.MOBILE: "Mobile networks",
        Location.WORK: "Company firewalls",
    }.get(f.situation.location, "Many internet providers, hotels and company firewalls")


def rules(f: Facts) -> list[Finding]:
    ev = f.evidence
    ports = ev.ports
    if ev.dns_error or (ports and all(p.outcome is Outcome.DNS_ERROR for p in ports)):
        detail = ev.dns_error or ports[0].detail
        return [
            C.finding(
                C.DNS_HOST_NOT_FOUND,
                f"The name {f.host} could not be looked up ({detail}), so no connection was tried.",
                "Check the spelling of the outgoing server name; `relaywiz settings "
                "you@yourdomain` suggests the right one.",
                evidence=(detail,),
            )
        ]
    out: list[Finding] = []
    reach = [p for p in ports if reachable(p)]
    if not reach:
        tried = ", ".join(str(p.port) for p in ports)
        out.append(
            C.finding(
                C.CONNECT_UNREACHABLE,
                f"None of the ports tried ({tried}) accepted a connection from this network. "
                "Either the network you are on blocks outgoing mail ports, or the server name "
                "is wrong, or the server is down.",
                "Check the server name; try from another network (a mobile hotspot) to tell a "
                "local block from a server problem; check that no firewall or antivirus "
                "program on this computer blocks mail.",
                evidence=tuple(p.detail or p.outcome.value for p in ports),
            )
        )
    # the submission ports, and 2525 as the last resort some providers offer
    answered_submission = [n for n in (*SUBMISSION_PORTS, 2525) if any(p.port == n for p in reach)]
    for pr in ports:
        if pr.port == 25 and _filtered(pr) and answered_submission:
            listed = ("ports " if len(answered_submission) > 1 else "port ") + " and ".join(
                str(p) for p in answered_submission
            )
            out.append(
                C.finding(
                    C.CONNECT_PORT25_BLOCKED,
                    f"Port 25 did not answer at all while {listed} did: the network you "
                    f"are on drops outgoing connections to port 25. {_where(f)} do this to stop "
                    "infected computers sending spam. A mail client set to port 25 waits and "
                    "then reports 'cannot connect'.",
                    f"Use port {answered_submission[0]}"
                    + (" (the submission port)" if answered_submission[0] != 2525 else "")
                    + " with authentication instead of 25.",
                    evidence=(pr.detail or "connection timed out",),
                    port=25,
                )
            )
        elif _filtered(pr) and reach:
            out.append(
                C.finding(
                    C.CONNECT_FILTERED,
                    f"Port {pr.port} did not answer (the connection timed out): something "
                    "between you and the server drops it.",
                    "Use one of the ports that answered.",
                    evidence=(pr.detail or "connection timed out",),
                    port=pr.port,
                )
            )
        elif pr.outcome is Outcome.REFUSED and reach:
            out.append(
                C.finding(
                    C.CONNECT_REFUSED,
                    f"The server actively refused a connection to port {pr.port}: it does "
                    "not offer mail service there.",
                    "Use one of the ports that answered.",
                    evidence=(pr.detail or "connection refused",),
                    port=pr.port,
                )
            )
        elif pr.outcome is Outcome.NO_BANNER:
            out.append(
                C.finding(
                    C.CONNECT_NO_BANNER,
                    f"Port {pr.port} accepted the connection but never sent the SMTP greeting. "
                    "Usual causes: the port expects TLS from the first byte (465), a firewall "
                    "or antivirus program intercepts mail, or the server is overloaded.",
                    "If this is an SSL/TLS port, set encryption to SSL/TLS; otherwise use "
                    "another port or switch off the antivirus program's mail scanning.",
                    evidence=(pr.detail or "no greeting",),
                    port=pr.port,
                )
            )
        elif pr.outcome is Outcome.TIMEOUT:
            out.append(
                C.finding(
                    C.CONNECT_TIMEOUT,
                    f"On port {pr.port} the server stopped answering at the "
                    f"{pr.stage.value} stage.",
                    "Try again later or use another port; if it keeps happening, the server "
                    "or a firewall on the way is at fault.",
                    evidence=(pr.detail or reply_text(pr.reply) or "timed out",),
                    port=pr.port,
                )
            )
        elif pr.outcome is Outcome.REJECTED_AT_BANNER:
            out.append(_banner_rejected(f, pr, reach))
    return out


def _banner_rejected(f: Facts, pr: PortResult, reach: list[PortResult]) -> Finding:
    reply = pr.banner if pr.banner is not None and pr.banner.code >= 400 else pr.reply
    text = reply_text(reply)
    low = text.lower()
    lists = [name for key, name in BLOCKLISTS.items() if key in low]
    listed = bool(lists) or any(m in low for m in _LISTED_MARKERS)
    if lists:
        why = (
            f"The server refused to talk to this network's address because it is on a "
            f"blocklist ({', '.join(lists)})."
        )
    elif listed:
        why = (
            "The server refused to talk to this network's address "
            "(a blocklist or reputation check)."
        )
    else:
        why = "The server refused the connection at its greeting, before any login was possible."
    others = [
        p.port for p in reach if p.port != pr.port and p.outcome is not Outcome.REJECTED_AT_BANNER
    ]
    if others:
        instead = (
            f"Use port {others[0]} with authentication: submission ports usually do not check "
            "blocklists for clients that log in."
        )
    elif f.situation.location in (Location.TRAVEL, Location.OTHER):
        instead = (
            "Use another network: your phone's mobile data (hotspot) or a VPN; the hotel or "
            "café network's address is the one that is listed."
        )
    elif f.situation.location is Location.MOBILE:
        instead = "Use another network (home or work Wi-Fi) or a VPN; the mobile address is listed."
    else:
        instead = (
            "Send through your own provider's server on port 587 with authentication, or "
            "from another network (your phone's hotspot); ask your internet provider to get "
            "its address removed from the list."
        )
    return C.finding(
        C.BANNER_REJECTED,
        why,
        instead,
        evidence=(text,),
        port=pr.port,
        outlook_error=for_attempt(Outcome.REJECTED_AT_BANNER, Stage.BANNER, reply),
    )
