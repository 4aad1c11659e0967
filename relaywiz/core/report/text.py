"""The probe report as plain text for a terminal: a table per port, then findings and advice."""

from __future__ import annotations

from relaywiz.core.model import Exchange, PortResult, Report, Severity


def _ms(value: float) -> str:
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


def _decisive(p: PortResult) -> str:
    if p.reply is not None:
        return str(p.reply)[:70]
    return p.detail[:70]


def transcript_lines(exchanges: tuple[Exchange, ...], indent: str = "    ") -> list[str]:
    """A readable transcript: `C:` what we sent, `S:` what the server said."""
    out: list[str] = []
    for e in exchanges:
        if e.command:
            out.append(f"{indent}C: {e.command}")
        if e.reply is not None:
            for i, line in enumerate(e.reply.lines):
                sep = "-" if i < len(e.reply.lines) - 1 else " "
                out.append(f"{indent}S: {e.reply.code}{sep}{line}")
        if e.error:
            out.append(f"{indent}!  {e.stage.value}: {e.error} ({_ms(e.elapsed_ms)})")
    return out


def render_text(report: Report, verbose: bool = False) -> str:
    """The report for a person at a terminal; `verbose` adds every port's transcript."""
    ev = report.evidence
    lines = [
        f"relaywiz probe of {ev.target.host}"
        + (f" ({', '.join(ev.target.addresses)})" if ev.target.addresses else "")
    ]
    who = f"  from {ev.mail_from}"
    if ev.username:
        who += f", authenticating as {ev.username}"
    if ev.source_address:
        who += f", source address {ev.source_address}"
    lines.append(who)
    lines.append(f"  recipients: same domain {ev.rcpt_same}, other domain {ev.rcpt_other}")
    if ev.insecure:
        lines.append("  certificate verification was turned OFF (--insecure)")
    lines.append("")
    lines.append(f"{'PORT':<6}{'OUTCOME':<22}{'STAGE':<15}{'TIME':>9}  REPLY")
    for p in ev.ports:
        lines.append(
            f"{p.port:<6}{p.outcome.value:<22}{p.stage.value:<15}"
            f"{_ms(p.elapsed_ms):>9}  {_decisive(p)}"
        )
    for p in ev.ports:
        if p.tls is not None:
            t = p.tls
            state = "verified" if t.verified else f"NOT verified: {t.verify_error}"
            lines.append(
                f"  TLS on {p.port}: {t.version}, {t.cipher}; certificate {t.subject}"
                f", expires {t.not_after} ({t.days_left} days); {state}"
            )
    if ev.pop_before_smtp is not None:
        pop = ev.pop_before_smtp
        lines.append(
            f"  POP-before-SMTP via {pop.host}:{pop.port}: {pop.detail}"
            + (
                ""
                if pop.changed_answer is None
                else f"; changed the server's answer: {'yes' if pop.changed_answer else 'no'}"
            )
        )
    if ev.send_test is not None:
        s = ev.send_test
        lines.append(
            f"  test message to {s.recipient}: "
            + ("accepted" if s.accepted else f"NOT sent ({s.detail or s.reply})")
        )
    if report.findings:
        lines += ["", "Findings"]
        order = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}
        for f in sorted(report.findings, key=lambda f: order[f.severity]):
            code = f" [{f.outlook_error}]" if f.outlook_error else ""
            lines.append(f"  [{f.severity.value}] {f.title}{code}")
            lines.append(f"      {f.explanation}")
            for e in f.evidence[:2]:
                lines.append(f"      server said: {e}")
            lines.append(f"      what to do: {f.remedy}")
    lines += ["", "Recommendation"]
    rec = report.recommendation
    if rec is None:
        lines.append(
            f"  none: {report.no_recommendation_reason or 'no way to send was seen to work'}"
        )
    else:
        for key, value in rec.outlook:
            lines.append(f"  {key}: {value}")
        for why in rec.why:
            lines.append(f"    - {why}")
    if verbose:
        for p in ev.ports:
            lines += ["", f"Transcript, port {p.port}"]
            lines += transcript_lines(p.transcript)
    return "\n".join(lines) + "\n"
