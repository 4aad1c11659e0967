"""The lab itself, checked with the standard library alone: each scenario does what it claims.

These replies are the ground truth the end-to-end tests rely on; if one of
these fails, the lab is wrong, not relaywiz. Also: a scenario stops cleanly by
pid, leaving nothing running and nothing listening.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass

import pytest

from lab.labctl import Lab
from lab.postfix import _alive, listening

OTHER = "friend@elsewhere.test"


@dataclass(frozen=True)
class Check:
    id: str
    scenario: str
    port: int
    tls: str  # none | starttls | implicit
    login: bool
    source: str  # inside | outside
    expect: int | str  # RCPT reply code for the other-domain recipient, or an error name
    mail_from: str = ""


CHECKS = [
    Check("isp-25-inside-relays", "isp", 25, "none", False, "inside", 250),
    Check("isp-25-outside-refused", "isp", 25, "none", False, "outside", 554),
    Check("isp-587-needs-starttls", "isp", 587, "none", False, "outside", 530),
    Check("isp-587-tls-no-login", "isp", 587, "starttls", False, "outside", 554),
    Check("isp-587-tls-login", "isp", 587, "starttls", True, "outside", 250),
    Check("isp-587-not-owned", "isp", 587, "starttls", True, "outside", 553, "bob@isp.test"),
    Check("implicit-no-login", "implicit", 465, "implicit", False, "outside", 530),
    Check("implicit-login", "implicit", 465, "implicit", True, "outside", 250),
    Check("refused-25", "p25_refused", 25, "none", False, "outside", "ConnectionRefusedError"),
    Check("filtered-25", "p25_filtered", 25, "none", False, "outside", "TimeoutError"),
    Check("silent-25", "p25_silent", 25, "none", False, "outside", "SMTPServerDisconnected"),
    Check("greylist-25", "greylist", 25, "none", False, "inside", 450, "carol@grey.test"),
    Check("cleartext-no-login", "cleartext", 2525, "none", False, "outside", 554),
    Check("cleartext-login", "cleartext", 2525, "none", True, "outside", 250),
    Check("open-relay", "open_relay", 25, "none", False, "outside", 250),
]


def _rcpt(lab: Lab, check: Check) -> int | str:
    run = lab.running[check.scenario]
    source = (lab.inside if check.source == "inside" else lab.outside, 0)
    ctx = ssl.create_default_context(cafile=str(lab.cafile))
    try:
        if check.tls == "implicit":
            s: smtplib.SMTP = smtplib.SMTP_SSL(
                run.address, check.port, context=ctx, source_address=source, timeout=3
            )
        else:
            s = smtplib.SMTP(run.address, check.port, source_address=source, timeout=3)
        with s:
            s.ehlo("client.lab.test")
            if check.tls == "starttls":
                s.starttls(context=ctx)
                s.ehlo("client.lab.test")
            if check.login:
                s.login("alice", lab.passwords["alice"])
            code, _ = s.mail(check.mail_from or f"alice@{run.domain}")
            if code != 250:
                return code
            return s.rcpt(OTHER)[0]
    except (OSError, smtplib.SMTPException) as exc:
        return type(exc).__name__


@pytest.mark.parametrize("check", CHECKS, ids=[c.id for c in CHECKS])
def test_scenario_replies(lab: Lab, check: Check) -> None:
    assert _rcpt(lab, check) == check.expect


def test_pop_login_opens_relay_for_that_address_only(lab: Lab) -> None:
    run = lab.running["popauth"]
    ctx = ssl.create_default_context(cafile=str(lab.cafile))
    client, bystander = lab.client(40), lab.client(41)

    def rcpt(src: str) -> int:
        with smtplib.SMTP(run.address, 25, source_address=(src, 0), timeout=3) as s:
            s.ehlo("client.lab.test")
            s.mail("alice@pop.test")
            return s.rcpt(OTHER)[0]

    assert rcpt(client) == 554
    # POP3 over implicit TLS from the client's own address (poplib cannot bind one).
    raw = socket.create_connection((run.address, 995), timeout=5, source_address=(client, 0))
    with ctx.wrap_socket(raw, server_hostname=run.address) as tls:
        lines = tls.makefile("rb")
        replies = [lines.readline()]
        for command in ("USER alice", f"PASS {lab.passwords['alice']}", "QUIT"):
            tls.sendall(command.encode() + b"\r\n")
            replies.append(lines.readline())
    assert all(r.startswith(b"+OK") for r in replies), replies
    assert rcpt(client) == 250
    assert rcpt(bystander) == 554


@pytest.mark.usefixtures("lab")  # skips with the lab's reason when it cannot run
def test_a_scenario_stops_by_pid_and_leaves_nothing() -> None:
    lab = Lab()  # a second, separate lab (its own address block) beside the session's
    try:
        run = lab.start("open_relay")
        pid = run.postfix.pid
        assert pid is not None and _alive(pid)
        assert listening(run.address, 25)
        dovecot_pid = lab.dovecot.pid if lab.dovecot else None
        assert dovecot_pid is not None and _alive(dovecot_pid)
    finally:
        lab.stop_all()
    assert not _alive(pid)
    assert not listening(run.address, 25)
    assert not _alive(dovecot_pid)
    assert os.path.exists(lab.run_dir / "lab.json")
    lab.remove_run_dir()
    assert not lab.run_dir.exists()
