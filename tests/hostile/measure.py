"""Run one command in a child process and measure it: its own wall time and peak RSS.

Used by the hostile-server tests and by benchmarks/. The command is launched
through `rss_exec.py` (see there why), which reports the command's start and end
on the shared monotonic clock and its peak RSS; output is collected by threads,
and a command that outlives `timeout` is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("rss_exec.py")


class Overran(AssertionError):
    """The command did not end within its timeout (it was killed)."""


@dataclass(frozen=True)
class Measured:
    """What one command did."""

    returncode: int
    stdout: str
    stderr: str
    start: float  # time.monotonic() just before the command was forked
    end: float
    max_rss_kb: int

    @property
    def wall_s(self) -> float:
        return self.end - self.start


def run_measured(
    argv: list[str],
    *,
    stdin: str | None = None,
    timeout: float = 600.0,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
) -> Measured:
    """Run `argv` (stdin: the text given, else /dev/null); raise Overran after `timeout` s."""
    rfd, wfd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", str(LAUNCHER), str(wfd), *argv],
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(wfd,),
        env=env,
        start_new_session=True,  # so a timeout can end the command and its children
    )
    os.close(wfd)
    streams: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes] | None) -> None:
        if stream is not None:
            streams[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for r in readers:
        r.start()
    if stdin is not None and proc.stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin.encode())
        proc.stdin.close()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # our own new session, by its id
        proc.wait()
        os.close(rfd)
        raise Overran(f"{argv[:4]} did not end within {timeout:g} s") from None
    for r in readers:
        r.join(10)
    with os.fdopen(rfd, "rb") as f:
        line = f.read().decode().strip()
    if not line:
        raise RuntimeError(f"the launcher reported nothing for {argv[:4]}")
    facts = json.loads(line)
    return Measured(
        returncode=int(facts["status"]),
        stdout=streams.get("out", b"").decode(errors="replace"),
        stderr=streams.get("err", b"").decode(errors="replace"),
        start=float(facts["start"]),
        end=float(facts["end"]),
        max_rss_kb=int(facts["maxrss_kb"]),
    )
