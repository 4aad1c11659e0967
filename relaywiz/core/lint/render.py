"""`lint` reports as JSON (versioned) and as text (problems first, then warnings)."""

from __future__ import annotations

import json
from typing import Any

from relaywiz.core.lint.model import LintReport, LintStatus

SCHEMA_VERSION = "1.0"


def to_json_dict(report: LintReport, source: str | None = None) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "file": source,
        "message": {
            "subject": report.subject,
            "from": report.from_address,
            "size": report.size,
        },
        "rules": [
            {"id": r.id, "status": r.status.value, "found": r.found, "why": r.why, "fix": r.fix}
            for r in report.results
        ],
        "exit_code": report.exit_code,
    }


def render_json(report: LintReport, source: str | None = None) -> str:
    return json.dumps(to_json_dict(report, source), indent=2, ensure_ascii=False) + "\n"


def render_text(report: LintReport, source: str | None = None, verbose: bool = False) -> str:
    head = f"relaywiz lint {source}" if source else "relaywiz lint"
    lines = [
        head,
        f"  subject: {report.subject or '(none)'}",
        f"  from: {report.from_address or '(none)'}",
    ]
    for status, title in ((LintStatus.PROBLEM, "Problems"), (LintStatus.WARNING, "Warnings")):
        chosen = [r for r in report.results if r.status is status]
        if not chosen:
            continue
        lines += ["", f"{title}:"]
        for r in chosen:
            lines += [f"  {r.id}: {r.found}", f"      why: {r.why}"]
            if r.fix:
                lines.append(f"      fix: {r.fix}")
    ok = [r for r in report.results if r.status is LintStatus.OK]
    lines += ["", f"Passed: {len(ok)} of {len(report.results)} rules"]
    if verbose:
        lines += [f"  {r.id}: {r.found}" for r in ok]
    lines.append(f"(exit {report.exit_code})")
    return "\n".join(lines) + "\n"
