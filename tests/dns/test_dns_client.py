"""relaywiz.core.dns against a real unbound: answers and each kind of failure, told apart."""

from __future__ import annotations

import pytest

from relaywiz.core.dns import (
    DnsClient,
    DnsFailure,
    NameserverError,
    dnsbl_name,
    parse_nameserver,
    reverse_name,
)

pytestmark = pytest.mark.dns


async def test_answers_are_records(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=3)
    mx = await client.resolve("sender.test", "MX")
    assert mx.ok and mx.texts == ("10 mx.sender.test.",)
    txt = await client.resolve("sender.test", "TXT")
    assert any(t.startswith("v=spf1 ip4:192.0.2.10") for t in txt.texts)


async def test_long_txt_strings_are_joined(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=3)
    key = await client.resolve("sel1._domainkey.sender.test", "TXT")
    assert key.ok and len(key.texts) == 1
    assert len(key.texts[0]) > 300 and " " not in key.texts[0].split("p=")[1]


async def test_nxdomain_and_nodata_are_answers(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=3)
    nx = await client.resolve("nothing.sender.test", "A")
    assert nx.failure is DnsFailure.NXDOMAIN and nx.absent
    nodata = await client.resolve("mx.sender.test", "MX")
    assert nodata.failure is DnsFailure.NODATA and nodata.absent


async def test_servfail_is_not_absence(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=3)
    answer = await client.resolve("brokendns.test", "TXT")
    assert answer.failure is DnsFailure.SERVFAIL
    assert not answer.absent and not answer.ok
    assert "SERVFAIL" in answer.evidence()


async def test_timeout_through_unbound(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=1.0)
    answer = await client.resolve("slowdns.test", "TXT")
    assert answer.failure is DnsFailure.TIMEOUT and not answer.absent


async def test_timeout_from_silent_server(dnslab) -> None:
    client = DnsClient(dnslab.silent_nameserver, timeout=0.5)
    answer = await client.resolve("sender.test", "MX")
    assert answer.failure is DnsFailure.TIMEOUT
    assert answer.elapsed_ms >= 400


async def test_sync_resolver_uses_same_server(dnslab) -> None:
    client = DnsClient(dnslab.nameserver, timeout=3)
    resolver = client.sync_resolver()
    answer = resolver.resolve("mail.sender.test", "A")
    assert [r.address for r in answer] == ["192.0.2.10"]


def test_parse_nameserver() -> None:
    assert parse_nameserver("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_nameserver("127.0.0.1") == ("127.0.0.1", 53)
    assert parse_nameserver("[::1]:5300") == ("::1", 5300)
    assert parse_nameserver("::1") == ("::1", 53)
    for bad in ("dns.example", "127.0.0.1:0", "127.0.0.1:x", "[::1", "1.2.3.4:70000"):
        with pytest.raises(NameserverError):
            parse_nameserver(bad)


def test_query_names() -> None:
    assert dnsbl_name("192.0.2.10", "zen.spamhaus.org") == "10.2.0.192.zen.spamhaus.org."
    v6 = dnsbl_name("2001:db8::25", "zen.spamhaus.org")
    assert v6.startswith("5.2.0.0.0.0.0.0") and v6.endswith(".8.b.d.0.1.0.0.2.zen.spamhaus.org.")
    assert len(v6.split(".")) == 32 + 4
    assert reverse_name("192.0.2.10") == "10.2.0.192.in-addr.arpa."
