"""Debian's Exim in the lab, from its own unpacked root, without installing it.

Postfix and Exim conflict as Debian packages, so lab/install-exim.sh unpacks
exim4-daemon-light (and libidn12) into EXIM_ROOT with dpkg-deb -x. That Exim
binary looks up its compiled-in user "Debian-exim" at start; rather than adding
a user to the system, the daemon runs in a private mount namespace (unshare -m)
where /etc/passwd and /etc/group are bind-mounted copies naming that user.
Everything else is the host's: the network (loopback), the files under the run
directory. Started with `exim -C FILE -bd`, stopped by the pid in its pid file.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

from lab.postfix import NOBODY, TEMPLATES, LabError, _alive, _run_detached, render, wait_listening

# "2026-11-28 01:02:11 1xX6pP-00006E-0l <= alice@... H=...": a message Exim accepted.
_RECEIVED = re.compile(r"^\S+ \S+ (\S+) <= ", re.M)

EXIM_ROOT = Path(os.environ.get("EXIM_ROOT", "/opt/relaywiz-lab/exim-root"))


def exim_missing() -> str | None:
    """Why the lab's Exim cannot run here (None when it can)."""
    if not (EXIM_ROOT / "usr/sbin/exim4").exists():
        return f"Exim is not unpacked in {EXIM_ROOT} (run: sudo lab/install-exim.sh)"
    if not glob.glob(str(EXIM_ROOT / "usr/lib/*/libidn.so.12")):
        return f"libidn12 is not unpacked in {EXIM_ROOT} (run: sudo lab/install-exim.sh)"
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        return "cannot create a mount namespace (unshare -m) for the lab's Exim"
    return None


class EximInstance:
    """One Exim daemon of the lab."""

    def __init__(
        self,
        name: str,
        domain: str,
        address: str,
        root: Path,
        values: dict[str, str],
        mailboxes: tuple[str, ...],
        template: str = "exim.conf.in",
        ports: tuple[int, ...] = (25,),
    ) -> None:
        self.name, self.domain, self.address = name, domain, address
        self.root = root
        self.values = values
        self.mailboxes = mailboxes
        self.template = template
        self.ports = ports
        self.pid: int | None = None

    @property
    def mainlog(self) -> Path:
        return self.root / "log" / "mainlog"

    def mailbox(self, box: str) -> Path:
        return self.root / "mail" / box

    def _exim(self) -> str:
        return str(EXIM_ROOT / "usr/sbin/exim4")

    def write_config(self) -> Path:
        r = self.root
        for d in ("spool", "log", "mail"):
            (r / d).mkdir(parents=True, exist_ok=True)
            os.chown(r / d, NOBODY, NOBODY)
        os.chmod(r, 0o755)
        with open("/etc/passwd") as fh:
            passwd = fh.read()
        with open("/etc/group") as fh:
            group = fh.read()
        (r / "passwd").write_text(
            passwd + f"Debian-exim:x:{NOBODY}:{NOBODY}:lab exim:/nonexistent:/usr/sbin/nologin\n"
        )
        (r / "group").write_text(group + f"Debian-exim:x:{NOBODY}:\n")
        conf = r / "exim.conf"
        conf.write_text(
            render(
                (TEMPLATES / self.template).read_text(),
                {
                    **self.values,
                    "NAME": self.name,
                    "DOMAIN": self.domain,
                    "ADDR": self.address,
                    "EXIM": self._exim(),
                    "SPOOL": str(r / "spool"),
                    "LOGDIR": str(r / "log"),
                    "PIDFILE": str(r / "exim.pid"),
                    "MAILDIR": str(r / "mail"),
                    "MAILBOXES": " : ".join(self.mailboxes),
                },
            )
        )
        return conf

    def _library_cache(self) -> Path:
        """A dynamic-linker cache that also knows the unpacked libidn.

        Exim re-executes itself (setuid root) for deliveries, and the loader then
        ignores LD_LIBRARY_PATH; inside the namespace this cache replaces
        /etc/ld.so.cache instead. `ldconfig -X` leaves the system's links alone.
        """
        libdirs = sorted(
            {str(Path(p).parent) for p in glob.glob(str(EXIM_ROOT / "usr/lib/*/libidn.so.12"))}
        )
        conf = self.root / "ld.so.conf"
        conf.write_text("".join(f"{d}\n" for d in libdirs) + "include /etc/ld.so.conf.d/*.conf\n")
        cache = self.root / "ld.so.cache"
        subprocess.run(
            ["ldconfig", "-X", "-C", str(cache), "-f", str(conf)], check=True, capture_output=True
        )
        return cache

    def start(self) -> int:
        """Start the daemon; returns its pid once port 25 listens."""
        reason = exim_missing()
        if reason:
            raise LabError(reason)
        conf = self.write_config()
        cache = self._library_cache()
        q = shlex.quote
        script = (
            f"mount --bind {q(str(self.root / 'passwd'))} /etc/passwd && "
            f"mount --bind {q(str(self.root / 'group'))} /etc/group && "
            f"mount --bind {q(str(cache))} /etc/ld.so.cache && "
            f"exec {q(self._exim())} -C {q(str(conf))} -bd -q1m"
        )
        rc = _run_detached(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
            self.root / "start.err",
        )
        if rc != 0:
            raise LabError(
                f"exim {self.name} did not start: {(self.root / 'start.err').read_text()[-1500:]}"
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.pid is None:
            try:
                self.pid = int((self.root / "exim.pid").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                time.sleep(0.05)
        if self.pid is None:
            raise LabError(f"exim {self.name}: no pid file; log: {self.log_text()[-1500:]}")
        wait_listening([(self.address, p) for p in self.ports], timeout=15)
        return self.pid

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the daemon by its pid (SIGTERM, then SIGKILL if it lingers)."""
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
            return self.mainlog.read_text(errors="replace")
        except OSError:
            return ""

    # -- what the server did (the same questions PostfixInstance answers) --------------

    def log_size(self) -> int:
        try:
            return self.mainlog.stat().st_size
        except OSError:
            return 0

    def log_since(self, mark: int) -> str:
        try:
            with self.mainlog.open("rb") as fh:
                fh.seek(mark)
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def queued_since(self, mark: int) -> list[str]:
        """Ids of messages Exim accepted ("<=" lines) after `mark`."""
        return _RECEIVED.findall(self.log_since(mark))

    def queue_files(self) -> list[Path]:
        """Messages in the spool right now."""
        return sorted((self.root / "spool" / "input").rglob("*-H"))
