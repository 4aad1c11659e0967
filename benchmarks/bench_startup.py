"""Benchmark: how fast relaywiz starts, and how much memory each start costs.

Three figures, each the median of several fresh processes, with each process's
own peak RSS (os.wait4):
  - `relaywiz --version` wall time (goal <= 0.15 s), and as a ratio to a bare
    `python3 -c pass` (the interpreter's own start-up, which no Python tool beats);
  - `relaywiz --probe 127.0.0.1` to first connection: from just before the process
    is started until a loopback listener accepts its connection (the listener then
    refuses at the banner so the run ends at once), as a ratio to a bare Python
    one-liner that opens the same connection;
  - the wizard to first paint: measured by benchmarks/bench_tui.py (the TUI's own
    benchmark) when present; this script does not duplicate it.
That textual is not imported by `--version` is asserted in a test
(tests/unit/test_core_imports.py), not here.

Run: python3 benchmarks/bench_startup.py [--rounds 21]
Prints one JSON object (with a "table" for benchmarks/run_all.py) on stdout.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_probe import measure, relaywiz_exe  # noqa: E402
from tests.hostile.measure import Measured  # noqa: E402


class FirstConnection:
    """A loopback listener that notes when each connection arrives, then refuses it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.arrived: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.arrived.append(time.monotonic())
            try:
                conn.sendall(b"554 5.7.1 bench.test no service here\r\n")
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


def time_to_connection(listener: FirstConnection, argv: list[str]) -> tuple[float, Measured]:
    """Seconds from the fork of `argv` until the listener accepted its connection (both on
    the system-wide monotonic clock)."""
    before = len(listener.arrived)
    m = measure(argv, timeout=60)
    if len(listener.arrived) == before:
        raise RuntimeError(f"{argv[:3]} never connected (exit {m.returncode})")
    return listener.arrived[before] - m.start, m


def bench_main(rounds: int) -> dict[str, Any]:
    exe = relaywiz_exe()
    listener = FirstConnection()
    probe = [*exe, "--probe", "127.0.0.1", "--port", str(listener.port), "--json"]
    probe += ["--from", "alice@isp.test", "--to", "friend@other.test", "--timeout", "3"]
    bare_connect = [
        sys.executable,
        "-c",
        f"import socket; socket.create_connection(('127.0.0.1', {listener.port})).recv(100)",
    ]
    version: list[Measured] = []
    bare: list[Measured] = []
    nosite: list[Measured] = []
    to_conn: list[float] = []
    probe_runs: list[Measured] = []
    bare_conn: list[float] = []
    try:
        measure([*exe, "--version"])  # warm the page cache and .pyc files
        measure(probe)
        for _ in range(rounds):  # interleaved, so load drifts hit all alike
            version.append(measure([*exe, "--version"]))
            bare.append(measure([sys.executable, "-c", "pass"]))
            nosite.append(measure([sys.executable, "-S", "-c", "pass"]))
            t, m = time_to_connection(listener, probe)
            to_conn.append(t)
            probe_runs.append(m)
            bare_conn.append(time_to_connection(listener, bare_connect)[0])
    finally:
        listener.close()
    if any(m.returncode != 0 for m in version):
        raise RuntimeError("relaywiz --version failed")
    if any(m.returncode not in (0, 1, 2) for m in probe_runs):
        raise RuntimeError("relaywiz --probe could not run")
    med = statistics.median
    v, b = med(m.wall_s for m in version), med(m.wall_s for m in bare)
    c, bc = med(to_conn), med(bare_conn)
    result: dict[str, Any] = {
        "rounds": rounds,
        "relaywiz": " ".join(exe),
        "version_s": round(v, 4),
        "bare_python_s": round(b, 4),
        "version_to_bare_python": round(v / b, 2),
        "bare_python_without_site_s": round(med(m.wall_s for m in nosite), 4),
        "version_peak_rss_mb": round(max(m.max_rss_kb for m in version) / 1024, 1),
        "bare_python_peak_rss_mb": round(max(m.max_rss_kb for m in bare) / 1024, 1),
        "probe_first_connection_s": round(c, 4),
        "bare_python_first_connection_s": round(bc, 4),
        "probe_first_connection_to_bare": round(c / bc, 2),
        "probe_whole_run_s": round(med(m.wall_s for m in probe_runs), 4),
        "probe_peak_rss_mb": round(max(m.max_rss_kb for m in probe_runs) / 1024, 1),
        "tui_first_paint": _tui_note(),
        "goals": {"--version <= 0.15 s": v <= 0.15},
    }
    result["table"] = {
        "columns": ["start-up (median)", "wall time", "ratio", "peak RSS", "goal"],
        "rows": [
            [
                "`relaywiz --version`",
                f"{v * 1000:.0f} ms",
                f"{v / b:.2f}x bare `python3 -c pass` ({b * 1000:.0f} ms; "
                f"`-S`, no site-packages: {med(m.wall_s for m in nosite) * 1000:.0f} ms)",
                f"{result['version_peak_rss_mb']} MB",
                "<= 150 ms",
            ],
            [
                "`relaywiz --probe` to first connection",
                f"{c * 1000:.0f} ms",
                f"{c / bc:.2f}x a bare Python connect ({bc * 1000:.0f} ms)",
                f"{result['probe_peak_rss_mb']} MB (whole run)",
                "",
            ],
            ["wizard to first paint", "see bench_tui.py", "", "", ""],
        ],
    }
    return result


def _tui_note() -> str:
    if (ROOT / "benchmarks" / "bench_tui.py").exists():
        return "measured by benchmarks/bench_tui.py"
    return "not measured: benchmarks/bench_tui.py is not present"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    result = bench_main(args.rounds)
    print(json.dumps(result, indent=2))
    return 0 if all(result["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
