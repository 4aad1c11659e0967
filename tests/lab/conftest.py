"""Fixtures for the lab tests: the real Postfix/Dovecot scenarios, and the installed relaywiz.

The lab is started once per session (all probe scenarios in parallel) and stopped
by pid at the end. Without the Debian packages or root the lab tests skip with
the reason (in CI, RELAYWIZ_REQUIRE_ALL=1 turns that skip into a failure).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lab.exim import exim_missing  # noqa: E402
from lab.labctl import Lab, missing_requirements  # noqa: E402
from lab.postfix import LabError  # noqa: E402
from lab.scenarios import EXIM_PROBE_SCENARIOS, PROBE_SCENARIOS  # noqa: E402

OTHER = "friend@elsewhere.test"  # another lab domain: accepted only by a relaying server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/lab/" in item.path.as_posix():
            item.add_marker(pytest.mark.lab)


@pytest.fixture(scope="session")
def lab() -> Iterator[Lab]:
    reason = missing_requirements()
    if reason:
        pytest.skip(f"mail-server lab unavailable: {reason}")
    the_lab = Lab()
    try:
        the_lab.start_many(PROBE_SCENARIOS)
        if exim_missing() is None:
            the_lab.start_many(EXIM_PROBE_SCENARIOS)
    except LabError:
        the_lab.stop_all()
        raise
    yield the_lab
    the_lab.stop_all()
    if not os.environ.get("RELAYWIZ_LAB_KEEP"):  # keep configs and logs for a post-mortem
        the_lab.remove_run_dir()


@pytest.fixture(scope="session")
def relaywiz_bin() -> str:
    """The installed console script (next to this Python, else on PATH)."""
    beside = Path(sys.executable).with_name("relaywiz")
    found = str(beside) if beside.exists() else shutil.which("relaywiz")
    if not found:
        pytest.fail("relaywiz is not installed: run python3 -m pip install -e '.[test]'")
    return found


@dataclass
class ProbeRun:
    """One run of `relaywiz --probe … --json` and what it printed."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.stdout)
        except ValueError as exc:
            raise AssertionError(
                f"relaywiz printed no JSON (rc {self.returncode}): {exc}\n"
                f"stdout: {self.stdout[:2000]}\nstderr: {self.stderr[:2000]}"
            ) from exc
        return data

    def port(self, number: int) -> dict[str, Any]:
        ports: list[dict[str, Any]] = self.report["ports"]
        for p in ports:
            if p["port"] == number:
                return p
        raise AssertionError(f"port {number} missing from the report")

    @property
    def outcomes(self) -> dict[int, str]:
        return {p["port"]: p["outcome"] for p in self.report["ports"]}

    @property
    def findings(self) -> set[tuple[str, int | None]]:
        return {(f["id"], f["port"]) for f in self.report["findings"]}

    @property
    def finding_ids(self) -> set[str]:
        return {f["id"] for f in self.report["findings"]}


def run_probe(
    relaywiz: str,
    lab: Lab,
    host: str,
    mail_from: str,
    *,
    source: str | None,
    password: str | None = None,
    user: str = "alice",
    extra: tuple[str, ...] = (),
    to: str = OTHER,
) -> ProbeRun:
    """Run the installed relaywiz against a lab server, password (if any) on stdin."""
    argv = [
        relaywiz,
        "--probe",
        host,
        "--from",
        mail_from,
        "--to",
        to,
        "--cafile",
        str(lab.cafile),
        "--json",
        "--timeout",
        "5",
        "--connect-timeout",
        "2",
    ]
    if source:
        argv += ["--source-address", source]
    if password is not None:
        argv += ["--user", user, "--password-stdin"]
    argv += list(extra)
    proc = subprocess.run(
        argv,
        input=(password + "\n") if password is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )
    return ProbeRun(argv, proc.returncode, proc.stdout, proc.stderr)


def settle() -> None:
    """Give postlogd a moment to write what the servers just logged."""
    time.sleep(0.3)
