"""Run one probe (probe -> diagnose -> every renderer) in a child process.

The hostile tests start this as a subprocess so that the child's peak RSS can be
read on its own (os.wait4) and a crash or a hang cannot take pytest down with it.
Input: one JSON object on argv[1]; output: the JSON report on stdout, after the
text, Markdown and Nagios renderings were made and checked to be valid UTF-8.

    python3 -m tests.hostile.driver '{"host": "127.0.0.1", "ports": [25], ...}'
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from relaywiz.core.diagnose import diagnose
from relaywiz.core.model import AccountType, Location, RecipientDomain, Situation
from relaywiz.core.report import render_json, render_markdown, render_nagios, render_text
from relaywiz.core.smtp.probe import run_probe
from relaywiz.core.smtp.request import ProbeRequest, Timeouts


def build(spec: dict[str, Any]) -> tuple[ProbeRequest, Situation]:
    t = spec["timeouts"]
    request = ProbeRequest(
        host=spec["host"],
        mail_from=spec["mail_from"],
        ports=tuple(spec["ports"]),
        rcpt_other=spec["rcpt_other"],
        timeouts=Timeouts(t["connect"], t["banner"], t["command"]),
        cafile=spec.get("cafile"),
        implicit_tls_ports=frozenset(spec.get("implicit", [])),
    )
    s = spec.get("situation", {})
    situation = Situation(
        location=Location(s.get("location", "unknown")),
        account_type=AccountType(s.get("account_type", "unknown")),
        recipient_domain=RecipientDomain(s.get("recipient_domain", "unknown")),
    )
    return request, situation


def main() -> None:
    request, situation = build(json.loads(sys.argv[1]))
    evidence = asyncio.run(run_probe(request))
    report = diagnose(evidence, situation)
    rendered = {
        "text": render_text(report, verbose=True),
        "markdown": render_markdown(report),
        "nagios": render_nagios(report),
    }
    out = render_json(report)
    # Every rendering must be writable as UTF-8, as a terminal or a file would take it.
    for text in (out, *rendered.values()):
        text.encode("utf-8")
    sys.stdout.write(out)


if __name__ == "__main__":
    main()
