"""A discovery as text for a person or as a versioned JSON document for a script."""

from __future__ import annotations

import json
from typing import Any

from relaywiz.core.model import Security
from relaywiz.core.providers.discover import Discovery

SCHEMA_VERSION = "1.0"
_SECURITY = {Security.SSL_TLS: "SSL/TLS", Security.STARTTLS: "STARTTLS", Security.NONE: "none"}


def to_json_dict(found: Discovery) -> dict[str, Any]:
    """The discovery as plain data; `schema_version` first."""
    p = found.provider
    return {
        "schema_version": SCHEMA_VERSION,
        "address": found.address,
        "domain": found.domain,
        "provider": None
        if p is None
        else {
            "id": p.id,
            "name": p.name,
            "auth": p.auth.value,
            "username": p.username,
            "notes": p.notes,
            "docs": p.docs,
        },
        "suggestions": [
            {
                "host": s.host,
                "port": s.port,
                "security": s.security.value,
                "source": s.source.value,
                "detail": s.detail,
                "note": s.note,
            }
            for s in found.suggestions
        ],
        "lookups": list(found.lookups),
        "problems": list(found.problems),
    }


def render_json(found: Discovery) -> str:
    return json.dumps(to_json_dict(found), indent=2, ensure_ascii=False) + "\n"


def render_text(found: Discovery, verbose: bool = False) -> str:
    """Suggestions best first, each with where it came from, and the probe command to run."""
    lines: list[str] = []
    p = found.provider
    head = f"Outgoing server for {found.address}"
    lines.append(head + (f" ({p.name})" if p else ""))
    if p is not None:
        lines.append(f"  login: {p.notes}")
        lines.append(f"  user name: {p.username}")
    if not found.suggestions:
        lines.append("  no server found: no provider entry, no SRV record, no usual name resolves")
    width = max((len(s.host) for s in found.suggestions), default=0)
    for i, s in enumerate(found.suggestions, 1):
        lines.append(
            f"  {i}. {s.host:<{width}}  port {s.port:<4}  {_SECURITY[s.security]:<8}  "
            f"from {s.source_words}"
        )
        if verbose:
            lines.append(f"       {s.detail}")
    shown = found.problems if verbose else found.problems[:3]
    for problem in shown:
        lines.append(f"  DNS trouble: {problem}")
    if len(found.problems) > len(shown):
        lines.append(f"  ... and {len(found.problems) - len(shown)} more DNS lookups failed (-v)")
    if verbose:
        lines += [f"  lookup: {line}" for line in found.lookups]
    if found.suggestions:
        best = found.suggestions[0]
        lines.append("")
        lines.append(
            f"Probe it with: relaywiz --probe {best.host} --from {found.address} "
            f"--user {found.address}"
        )
    return "\n".join(lines) + "\n"
