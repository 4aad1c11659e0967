"""The pure parts of `check`: parsers and judgements that need no DNS server."""

from __future__ import annotations

import pytest

from relaywiz.core.checks.catalog import ZEN
from relaywiz.core.checks.dmarc import aligned, org_domain, parse_dmarc
from relaywiz.core.checks.dnsbl import judge, query_zone
from relaywiz.core.checks.message import first_external_hop, parse_message
from relaywiz.core.checks.model import Status
from relaywiz.core.checks.ptr import looks_generic
from relaywiz.core.checks.spf import all_term, spf_records, suggest
from relaywiz.core.dns import DnsAnswer, DnsFailure


@pytest.mark.parametrize(
    ("name", "ip", "generic"),
    [
        ("mail.example.org", "192.0.2.10", False),
        ("smtp-out.example.org", "192.0.2.10", False),
        ("198-51-100-7.dsl.isp.example", "198.51.100.7", True),
        ("host7.dynamic.isp.example", "198.51.100.7", True),
        ("c-198-51-100-7.hsd1.example.net", "198.51.100.7", True),
        ("ip-c0000207.isp.example", "192.0.2.7", True),
        ("pool-12.isp.example", "192.0.2.7", True),
    ],
)
def test_generic_ptr(name, ip, generic) -> None:
    assert (looks_generic(name, ip) is not None) is generic


def test_spf_helpers() -> None:
    assert all_term("v=spf1 mx -all") == "-all"
    assert all_term("v=spf1 mx all") == "+all"
    assert all_term("v=spf1 redirect=_spf.example.org") is None
    assert suggest("v=spf1 mx +all", "192.0.2.1") == "v=spf1 ip4:192.0.2.1 mx ~all"
    assert suggest(None, "2001:db8::1") == "v=spf1 mx ip6:2001:db8::1 ~all"
    answer = DnsAnswer("x", "TXT", ("v=spf10 nope", "V=SPF1 -all", "other"), None, "", 1.0)
    assert spf_records(answer) == ["V=SPF1 -all"]


def test_dmarc_parsing_and_alignment() -> None:
    record = parse_dmarc("v=DMARC1; p=reject; adkim=s; rua=mailto:a@example.org")
    assert record is not None and record.policy == "reject" and record.tags["adkim"] == "s"
    assert parse_dmarc("v=spf1 -all") is None
    assert org_domain("a.b.example.co.uk") == "example.co.uk"
    assert aligned("news.example.org", "example.org", "r")
    assert not aligned("news.example.org", "example.org", "s")
    assert not aligned("example.org", "example.net", "r")


def test_received_chain() -> None:
    hop = first_external_hop(
        [
            "from mx1.relay.example (mx1.relay.example [10.0.0.5]) by mx2.relay.example",
            "from gw.sender.example (gw.sender.example [192.0.2.44]) by mx1.relay.example",
        ]
    )
    assert hop is not None and hop.ip == "192.0.2.44" and hop.helo == "gw.sender.example"
    exim = first_external_hop(["from [2001:db8::7] (helo=box.example) by mx.example with esmtp"])
    assert exim is not None and exim.ip == "2001:db8::7" and exim.helo == "box.example"
    assert first_external_hop(["from localhost (localhost [127.0.0.1]) by x"]) is None
    # a relay inside the receiving organization is skipped, even with a public address
    inside = first_external_hop(
        [
            "from mx-in.recv.example (mx-in.recv.example [203.0.113.5]) by store.recv.example",
            "from out.sender.example (out.sender.example [192.0.2.44]) by mx-in.recv.example",
        ]
    )
    assert inside is not None and inside.ip == "192.0.2.44"


def test_message_facts() -> None:
    facts = parse_message(
        b"Return-Path: <b@bounce.example.org>\r\n"
        b"DKIM-Signature: v=1; d=Example.org; s=sel 1; b=abc\r\n"
        b'From: "A" <a@Example.org>\r\n\r\nbody\r\n'
    )
    assert facts.from_domain == "example.org" and facts.envelope_domain == "bounce.example.org"
    assert [(s.domain, s.selector) for s in facts.signatures] == [("example.org", "sel1")]


def _a(texts: tuple[str, ...], failure: DnsFailure | None = None) -> DnsAnswer:
    return DnsAnswer("q", "A", texts, failure, "", 1.0)


NX = _a((), DnsFailure.NXDOMAIN)


def test_dnsbl_judgement() -> None:
    listed = judge(ZEN, "192.0.2.1", _a(("127.0.0.2", "127.0.0.10")), NX, _a(("127.0.0.2",)), NX)
    assert listed.status is Status.PROBLEM and "SBL" in listed.summary and "PBL" in listed.summary
    clean = judge(ZEN, "192.0.2.1", NX, NX, _a(("127.0.0.2",)), NX)
    assert clean.status is Status.OK
    for code in ("127.255.255.252", "127.255.255.254", "127.255.255.255"):
        refused = judge(ZEN, "192.0.2.1", _a((code,)), NX, _a((code,)), _a((code,)))
        assert refused.status is Status.UNUSABLE and "refused" in refused.summary
    dead = judge(ZEN, "192.0.2.1", NX, NX, NX, NX)
    assert dead.status is Status.UNUSABLE and "self-test" in dead.summary
    lists_all = judge(
        ZEN, "192.0.2.1", _a(("127.0.0.2",)), NX, _a(("127.0.0.2",)), _a(("127.0.0.2",))
    )
    assert lists_all.status is Status.UNUSABLE
    servfail = judge(ZEN, "192.0.2.1", _a((), DnsFailure.SERVFAIL), NX, _a(("127.0.0.2",)), NX)
    assert servfail.status is Status.ERROR
    assert query_zone(ZEN, "k3y12345") == "k3y12345.zen.dq.spamhaus.net"
    assert query_zone(ZEN, None) == "zen.spamhaus.org"


def test_domain_list_test_points() -> None:
    from relaywiz.core.checks.catalog import DBL, by_zone
    from relaywiz.core.checks.dnsbl import _names

    assert _names(DBL, "dbl.spamhaus.org", "example.org") == (
        "example.org.dbl.spamhaus.org.",
        "dbltest.com.dbl.spamhaus.org.",
        "invalid.dbl.spamhaus.org.",
    )
    assert _names(by_zone("multi.uribl.com"), "multi.uribl.com", "x.example")[1] == (
        "test.uribl.com.multi.uribl.com."
    )
