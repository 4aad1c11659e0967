"""The probe against real servers on loopback: each scripted to answer one way at one stage.

Every test asserts the outcome, the stage, and that no DATA reached the server.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from relaywiz.core.model import Outcome, Stage, TlsMode
from relaywiz.core.smtp.port import PortProber, port_result
from relaywiz.core.smtp.probe import ProbeSetupError, run_probe
from relaywiz.core.smtp.request import Credentials, ProbeRequest, Timeouts
from tests.support.servers import (
    OTHER,
    USER,
    Certs,
    Policy,
    PopBeforeSmtp,
    PopTrustingHandler,
    RawServer,
    free_port,
    hold,
    make_certs,
    read_line,
    smtp_server,
)

FAST = Timeouts(connect=1.0, banner=1.0, command=2.0)
PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def request(port: int, certs: Certs | None = None, **kw: object) -> ProbeRequest:
    base: dict[str, object] = {
        "host": "127.0.0.1",
        "mail_from": USER,
        "ports": (port,),
        "rcpt_other": OTHER,
        "timeouts": FAST,
        "cafile": str(certs.cafile) if certs else None,
        "implicit_tls_ports": frozenset(),
    }
    base.update(kw)
    return ProbeRequest(**base)  # type: ignore[arg-type]


async def test_relay_denied_without_auth_and_accepted_with_it(certs: Certs) -> None:
    policy = Policy(users={USER: PASSWORD})
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, h):
        anon = await run_probe(request(port, certs))
        authed = await run_probe(request(port, certs, credentials=Credentials(USER, PASSWORD)))
    p = anon.ports[0]
    assert (p.outcome, p.stage) == (Outcome.RELAY_DENIED, Stage.RCPT_OTHER)
    assert p.reply is not None and p.reply.code == 554 and p.reply.enhanced == "5.7.1"
    chosen = [a for a in p.attempts if a.tls is TlsMode.STARTTLS][0]
    assert chosen.same is not None and chosen.same.accepted
    assert p.starttls_offered and p.tls is not None and p.tls.verified
    # AUTH is offered only after STARTTLS
    assert p.auth_mechanisms_plain == () and "PLAIN" in p.auth_mechanisms_tls
    q = authed.ports[0]
    assert (q.outcome, q.stage) == (Outcome.OK, Stage.RCPT_OTHER)
    auth_attempt = [a for a in q.attempts if a.auth][0]
    assert auth_attempt.tls is TlsMode.STARTTLS and auth_attempt.auth_mechanism == "PLAIN"
    assert h.log.data_sent == 0


async def test_nothing_listening_is_refused() -> None:
    ev = await run_probe(request(free_port()))
    assert (ev.ports[0].outcome, ev.ports[0].stage) == (Outcome.REFUSED, Stage.CONNECT)


async def test_full_accept_queue_is_filtered() -> None:
    with RawServer(hold, backlog=0, accept=False) as srv:
        ev = await run_probe(request(srv.port))
    assert (ev.ports[0].outcome, ev.ports[0].stage) == (Outcome.FILTERED, Stage.CONNECT)


async def test_silent_server_is_no_banner() -> None:
    with RawServer(hold) as srv:
        ev = await run_probe(request(srv.port))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.NO_BANNER, Stage.BANNER)
    assert p.elapsed_ms < 3000 * 5  # bounded by the banner timeout, not hanging


@pytest.mark.parametrize(
    ("banner", "code"),
    [
        (
            b"554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org\r\n",
            554,
        ),
        (b"421 4.3.2 mx.isp.test Service not available, closing transmission channel\r\n", 421),
    ],
)
async def test_rejected_at_banner(banner: bytes, code: int) -> None:
    def script(conn: socket.socket) -> None:
        conn.sendall(banner)
        read_line(conn)
        conn.sendall(b"221 bye\r\n")

    with RawServer(script) as srv:
        ev = await run_probe(request(srv.port))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.REJECTED_AT_BANNER, Stage.BANNER)
    assert p.reply is not None and p.reply.code == code


async def test_server_closing_mid_ehlo_is_protocol_error() -> None:
    def script(conn: socket.socket) -> None:
        conn.sendall(b"220 mx.isp.test ESMTP\r\n")
        read_line(conn)
        conn.sendall(b"250-mx.isp.test\r\n250-PIPEL")
        conn.close()

    with RawServer(script) as srv:
        ev = await run_probe(request(srv.port))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.PROTOCOL_ERROR, Stage.EHLO)


async def test_wrong_name_certificate_is_tls_error_unless_insecure(certs: Certs) -> None:
    ctx = certs.server_context(certs.wrong_name)
    with smtp_server(implicit=ctx) as (port, h):
        strict = await run_probe(request(port, certs, implicit_tls_ports=frozenset({port})))
        loose = await run_probe(
            request(port, certs, implicit_tls_ports=frozenset({port}), insecure=True)
        )
    p = strict.ports[0]
    assert (p.outcome, p.stage) == (Outcome.TLS_ERROR, Stage.TLS_HANDSHAKE)
    assert p.tls is not None and p.tls.hostname_match is False and not p.tls.verified
    assert "mail.wrong-name.test" in " ".join(p.tls.san)
    q = loose.ports[0]
    assert q.outcome is Outcome.RELAY_DENIED  # it got as far as RCPT
    assert q.tls is not None and q.tls.insecure and not q.tls.verified
    assert h.log.data_sent == 0


async def test_expired_certificate_on_starttls(certs: Certs) -> None:
    with smtp_server(starttls=certs.server_context(certs.expired)) as (port, h):
        ev = await run_probe(request(port, certs))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.TLS_ERROR, Stage.STARTTLS)
    assert p.tls is not None and p.tls.days_left is not None and p.tls.days_left < 0
    assert p.tls.verify_error is not None and "expired" in p.tls.verify_error
    plain = [a for a in p.attempts if a.tls is TlsMode.NONE][0]
    assert plain.outcome is Outcome.RELAY_DENIED
    assert h.log.data_sent == 0


async def test_plain_text_must_starttls_first(certs: Certs) -> None:
    with smtp_server(starttls=certs.server_context(certs.good), require_starttls=True) as (
        port,
        h,
    ):
        ev = await run_probe(request(port, certs))
    plain = [a for a in ev.ports[0].attempts if a.tls is TlsMode.NONE][0]
    assert plain.outcome is Outcome.TLS_REQUIRED
    assert ev.ports[0].outcome is Outcome.RELAY_DENIED  # the client would use STARTTLS
    assert h.log.data_sent == 0


async def test_wrong_password_is_auth_failed(certs: Certs) -> None:
    policy = Policy(users={USER: PASSWORD})
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, h):
        ev = await run_probe(request(port, certs, credentials=Credentials(USER, "wrong")))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.AUTH_FAILED, Stage.AUTH)
    assert p.reply is not None and p.reply.code == 535
    assert h.log.data_sent == 0


async def test_sender_not_owned_by_user(certs: Certs) -> None:
    policy = Policy(users={"bob@isp.test": PASSWORD}, sender_must_match_login=True)
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, h):
        ev = await run_probe(
            request(port, certs, credentials=Credentials("bob@isp.test", PASSWORD))
        )
    p = ev.ports[0]
    assert p.outcome is Outcome.SENDER_REJECTED
    assert p.reply is not None and "not owned by user" in p.reply.text
    assert h.log.data_sent == 0


async def test_greylisting_on_rcpt() -> None:
    policy = Policy(rcpt_other_reply="450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted")
    with smtp_server(policy) as (port, h):
        ev = await run_probe(request(port))
    assert (ev.ports[0].outcome, ev.ports[0].stage) == (Outcome.GREYLISTED, Stage.RCPT_OTHER)
    assert h.log.data_sent == 0


async def test_reconnects_when_dropped_after_a_refusal() -> None:
    policy = Policy(
        rcpt_same_reply="550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
        drop_after_rcpt_refusal=True,
        relay_needs_auth=False,
    )
    with smtp_server(policy) as (port, h):
        ev = await run_probe(request(port))
    p = ev.ports[0]
    assert p.outcome is Outcome.OK
    assert p.attempts[0].same is not None and not p.attempts[0].same.accepted
    assert h.log.data_sent == 0


async def test_every_port_at_once_and_each_keeps_its_own_result(certs: Certs) -> None:
    with smtp_server(Policy(relay_needs_auth=False)) as (ok_port, h), RawServer(hold) as silent:
        closed = free_port()
        ev = await run_probe(request(ok_port, ports=(ok_port, silent.port, closed)))
    outcomes = [p.outcome for p in ev.ports]
    assert outcomes == [Outcome.OK, Outcome.NO_BANNER, Outcome.REFUSED]
    assert h.log.data_sent == 0


async def test_unresolvable_name_is_dns_error() -> None:
    # A label over 63 octets is refused before any query leaves this machine.
    ev = await run_probe(request(25, host="x" * 70 + ".test"))
    assert ev.dns_error
    assert all(p.outcome is Outcome.DNS_ERROR and p.stage is Stage.RESOLVE for p in ev.ports)


async def test_source_address_binds_client_side() -> None:
    with smtp_server(Policy(relay_needs_auth=False)) as (port, h):
        await run_probe(request(port, source_address="127.0.0.9"))
    assert set(h.log.peers) == {"127.0.0.9"}


async def test_source_address_this_machine_lacks_is_a_setup_error() -> None:
    with pytest.raises(ProbeSetupError):
        await run_probe(request(25, source_address="192.0.2.77"))


async def test_send_test_delivers_exactly_one(tmp_path: Path) -> None:
    with smtp_server(Policy(relay_needs_auth=False)) as (port, h):
        ev = await run_probe(request(port, send_test_to="friend@other.test"))
    assert ev.send_test is not None and ev.send_test.accepted
    assert h.log.data_sent == 1


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
async def test_next_address_is_tried_when_the_first_refuses() -> None:
    with smtp_server(Policy(relay_needs_auth=False), host="::1") as (port, h):
        prober = PortProber(request(port), ("127.0.0.1", "::1"), port, None)
        await prober.run()
        result = port_result(prober, 0.0)
    assert result.outcome is Outcome.OK
    assert prober.address == "::1"
    assert h.log.data_sent == 0


async def test_pop_before_smtp_changes_the_answer() -> None:
    pop = PopBeforeSmtp({USER: PASSWORD})
    with pop, smtp_server(handler=PopTrustingHandler(Policy(), pop)) as (port, h):
        ev = await run_probe(
            request(
                port,
                credentials=Credentials(USER, PASSWORD),
                pop_before_smtp="127.0.0.1",
                pop_port=pop.server.port,
                source_address="127.0.0.23",
            )
        )
    assert ev.pop_before_smtp is not None and ev.pop_before_smtp.logged_in
    assert ev.pop_before_smtp.changed_answer is True
    p = ev.ports[0]
    before = next(a for a in p.attempts if not a.auth and not a.pop_before_smtp)
    after = next(a for a in p.attempts if a.pop_before_smtp)
    assert before.outcome is Outcome.RELAY_DENIED and after.outcome is Outcome.OK
    # the server offers no AUTH: the client's way is the one after the POP3 login
    assert p.outcome is Outcome.OK
    assert pop.trusted == {"127.0.0.23"}
    assert h.log.data_sent == 0


async def test_pop_login_refused_is_reported_and_changes_nothing() -> None:
    pop = PopBeforeSmtp({USER: "other"})
    with pop, smtp_server(handler=PopTrustingHandler(Policy(), pop)) as (port, h):
        ev = await run_probe(
            request(
                port,
                credentials=Credentials(USER, PASSWORD),
                pop_before_smtp="127.0.0.1",
                pop_port=pop.server.port,
            )
        )
    assert ev.pop_before_smtp is not None and not ev.pop_before_smtp.logged_in
    assert "refused" in ev.pop_before_smtp.detail
    assert PASSWORD not in ev.pop_before_smtp.detail
    assert ev.ports[0].outcome is Outcome.AUTH_UNAVAILABLE
    assert h.log.data_sent == 0


async def test_no_password_is_sent_after_the_certificate_failed(certs: Certs) -> None:
    policy = Policy(users={USER: PASSWORD})
    ctx = certs.server_context(certs.wrong_name)
    with smtp_server(policy, starttls=ctx) as (port, h):
        ev = await run_probe(request(port, certs, credentials=Credentials(USER, PASSWORD)))
    p = ev.ports[0]
    assert (p.outcome, p.stage) == (Outcome.TLS_ERROR, Stage.STARTTLS)
    assert h.log.auth_logins == []  # the server never saw a login
    assert not any(e.stage is Stage.AUTH for e in p.transcript)
    assert all(a.outcome is Outcome.TLS_ERROR for a in p.attempts if a.tls is TlsMode.STARTTLS)
