"""Findings from what the user told us: their relay-table row and the error number they saw."""

from __future__ import annotations

from relaywiz.core import scenarios
from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import Facts
from relaywiz.core.diagnose.outlook import lookup
from relaywiz.core.model import Finding, Location, RecipientDomain


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
    if s.client_error:
        entry = lookup(s.client_error)
        if entry is not None:
            out.append(
                C.finding(
                    C.CLIENT_OUTLOOK_ERROR,
                    f"Outlook's {entry.code} means: {entry.meaning}. The findings above say "
                    "which step failed and why.",
                    "Follow the recommendation below.",
                    evidence=(s.client_error,),
                    outlook_error=entry.code,
                )
            )
    return out
