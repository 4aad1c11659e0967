"""Run a probe in a child process beside a well-behaved server and measure it.

The child is `tests.hostile.driver` (probe -> diagnose -> every renderer) or the
real CLI, started through tests.hostile.measure, which reads that child's own
peak RSS and wall time; its report is parsed back from JSON.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relaywiz.core.model import Outcome, Stage
from relaywiz.core.smtp.probe import port_budget
from relaywiz.core.smtp.request import ProbeRequest, Timeouts
from tests.hostile.measure import Measured, run_measured
from tests.support.servers import OTHER, USER

ROOT = Path(__file__).resolve().parents[2]
TIMEOUTS = Timeouts(connect=1.0, banner=2.0, command=2.0)
BUDGET = port_budget(ProbeRequest(host="x", mail_from=USER, timeouts=TIMEOUTS))
MARGIN = 2.0  # seconds over a configured timeout that still counts as "on time"
MAX_RSS_KB = 100 * 1024


def run_child(argv: list[str], stdin: str = "", timeout: float = BUDGET + 30) -> Measured:
    """Run `argv` from the project root: its exit code, output, wall time, own peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return run_measured(argv, stdin=stdin, timeout=timeout, env=env)


def report_of(run: Measured) -> dict[str, Any]:
    """The JSON report the child printed."""
    parsed: dict[str, Any] = json.loads(run.stdout)
    return parsed


def probe_spec(
    host: str,
    ports: list[int],
    cafile: str,
    implicit: frozenset[int] = frozenset(),
    situation: dict[str, str] | None = None,
    timeouts: Timeouts = TIMEOUTS,
) -> dict[str, Any]:
    """The driver's input for one probe (by default with the hostile suite's timeouts)."""
    return {
        "host": host,
        "mail_from": USER,
        "ports": ports,
        "rcpt_other": OTHER,
        "timeouts": {
            "connect": timeouts.connect,
            "banner": timeouts.banner,
            "command": timeouts.command,
        },
        "cafile": cafile,
        "implicit": sorted(implicit),
        "situation": situation or {},
    }


def run_driver(spec: dict[str, Any]) -> Measured:
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


# What each hostile server must come to (see docs/hostile.md).
@dataclass(frozen=True)
class Expect:
    outcome: Outcome
    stage: Stage | None  # None: wherever the port's total budget ran out
    finding: str | None = None  # a finding id the diagnosis must attach to the port
    bound: float | None = None  # seconds the hostile port may use (None: its whole budget)


BANNER_BOUND = TIMEOUTS.connect + TIMEOUTS.banner
EXPECT: dict[str, Expect] = {
    "silent": Expect(Outcome.NO_BANNER, Stage.BANNER, "connect.no_banner", BANNER_BOUND),
    "drip_banner": Expect(Outcome.NO_BANNER, Stage.BANNER, "connect.no_banner", BANNER_BOUND),
    "huge_banner": Expect(Outcome.PROTOCOL_ERROR, Stage.BANNER, "smtp.protocol_error"),
    "huge_rcpt_reply": Expect(Outcome.PROTOCOL_ERROR, Stage.RCPT_SAME, "smtp.protocol_error"),
    "endless_multiline": Expect(Outcome.PROTOCOL_ERROR, Stage.EHLO, "smtp.protocol_error"),
    "bad_bytes": Expect(Outcome.RELAY_DENIED, Stage.RCPT_OTHER, "relay.needs_credentials"),
    "tls_reset_implicit": Expect(Outcome.TLS_ERROR, Stage.TLS_HANDSHAKE, "tls.handshake_failed"),
    "tls_reset_starttls": Expect(Outcome.TLS_ERROR, Stage.STARTTLS, "tls.handshake_failed"),
    "tls_on_plain_port": Expect(Outcome.NO_BANNER, Stage.BANNER, "connect.no_banner", BANNER_BOUND),
    "plain_on_implicit_port": Expect(
        Outcome.TLS_ERROR, Stage.TLS_HANDSHAKE, "tls.handshake_failed"
    ),
    "open_relay": Expect(Outcome.OK, Stage.RCPT_OTHER, "relay.open"),
    "close_after_rcpt": Expect(Outcome.PROTOCOL_ERROR, Stage.RCPT_SAME, "smtp.protocol_error"),
    "close_after_rcpt_reply": Expect(Outcome.OK, Stage.RCPT_OTHER, "relay.open"),
    "slow_tarpit": Expect(Outcome.TIMEOUT, None, "connect.timeout"),
}
