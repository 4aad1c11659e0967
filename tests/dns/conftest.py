"""Session fixture: one real unbound on 127.0.0.1:<free port> serving tests/dns/zones.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.dns.unbound_server import UNBOUND, SilentUdp, UnboundServer
from tests.dns.zones import build_zones, make_dkim_key


@dataclass(frozen=True)
class DnsLab:
    nameserver: str
    dkim_private: bytes
    silent_nameserver: str


@pytest.fixture(scope="session")
def dnslab() -> Iterator[DnsLab]:
    if UNBOUND is None:
        pytest.skip("unbound is not installed (Debian package 'unbound'; lab/install-packages.sh)")
    private, public = make_dkim_key()
    silent, silent_check, silent_direct = SilentUdp(), SilentUdp(), SilentUdp()
    sockets = (silent, silent_check, silent_direct)
    server = UnboundServer(build_zones(public, silent, silent_check))
    try:
        server.start()
    except Exception:
        for s in sockets:
            s.close()
        raise
    try:
        yield DnsLab(server.nameserver, private, f"127.0.0.1:{silent_direct.port}")
    finally:
        server.stop()
        for s in sockets:
            s.close()
