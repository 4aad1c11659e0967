"""`check` reports as JSON (versioned contract) and as text grouped by area."""

from __future__ import annotations

import json
from typing import Any

from relaywiz.core.checks.model import AREA_TITLES, Area, CheckReport, Status

SCHEMA_VERSION = "1.0"

_MARK = {
    Status.OK: "ok",
    Status.WARNING: "WARN",
    Status.PROBLEM: "PROBLEM",
    Status.UNUSABLE: "unusable",
    Status.ERROR: "ERROR",
}


def to_json_dict(report: CheckReport) -> dict[str, Any]:
    """The JSON document, `schema_version` first."""
    return {
        "schema_version": SCHEMA_VERSION,
        "domain": report.domain,
        "ip": report.ip,
        "ip_source": report.ip_source.value,
        "ip_detail": report.ip_detail,
        "helo": report.helo,
        "nameserver": report.nameserver,
        "checks": [
            {
                "id": c.id,
                "area": c.area.value,
                "status": c.status.value,
                "summary": c.summary,
                "evidence": list(c.evidence),
                "fix": c.fix,
                "informational": c.informational,
            }
            for c in report.checks
        ],
        "notes": list(report.notes),
        "elapsed_ms": round(report.elapsed_ms, 1),
        "exit_code": report.exit_code,
    }


def render_json(report: CheckReport) -> str:
    return json.dumps(to_json_dict(report), indent=2) + "\n"


def render_text(report: CheckReport, verbose: bool = False) -> str:
    """Plain text: one block per area; fixes under non-ok checks; evidence with verbose."""
    lines = [
        f"relaywiz check {report.domain}" + (f"  (sending IP {report.ip})" if report.ip else "")
    ]
    for note in report.notes:
        lines.append(f"  note: {note}")
    for area in Area:
        checks = [c for c in report.checks if c.area is area]
        if not checks:
            continue
        lines += ["", AREA_TITLES[area]]
        for c in checks:
            lines.append(f"  [{_MARK[c.status]:^8}] {c.id}: {c.summary}")
            if c.fix and c.status is not Status.OK:
                lines.append(f"             fix: {c.fix}")
            if verbose or c.status in (Status.PROBLEM, Status.ERROR):
                for e in c.evidence[: None if verbose else 3]:
                    lines.append(f"             dns: {e}")
    counts = {s: sum(1 for c in report.checks if c.status is s) for s in Status}
    lines += [
        "",
        "summary: "
        + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        + f"  (exit {report.exit_code}, {report.elapsed_ms:.0f} ms)",
    ]
    return "\n".join(lines) + "\n"
