"""A real unbound on loopback serving the discovery test zones (the shared helper from tests/dns)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dns.unbound_server import UNBOUND, UnboundServer, ZoneSet


def discovery_zones() -> ZoneSet:
    zs = ZoneSet()
    zs.zone(
        "srv.test",
        [
            "_submissions._tcp.srv.test. 60 IN SRV 0 1 465 mail.srv.test.",
            "_submission._tcp.srv.test. 60 IN SRV 20 1 587 backup.srv.test.",
            "_submission._tcp.srv.test. 60 IN SRV 10 5 587 submit.srv.test.",
            "srv.test. 60 IN MX 10 mx.srv.test.",
            "mail.srv.test. 60 IN A 192.0.2.25",
        ],
    )
    zs.zone(
        "dot.test",
        [
            "_submissions._tcp.dot.test. 60 IN SRV 0 0 0 .",
            "_submission._tcp.dot.test. 60 IN SRV 0 1 587 smtp.dot.test.",
            "smtp.dot.test. 60 IN A 192.0.2.26",
        ],
    )
    zs.zone(
        "hosted.test",
        [
            "hosted.test. 60 IN MX 1 aspmx.l.google.com.",
            "hosted.test. 60 IN MX 5 alt1.aspmx.l.google.com.",
        ],
    )
    zs.zone("m365.test", ["m365.test. 60 IN MX 0 m365-test.mail.protection.outlook.com."])
    zs.zone(
        "guess.test",
        [
            "guess.test. 60 IN MX 10 mx.guess.test.",
            "smtp.guess.test. 60 IN A 192.0.2.27",
            "guess.test. 60 IN AAAA 2001:db8::27",
        ],
    )
    zs.zone("none.test", ['none.test. 60 IN TXT "nothing here"'])
    zs.fail("broken.test")
    return zs


@pytest.fixture(scope="session")
def discovery_dns() -> Iterator[str]:
    """HOST:PORT of a local unbound answering only for the test zones."""
    if UNBOUND is None:
        pytest.skip("unbound is not installed (Debian package 'unbound'; lab/install-packages.sh)")
    server = UnboundServer(discovery_zones())
    server.start()
    try:
        yield server.nameserver
    finally:
        server.stop()
