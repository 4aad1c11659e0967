"""`relaywiz check` as a user runs it: a real process, pointed at our unbound."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import relaywiz.core.checks
from tests.dns.zones import GOOD_IP, LISTED_IP

pytestmark = pytest.mark.dns
SCHEMA = json.loads((Path(relaywiz.core.checks.__file__).parent / "check.schema.json").read_text())


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relaywiz", "check", *args],
        capture_output=True,
        text=True,
        timeout=60,
        input=stdin.decode() if stdin else None,
    )


def test_json_report(dnslab) -> None:
    out = run(
        "sender.test",
        "--ip",
        GOOD_IP,
        "--helo",
        "mail.sender.test",
        "--dkim-selector",
        "sel1",
        "--nameserver",
        dnslab.nameserver,
        "--timeout",
        "2",
        "--json",
    )
    doc = json.loads(out.stdout)
    assert next(iter(doc)) == "schema_version"
    jsonschema.validate(doc, SCHEMA)
    assert doc["domain"] == "sender.test" and doc["ip"] == GOOD_IP
    checks = {c["id"]: c for c in doc["checks"]}
    for c in doc["checks"]:
        assert set(c) >= {"id", "status", "summary", "evidence", "fix"}
        assert c["status"] in {"ok", "warning", "problem", "unusable", "error"}
    assert checks["spf"]["status"] == "ok"
    assert checks["dkim:sel1"]["status"] == "ok"
    assert checks["dnsbl:b.barracudacentral.org"]["status"] == "unusable"
    assert out.returncode == doc["exit_code"] == 1
    assert out.stderr == ""


def test_text_report_grouped_by_area_and_exit_2(dnslab, tmp_path) -> None:
    out = run("weak.test", "--ip", LISTED_IP, "--nameserver", dnslab.nameserver, "--timeout", "2")
    assert out.returncode == 2
    text = out.stdout
    order = [
        text.index(h) for h in ("Sending IP", "DNS blacklists", "Authentication", "Receiving side")
    ]
    assert order == sorted(order)
    assert "fix: weak.test. IN TXT" in text
    target = tmp_path / "r.json"
    out = run(
        "weak.test",
        "--no-ip-discovery",
        "--nameserver",
        dnslab.nameserver,
        "--format",
        "json",
        "-o",
        str(target),
    )
    assert out.stdout == "" and json.loads(target.read_text())["ip"] is None


def test_message_option(dnslab, tmp_path) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(
        b"Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.r.test; "
        b"Sat, 28 Nov 2026 00:00:00 +0000\r\nFrom: a@sender.test\r\nTo: b@r.test\r\n\r\nhi\r\n"
    )
    out = run("sender.test", "--message", str(eml), "--nameserver", dnslab.nameserver, "--json")
    doc = json.loads(out.stdout)
    assert (
        doc["ip"] == GOOD_IP and doc["ip_source"] == "message" and doc["helo"] == "mail.sender.test"
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["not a domain", "--no-ip-discovery"], "not a domain"),
        (["sender.test", "--ip", "300.1.1.1"], "not an IP"),
        (["sender.test", "--ip", GOOD_IP, "--nameserver", "resolver.example"], "nameserver"),
        (["sender.test", "--message", "/nonexistent/x.eml"], "cannot read"),
        (["sender.test", "--timeout", "0"], ""),
    ],
)
def test_bad_input_is_one_line_exit_3(args, needle) -> None:
    out = run(*args)
    assert out.returncode == 3
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert needle in out.stderr
    if needle:
        assert len(out.stderr.strip().splitlines()) == 1


def test_unreachable_nameserver_is_could_not_run(dnslab) -> None:
    out = run(
        "sender.test",
        "--ip",
        GOOD_IP,
        "--nameserver",
        dnslab.silent_nameserver,
        "--timeout",
        "0.5",
        "--json",
    )
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert out.returncode == 3 == doc["exit_code"]
    live = [c for c in doc["checks"] if not c["informational"]]
    assert live and all(c["status"] == "error" for c in live)
    assert all("timeout" in c["summary"] for c in live)
