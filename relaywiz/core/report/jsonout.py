"""The probe report as JSON: `schema_version` first, shape fixed by report.schema.json.

Additions bump the minor version, breaking changes the major (see the design).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from relaywiz import __version__
from relaywiz.core.model import (
    Attempt,
    Evidence,
    Exchange,
    Finding,
    PopResult,
    PortResult,
    RecipientResult,
    Recommendation,
    Reply,
    Report,
    SendTestResult,
    TlsInfo,
)

SCHEMA_VERSION = "1.0"


def load_schema() -> dict[str, Any]:
    """The JSON Schema the report follows (shipped in the package)."""
    text = resources.files("relaywiz.core.report").joinpath("report.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def reply_dict(reply: Reply | None) -> dict[str, Any] | None:
    """{"code", "enhanced", "text"} or None."""
    if reply is None:
        return None
    return {"code": reply.code, "enhanced": reply.enhanced, "text": reply.text}


def _exchange(e: Exchange) -> dict[str, Any]:
    return {
        "stage": e.stage.value,
        "command": e.command,
        "reply": reply_dict(e.reply),
        "elapsed_ms": e.elapsed_ms,
        "error": e.error,
    }


def _recipient(r: RecipientResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"address": r.address, "accepted": r.accepted, "reply": reply_dict(r.reply)}


def _tls(t: TlsInfo | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "version": t.version,
        "cipher": t.cipher,
        "subject": t.subject,
        "san": list(t.san),
        "issuer": t.issuer,
        "not_before": t.not_before,
        "not_after": t.not_after,
        "days_left": t.days_left,
        "verified": t.verified,
        "hostname_match": t.hostname_match,
        "verify_error": t.verify_error,
        "insecure": t.insecure,
    }


def _attempt(a: Attempt) -> dict[str, Any]:
    return {
        "tls": a.tls.value,
        "auth": a.auth,
        "pop_before_smtp": a.pop_before_smtp,
        "auth_mechanism": a.auth_mechanism,
        "outcome": a.outcome.value,
        "stage": a.stage.value,
        "reply": reply_dict(a.reply),
        "detail": a.detail,
        "elapsed_ms": a.elapsed_ms,
        "recipients": {"same": _recipient(a.same), "other": _recipient(a.other)},
        "transcript": [_exchange(e) for e in a.transcript],
    }


def port_dict(p: PortResult) -> dict[str, Any]:
    """One port's JSON object."""
    return {
        "port": p.port,
        "outcome": p.outcome.value,
        "stage": p.stage.value,
        "reply": reply_dict(p.reply),
        "elapsed_ms": p.elapsed_ms,
        "detail": p.detail,
        "implicit_tls": p.implicit_tls,
        "banner": reply_dict(p.banner),
        "esmtp": list(p.esmtp),
        "starttls_offered": p.starttls_offered,
        "auth_mechanisms": list(p.auth_mechanisms),
        "auth_mechanisms_plain": list(p.auth_mechanisms_plain),
        "auth_mechanisms_tls": list(p.auth_mechanisms_tls),
        "size_limit": p.size_limit,
        "tls": _tls(p.tls),
        "attempts": [_attempt(a) for a in p.attempts],
        "transcript": [_exchange(e) for e in p.transcript],
    }


def _pop(p: PopResult | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "host": p.host,
        "port": p.port,
        "tls": p.tls.value,
        "logged_in": p.logged_in,
        "detail": p.detail,
        "elapsed_ms": p.elapsed_ms,
        "changed_answer": p.changed_answer,
    }


def _send(s: SendTestResult | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "port": s.port,
        "recipient": s.recipient,
        "accepted": s.accepted,
        "reply": reply_dict(s.reply),
        "message_id": s.message_id,
        "detail": s.detail,
    }


def finding_dict(f: Finding) -> dict[str, Any]:
    """One finding's JSON object."""
    return {
        "id": f.id,
        "severity": f.severity.value,
        "title": f.title,
        "explanation": f.explanation,
        "evidence": list(f.evidence),
        "outlook_error": f.outlook_error,
        "remedy": f.remedy,
        "port": f.port,
    }


def recommendation_dict(r: Recommendation | None) -> dict[str, Any] | None:
    """The recommendation's JSON object, or None."""
    if r is None:
        return None
    return {
        "host": r.host,
        "port": r.port,
        "security": r.security.value,
        "auth": r.auth,
        "username": r.username,
        "pop_before_smtp": r.pop_before_smtp,
        "why": list(r.why),
        "outlook": dict(r.outlook),
        "thunderbird": dict(r.thunderbird),
        "generic": dict(r.generic),
    }


def evidence_dict(e: Evidence) -> dict[str, Any]:
    """The evidence part of a report (everything but the judgement)."""
    return {
        "target": {
            "host": e.target.host,
            "ports": list(e.target.ports),
            "addresses": list(e.target.addresses),
        },
        "account": {
            "mail_from": e.mail_from,
            "rcpt_same": e.rcpt_same,
            "rcpt_other": e.rcpt_other,
            "username": e.username,
            "credentials_given": e.credentials_given,
        },
        "helo_name": e.helo_name,
        "source_address": e.source_address,
        "insecure": e.insecure,
        "started_at": e.started_at,
        "elapsed_ms": e.elapsed_ms,
        "dns_error": e.dns_error,
        "ports": [port_dict(p) for p in e.ports],
        "pop_before_smtp": _pop(e.pop_before_smtp),
        "send_test": _send(e.send_test),
    }


def to_json_dict(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON data, `schema_version` first."""
    s = report.situation
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "relaywiz", "version": __version__},
    }
    out.update(evidence_dict(report.evidence))
    out["situation"] = {
        "location": s.location.value,
        "account_type": s.account_type.value,
        "recipient_domain": s.recipient_domain.value,
        "client_error": s.client_error,
    }
    out["findings"] = [finding_dict(f) for f in report.findings]
    out["recommendation"] = recommendation_dict(report.recommendation)
    out["no_recommendation_reason"] = report.no_recommendation_reason
    out["ticket"] = [{"field": k, "value": v} for k, v in report.ticket]
    out["exit_code"] = report.exit_code
    return out


def render_json(report: Report) -> str:
    """The report as an indented JSON document with a trailing newline."""
    return json.dumps(to_json_dict(report), indent=2, ensure_ascii=False) + "\n"
