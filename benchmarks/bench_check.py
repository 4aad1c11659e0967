"""Benchmark: a full `relaywiz check` against a local DNS server with 50 ms of latency.

A real unbound on loopback serves the test zones; a small UDP proxy in front of it
holds every query for 50 ms before passing it on, like a distant resolver. The
figure is the time of one complete check (MX, PTR + FCrDNS, HELO, SPF evaluated by
pyspf, DMARC, a DKIM key, MTA-STS, TLS-RPT and 8 blacklists, each self-tested) as
a ratio to the time of one DNS query through the same proxy. Goal: <= 5x, which
only holds if the ~60 lookups run concurrently rather than one after another.

Run: python3 benchmarks/bench_check.py [--delay-ms 50] [--rounds 7]
All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.queues
import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relaywiz.core.checks import CheckRequest, run_check
from relaywiz.core.checks.catalog import by_zone
from relaywiz.core.dns import DnsClient
from tests.dns.unbound_server import SilentUdp, UnboundServer
from tests.dns.zones import (
    GOOD_IP,
    build_zones,
    healthy_domain_list,
    healthy_list,
    make_dkim_key,
)

LISTS = (
    "zen.spamhaus.org",
    "bl.spamcop.net",
    "b.barracudacentral.org",
    "dnsbl-1.uceprotect.net",
    "psbl.surriel.com",
    "bl.mailspike.net",
    "dbl.spamhaus.org",
    "multi.surbl.org",
)


class DelayProxy:
    """UDP on 127.0.0.1: each query waits `delay` seconds, then goes to the upstream port.

    Runs in its own process (started and stopped by pid), so its work does not share
    the interpreter lock with the check being measured.
    """

    def __init__(self, upstream_port: int, delay: float) -> None:
        self.upstream_port = upstream_port
        self.delay = delay
        self.port = 0
        ctx = multiprocessing.get_context("fork")
        self._queries = ctx.Value("i", 0)
        self._ports: multiprocessing.queues.Queue[int] = ctx.Queue()
        self._proc = ctx.Process(
            target=_proxy_main,
            args=(upstream_port, delay, self._ports, self._queries),
            daemon=True,
        )

    @property
    def queries(self) -> int:
        return int(self._queries.value)

    def start(self) -> None:
        self._proc.start()
        self.port = self._ports.get(timeout=10)

    def stop(self) -> None:
        if self._proc.pid is not None and self._proc.is_alive():
            os.kill(self._proc.pid, signal.SIGTERM)
        self._proc.join(timeout=5)


def _proxy_main(upstream_port: int, delay: float, ports, counter) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(_proxy(("127.0.0.1", upstream_port), delay, ports, counter))


async def _proxy(upstream: tuple[str, int], delay: float, ports, counter) -> None:  # type: ignore[no-untyped-def]
    """One front socket, one upstream socket; query ids are rewritten to route replies back."""
    loop = asyncio.get_running_loop()
    waiting: dict[int, tuple[bytes, tuple[str, int]]] = {}
    next_id = [0]

    class Back(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, _addr: tuple[str, int]) -> None:
            entry = waiting.pop(int.from_bytes(data[:2], "big"), None)
            if entry is not None:
                front.sendto(entry[0] + data[2:], entry[1])

    class Front(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
            if len(data) < 12:
                return
            with counter.get_lock():
                counter.value += 1
            next_id[0] = (next_id[0] + 1) % 65536
            waiting[next_id[0]] = (data[:2], addr)
            relayed = next_id[0].to_bytes(2, "big") + data[2:]
            loop.call_later(delay, back.sendto, relayed)

    back, _ = await loop.create_datagram_endpoint(Back, remote_addr=upstream)
    front, _ = await loop.create_datagram_endpoint(Front, local_addr=("127.0.0.1", 0))
    ports.put(front.get_extra_info("sockname")[1])
    await asyncio.Event().wait()  # until SIGTERM


def healthy_zones(public_key: str, silent: SilentUdp):  # type: ignore[no-untyped-def]
    """The test zones with every benchmarked list well-behaved (none refuses or fails)."""
    zs = build_zones(public_key, silent)
    for zone in ("b.barracudacentral.org", "dnsbl-1.uceprotect.net", "psbl.surriel.com"):
        healthy_list(zs, zone, {})
    zs.servfail = [z for z in zs.servfail if z != "psbl.surriel.com."]
    healthy_domain_list(zs, "multi.uribl.com", {})
    return zs


async def one_query(nameserver: str, rounds: int) -> list[float]:
    client = DnsClient(nameserver, timeout=5)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = await client.resolve("sender.test", "MX")
        times.append(time.perf_counter() - start)
        assert answer.ok, answer
    return times


async def full_check(nameserver: str) -> tuple[float, int, int]:
    request = CheckRequest(
        domain="sender.test",
        ip=GOOD_IP,
        helo="mail.sender.test",
        dkim_selectors=("sel1",),
        nameserver=nameserver,
        timeout=5,
        discover_ip=False,
        blacklists=tuple(by_zone(z) for z in LISTS),
    )
    start = time.perf_counter()
    report = await run_check(request)
    elapsed = time.perf_counter() - start
    bad = [c for c in report.checks if c.status.value not in ("ok",)]
    assert not bad, bad  # a benchmark of a failing check would measure the wrong thing
    return elapsed, len(report.checks), report.exit_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay-ms", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    _private, public = make_dkim_key()
    silent = SilentUdp()
    server = UnboundServer(healthy_zones(public, silent))
    server.start()
    proxy = DelayProxy(server.port, args.delay_ms / 1000)
    proxy.start()
    nameserver = f"127.0.0.1:{proxy.port}"
    try:
        asyncio.run(full_check(nameserver))  # warm-up: imports, PSL load, thread pool
        singles = asyncio.run(one_query(nameserver, args.rounds * 3))
        before = proxy.queries
        checks = []
        for _ in range(args.rounds):
            elapsed, count, _code = asyncio.run(full_check(nameserver))
            checks.append(elapsed)
        per_check = (proxy.queries - before) / args.rounds
    finally:
        proxy.stop()
        server.stop()
        silent.close()
    single = statistics.median(singles)
    check = statistics.median(checks)
    result = {
        "delay_ms": args.delay_ms,
        "blacklists": len(LISTS),
        "checks_reported": count,
        "dns_queries_per_check": round(per_check, 1),
        "one_query_ms_median": round(single * 1000, 1),
        "full_check_ms_median": round(check * 1000, 1),
        "full_check_ms_min": round(min(checks) * 1000, 1),
        "full_check_ms_max": round(max(checks) * 1000, 1),
        "ratio": round(check / single, 2),
        "goal": "<= 5x",
    }
    print(json.dumps(result, indent=2))
    print(
        f"check: full check {result['full_check_ms_median']} ms vs one query "
        f"{result['one_query_ms_median']} ms = {result['ratio']}x "
        f"({result['dns_queries_per_check']} queries, {len(LISTS)} blacklists)"
    )
    return 0 if check / single <= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
