"""`check --smtp`: STARTTLS of the MX hosts, against real aiosmtpd servers on loopback."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import trustme
from aiosmtpd.controller import Controller

from relaywiz.core.checks import CheckRequest, Status, run_check

pytestmark = pytest.mark.dns


class Sink:
    """Accepts nothing in particular: `check --smtp` never gets past EHLO/STARTTLS."""

    def __init__(self) -> None:
        self.mail_from: list[str] = []

    async def handle_MAIL(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        self.mail_from.append(address)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> tuple[trustme.CA, str]:
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, str(path)


@contextmanager
def serve(cert_name: str | None, ca: trustme.CA) -> Iterator[tuple[int, Sink]]:
    sink = Sink()
    params = {}
    if cert_name is not None:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(cert_name).configure_cert(ctx)
        params["tls_context"] = ctx
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **params)
    controller.start()
    try:
        yield port, sink
    finally:
        controller.stop()


async def starttls_result(dnslab, port: int, cafile: str):
    report = await run_check(
        CheckRequest(
            domain="tls.test",
            ip="192.0.2.10",
            nameserver=dnslab.nameserver,
            discover_ip=False,
            smtp=True,
            smtp_port=port,
            cafile=cafile,
            timeout=2.0,
        )
    )
    return report.by_id("starttls:mx.tls.test")


async def test_starttls_with_valid_certificate(dnslab, ca) -> None:
    authority, cafile = ca
    with serve("mx.tls.test", authority) as (port, sink):
        result = await starttls_result(dnslab, port, cafile)
        assert result.status is Status.OK and "TLSv1" in result.summary
        assert sink.mail_from == []  # nothing beyond EHLO/STARTTLS/QUIT


async def test_certificate_for_another_name(dnslab, ca) -> None:
    authority, cafile = ca
    with serve("other.example", authority) as (port, _sink):
        result = await starttls_result(dnslab, port, cafile)
        assert result.status is Status.WARNING and "does not verify" in result.summary


async def test_no_starttls(dnslab, ca) -> None:
    authority, cafile = ca
    with serve(None, authority) as (port, _sink):
        result = await starttls_result(dnslab, port, cafile)
        assert result.status is Status.PROBLEM and "does not offer STARTTLS" in result.summary


async def test_nothing_listening(dnslab, ca) -> None:
    _authority, cafile = ca
    result = await starttls_result(dnslab, free_port(), cafile)
    assert result.status is Status.ERROR and "port 25 may be blocked" in result.summary


async def test_dns_only_by_default(dnslab) -> None:
    report = await run_check(
        CheckRequest(domain="tls.test", nameserver=dnslab.nameserver, discover_ip=False)
    )
    assert not any(c.id.startswith("starttls:") for c in report.checks)
