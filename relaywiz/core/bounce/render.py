"""Explanations as JSON (the versioned contract) and as text for a person.

Pure string building, no terminal library: the CLI prints what this returns.
"""

from __future__ import annotations

from typing import Any

from relaywiz.core.bounce.categories import MEANING
from relaywiz.core.bounce.model import (
    NOT_FAILURES,
    SCHEMA_VERSION,
    ExplainError,
    Explanation,
    RecipientExplanation,
)


def source_dict(path: str | None, index: int | None) -> dict[str, Any] | None:
    """The "source" member: the file (or "-" for stdin) and the index within an mbox."""
    if path is None:
        return None
    return {"path": path, "index": index}


def recipient_dict(r: RecipientExplanation) -> dict[str, Any]:
    """One recipient as JSON."""
    return {
        "address": r.address,
        "category": r.category.value,
        "status": r.status,
        "status_inferred": r.status_inferred,
        "reply_code": r.reply_code,
        "remote_mta": r.remote_mta,
        "diagnostic": r.diagnostic,
        "stage": r.stage.value if r.stage else None,
        "permanent": r.permanent,
        "outlook_error": r.outlook_error,
        "remedy": r.remedy,
        "action": r.action,
        "provider": r.provider,
    }


def to_json_dict(
    exp: Explanation, path: str | None = None, index: int | None = None
) -> dict[str, Any]:
    """The JSON document for one explanation, "schema_version" first."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "source": source_dict(path, index),
        "kind": exp.kind.value,
        "category": exp.category.value,
        "family": exp.family,
        "subject": exp.subject,
        "note": exp.note,
        "recipients": [recipient_dict(r) for r in exp.recipients],
        "failed": len(exp.failures),
        "exit_code": exp.exit_code,
    }
    if exp.summary is not None:
        doc["summary"] = [
            {
                "category": c.category.value,
                "permanent": c.permanent,
                "count": c.count,
                "recipients": c.recipients,
                "remote_mtas": list(c.remote_mtas),
                "example": c.example,
            }
            for c in exp.summary
        ]
    if exp.counts is not None:
        c = exp.counts
        doc["counts"] = {
            "lines": c.lines,
            "delivered": c.delivered,
            "bounced": c.bounced,
            "deferred": c.deferred,
            "rejected": c.rejected,
        }
    return doc


def error_dict(err: ExplainError, path: str | None, index: int | None) -> dict[str, Any]:
    """The JSON document for an input that could not be read."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source_dict(path, index),
        "kind": "error",
        "error": str(err),
        "exit_code": 3,
    }


def _perm(r: RecipientExplanation) -> str:
    return {True: "permanent", False: "temporary", None: ""}[r.permanent]


def render_text(
    exp: Explanation, path: str | None = None, index: int | None = None, limit: int = 20
) -> str:
    """A person's reading of one explanation."""
    out: list[str] = []
    if path is not None:
        out.append(f"== {path}" + (f" (message {index})" if index is not None else ""))
    kind = exp.kind.value.replace("_", " ")
    head = f"{kind}" + (f" ({exp.family})" if exp.family else "")
    if exp.subject:
        head += f": {exp.subject}"
    out.append(head)
    if exp.note:
        out.append(f"  note: {exp.note}")
    if exp.counts is not None:
        c = exp.counts
        out.append(
            f"  {c.lines} lines: {c.delivered} delivered, {c.bounced} bounced, "
            f"{c.deferred} deferred, {c.rejected} rejected"
        )
    if exp.summary:
        out.append("  by cause:")
        for s in exp.summary:
            kindword = {True: "permanent", False: "temporary", None: ""}[s.permanent]
            mtas = f"  via {', '.join(s.remote_mtas)}" if s.remote_mtas else ""
            out.append(f"    {s.count:>6}  {s.category.value:<26} {kindword:<9}{mtas}")
            out.append(f"            e.g. {s.example[:160]}")
    if not exp.failures:
        out.append(f"  {exp.category.value}: {MEANING[exp.category]}")
    shown = 0
    for r in exp.recipients:
        if r.category in NOT_FAILURES and r.category.value != "delivered":
            continue
        if shown >= limit:
            out.append(f"  ... and {len(exp.recipients) - shown} more (use --json for all)")
            break
        shown += 1
        who = r.address or "(no address given)"
        out.append(f"  {who}: {r.category.value} {_perm(r)}".rstrip())
        facts = []
        if r.status:
            facts.append(f"status {r.status}" + (" (inferred)" if r.status_inferred else ""))
        if r.reply_code:
            facts.append(f"reply {r.reply_code}")
        if r.stage:
            facts.append(f"at {r.stage.value}")
        if r.remote_mta:
            facts.append(f"from {r.remote_mta}")
        if r.outlook_error:
            facts.append(f"Outlook {r.outlook_error}")
        if facts:
            out.append("    " + ", ".join(facts))
        if r.diagnostic:
            out.append(f"    diagnostic: {r.diagnostic[:600]}")
        out.append(f"    means: {MEANING[r.category]}")
        out.append(f"    do: {r.remedy}")
    return "\n".join(out)
