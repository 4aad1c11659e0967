"""A real unbound on loopback serving our test zones, started and stopped by pid.

unbound answers only from its own local-zone data: the root is a static local
zone, so it never recurses to the internet. Zones that must fail are forwarded to
loopback ports: one where nothing listens (SERVFAIL) and one held by a UDP socket
that reads queries and never replies (timeout). Used by tests/dns and by
benchmarks/bench_check.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

UNBOUND = shutil.which("unbound") or (
    "/usr/sbin/unbound" if os.path.exists("/usr/sbin/unbound") else None
)


# the forward target of SERVFAIL zones; unbound is told never to query it
SERVFAIL_ADDR = "127.0.0.254"


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A loopback port free for both UDP and TCP right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                t.bind(("127.0.0.1", port))
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                u.bind(("127.0.0.1", port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free loopback port")


class SilentUdp:
    """A UDP socket on loopback that swallows every datagram: a nameserver that never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.received = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sock.recvfrom(4096)
                self.received += 1
            except TimeoutError:
                continue
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@dataclass
class ZoneSet:
    """Test data: local zones with their records, and zones forwarded to loopback ports."""

    zones: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    forwards: dict[str, int] = field(default_factory=dict)
    servfail: list[str] = field(default_factory=list)

    def zone(self, name: str, records: Iterable[str], kind: str = "static") -> None:
        self.zones[name.rstrip(".") + "."] = (kind, list(records))

    def forward(self, name: str, port: int) -> None:
        self.forwards[name.rstrip(".") + "."] = port

    def fail(self, name: str) -> None:
        """Make every query under `name` SERVFAIL at once (its only server is forbidden)."""
        self.servfail.append(name.rstrip(".") + ".")


def txt(value: str) -> str:
    """TXT rdata in zone-file syntax, split into <=255-byte strings."""
    chunks = [value[i : i + 250] for i in range(0, len(value), 250)] or [""]
    return " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)


class UnboundServer:
    """One unbound process on 127.0.0.1:port with its own config in a temp dir."""

    def __init__(self, zoneset: ZoneSet) -> None:
        if UNBOUND is None:
            raise FileNotFoundError("unbound is not installed (apt-get install unbound)")
        self.zoneset = zoneset
        self.dir = Path(tempfile.mkdtemp(prefix="relaywiz-unbound-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def nameserver(self) -> str:
        return f"127.0.0.1:{self.port}"

    def config(self) -> str:
        lines = [
            "server:",
            "  interface: 127.0.0.1",
            f"  port: {self.port}",
            "  do-daemonize: no",
            '  username: ""',
            '  chroot: ""',
            f'  directory: "{self.dir}"',
            f'  pidfile: "{self.dir}/unbound.pid"',
            "  use-syslog: no",
            f'  logfile: "{self.dir}/unbound.log"',
            "  verbosity: 1",
            "  do-ip6: no",
            "  access-control: 127.0.0.0/8 allow",
            '  module-config: "iterator"',
            "  do-not-query-localhost: no",  # only for the loopback forward zones below
            "  cache-max-ttl: 0",
            "  cache-max-negative-ttl: 0",
            "  num-threads: 1",
            "  so-reuseport: no",
            # the root itself is local: nothing ever goes to the internet
            '  local-zone: "." static',
        ]
        if self.zoneset.servfail:
            lines.append(f"  do-not-query-address: {SERVFAIL_ADDR}/32")
        for name in [*self.zoneset.forwards, *self.zoneset.servfail]:
            lines.append(f'  local-zone: "{name}" transparent')
        for name, (kind, records) in self.zoneset.zones.items():
            lines.append(f'  local-zone: "{name}" {kind}')
            for record in records:
                lines.append("  local-data: '" + record.replace("'", "") + "'")
        for name, port in self.zoneset.forwards.items():
            lines += ["forward-zone:", f'  name: "{name}"', f"  forward-addr: 127.0.0.1@{port}"]
        for name in self.zoneset.servfail:
            lines += ["forward-zone:", f'  name: "{name}"', f"  forward-addr: {SERVFAIL_ADDR}"]
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 10.0) -> None:
        conf = self.dir / "unbound.conf"
        conf.write_text(self.config())
        check = subprocess.run(
            [UNBOUND.replace("unbound", "unbound-checkconf"), str(conf)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"bad unbound config: {check.stdout}{check.stderr}")
        self.proc = subprocess.Popen(
            [UNBOUND, "-d", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"unbound exited: {self.log()}")
            if self._answers():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"unbound did not answer within {timeout}s: {self.log()}")

    def _answers(self) -> bool:
        # a raw DNS query for "." SOA; any reply means the server is up
        query = bytes.fromhex("abcd01000001000000000000" + "00" + "0006" + "0001")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.2)
            try:
                s.sendto(query, ("127.0.0.1", self.port))
                s.recvfrom(512)
            except OSError:
                return False
        return True

    def log(self) -> str:
        path = self.dir / "unbound.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
