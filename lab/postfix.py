"""One Postfix instance of the lab: its files, its start and stop by pid, its log.

Every instance has its own config_directory, queue_directory and data_directory
under the lab's run directory and logs to its own file through postlogd
(`maillog_file`), so a test can read what this server, and only this server,
did with a probe. `postfix -c DIR start|stop` acts on this instance alone; the
master's pid is checked afterwards, and a master that will not stop is killed
by that pid, never by name.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from lab.scenarios import Scenario

TEMPLATES = Path(__file__).with_name("templates")
NOBODY = 65534
QUEUES = ("maildrop", "incoming", "active", "deferred", "hold")
# "lab-isp/cleanup[123]: 4F2A1C0E553: message-id=<...>": a message that completed DATA.
_QUEUED = re.compile(r"/cleanup\[\d+\]: (\w+): message-id=")


class LabError(RuntimeError):
    """The lab could not do what was asked (with the reason in words)."""


def render(template: str, values: dict[str, str]) -> str:
    """Fill @@NAME@@ placeholders; an unknown placeholder is an error, not a silent blank."""
    out = template
    for key, value in values.items():
        out = out.replace(f"@@{key}@@", value)
    left = re.findall(r"@@[A-Z0-9]+@@", out)
    if left:
        raise LabError(f"template placeholders left unfilled: {sorted(set(left))}")
    return out


@dataclass(frozen=True)
class Paths:
    """Where one instance keeps its things."""

    root: Path

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def queue(self) -> Path:
        return self.root / "queue"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def mail(self) -> Path:
        return self.root / "mail"

    @property
    def maillog(self) -> Path:
        return self.root / "maillog"

    @property
    def pidfile(self) -> Path:
        return self.queue / "pid" / "master.pid"


class PostfixInstance:
    """A configured (and perhaps running) Postfix for one scenario."""

    def __init__(
        self, scenario: Scenario, address: str, root: Path, values: dict[str, str]
    ) -> None:
        self.scenario = scenario
        self.address = address
        self.paths = Paths(root)
        self.values = values  # lab-wide placeholders (INSIDE, POLICY, CERT, ...)
        self.pid: int | None = None

    # -- configuration ---------------------------------------------------------------

    def write_config(self) -> None:
        """Create the directories and write main.cf, master.cf and the lookup tables."""
        s, p = self.scenario, self.paths
        for d in (p.conf, p.queue, p.data, p.mail / s.domain):
            d.mkdir(parents=True, exist_ok=True)
        os.chmod(p.root, 0o755)
        shutil.chown(p.data, "postfix", "postfix")
        os.chmod(p.mail, 0o755)
        for d in (p.mail / s.domain,):
            os.chown(d, NOBODY, NOBODY)
        values = {
            **self.values,
            "NAME": s.name,
            "DOMAIN": s.domain,
            "ADDR": self.address,
            "CONF": str(p.conf),
            "QUEUE": str(p.queue),
            "DATA": str(p.data),
            "MAILLOG": str(p.maillog),
            "MAILBASE": str(p.mail),
        }
        values["MYNETWORKS"] = render(s.mynetworks, values)
        main = render((TEMPLATES / "main.cf.in").read_text(), values)
        # Scenario parameters come last, so they override the template's.
        extra = "".join(f"{k} = {render(v, values)}\n" for k, v in s.main)
        (p.conf / "main.cf").write_text(main + extra)
        listeners = []
        for svc in s.services:
            opts = "".join(f"\n  -o {k}={render(v, values)}" for k, v in svc.options)
            listeners.append(f"{self.address}:{svc.port} inet n - n - - smtpd{opts}")
        master = render(
            (TEMPLATES / "master.cf.in").read_text(),
            {
                "NAME": s.name,
                "LISTENERS": "\n".join(listeners),
                "TRANSPORTS": "\n".join(render(line, values) for line in s.extra_master),
            },
        )
        (p.conf / "master.cf").write_text(master)
        domains = [
            s.domain,
            *[d.strip() for k, v in s.main if k == "virtual_mailbox_domains" for d in v.split(",")],
        ]
        boxes = sorted(
            {f"{box}@{dom}\t{dom}/{box}" for dom in dict.fromkeys(domains) for box in s.mailboxes}
        )
        for dom in dict.fromkeys(domains):
            (p.mail / dom).mkdir(exist_ok=True)
            os.chown(p.mail / dom, NOBODY, NOBODY)
        (p.conf / "vmailbox").write_text("\n".join(boxes) + "\n")
        (p.conf / "sender_login").write_text(
            "".join(f"{box}@{s.domain}\t{box}\n" for box in s.mailboxes)
        )
        (p.conf / "transport").write_text(
            "".join(f"{d}\t{render(t, values)}\n" for d, t in s.transports)
        )
        (p.conf / "auth_required.cidr").write_text("0.0.0.0/0\t530 5.7.0 Authentication required\n")
        (p.conf / "blocklist.cidr").write_text(
            f"{values.get('BLOCKED', '127.255.255.254')}/32\t"
            "REJECT Access denied: your address is on this server's blocklist\n"
        )

    # -- life cycle ------------------------------------------------------------------

    def start(self) -> int:
        """Start this instance; returns the master's pid once it is listening."""
        self.write_config()
        if not self.paths.maillog.exists():
            self.paths.maillog.touch(mode=0o644)
        rc = _run_detached(
            ["postfix", "-c", str(self.paths.conf), "start"], self.paths.root / "start.err"
        )
        if rc != 0:
            raise LabError(
                f"postfix {self.scenario.name} did not start:\n{self.log_text()[-2000:]}"
            )
        pid = self._read_pid()
        if pid is None or not _alive(pid):
            raise LabError(
                f"postfix {self.scenario.name}: no master process after start:\n"
                f"{self.log_text()[-2000:]}"
            )
        self.pid = pid
        wait_listening([(self.address, s.port) for s in self.scenario.services], timeout=15)
        return pid

    def stop(self, timeout: float = 15.0) -> None:
        """Stop this instance, and make sure its master (by pid) is gone."""
        pid = self.pid or self._read_pid()
        if pid is None or not _alive(pid):
            self.pid = None
            return
        _run_detached(["postfix", "-c", str(self.paths.conf), "stop"], self.paths.root / "stop.err")
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid = None

    def _read_pid(self) -> int | None:
        try:
            return int(self.paths.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    # -- what the server did ------------------------------------------------------------

    def log_text(self) -> str:
        """The instance's maillog so far."""
        try:
            return self.paths.maillog.read_text(errors="replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        """A mark in the maillog, for `log_since`."""
        try:
            return self.paths.maillog.stat().st_size
        except OSError:
            return 0

    def log_since(self, mark: int) -> str:
        """The maillog written after `mark` (see `log_size`)."""
        try:
            with self.paths.maillog.open("rb") as fh:
                fh.seek(mark)
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def queued_since(self, mark: int) -> list[str]:
        """Queue ids of messages that completed DATA (cleanup logged a message-id)."""
        return _QUEUED.findall(self.log_since(mark))

    def queue_files(self) -> list[Path]:
        """Messages sitting in the instance's queues right now."""
        return [f for q in QUEUES for f in (self.paths.queue / q).rglob("*") if f.is_file()]

    def mailbox(self, box: str, domain: str | None = None) -> Path:
        """The mbox file of `box@domain` (default: the scenario's domain)."""
        return self.paths.mail / (domain or self.scenario.domain) / box


def _run_detached(argv: list[str], errfile: Path) -> int:
    """Run a command that leaves daemons behind; output goes to a file, not a pipe they keep."""
    with errfile.open("wb") as err:
        return subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err, timeout=60
        ).returncode


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def listening(address: str, port: int) -> bool:
    """Is a TCP socket listening on address:port? (Read from /proc, no connection made.)"""
    want = "".join(f"{int(o):02X}" for o in reversed(address.split("."))) + f":{port:04X}"
    try:
        with open("/proc/net/tcp") as fh:
            return any(
                parts[1] == want and parts[3] == "0A"
                for parts in (line.split() for line in fh.readlines()[1:])
            )
    except OSError:
        return False


def wait_listening(endpoints: list[tuple[str, int]], timeout: float) -> None:
    """Wait until every endpoint listens, or raise LabError naming the ones that do not."""
    deadline = time.monotonic() + timeout
    missing = endpoints
    while time.monotonic() < deadline:
        missing = [(a, p) for a, p in endpoints if not listening(a, p)]
        if not missing:
            return
        time.sleep(0.05)
    raise LabError(
        f"not listening after {timeout:.0f} s: " + ", ".join(f"{a}:{p}" for a, p in missing)
    )
