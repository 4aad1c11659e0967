"""Run a probe in a child process beside a well-behaved server and measure it.

The child is `tests.hostile.driver` (probe -> diagnose -> every renderer) or the
real CLI. Its peak RSS is read with os.wait4 for that child alone, its wall time
from outside, and its report is parsed back from JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from relaywiz.core.smtp.probe import port_budget
from relaywiz.core.smtp.request import ProbeRequest, Timeouts
from tests.support.servers import OTHER, USER

ROOT = Path(__file__).resolve().parents[2]
TIMEOUTS = Timeouts(connect=1.0, banner=2.0, command=2.0)
BUDGET = port_budget(ProbeRequest(host="x", mail_from=USER, timeouts=TIMEOUTS))
MARGIN = 2.0  # seconds over a configured timeout that still counts as "on time"
MAX_RSS_KB = 100 * 1024


@dataclass(frozen=True)
class Run:
    """What one child process produced."""

    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    max_rss_kb: int

    def report(self) -> dict[str, Any]:
        """The JSON report the child printed."""
        parsed: dict[str, Any] = json.loads(self.stdout)
        return parsed


def run_child(argv: list[str], stdin: str = "", timeout: float = BUDGET + 30) -> Run:
    """Run `argv` from the project root; wall time and the child's own peak RSS.

    The child is reaped with os.wait4, which gives that child's rusage alone
    (RUSAGE_CHILDREN would mix in every earlier child of pytest).
    """
    start = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )
    streams: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        streams[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=(n, s), daemon=True)
        for n, s in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for r in readers:
        r.start()
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    killed = not killer.is_alive()
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join(10)
    if killed:
        raise AssertionError(f"{argv[:4]} did not end within {timeout:g} s")
    return Run(
        proc.returncode,
        streams.get("out", b"").decode(),
        streams.get("err", b"").decode(),
        time.monotonic() - start,
        int(usage.ru_maxrss),
    )


def probe_spec(
    host: str,
    ports: list[int],
    cafile: str,
    implicit: frozenset[int] = frozenset(),
    situation: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The driver's input for one probe with the hostile suite's timeouts."""
    return {
        "host": host,
        "mail_from": USER,
        "ports": ports,
        "rcpt_other": OTHER,
        "timeouts": {"connect": TIMEOUTS.connect, "banner": TIMEOUTS.banner, "command": 2.0},
        "cafile": cafile,
        "implicit": sorted(implicit),
        "situation": situation or {},
    }


def run_driver(spec: dict[str, Any]) -> Run:
    return run_child([sys.executable, "-m", "tests.hostile.driver", json.dumps(spec)])


def cli_args(host: str, ports: list[int], cafile: str, implicit: frozenset[int]) -> list[str]:
    """`relaywiz --probe …` with the hostile suite's timeouts, as a child process."""
    argv = [sys.executable, "-m", "relaywiz", "--probe", host, "--json"]
    for p in ports:
        argv += ["--port", str(p)]
    for p in sorted(implicit):
        argv += ["--implicit-tls-port", str(p)]
    argv += ["--from", USER, "--to", OTHER, "--cafile", cafile]
    argv += ["--timeout", str(TIMEOUTS.banner), "--connect-timeout", str(TIMEOUTS.connect)]
    return argv
