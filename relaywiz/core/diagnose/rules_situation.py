"""Findings from what the user told us: their relay-table row and the error number they saw."""

from __future__ import annotations

from relaywiz.core import scenarios
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import Facts
from relaywiz.core.diagnose.outlook import lookup
from relaywiz.core.model import Finding, Location, RecipientDomain, Severity


def rules(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    s = f.situation
    if s.location is not Location.UNKNOWN or s.recipient_domain is not RecipientDomain.UNKNOWN:
        row = scenarios.verdict(s)
        if row.relay is not None or row.on_server_network is not None:
            out.append(
                C.finding(
                    C.SITUATION_RELAY,
                    row.why,
                    " ".join(row.remedies) or "Nothing to change for this situation.",
                    outlook_error="0x800CCC79" if row.refused_by_network_trust else None,
                )
            )
    return out


def client_error(f: Facts, findings: list[Finding]) -> list[Finding]:
    """What the Outlook number the user saw means, and which findings carry the same number."""
    text = f.situation.client_error
    if not text:
        return []
    entry = lookup(text)
    if entry is None:
        return []
    rank = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}
    same = sorted(
        (x for x in findings if x.outlook_error == entry.code), key=lambda x: rank[x.severity]
    )
    if same:
        titles = "; ".join(dict.fromkeys(x.title for x in same))
        tail = f" The probe found the same failure: {titles}."
        remedy = same[0].remedy
    else:
        tail = (
            " The probe did not meet this failure from here: the user may be on another "
            "network, or using other settings than the ones probed."
        )
        remedy = "Compare the client's settings with the recommendation."
    return [
        C.finding(
            C.CLIENT_OUTLOOK_ERROR,
            f"Outlook's {entry.code} means: {entry.meaning}.{tail}",
            remedy,
            evidence=(text,),
            outlook_error=entry.code,
        )
    ]
