"""Benchmark: how fast relaywiz starts, and how much memory each start costs.

Three figures, each the median of several fresh processes, with each process's
own peak RSS (os.wait4):
  - `relaywiz --version` wall time (goal <= 0.15 s), and as a ratio to a bare
    `python3 -c pass` (the interpreter's own start-up, which no Python tool beats);
  - `relaywiz --probe 127.0.0.1` to first connection: from just before the process
    is started until a loopback listener accepts its connection (the listener then
    refuses at the banner so the run ends at once), as a ratio to a bare Python
    one-liner that opens the same connection;
  - the wizard (`relaywiz`, no arguments) to first paint, in a pseudo-terminal of
    80x24: from the fork until the welcome screen's words are on the terminal, then
    ctrl+q; with its peak RSS, which bench_tui.py (the TUI's own benchmark, in tmux)
    does not report.
That textual is not imported by `--version` is asserted in a test
(tests/unit/test_core_imports.py), not here.

Run: python3 benchmarks/bench_startup.py [--rounds 21]
Prints one JSON object (with a "table" for benchmarks/run_all.py) on stdout.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_probe import measure, relaywiz_exe  # noqa: E402
from tests.hostile.measure import LAUNCHER, Measured  # noqa: E402

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b\][^\x07]*\x07")
WELCOME = b"send mail"  # on the wizard's first screen ("I can't send mail ...")


def wizard_first_paint(exe: list[str]) -> tuple[float, int]:
    """Seconds from the fork of the wizard in an 80x24 pty to its welcome screen, and the
    wizard's peak RSS (kB) once it has painted and been quit with ctrl+q."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    rfd, wfd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", str(LAUNCHER), str(wfd), *exe],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        pass_fds=(wfd,),
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    os.close(wfd)
    shown, painted = b"", None
    deadline = time.monotonic() + 30
    try:
        while painted is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.005)[0]:
                shown += os.read(master, 65536)
                if WELCOME in ANSI.sub(b"", shown):
                    painted = time.monotonic()
        os.write(master, b"\x11")  # ctrl+q
        quit_by = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < quit_by:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # our own new session, by its id
        proc.wait()
        os.close(master)
    with os.fdopen(rfd, "rb") as f:
        facts = json.loads(f.read().decode() or "{}")
    if painted is None or "start" not in facts:
        raise RuntimeError("the wizard never painted its welcome screen")
    return painted - float(facts["start"]), int(facts["maxrss_kb"])


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
    paints: list[tuple[float, int]] = []
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
            if len(paints) < max(3, rounds // 3):  # the slowest start: fewer rounds
                paints.append(wizard_first_paint(exe))
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
        "wizard_first_paint_s": round(med(t for t, _ in paints), 4),
        "wizard_first_paint_rounds": len(paints),
        "wizard_peak_rss_mb": round(max(r for _, r in paints) / 1024, 1),
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
            [
                "wizard (`relaywiz`) to first paint, 80x24 pty",
                f"{result['wizard_first_paint_s'] * 1000:.0f} ms",
                f"{result['wizard_first_paint_s'] / b:.2f}x bare `python3 -c pass`",
                f"{result['wizard_peak_rss_mb']} MB (painted, then ctrl+q)",
                "(bench_tui.py: <= 1 s)",
            ],
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
