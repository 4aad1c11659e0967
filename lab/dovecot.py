"""The lab's Dovecot: SASL for every lab Postfix, and POP3 for POP-before-SMTP.

One instance per lab run, with its own config file, base_dir and log, started
with `dovecot -c FILE` and stopped by the pid in its base_dir; it never touches
the system's /etc/dovecot or /run/dovecot.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from lab.postfix import NOBODY, TEMPLATES, LabError, _alive, render, wait_listening

POP_TTL_SECONDS = 600


class DovecotInstance:
    """Dovecot for one lab run."""

    def __init__(
        self,
        root: Path,
        pop_address: str,
        cert: Path,
        key: Path,
        users: dict[str, str],
        postfix_conf: Path,
        instance: str,
    ) -> None:
        self.root = root
        self.pop_address = pop_address
        self.cert, self.key = cert, key
        self.users = users
        self.postfix_conf = postfix_conf  # the POP-before-SMTP instance (for postmap)
        self.instance = instance
        self.pid: int | None = None

    @property
    def auth_socket(self) -> Path:
        return self.root / "auth-postfix"

    @property
    def popmap(self) -> Path:
        return self.root / "popauth" / "popauth"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def write_config(self) -> None:
        """Write dovecot.conf, the users file, the POP hook and an empty access map."""
        r = self.root
        for d in (r, r / "run", r / "state", r / "homes", r / "popauth"):
            d.mkdir(parents=True, exist_ok=True)
        os.chmod(r, 0o755)
        users = r / "users"
        users.write_text("".join(f"{u}:{{PLAIN}}{pw}::::::\n" for u, pw in self.users.items()))
        shutil.chown(users, "root", "dovecot")
        os.chmod(users, 0o640)
        for u in self.users:
            (r / "homes" / u).mkdir(exist_ok=True)
            os.chown(r / "homes" / u, NOBODY, NOBODY)
        popdir = r / "popauth"
        shutil.chown(popdir, "dovecot", "dovecot")
        hook = r / "pop-hook.sh"
        hook.write_text(
            render(
                (TEMPLATES / "pop-hook.sh.in").read_text(),
                {
                    "MAP": str(self.popmap),
                    "STATE": str(popdir / "state"),
                    "TTL": str(POP_TTL_SECONDS),
                    "CONF": str(self.postfix_conf),
                    "LOG": str(popdir / "hook.log"),
                },
            )
        )
        os.chmod(hook, 0o755)
        self.config.write_text(
            render(
                (TEMPLATES / "dovecot.conf.in").read_text(),
                {
                    "INSTANCE": self.instance,
                    "BASE": str(r / "run"),
                    "STATE": str(r / "state"),
                    "LOG": str(self.log),
                    "POPADDR": self.pop_address,
                    "CERT": str(self.cert),
                    "KEY": str(self.key),
                    "USERS": str(users),
                    "HOMES": str(r / "homes"),
                    "AUTHSOCK": str(self.auth_socket),
                    "HOOK": str(hook),
                },
            )
        )

    def write_empty_popmap(self) -> None:
        """An empty, built POP-before-SMTP map, owned by the hook's user."""
        self.popmap.write_text("")
        subprocess.run(
            ["postmap", "-c", str(self.postfix_conf), f"hash:{self.popmap}"],
            check=True,
            capture_output=True,
        )
        for f in self.popmap.parent.iterdir():
            shutil.chown(f, "dovecot", "dovecot")

    def start(self) -> int:
        """Start Dovecot; returns its master pid once POP3 and the auth socket are up."""
        self.write_config()
        # Dovecot daemonizes; its children would hold a pipe open, so use a file.
        errfile = self.root / "start.err"
        with errfile.open("wb") as err:
            proc = subprocess.run(
                ["dovecot", "-c", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                timeout=60,
            )
        if proc.returncode != 0:
            raise LabError(f"dovecot did not start: {errfile.read_text().strip()}")
        pidfile = self.root / "run" / "master.pid"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if pidfile.exists() and self.auth_socket.exists():
                break
            time.sleep(0.05)
        try:
            self.pid = int(pidfile.read_text().strip())
        except (OSError, ValueError) as exc:
            raise LabError(f"dovecot: no pid file after start ({exc})") from exc
        wait_listening([(self.pop_address, 110), (self.pop_address, 995)], timeout=15)
        return self.pid

    def stop(self, timeout: float = 15.0) -> None:
        """Stop Dovecot by its pid, killing it if it does not go."""
        pid = self.pid
        if pid is None or not _alive(pid):
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid = None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""
