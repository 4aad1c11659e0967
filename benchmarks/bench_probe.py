"""Benchmark: the whole relaywiz probe against swaks probing the same ports one by one.

Four ports of one loopback host, the mix a hotel network or an overloaded server
gives: one filtered (a listener whose accept queue is full, so a connect times
out, like port 25 behind an ISP block), one silent (accepts, never greets, like a
tarpit on 2525), and two answering at once (aiosmtpd: one plain, one with
STARTTLS and a trustme certificate, like 587). All on 127.0.0.1; no other traffic.

Measured in one run, interleaved, several rounds, medians:
  - `relaywiz --probe` of all four ports (--timeout 3, and its default 10 s);
  - Debian's swaks on each port one after another (`--quit-after RCPT`), with its
    default timeouts (30 s) and with `--timeout 3`;
  - relaywiz on each port alone, so the whole probe can be set against its own
    slowest port (all ports run concurrently, so it should cost about as much);
  - issue 2's figure: four ports where one never speaks (timeout 3 s) and three
    answer at once, whole probe / slowest single port probed alone.
Each relaywiz run is a separate process (wall time includes start-up, as swaks's
does); the probe's own elapsed time from its JSON report is given too.

Goals: swaks default sweep / relaywiz >= 10x; relaywiz whole / slowest port <= 1.2x.

Run: python3 benchmarks/bench_probe.py [--rounds 5] [--swaks-default-rounds 3]
Prints one JSON object (with a "table" for benchmarks/run_all.py) on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.measure import Measured, run_measured  # noqa: E402
from tests.support.servers import (  # noqa: E402
    OTHER,
    USER,
    Certs,
    Policy,
    RawServer,
    make_certs,
    smtp_server,
)

FAST_TIMEOUT = 3.0
ROLES = ("starttls", "plain", "filtered", "silent")  # the order of Ports.all()


def relaywiz_exe() -> list[str]:
    """The installed console script next to this interpreter (not a pyenv shim)."""
    script = Path(sys.executable).parent / "relaywiz"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "relaywiz"]


def measure(argv: list[str], timeout: float = 600.0) -> Measured:
    """Run `argv`: wall time and the command's own peak RSS (see tests/hostile/measure.py)."""
    return run_measured(argv, timeout=timeout)


def silent(conn: socket.socket) -> None:
    """Accept and never say a word (until the client leaves or ten minutes pass)."""
    conn.settimeout(600)
    with contextlib.suppress(OSError):
        while conn.recv(1024):
            pass


@dataclass(frozen=True)
class Ports:
    """The benchmark's listeners by role."""

    filtered: int
    silent: int
    plain: int
    starttls: int
    cafile: str

    def all(self) -> tuple[int, ...]:
        return (self.starttls, self.plain, self.filtered, self.silent)


@contextlib.contextmanager
def four_ports(certs: Certs) -> Iterator[Ports]:
    policy = Policy()  # relay only after AUTH: the usual submission server
    with (
        RawServer(silent, backlog=0, accept=False) as filtered,
        RawServer(silent, backlog=64) as quiet,
        smtp_server(policy) as (plain, _),
        smtp_server(policy, starttls=certs.server_context(certs.good)) as (tls, _),
    ):
        yield Ports(filtered.port, quiet.port, plain, tls, str(certs.cafile))


def relaywiz_probe(ports: tuple[int, ...], cafile: str, timeout: float | None) -> list[str]:
    argv = [*relaywiz_exe(), "--probe", "127.0.0.1", "--json", "--cafile", cafile]
    argv += ["--from", USER, "--to", OTHER]
    for p in ports:
        argv += ["--port", str(p)]
    if timeout is not None:
        argv += ["--timeout", f"{timeout:g}"]
    return argv


def swaks(port: int, timeout: float | None) -> list[str]:
    argv = ["swaks", "--server", "127.0.0.1", "--port", str(port), "--quit-after", "RCPT"]
    argv += ["--to", OTHER, "--from", USER]
    if timeout is not None:
        argv += ["--timeout", f"{timeout:g}"]
    return argv


def swaks_sweep(ports: tuple[int, ...], timeout: float | None) -> float:
    """Wall time of swaks on each port, one after another (as a person or a script would)."""
    start = time.perf_counter()
    for port in ports:
        measure(swaks(port, timeout))
    return time.perf_counter() - start


def probe_elapsed(m: Measured) -> float:
    """The probe's own elapsed seconds, from its JSON report."""
    return float(json.loads(m.stdout)["elapsed_ms"]) / 1000


def outcomes(m: Measured) -> list[str]:
    return [p["outcome"] for p in json.loads(m.stdout)["ports"]]


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def rounds_of(n: int, work: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Run every job once per round, interleaved, so load drifts hit them alike."""
    got: dict[str, list[float]] = {k: [] for k in work}
    for _ in range(n):
        for name, job in work.items():
            got[name].append(job())
    return got


def bench_main(rounds: int, swaks_rounds: int) -> dict[str, Any]:
    if shutil.which("swaks") is None:
        raise SystemExit("swaks is not installed (apt-get install swaks)")
    certs = make_certs(Path(tempfile.mkdtemp(prefix="bench-probe-")))
    cafile = str(certs.cafile)
    result: dict[str, Any] = {}
    internal: dict[float | None, list[float]] = {}
    with four_ports(certs) as P:
        four = P.all()
        check = measure(relaywiz_probe(four, P.cafile, FAST_TIMEOUT))
        result["outcomes"] = dict(zip(ROLES, outcomes(check), strict=True))
        rss: list[int] = []

        def whole(timeout: float | None) -> Callable[[], float]:
            def job() -> float:
                m = measure(relaywiz_probe(four, P.cafile, timeout))
                rss.append(m.max_rss_kb)
                internal.setdefault(timeout, []).append(probe_elapsed(m))
                return m.wall_s

            return job

        def alone(port: int) -> Callable[[], float]:
            def job() -> float:
                m = measure(relaywiz_probe((port,), P.cafile, FAST_TIMEOUT))
                internal.setdefault(-port, []).append(probe_elapsed(m))
                return m.wall_s

            return job

        fast = rounds_of(
            rounds,
            {
                "relaywiz_t3": whole(FAST_TIMEOUT),
                **{f"alone_{p}": alone(p) for p in four},
                "swaks_t3": lambda: swaks_sweep(four, FAST_TIMEOUT),
            },
        )
        slow = rounds_of(
            swaks_rounds,
            {
                "relaywiz_default": whole(None),
                "swaks_default": lambda: swaks_sweep(four, None),
            },
        )
    # Issue 2's figure: one silent port, three answering at once.
    with (
        RawServer(silent, backlog=64) as quiet,
        smtp_server(Policy()) as (a, _),
        smtp_server(Policy(relay_needs_auth=False)) as (b, _),
        smtp_server(Policy(), starttls=certs.server_context(certs.good)) as (c, _),
    ):
        mix = (a, b, c, quiet.port)
        issue2_internal: dict[int, list[float]] = {}

        def i2(ports: tuple[int, ...], key: int) -> Callable[[], float]:
            def job() -> float:
                m = measure(relaywiz_probe(ports, cafile, FAST_TIMEOUT))
                issue2_internal.setdefault(key, []).append(probe_elapsed(m))
                return m.wall_s

            return job

        issue2 = rounds_of(
            rounds,
            {"whole": i2(mix, 0), **{f"alone_{p}": i2((p,), p) for p in mix}},
        )

    slowest_alone = max(med(fast[f"alone_{p}"]) for p in four)
    slowest_alone_internal = max(med(internal[-p]) for p in four)
    i2_slowest = max(med(issue2[f"alone_{p}"]) for p in mix)
    i2_slowest_internal = max(med(issue2_internal[p]) for p in mix)
    r = {
        "relaywiz_t3_s": med(fast["relaywiz_t3"]),
        "relaywiz_default_s": med(slow["relaywiz_default"]),
        "swaks_default_sweep_s": med(slow["swaks_default"]),
        "swaks_t3_sweep_s": med(fast["swaks_t3"]),
        "slowest_port_alone_s": slowest_alone,
    }
    result.update({k: round(v, 3) for k, v in r.items()})
    result.update(
        {
            "rounds": rounds,
            "swaks_default_rounds": swaks_rounds,
            "ratio_swaks_default_to_relaywiz_t3": round(
                r["swaks_default_sweep_s"] / r["relaywiz_t3_s"], 2
            ),
            "ratio_swaks_default_to_relaywiz_default": round(
                r["swaks_default_sweep_s"] / r["relaywiz_default_s"], 2
            ),
            "ratio_swaks_t3_to_relaywiz_t3": round(r["swaks_t3_sweep_s"] / r["relaywiz_t3_s"], 2),
            "ratio_whole_to_slowest_port_wall": round(r["relaywiz_t3_s"] / slowest_alone, 3),
            "ratio_whole_to_slowest_port_probe": round(
                med(internal[FAST_TIMEOUT]) / slowest_alone_internal, 3
            ),
            "issue2_whole_s": round(med(issue2["whole"]), 3),
            "issue2_slowest_alone_s": round(i2_slowest, 3),
            "issue2_ratio_wall": round(med(issue2["whole"]) / i2_slowest, 3),
            "issue2_ratio_probe": round(med(issue2_internal[0]) / i2_slowest_internal, 3),
            "relaywiz_peak_rss_mb": round(max(rss) / 1024, 1),
        }
    )
    result["goals"] = {
        "swaks_default / relaywiz >= 10x": result["ratio_swaks_default_to_relaywiz_t3"] >= 10,
        "whole / slowest port <= 1.2x": result["ratio_whole_to_slowest_port_wall"] <= 1.2,
    }
    result["table"] = _table(result)
    return result


def _table(r: dict[str, Any]) -> dict[str, Any]:
    rows = [
        ["relaywiz, 4 ports at once, --timeout 3", f"{r['relaywiz_t3_s']:.2f} s", "1x", ""],
        [
            "swaks, 4 ports one by one, default timeouts (30 s)",
            f"{r['swaks_default_sweep_s']:.2f} s",
            f"{r['ratio_swaks_default_to_relaywiz_t3']:.1f}x",
            ">= 10x",
        ],
        [
            "swaks, 4 ports one by one, --timeout 3",
            f"{r['swaks_t3_sweep_s']:.2f} s",
            f"{r['ratio_swaks_t3_to_relaywiz_t3']:.1f}x",
            "",
        ],
        [
            "relaywiz, 4 ports at once, default timeouts (10 s)",
            f"{r['relaywiz_default_s']:.2f} s",
            f"swaks default / this = {r['ratio_swaks_default_to_relaywiz_default']:.1f}x",
            "",
        ],
        [
            "relaywiz, slowest of the 4 ports alone, --timeout 3",
            f"{r['slowest_port_alone_s']:.2f} s",
            f"whole / this = {r['ratio_whole_to_slowest_port_wall']:.2f}x "
            f"(probe's own clock: {r['ratio_whole_to_slowest_port_probe']:.2f}x)",
            "<= 1.2x",
        ],
        [
            "issue 2: 1 silent + 3 answering, whole probe, --timeout 3",
            f"{r['issue2_whole_s']:.2f} s",
            f"whole / slowest alone ({r['issue2_slowest_alone_s']:.2f} s) = "
            f"{r['issue2_ratio_wall']:.2f}x (probe's own clock: {r['issue2_ratio_probe']:.2f}x)",
            "<= 1.2x",
        ],
    ]
    return {"columns": ["measurement (median)", "wall time", "ratio", "goal"], "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--swaks-default-rounds", type=int, default=3)
    args = parser.parse_args()
    result = bench_main(args.rounds, args.swaks_default_rounds)
    print(json.dumps(result, indent=2))
    return 0 if all(result["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
