"""The test zones: a well-run sending domain, badly-run ones, and blacklists that misbehave.

Addresses are from the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32); they only ever appear inside DNS names and answers
served by our own unbound on loopback.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from relaywiz.core.checks.catalog import by_zone
from relaywiz.core.dns import dnsbl_name, reverse_name
from tests.dns.unbound_server import SilentUdp, ZoneSet, txt

GOOD_IP = "192.0.2.10"
GOOD_IP6 = "2001:db8::25"
GENERIC_IP = "198.51.100.7"
LISTED_IP = "203.0.113.66"
DQS_KEY = "abcdefgh12345678"


def make_dkim_key(bits: int = 2048) -> tuple[bytes, str]:
    """(private key PEM, base64 public key for the p= tag) of a fresh RSA key pair."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, base64.b64encode(der).decode()


def _test_points(zone: str, v6: bool = False) -> list[str]:
    records = [f"{dnsbl_name('127.0.0.2', zone)} A 127.0.0.2"]
    if v6:
        records.append(f"{dnsbl_name('::ffff:7f00:2', zone)} A 127.0.0.2")
    return records


def healthy_list(zs: ZoneSet, zone: str, listed: dict[str, list[str]], v6: bool = False) -> None:
    """An RFC 5782-conforming list: test point listed, 127.0.0.1 not, plus `listed` entries."""
    records = _test_points(zone, v6)
    for ip, codes in listed.items():
        name = dnsbl_name(ip, zone)
        records += [f"{name} A {c}" for c in codes]
        records.append(f"{name} TXT " + txt(f"Listed; see https://lists.example/{ip}"))
    zs.zone(zone, records)


def healthy_domain_list(zs: ZoneSet, zone: str, listed: dict[str, str]) -> None:
    """A domain list that lists its documented test domain (see the catalogue), not INVALID."""
    public = zone.split(".", 1)[1] if zone.startswith(DQS_KEY) else zone
    public = public.replace(".dq.spamhaus.net", ".spamhaus.org")
    try:
        point = by_zone(public).test_point
    except KeyError:
        point = "test"
    records = [f"{point}.{zone}. A 127.0.1.2"]
    records += [f"{d}.{zone}. A {code}" for d, code in listed.items()]
    zs.zone(zone, records)


def answers_everything(zs: ZoneSet, zone: str, address: str) -> None:
    """A list that gives every name the same answer (refusal code, or a dead list)."""
    zs.zone(zone, [f"{zone}. A {address}"], kind="redirect")


def build_zones(
    dkim_public: str, silent: SilentUdp, silent_check: SilentUdp | None = None
) -> ZoneSet:
    """All test zones. Each never-answering zone has its own silent upstream: unbound
    remembers an upstream that timed out and answers SERVFAIL at once afterwards."""
    zs = ZoneSet()
    key = txt(f"v=DKIM1; k=rsa; p={dkim_public}")
    zs.zone(
        "sender.test",
        [
            "sender.test. MX 10 mx.sender.test.",
            "mx.sender.test. A 192.0.2.25",
            f"mail.sender.test. A {GOOD_IP}",
            f"mail6.sender.test. AAAA {GOOD_IP6}",
            "sender.test. TXT "
            + txt("v=spf1 ip4:192.0.2.10 ip6:2001:db8::25 include:_spf.partner.test -all"),
            "sender.test. TXT " + txt("google-site-verification=abc"),
            "_dmarc.sender.test. TXT "
            + txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@sender.test"),
            f"sel1._domainkey.sender.test. TXT {key}",
            "old._domainkey.sender.test. TXT " + txt("v=DKIM1; k=rsa; p="),
            "_mta-sts.sender.test. TXT " + txt("v=STSv1; id=20240101"),
            "_smtp._tls.sender.test. TXT " + txt("v=TLSRPTv1; rua=mailto:tls@sender.test"),
            "sub.sender.test. A 192.0.2.30",
        ],
    )
    zs.zone("partner.test", ["_spf.partner.test. TXT " + txt("v=spf1 ip4:198.51.100.0/28 -all")])
    zs.zone(
        "weak.test",
        [
            "weak.test. MX 0 .",
            "weak.test. TXT " + txt("v=spf1 +all"),
            "_dmarc.weak.test. TXT " + txt("v=DMARC1; p=none"),
        ],
    )
    zs.zone(
        "nomail.test",
        ["nomail.test. A 192.0.2.40", "nomail.test. TXT " + txt("v=spf1 a ?all")],
    )
    includes = " ".join(f"include:i{n}.loopy.test" for n in range(1, 12))
    zs.zone(
        "loopy.test",
        ["loopy.test. MX 10 mx.sender.test.", "loopy.test. TXT " + txt(f"v=spf1 {includes} -all")]
        + [f"i{n}.loopy.test. TXT " + txt("v=spf1 ip4:198.51.100.200 -all") for n in range(1, 12)],
    )
    zs.zone(
        "void.test",
        [
            "void.test. MX 10 mx.sender.test.",
            "void.test. TXT " + txt("v=spf1 a:v1.void.test a:v2.void.test a:v3.void.test -all"),
        ],
    )
    zs.zone(
        "twospf.test",
        [
            "twospf.test. MX 10 mx.sender.test.",
            "twospf.test. TXT " + txt("v=spf1 mx -all"),
            "twospf.test. TXT " + txt("v=spf1 a -all"),
        ],
    )
    zs.zone("spammy.test", ["spammy.test. MX 10 mx.sender.test."])
    # an MX on loopback, for the --smtp STARTTLS test (the tests choose the port)
    zs.zone("tls.test", ["tls.test. MX 10 mx.tls.test.", "mx.tls.test. A 127.0.0.1"])
    # stand-ins for the public-address services, served only by our own unbound
    zs.zone("myip.opendns.com", ["myip.opendns.com. A 192.0.2.99"])
    zs.zone("o-o.myaddr.l.google.com", ["o-o.myaddr.l.google.com. TXT " + txt("192.0.2.98")])
    zs.fail("brokendns.test")
    zs.forward("slowdns.test", silent.port)
    zs.forward("slowcheck.test", (silent_check or silent).port)
    zs.zone(
        "2.0.192.in-addr.arpa",
        ["10.2.0.192.in-addr.arpa. PTR mail.sender.test."],
    )
    zs.zone(
        "100.51.198.in-addr.arpa",
        ["7.100.51.198.in-addr.arpa. PTR 198-51-100-7.dsl.isp.test."],
    )
    zs.zone(
        "113.0.203.in-addr.arpa",
        ["66.113.0.203.in-addr.arpa. PTR bulk.spammer.test."],
    )
    zs.zone("spammer.test", [f"bulk.spammer.test. A {LISTED_IP}"])
    zs.zone(
        "8.b.d.0.1.0.0.2.ip6.arpa",
        [f"{reverse_name(GOOD_IP6)} PTR mail6.sender.test."],
    )
    # blacklists: healthy, refusing, broken, failing
    healthy_list(
        zs,
        "zen.spamhaus.org",
        {LISTED_IP: ["127.0.0.3", "127.0.0.4"], GENERIC_IP: ["127.0.0.10"]},
        v6=True,
    )
    healthy_list(zs, f"{DQS_KEY}.zen.dq.spamhaus.net", {LISTED_IP: ["127.0.0.2"]}, v6=True)
    healthy_list(zs, "bl.spamcop.net", {LISTED_IP: ["127.0.0.2"]})
    answers_everything(zs, "b.barracudacentral.org", "127.255.255.254")
    answers_everything(zs, "dnsbl-1.uceprotect.net", "127.0.0.2")
    zs.fail("psbl.surriel.com")
    healthy_list(zs, "bl.mailspike.net", {})
    healthy_domain_list(zs, "dbl.spamhaus.org", {"spammy.test": "127.0.1.2"})
    healthy_domain_list(zs, f"{DQS_KEY}.dbl.dq.spamhaus.net", {})
    healthy_domain_list(zs, "multi.surbl.org", {})
    answers_everything(zs, "multi.uribl.com", "127.0.0.1")
    return zs
