"""The probe resolves its host through our own DNS server (`--nameserver`): a name that
does not exist, and a server that never answers, are dns_error findings (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from relaywiz.core.model import Outcome, Stage
from relaywiz.core.smtp.probe import run_probe
from relaywiz.core.smtp.request import ProbeRequest, Timeouts

ROOT = Path(__file__).resolve().parents[2]


async def test_nxdomain_is_dns_error(dnslab) -> None:  # type: ignore[no-untyped-def]
    req = ProbeRequest(
        host="no-such-host.sender.test",
        mail_from="a@sender.test",
        ports=(587, 25),
        nameserver=dnslab.nameserver,
    )
    ev = await run_probe(req)
    assert ev.dns_error and "no such name" in ev.dns_error
    assert all((p.outcome, p.stage) == (Outcome.DNS_ERROR, Stage.RESOLVE) for p in ev.ports)


async def test_silent_nameserver_is_dns_error_within_the_timeout(dnslab) -> None:  # type: ignore[no-untyped-def]
    req = ProbeRequest(
        host="mail.sender.test",
        mail_from="a@sender.test",
        ports=(587,),
        nameserver=dnslab.silent_nameserver,
        timeouts=Timeouts(1, 1, 1),
    )
    ev = await run_probe(req)
    assert ev.ports[0].outcome is Outcome.DNS_ERROR
    assert ev.dns_error is not None and "timed out" in ev.dns_error


def test_cli_exit_2_for_a_name_that_does_not_exist(dnslab) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "relaywiz",
            "--probe",
            "no-such-host.sender.test",
            "--from",
            "a@sender.test",
            "--nameserver",
            dnslab.nameserver,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 2, out.stderr
    doc = json.loads(out.stdout)
    assert {p["outcome"] for p in doc["ports"]} == {"dns_error"}
    assert doc["dns_error"]
