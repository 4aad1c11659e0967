"""Benchmark: the mail-server lab's start-up, and a whole probe against real Postfix.

Figures (all on loopback, ratios within one run):
- lab up: seconds from nothing running to every probe scenario listening
  (Dovecot plus ten Postfix instances started in parallel), and down again;
- the whole default probe (587, 465, 25, 2525 at once, with a login) of the ISP
  scenario, as a ratio to probing its slowest port alone (each port timed alone).
  The design says a probe costs about as much as its slowest port: goal <= 1.5x.

Run (as root, packages from lab/install-packages.sh):
    python3 benchmarks/bench_lab.py [--rounds 11]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lab.labctl import Lab, missing_requirements
from lab.scenarios import PROBE_SCENARIOS
from relaywiz.core.model import Outcome
from relaywiz.core.smtp.probe import run_probe
from relaywiz.core.smtp.request import Credentials, ProbeRequest


def _request(lab: Lab, ports: tuple[int, ...]) -> ProbeRequest:
    return ProbeRequest(
        host=lab.address_of("isp"),
        mail_from="alice@isp.test",
        rcpt_other="friend@elsewhere.test",
        ports=ports,
        credentials=Credentials("alice", lab.passwords["alice"]),
        source_address=lab.outside,
        cafile=str(lab.cafile),
        helo_name="bench.lab.test",
    )


def _time_probe(request: ProbeRequest) -> float:
    start = time.perf_counter()
    evidence = asyncio.run(run_probe(request))
    elapsed = time.perf_counter() - start
    by_port = {p.port: p.outcome for p in evidence.ports}
    if 587 in request.ports and by_port.get(587) != Outcome.OK:
        raise SystemExit(f"unexpected probe result: {by_port}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    reason = missing_requirements()
    if reason:
        print(f"bench_lab: {reason}", file=sys.stderr)
        return 3
    t0 = time.perf_counter()
    lab = Lab()
    try:
        lab.start_many(PROBE_SCENARIOS)
        up = time.perf_counter() - t0
        whole: list[float] = []
        single: dict[int, list[float]] = {587: [], 465: [], 25: [], 2525: []}
        for _ in range(args.rounds):
            whole.append(_time_probe(_request(lab, (587, 465, 25, 2525))))
            for port, times in single.items():
                times.append(_time_probe(_request(lab, (port,))))
    finally:
        t1 = time.perf_counter()
        lab.stop_all()
        down = time.perf_counter() - t1
        lab.remove_run_dir()
    w = statistics.median(whole)
    medians = {port: statistics.median(times) for port, times in single.items()}
    slowest = max(medians, key=lambda port: medians[port])
    s = medians[slowest]
    print(f"lab up ({len(PROBE_SCENARIOS)} scenarios + Dovecot): {up:.1f} s; down: {down:.1f} s")
    print(f"whole probe (4 ports, login), median of {args.rounds}: {w * 1000:.1f} ms")
    alone = ", ".join(f"{port}: {m * 1000:.1f} ms" for port, m in medians.items())
    print(f"each port alone, median of {args.rounds}: {alone}")
    print(f"ratio whole / slowest port: {w / s:.2f}x (goal <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
