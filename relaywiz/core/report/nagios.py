"""One monitoring-plugin line with perfdata, so Nagios/Icinga can run relaywiz unchanged."""

from __future__ import annotations

from relaywiz.core.model import Outcome, Report

_STATUS = {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}


def render_nagios(report: Report) -> str:
    """`SMTP OK - host: 587 ok, 465 ok, 25 filtered | port587=0.120s;;; …`"""
    status = _STATUS.get(report.exit_code, "UNKNOWN")
    ev = report.evidence
    ports = ", ".join(f"{p.port} {p.outcome.value}" for p in ev.ports)
    summary = f"SMTP {status} - {ev.target.host}: {ports}"
    if report.recommendation is not None:
        r = report.recommendation
        summary += f"; use {r.port} {r.security.value}{' with AUTH' if r.auth else ''}"
    perf = " ".join(
        f"port{p.port}={p.elapsed_ms / 1000:.3f}s;;;0 port{p.port}_ok="
        f"{1 if p.outcome is Outcome.OK else 0};;;0;1"
        for p in ev.ports
    )
    return f"{summary} | {perf}\n"
