"""The probe report as a Markdown ticket a helpdesk can paste: situation, what was tried,
what the server said, what to change."""

from __future__ import annotations

from relaywiz.core.model import Report
from relaywiz.core.report.text import transcript_lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    ev, s = report.evidence, report.situation
    out = [f"# Outgoing mail: {ev.target.host}", ""]
    out += ["## Situation", ""]
    out.append(
        f"- Account: {ev.mail_from}"
        + (f" (authenticating as {ev.username})" if ev.username else "")
    )
    out.append(
        f"- Connected from: {s.location.value}; account type: {s.account_type.value}; "
        f"recipient domain: {s.recipient_domain.value}"
    )
    if s.client_error:
        out.append(f"- Error the user saw: {_cell(s.client_error)}")
    for key, value in report.ticket:
        out.append(f"- {key}: {_cell(value)}")
    out += [
        "",
        "## What was tried",
        "",
        "| port | outcome | stage | time | server said |",
        "|---|---|---|---|---|",
    ]
    for p in ev.ports:
        said = str(p.reply) if p.reply else p.detail
        out.append(
            f"| {p.port} | {p.outcome.value} | {p.stage.value} | "
            f"{p.elapsed_ms:.0f} ms | {_cell(said)} |"
        )
    if report.findings:
        out += ["", "## Findings", ""]
        for f in report.findings:
            code = f" (Outlook {f.outlook_error})" if f.outlook_error else ""
            out.append(f"- **{f.title}**{code}: {f.explanation} *What to do:* {f.remedy}")
            for e in f.evidence[:2]:
                out.append(f"  - server said: `{_cell(e)}`")
    out += ["", "## What to change", ""]
    rec = report.recommendation
    if rec is None:
        out.append(f"No working way to send was found: {report.no_recommendation_reason or ''}")
    else:
        out += ["| Outlook field | value |", "|---|---|"]
        out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in rec.outlook]
        out.append("")
        out += [f"- {why}" for why in rec.why]
    out += ["", "<details><summary>Transcript</summary>", "", "```"]
    for p in ev.ports:
        out.append(f"# port {p.port}")
        out += transcript_lines(p.transcript, indent="")
    out += ["```", "</details>", ""]
    return "\n".join(out)
