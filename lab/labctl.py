"""Bring lab scenarios up and down: `Lab().start("isp")`, or `python3 -m lab.labctl up`.

A `Lab` is one run: a run directory, a block of loopback addresses 127.B.C.0/24
picked at random (and checked free) so that parallel runs do not collide, a
fresh test CA, random passwords for the lab users, one Dovecot, and one Postfix
instance per started scenario plus the helper processes some scenarios need
(tarpits standing in for a blocked port 25, the greylisting policy server).
Everything is stopped by the pids the lab recorded, never by process name.
Needs root (Postfix's master, ports below 1024) and the Debian packages from
lab/install-packages.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lab.certs import LabCA
from lab.dovecot import DovecotInstance
from lab.exim import EximInstance, exim_missing
from lab.postfix import NOBODY, LabError, PostfixInstance, _alive
from lab.scenarios import EXIM_PROBE_SCENARIOS, PROBE_SCENARIOS, SCENARIOS, Scenario

HERE = Path(__file__).resolve().parent
USERS = ("alice", "bob")
GREYLIST_PORT = 10023
GREYLIST_DELAY = 4.0  # seconds a new triplet is deferred


def missing_requirements() -> str | None:
    """Why the lab cannot run here (None when it can)."""
    for tool in ("postfix", "postconf", "postmap", "dovecot"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"{tool} is not installed (run: sudo lab/install-packages.sh)"
    if not Path("/usr/lib/dovecot/pop3").exists():
        return "dovecot-pop3d is not installed (run: sudo lab/install-packages.sh)"
    if os.geteuid() != 0:
        return "the mail-server lab needs root (Postfix's master and ports below 1024)"
    return None


@dataclass
class Running:
    """A started scenario: where it listens and how to read what it did."""

    scenario: Scenario
    address: str
    server: PostfixInstance | EximInstance
    helpers: list[subprocess.Popen[bytes]]

    @property
    def postfix(self) -> PostfixInstance:
        """The Postfix instance (for the scenarios that are Postfix)."""
        assert isinstance(self.server, PostfixInstance), f"{self.name} is not a Postfix"
        return self.server

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def domain(self) -> str:
        return self.scenario.domain

    @property
    def ports(self) -> tuple[int, ...]:
        return self.scenario.ports


def _free(address: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


class Lab:
    """One lab run (see the module docstring)."""

    def __init__(self, run_dir: Path | None = None, block: str | None = None) -> None:
        reason = missing_requirements()
        if reason:
            raise LabError(reason)
        self.run_dir = Path(run_dir or tempfile.mkdtemp(prefix="relaywiz-lab-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.run_dir, 0o755)
        self.block = block or self._pick_block()
        self.inside = f"{self.block}.100"  # the ISP's own network
        self.outside = f"{self.block}.200"  # anywhere else
        self.blocked = f"{self.block}.66"  # on dest's blocklist (bounce lab)
        self.ca = LabCA(self.run_dir / "certs")
        self.cafile = self.ca.cafile
        self.passwords = {u: f"lab-{u}-{secrets.token_urlsafe(12)}" for u in USERS}
        self.running: dict[str, Running] = {}
        self.dovecot: DovecotInstance | None = None
        self._wrong_cert = self.ca.issue_wrong_name("wrong-name")

    # -- addresses ---------------------------------------------------------------------

    def address(self, slot: int) -> str:
        return f"{self.block}.{10 + slot}"

    def address_of(self, name: str) -> str:
        return self.address(SCENARIOS[name].slot)

    def client(self, n: int) -> str:
        """A spare client address (n in 0..49) for tests that need a fresh identity."""
        return f"{self.block}.{150 + n}"

    @staticmethod
    def _pick_block() -> str:
        rng = random.SystemRandom()
        for _ in range(50):
            block = f"127.{rng.randint(100, 254)}.{rng.randint(0, 255)}"
            probes = [(f"{block}.{10 + s.slot}", p) for s in SCENARIOS.values() for p in s.ports]
            probes += [(f"{block}.{10 + SCENARIOS['popauth'].slot}", p) for p in (110, 995)]
            if all(_free(a, p) for a, p in probes):
                return block
        raise LabError("no free 127.x.y.0/24 block for the lab")

    # -- life cycle --------------------------------------------------------------------

    def _values(self, s: Scenario) -> dict[str, str]:
        addr = self.address(s.slot)
        good = f"mail.{s.domain}"
        cert = self._wrong_cert if s.wrong_cert else self.ca.issue(s.name, good, addr)
        dov = self._ensure_dovecot()
        values = {
            "RUN": str(self.run_dir),
            "INSIDE": self.inside,
            "BLOCKED": self.blocked,
            "CERT": str(cert.cert),
            "KEY": str(cert.key),
            "AUTHSOCK": str(dov.auth_socket),
            "POPMAP": str(dov.popmap),
            "POLICY": f"{addr}:{GREYLIST_PORT}",
        }
        for other in SCENARIOS.values():
            values[f"SLOT{other.slot}"] = self.address(other.slot)
        return values

    def _ensure_dovecot(self) -> DovecotInstance:
        if self.dovecot is None:
            pop = SCENARIOS["popauth"]
            addr = self.address(pop.slot)
            cert = self.ca.issue("pop3", f"mail.{pop.domain}", addr)
            dov = DovecotInstance(
                self.run_dir / "dovecot",
                addr,
                cert.cert,
                cert.key,
                self.passwords,
                postfix_conf=self.run_dir / "postfix" / pop.name / "conf",
                instance=f"relaywiz-lab-{self.block.replace('.', '-')}",
            )
            dov.start()
            self.dovecot = dov
            self._save_state()
        return self.dovecot

    def start(self, name: str) -> Running:
        """Start scenario `name` (idempotent); returns where it listens."""
        if name in self.running:
            return self.running[name]
        if name not in SCENARIOS:
            raise LabError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        s = SCENARIOS[name]
        if s.mta == "exim":
            return self._start_exim(s)
        addr = self.address(s.slot)
        values = self._values(s)
        pf = PostfixInstance(s, addr, self.run_dir / "postfix" / s.name, values)
        helpers: list[subprocess.Popen[bytes]] = []
        run = Running(s, addr, pf, helpers)
        self.running[name] = run
        try:
            if s.popauth:
                pf.write_config()
                assert self.dovecot is not None
                self.dovecot.write_empty_popmap()
            if s.greylist:
                helpers.append(
                    self._helper(
                        "greylist.py", addr, str(GREYLIST_PORT), "--delay", str(GREYLIST_DELAY)
                    )
                )
            for port, mode in s.tarpits:
                helpers.append(self._helper("tarpit.py", mode, addr, str(port)))
            pf.start()
        except BaseException:
            self.stop(name)
            raise
        self._save_state()
        return run

    def _start_exim(self, s: Scenario) -> Running:
        """An Exim scenario: the unpacked Exim with a per-run certificate and AUTH users."""
        addr = self.address(s.slot)
        root = self.run_dir / "exim" / s.name
        root.mkdir(parents=True, exist_ok=True)
        cert = self.ca.issue(s.name, f"mail.{s.domain}", addr)
        key = root / "tls.key"  # Exim reads it as its own user
        shutil.copyfile(cert.key, key)
        auth = root / "auth-users"
        auth.write_text("".join(f"{u}: {pw}\n" for u, pw in self.passwords.items()))
        for f in (key, auth):
            os.chown(f, NOBODY, NOBODY)
            os.chmod(f, 0o600)
        values = {
            "INSIDE": self.inside,
            "TLSCERT": str(cert.cert),
            "TLSKEY": str(key),
            "AUTHFILE": str(auth),
        }
        server = EximInstance(
            s.name,
            s.domain,
            addr,
            root,
            values,
            s.mailboxes,
            template=s.exim_template,
            ports=s.ports,
        )
        run = Running(s, addr, server, [])
        self.running[s.name] = run
        try:
            server.start()
        except BaseException:
            self.stop(s.name)
            raise
        self._save_state()
        return run

    def start_many(self, names: list[str] | tuple[str, ...]) -> dict[str, Running]:
        """Start several scenarios in parallel (Postfix's start-up checks are slow, not busy)."""
        from concurrent.futures import ThreadPoolExecutor

        self._ensure_dovecot()
        with ThreadPoolExecutor(max_workers=6) as pool:
            runs = list(pool.map(self.start, names))
        return {r.name: r for r in runs}

    def _helper(self, script: str, *args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, str(HERE / script), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if line != b"ready":
            proc.kill()
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise LabError(f"{script} {' '.join(args)} did not start: {err.strip()}")
        return proc

    def stop(self, name: str) -> None:
        """Stop one scenario: its Postfix and its helpers, by pid."""
        run = self.running.pop(name, None)
        if run is None:
            return
        run.server.stop()
        for proc in run.helpers:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._save_state()

    def stop_all(self) -> None:
        """Stop every scenario, then Dovecot."""
        for name in list(self.running):
            self.stop(name)
        if self.dovecot is not None:
            self.dovecot.stop()
            self.dovecot = None
        self._save_state()

    def remove_run_dir(self) -> None:
        """Delete the run directory (configs, logs, mailboxes) once everything is stopped."""
        if self.running or self.dovecot is not None:
            raise LabError("stop the lab before removing its run directory")
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def _save_state(self) -> None:
        state = {
            "block": self.block,
            "postfix": {
                n: {
                    "address": r.address,
                    "conf": str(r.server.paths.conf)
                    if isinstance(r.server, PostfixInstance)
                    else None,
                    "pid": r.server.pid,
                    "helpers": [p.pid for p in r.helpers],
                }
                for n, r in self.running.items()
            },
            "dovecot_pid": self.dovecot.pid if self.dovecot else None,
        }
        (self.run_dir / "lab.json").write_text(json.dumps(state, indent=2))

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


def down(run_dir: Path) -> None:
    """Stop whatever a lab run (possibly another process, now gone) left running."""
    state = json.loads((run_dir / "lab.json").read_text())
    for info in state["postfix"].values():
        if info["conf"]:
            subprocess.run(["postfix", "-c", info["conf"], "stop"], capture_output=True)
        elif info["pid"] and _alive(info["pid"]):
            os.kill(info["pid"], 15)
        for pid in [info["pid"], *info["helpers"]]:
            if pid and _alive(pid):
                deadline = time.monotonic() + 10
                while _alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _alive(pid):
                    os.kill(pid, 9)
    pid = state.get("dovecot_pid")
    if pid and _alive(pid):
        os.kill(pid, 15)


_default: Lab | None = None


def start(scenario: str) -> Running:
    """Start `scenario` in this process's default lab (created on first use)."""
    global _default
    if _default is None:
        _default = Lab()
    return _default.start(scenario)


def stop_all() -> None:
    """Stop this process's default lab, if any."""
    global _default
    if _default is not None:
        _default.stop_all()
        _default = None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m lab.labctl",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="start scenarios and stay up until Ctrl-C")
    up.add_argument("scenarios", nargs="*", help="default: every probe scenario")
    up.add_argument("--run-dir", type=Path)
    dn = sub.add_parser("down", help="stop what a lab run directory recorded")
    dn.add_argument("run_dir", type=Path)
    sub.add_parser("list", help="list the scenarios")
    args = parser.parse_args(argv)
    if args.cmd == "list":
        for s in SCENARIOS.values():
            print(f"{s.name:13} ports {','.join(map(str, s.ports)):10} {s.description}")
        return 0
    if args.cmd == "down":
        down(args.run_dir)
        return 0
    t0 = time.monotonic()
    try:
        lab = Lab(args.run_dir)
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 3
    if not args.scenarios:
        args.scenarios = list(PROBE_SCENARIOS)
        if exim_missing() is None:
            args.scenarios += list(EXIM_PROBE_SCENARIOS)
    signal.signal(signal.SIGTERM, _interrupt)
    with lab:
        for name, run in lab.start_many(args.scenarios).items():
            print(f"{name:13} {run.address:16} ports {','.join(map(str, run.ports))}")
        print(f"lab up in {time.monotonic() - t0:.1f} s; run dir {lab.run_dir}")
        print(f"CA: {lab.cafile}; own-network client address {lab.inside}, outside {lab.outside}")
        print("users: " + ", ".join(lab.passwords) + f" (passwords in {lab.run_dir}/dovecot/users)")
        print("Ctrl-C stops the lab.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main())
