"""The real probe against scripted servers on loopback, then diagnose: the findings a user gets.

These use the probe test suite's servers (aiosmtpd with a trustme CA, raw sockets),
so the evidence is exactly what the probe collects, not what we think it collects.
"""

from __future__ import annotations

import socket

import pytest

from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose import diagnose
from relaywiz.core.model import AccountType, Location, RecipientDomain, Report, Situation
from relaywiz.core.smtp.probe import run_probe
from relaywiz.core.smtp.request import Credentials, ProbeRequest, Timeouts
from tests.support.servers import (
    OTHER,
    USER,
    Certs,
    Policy,
    RawServer,
    hold,
    make_certs,
    read_line,
    smtp_server,
)

FAST = Timeouts(connect=1.0, banner=1.0, command=2.0)
PASSWORD = "correct horse"
TRAVEL = Situation(Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def request(ports: tuple[int, ...], certs: Certs | None = None, **kw: object) -> ProbeRequest:
    base: dict[str, object] = {
        "host": "127.0.0.1",
        "mail_from": USER,
        "ports": ports,
        "rcpt_other": OTHER,
        "timeouts": FAST,
        "cafile": str(certs.cafile) if certs else None,
        "implicit_tls_ports": frozenset(),
    }
    base.update(kw)
    return ProbeRequest(**base)  # type: ignore[arg-type]


def ids(report: Report) -> set[str]:
    return {f.id for f in report.findings}


async def test_submission_needs_login_implicit_tls_preferred(certs: Certs) -> None:
    policy = Policy(users={USER: PASSWORD})
    ctx = certs.server_context(certs.good)
    with (
        smtp_server(policy, starttls=ctx) as (sub, h1),
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; its implicit TLS is TLS too
        smtp_server(policy, implicit=ctx, auth_require_tls=False) as (tls, h2),
    ):
        ev = await run_probe(
            request(
                (sub, tls),
                certs,
                implicit_tls_ports=frozenset({tls}),
                credentials=Credentials(USER, PASSWORD),
            )
        )
    report = diagnose(ev, TRAVEL)
    assert {C.RELAY_NEEDS_AUTH, C.AUTH_ONLY_AFTER_STARTTLS, C.SITUATION_RELAY} <= ids(report)
    rec = report.recommendation
    assert rec is not None
    assert (rec.port, rec.security.value, rec.auth, rec.username) == (tls, "ssl_tls", True, USER)
    assert dict(rec.outlook)["Use the following type of encrypted connection"] == "SSL/TLS"
    assert dict(rec.thunderbird)["Authentication method"] == "Normal password"
    assert report.exit_code == 0
    needs = next(f for f in report.findings if f.id == C.RELAY_NEEDS_AUTH)
    assert any("Relay access denied" in e for e in needs.evidence)
    assert h1.log.data_sent == h2.log.data_sent == 0


async def test_without_credentials_says_log_in(certs: Certs) -> None:
    with smtp_server(Policy(), starttls=certs.server_context(certs.good)) as (port, _):
        ev = await run_probe(request((port,), certs))
    report = diagnose(ev, TRAVEL)
    assert C.RELAY_NEEDS_CREDENTIALS in ids(report)
    assert report.recommendation is None and report.exit_code == 2
    assert "--user" in (report.no_recommendation_reason or "")


async def test_wrong_password(certs: Certs) -> None:
    policy = Policy(users={USER: PASSWORD})
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, _):
        ev = await run_probe(request((port,), certs, credentials=Credentials(USER, "wrong")))
    report = diagnose(ev, Situation())
    found = next(f for f in report.findings if f.id == C.AUTH_FAILED)
    assert any(e.startswith("535") for e in found.evidence)
    assert "wrong" not in found.explanation + found.remedy + " ".join(found.evidence)
    assert report.exit_code == 2


async def test_sender_not_owned(certs: Certs) -> None:
    policy = Policy(users={"bob@isp.test": PASSWORD}, sender_must_match_login=True)
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, _):
        ev = await run_probe(
            request((port,), certs, credentials=Credentials("bob@isp.test", PASSWORD))
        )
    report = diagnose(ev, Situation())
    found = next(f for f in report.findings if f.id == C.SENDER_NOT_OWNED)
    assert found.outlook_error == "0x800CCC78" and "not owned by user" in found.evidence[0]


async def test_greylisting_is_not_a_fault() -> None:
    policy = Policy(rcpt_other_reply="450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted")
    with smtp_server(policy) as (port, _):
        ev = await run_probe(request((port,)))
    report = diagnose(ev, Situation())
    found = next(f for f in report.findings if f.id == C.SMTP_GREYLISTED)
    assert found.severity.value == "info" and found.outlook_error == "0x800CCC68"
    assert "greylisted" in (report.no_recommendation_reason or "")


async def test_expired_certificate(certs: Certs) -> None:
    with smtp_server(starttls=certs.server_context(certs.expired)) as (port, _):
        ev = await run_probe(request((port,), certs))
    report = diagnose(ev, Situation())
    assert C.TLS_CERT_EXPIRED in ids(report)
    assert report.exit_code == 2


async def test_wrong_name_certificate_with_insecure(certs: Certs) -> None:
    with smtp_server(
        Policy(relay_needs_auth=False), implicit=certs.server_context(certs.wrong_name)
    ) as (port, _):
        ev = await run_probe(
            request((port,), certs, implicit_tls_ports=frozenset({port}), insecure=True)
        )
    report = diagnose(ev, Situation(Location.HOME, AccountType.ISP, RecipientDomain.OTHER))
    assert {C.TLS_CERT_NAME_MISMATCH, C.TLS_CHECKS_DISABLED, C.RELAY_TRUSTED_NETWORK} <= ids(report)
    assert report.recommendation is not None and report.exit_code == 1
    mismatch = next(f for f in report.findings if f.id == C.TLS_CERT_NAME_MISMATCH)
    assert "mail.wrong-name.test" in mismatch.remedy


async def test_open_relay_seen_from_a_hotel() -> None:
    with smtp_server(Policy(relay_needs_auth=False)) as (port, _):
        ev = await run_probe(request((port,)))
    report = diagnose(ev, TRAVEL)
    assert {C.RELAY_OPEN, C.SECURITY_NO_TLS, C.TLS_STARTTLS_UNAVAILABLE} <= ids(report)
    rec = report.recommendation
    assert rec is not None and not rec.auth and rec.security.value == "none"
    assert report.exit_code == 1


async def test_blocklisted_at_the_greeting_and_a_filtered_port(certs: Certs) -> None:
    def script(conn: socket.socket) -> None:
        conn.sendall(
            b"554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using "
            b"zen.spamhaus.org\r\n"
        )
        read_line(conn)
        conn.sendall(b"221 bye\r\n")

    with RawServer(script) as banner, RawServer(hold, backlog=0, accept=False) as filtered:
        ev = await run_probe(request((banner.port, filtered.port)))
    report = diagnose(ev, TRAVEL)
    assert C.CONNECT_UNREACHABLE not in ids(report)
    found = next(f for f in report.findings if f.id == C.BANNER_REJECTED)
    assert "Spamhaus" in found.explanation and "mobile data" in found.remedy
    assert C.CONNECT_FILTERED in ids(report)
    assert report.exit_code == 2
