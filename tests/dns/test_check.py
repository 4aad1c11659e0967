"""`run_check` end to end against a real unbound serving tests/dns/zones.py."""

from __future__ import annotations

import dkim
import pytest

from relaywiz.core.checks import CheckRequest, IpSource, Status, run_check
from relaywiz.core.checks.catalog import CATALOG, by_zone
from relaywiz.core.checks.runner import CheckInputError
from tests.dns.zones import DQS_KEY, GENERIC_IP, GOOD_IP, GOOD_IP6, LISTED_IP

pytestmark = pytest.mark.dns


def request(dnslab, domain: str, **kw) -> CheckRequest:
    kw.setdefault("discover_ip", False)
    kw.setdefault("timeout", 2.0)
    return CheckRequest(domain=domain, nameserver=dnslab.nameserver, **kw)


def status(report, cid: str) -> Status:
    return report.by_id(cid).status


async def test_well_run_domain(dnslab) -> None:
    report = await run_check(
        request(
            dnslab, "sender.test", ip=GOOD_IP, helo="mail.sender.test", dkim_selectors=("sel1",)
        )
    )
    for cid in ("ptr", "fcrdns", "helo", "spf", "dmarc", "dkim:sel1", "mx", "mta-sts", "tls-rpt"):
        assert status(report, cid) is Status.OK, report.by_id(cid)
    assert report.ip_source is IpSource.GIVEN
    assert "2048 bits" in report.by_id("dkim:sel1").summary
    assert "published" in report.by_id("mta-sts").summary
    # healthy lists that do not list the address
    for zone in ("zen.spamhaus.org", "bl.spamcop.net", "bl.mailspike.net"):
        assert status(report, f"dnsbl:{zone}") is Status.OK
    for zone in ("dbl.spamhaus.org", "multi.surbl.org"):
        result = report.by_id(f"dnsbl:{zone}")
        assert result.status is Status.OK and "sender.test is not listed" in result.summary
    ids = [c.id for c in report.checks]
    assert len(ids) == len(set(ids))


async def test_misbehaving_lists_give_no_verdict(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test", ip=GOOD_IP))
    refused = report.by_id("dnsbl:b.barracudacentral.org")
    assert refused.status is Status.UNUSABLE and "127.255.255.254" in refused.summary
    assert "registered" in (refused.fix or "")
    broken = report.by_id("dnsbl:dnsbl-1.uceprotect.net")
    assert broken.status is Status.UNUSABLE and "self-test" in broken.summary
    failing = report.by_id("dnsbl:psbl.surriel.com")
    assert failing.status is Status.ERROR and "SERVFAIL" in failing.summary
    uribl = report.by_id("dnsbl:multi.uribl.com")
    assert uribl.status is Status.UNUSABLE and "refused" in uribl.summary
    sorbs = report.by_id("dnsbl:dnsbl.sorbs.net")
    assert sorbs.informational and "retired" in sorbs.summary and not sorbs.evidence
    assert not any("sorbs" in e for c in report.checks for e in c.evidence)
    assert report.exit_code == 1  # unusable lists and a DNS error: warnings, not problems


async def test_listed_address_is_decoded_with_delisting_page(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test", ip=LISTED_IP))
    zen = report.by_id("dnsbl:zen.spamhaus.org")
    assert zen.status is Status.PROBLEM
    assert "SBL CSS" in zen.summary and "XBL" in zen.summary
    assert "https://check.spamhaus.org/" in (zen.fix or "")
    spamcop = report.by_id("dnsbl:bl.spamcop.net")
    assert spamcop.status is Status.PROBLEM and "spamcop.net/bl.shtml" in (spamcop.fix or "")
    assert any("Listed; see" in e for e in spamcop.evidence)  # the list's TXT reason
    assert status(report, "spf") is Status.PROBLEM  # not in sender.test's SPF
    assert report.exit_code == 2


async def test_generic_ptr_without_forward_confirmation_and_pbl(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test", ip=GENERIC_IP, helo="mail.sender.test"))
    ptr = report.by_id("ptr")
    assert ptr.status is Status.WARNING and "generic" in ptr.summary and "dsl" in ptr.summary
    assert status(report, "fcrdns") is Status.PROBLEM
    assert status(report, "helo") is Status.WARNING  # does not resolve to this address
    zen = report.by_id("dnsbl:zen.spamhaus.org")
    assert zen.status is Status.PROBLEM and "PBL" in zen.summary
    assert "587" in (zen.fix or "")
    # 198.51.100.7 is inside partner.test's ip4:198.51.100.0/28, included by sender.test
    assert status(report, "spf") is Status.OK


async def test_ipv6_sender_in_nibble_form(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test", ip=GOOD_IP6, helo="mail6.sender.test"))
    assert report.by_id("ptr").summary.endswith("mail6.sender.test")
    assert status(report, "fcrdns") is Status.OK
    assert status(report, "helo") is Status.OK
    zen = report.by_id("dnsbl:zen.spamhaus.org")
    assert zen.status is Status.OK
    assert any(".8.b.d.0.1.0.0.2.zen.spamhaus.org" in e for e in zen.evidence)
    spamcop = report.by_id("dnsbl:bl.spamcop.net")
    assert spamcop.status is Status.UNUSABLE and spamcop.informational
    assert status(report, "spf") is Status.OK


async def test_badly_run_domain(dnslab) -> None:
    report = await run_check(request(dnslab, "weak.test", ip=GOOD_IP))
    mx = report.by_id("mx")
    assert mx.status is Status.PROBLEM and "null MX" in mx.summary
    spf = report.by_id("spf")
    assert spf.status is Status.PROBLEM and "+all" in spf.summary
    assert spf.fix is not None and "+all" not in spf.fix and "ip4:192.0.2.10" in spf.fix
    dmarc = report.by_id("dmarc")
    assert dmarc.status is Status.WARNING and "p=none" in dmarc.summary
    assert (
        dmarc.fix is not None
        and "p=quarantine" in dmarc.fix
        and dmarc.fix.startswith("_dmarc.weak.test.")
    )
    assert report.exit_code == 2


async def test_neutral_spf_missing_dmarc_and_implicit_mx(dnslab) -> None:
    report = await run_check(request(dnslab, "nomail.test", ip="192.0.2.40"))
    spf = report.by_id("spf")
    assert spf.status is Status.WARNING and "?all" in spf.summary
    dmarc = report.by_id("dmarc")
    assert dmarc.status is Status.WARNING and "no DMARC" in dmarc.summary
    assert dmarc.fix is not None and 'IN TXT "v=DMARC1; p=none' in dmarc.fix
    mx = report.by_id("mx")
    assert mx.status is Status.WARNING and "falls back" in mx.summary


async def test_spf_lookup_and_void_limits(dnslab) -> None:
    loopy = await run_check(request(dnslab, "loopy.test", ip=GOOD_IP))
    spf = loopy.by_id("spf")
    assert spf.status is Status.PROBLEM and "11 DNS lookups" in spf.summary
    void = await run_check(request(dnslab, "void.test", ip=GOOD_IP))
    spf = void.by_id("spf")
    assert spf.status is Status.PROBLEM and "void lookups: 3" in " ".join(spf.evidence)
    two = await run_check(request(dnslab, "twospf.test", ip=GOOD_IP))
    assert two.by_id("spf").status is Status.PROBLEM and "2 SPF records" in two.by_id("spf").summary


async def test_dns_failures_are_errors_not_missing_records(dnslab) -> None:
    report = await run_check(
        request(dnslab, "brokendns.test", ip=GOOD_IP, dkim_selectors=("sel1",))
    )
    for cid in ("mx", "spf", "dmarc", "dkim:sel1", "mta-sts", "tls-rpt"):
        result = report.by_id(cid)
        assert result.status is Status.ERROR, result
        assert "SERVFAIL" in result.summary
        assert "no " not in result.summary.lower().replace("could not", "")
    slow = await run_check(request(dnslab, "slowcheck.test", ip=GOOD_IP, timeout=1.0))
    assert slow.by_id("spf").status is Status.ERROR and "timeout" in slow.by_id("spf").summary
    assert slow.by_id("mx").status is Status.ERROR


async def test_domain_list_listing(dnslab) -> None:
    report = await run_check(request(dnslab, "spammy.test", ip=GOOD_IP))
    dbl = report.by_id("dnsbl:dbl.spamhaus.org")
    assert dbl.status is Status.PROBLEM and "spam domain" in dbl.summary


async def test_dqs_key_queries_dqs_zone_and_never_shows_the_key(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test", ip=LISTED_IP, dqs_key=DQS_KEY))
    zen = report.by_id("dnsbl:zen.spamhaus.org")
    assert zen.status is Status.PROBLEM and "SBL:" in zen.summary  # the DQS zone says .2
    assert any("zen.dq.spamhaus.net" in e for e in zen.evidence)
    from relaywiz.core.checks.render import render_json, render_text

    assert DQS_KEY not in render_json(report) and DQS_KEY not in render_text(report, True)


async def test_revoked_and_missing_dkim_keys(dnslab) -> None:
    report = await run_check(
        request(dnslab, "sender.test", ip=GOOD_IP, dkim_selectors=("old", "nosuch"))
    )
    assert "revoked" in report.by_id("dkim:old").summary
    missing = report.by_id("dkim:nosuch")
    assert missing.status is Status.PROBLEM and "No DKIM key" in missing.summary


def signed_message(dnslab, body: str = "Hello,\r\n\r\nthe report is attached.\r\n") -> bytes:
    raw = (
        "Return-Path: <bounces@sender.test>\r\n"
        "Received: from mail.sender.test (mail.sender.test [192.0.2.10])\r\n"
        "\tby mx.recipient.test (Postfix) with ESMTPS id 4AB12;\r\n"
        "\tSat, 28 Nov 2026 00:10:00 +0000\r\n"
        "Received: from [10.1.2.3] (unknown [10.1.2.3])\r\n"
        "\tby mail.sender.test (Postfix) with ESMTPSA id 99ZZ;\r\n"
        "\tSat, 28 Nov 2026 00:09:58 +0000\r\n"
        "From: Ana <ana@sender.test>\r\n"
        "To: bo@recipient.test\r\n"
        "Subject: Quarterly figures\r\n"
        "Date: Sat, 28 Nov 2026 00:09:57 +0000\r\n"
        "Message-ID: <q3.figures@sender.test>\r\n"
        "\r\n" + body
    ).encode()
    signature = dkim.sign(
        raw,
        selector=b"sel1",
        domain=b"sender.test",
        privkey=dnslab.dkim_private,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return signature + raw


async def test_message_gives_ip_helo_and_verified_signature(dnslab) -> None:
    raw = signed_message(dnslab)
    report = await run_check(request(dnslab, "sender.test", message=raw))
    assert report.ip == GOOD_IP and report.ip_source is IpSource.MESSAGE
    assert report.helo == "mail.sender.test"
    assert status(report, "helo") is Status.OK
    dkim_result = report.by_id("dkim:sel1")
    assert dkim_result.status is Status.OK and "verifies" in dkim_result.summary
    dmarc = report.by_id("dmarc")
    assert dmarc.status is Status.OK and "aligns via DKIM and SPF" in dmarc.summary


async def test_tampered_message_fails_verification(dnslab) -> None:
    raw = signed_message(dnslab).replace(b"the report is attached", b"the invoice is attached")
    report = await run_check(request(dnslab, "sender.test", message=raw))
    dkim_result = report.by_id("dkim:sel1")
    assert dkim_result.status is Status.PROBLEM and "fails" in dkim_result.summary
    assert status(report, "ptr") is Status.OK  # the rest is unaffected


async def test_unaligned_message(dnslab) -> None:
    raw = signed_message(dnslab).replace(b"<bounces@sender.test>", b"<b@bulkmailer.test>")
    raw = raw.replace(b"From: Ana <ana@sender.test>", b"From: Ana <ana@weak.test>")
    report = await run_check(request(dnslab, "weak.test", message=raw))
    dmarc = report.by_id("dmarc")
    assert dmarc.status is Status.PROBLEM and "aligns" in dmarc.summary


async def test_no_address_skips_ip_checks_without_discovery(dnslab) -> None:
    report = await run_check(request(dnslab, "sender.test"))
    assert report.ip is None and report.ip_source is IpSource.NONE
    ids = {c.id for c in report.checks}
    assert not ids & {"ptr", "fcrdns", "helo", "dnsbl:zen.spamhaus.org"}
    assert "dnsbl:dbl.spamhaus.org" in ids and "spf" in ids
    assert any("skipped" in n for n in report.notes)
    assert any("DKIM not checked" in n for n in report.notes)


async def test_chosen_lists_only(dnslab) -> None:
    lists = (by_zone("zen.spamhaus.org"), by_zone("bl.spamcop.net"))
    report = await run_check(request(dnslab, "sender.test", ip=GOOD_IP, blacklists=lists))
    assert [c.id for c in report.checks if c.id.startswith("dnsbl:")] == [
        "dnsbl:zen.spamhaus.org",
        "dnsbl:bl.spamcop.net",
    ]
    assert report.exit_code == 0


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({"domain": "not a domain"}, "not a domain"),
        ({"domain": "localhost"}, "not a domain"),
        ({"domain": "sender.test", "ip": "999.1.1.1"}, "not an IP"),
        ({"domain": "sender.test", "nameserver": "dns.example"}, "nameserver"),
        ({"domain": "sender.test", "dqs_key": "BAD KEY"}, "DQS"),
    ],
)
async def test_bad_input(kw, text) -> None:
    with pytest.raises(CheckInputError, match=text):
        await run_check(CheckRequest(discover_ip=False, **kw))


def test_catalog_covers_the_lists_named_in_the_issue() -> None:
    zones = {e.zone for e in CATALOG}
    assert {
        "zen.spamhaus.org",
        "bl.spamcop.net",
        "b.barracudacentral.org",
        "dnsbl-1.uceprotect.net",
        "psbl.surriel.com",
        "bl.mailspike.net",
        "dbl.spamhaus.org",
        "multi.surbl.org",
        "multi.uribl.com",
        "dnsbl.sorbs.net",
    } <= zones
    assert all(e.delist.startswith("https://") for e in CATALOG if not e.retired)
    assert by_zone("dnsbl.sorbs.net").retired


async def test_public_address_discovery_code_against_our_server(dnslab) -> None:
    from relaywiz.core.checks.ipsource import discover_public_ip

    host, port = dnslab.nameserver.split(":")
    silent_port = int(dnslab.silent_nameserver.split(":")[1])
    services = (
        ("myip.opendns.com.", "A", "IN", host, silent_port, "silent"),
        ("o-o.myaddr.l.google.com.", "TXT", "IN", host, int(port), "google-style"),
        ("myip.opendns.com.", "A", "IN", host, int(port), "opendns-style"),
    )
    found = await discover_public_ip(1.0, services)
    assert found is not None and found[0] in ("192.0.2.98", "192.0.2.99")
    assert await discover_public_ip(0.3, services[:1]) is None
