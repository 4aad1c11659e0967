"""Benchmark: `relaywiz settings` discovery against a DNS server with 50 ms of latency,
and the CPU cost of `diagnose` on recorded evidence.

Discovery asks 9 questions (two SRV names, MX, A and AAAA of three guesses). The
figure is the median time of one discovery as a ratio to the median time of one
query through the same delaying proxy (the one bench_check.py uses, in its own
process). Goal: <= 2x, which holds only if the lookups run concurrently.
The second figure is the median time of one `diagnose()` call over the recorded
cases of tests/unit/diagnose (pure CPU, no I/O), as a ratio to rendering the same
report as JSON.

Run: python3 benchmarks/bench_settings.py [--delay-ms 50] [--rounds 11]
All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_check import DelayProxy
from relaywiz.core.diagnose import diagnose
from relaywiz.core.dns import DnsClient
from relaywiz.core.providers import discover_all
from relaywiz.core.report import render_json
from tests.dns.unbound_server import UnboundServer
from tests.unit.diagnose.test_findings import CASES
from tests.unit.providers.conftest import discovery_zones


async def one_query(nameserver: str, rounds: int) -> list[float]:
    client = DnsClient(nameserver, timeout=5)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = await client.resolve("srv.test", "MX")
        times.append(time.perf_counter() - start)
        assert answer.ok, answer
    return times


async def one_discovery(nameserver: str) -> float:
    start = time.perf_counter()
    found = await discover_all("bob@srv.test", DnsClient(nameserver, timeout=5))
    elapsed = time.perf_counter() - start
    assert found.suggestions and not found.problems, found  # measure a successful discovery
    return elapsed


def diagnose_cost(rounds: int) -> tuple[float, float]:
    """Median seconds per diagnose() and per render_json() over all recorded cases."""
    diag, render = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        reports = [diagnose(c.evidence, c.situation) for c in CASES]
        diag.append((time.perf_counter() - start) / len(CASES))
        start = time.perf_counter()
        for r in reports:
            render_json(r)
        render.append((time.perf_counter() - start) / len(CASES))
    return statistics.median(diag), statistics.median(render)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    server = UnboundServer(discovery_zones())
    server.start()
    proxy = DelayProxy(server.port, args.delay_ms / 1000)
    proxy.start()
    nameserver = f"127.0.0.1:{proxy.port}"
    try:
        asyncio.run(one_discovery(nameserver))  # warm-up
        singles = asyncio.run(one_query(nameserver, args.rounds * 3))
        before = proxy.queries
        runs = [asyncio.run(one_discovery(nameserver)) for _ in range(args.rounds)]
        per_run = (proxy.queries - before) / args.rounds
    finally:
        proxy.stop()
        server.stop()
    single, disc = statistics.median(singles), statistics.median(runs)
    diag, render = diagnose_cost(args.rounds)
    print(
        json.dumps(
            {
                "delay_ms": args.delay_ms,
                "dns_queries_per_discovery": round(per_run, 1),
                "one_query_ms_median": round(single * 1000, 1),
                "discovery_ms_median": round(disc * 1000, 1),
                "discovery_ratio": round(disc / single, 2),
                "discovery_goal": "<= 2x",
                "diagnose_us_per_report": round(diag * 1e6, 1),
                "render_json_us_per_report": round(render * 1e6, 1),
                "diagnose_to_render_ratio": round(diag / render, 2),
                "recorded_cases": len(CASES),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
