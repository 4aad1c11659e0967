"""The DNS blacklists `check` consults, with their answer codes and delisting pages.

Data, not logic: what each list's answers mean comes from the lists' own usage
pages. SORBS closed in 2024; it stays here, marked retired, so `check` can say so
instead of querying a zone that no longer means anything.
"""

from __future__ import annotations

from relaywiz.core.checks.model import Blacklist

SPAMHAUS_REFUSALS = ("127.255.255.252", "127.255.255.254", "127.255.255.255")
SPAMHAUS_DELIST = "https://check.spamhaus.org/"

GENERIC_REFUSAL = "the list refused to answer this resolver (public resolver, or over quota)"

REFUSAL_MEANINGS = {
    "127.255.255.252": "the query name was malformed (typing error in the zone name)",
    "127.255.255.254": "queried through a public or open resolver, which Spamhaus refuses",
    "127.255.255.255": "too many queries from this resolver (over the free-use limit)",
    "127.0.0.1": "the list blocks queries from this resolver (public resolver or over quota)",
}

ZEN = Blacklist(
    zone="zen.spamhaus.org",
    name="Spamhaus ZEN",
    kind="ip",
    delist=SPAMHAUS_DELIST,
    ipv6=True,
    spamhaus=True,
    codes=(
        ("127.0.0.2", "SBL: a known spam source or spam operation"),
        ("127.0.0.3", "SBL CSS: low-reputation or snowshoe sending"),
        ("127.0.0.4", "XBL: the address is infected or exploited (botnet, open proxy)"),
        ("127.0.0.5", "XBL: the address is infected or exploited"),
        ("127.0.0.6", "XBL: the address is infected or exploited"),
        ("127.0.0.7", "XBL: the address is infected or exploited"),
        ("127.0.0.9", "SBL DROP: hijacked or criminal netblock"),
        ("127.0.0.10", "PBL (ISP): an end-user range that should not send directly to MX hosts"),
        ("127.0.0.11", "PBL (Spamhaus): an end-user range that should not send directly"),
    ),
    refusal_codes=SPAMHAUS_REFUSALS,
)

DBL = Blacklist(
    zone="dbl.spamhaus.org",
    name="Spamhaus DBL",
    kind="domain",
    delist=SPAMHAUS_DELIST,
    spamhaus=True,
    test_point="dbltest.com",
    codes=(
        ("127.0.1.2", "spam domain"),
        ("127.0.1.4", "phishing domain"),
        ("127.0.1.5", "malware domain"),
        ("127.0.1.6", "botnet command-and-control domain"),
        ("127.0.1.102", "abused legitimate domain (spam)"),
        ("127.0.1.103", "abused redirector or URL shortener"),
        ("127.0.1.104", "abused legitimate domain (phishing)"),
        ("127.0.1.105", "abused legitimate domain (malware)"),
        ("127.0.1.106", "abused legitimate domain (botnet)"),
    ),
    refusal_codes=SPAMHAUS_REFUSALS,
)

CATALOG: tuple[Blacklist, ...] = (
    ZEN,
    Blacklist(
        zone="bl.spamcop.net",
        name="SpamCop",
        kind="ip",
        delist="https://www.spamcop.net/bl.shtml",
        note="listings expire by themselves about 24 hours after the last report",
    ),
    Blacklist(
        zone="b.barracudacentral.org",
        name="Barracuda",
        kind="ip",
        delist="https://www.barracudacentral.org/rbl/removal-request",
        note="answers only resolvers registered (free) at barracudacentral.org",
    ),
    Blacklist(
        zone="dnsbl-1.uceprotect.net",
        name="UCEPROTECT level 1",
        kind="ip",
        delist="https://www.uceprotect.net/en/rblcheck.php",
        note="listings expire after 7 days without spam; paying for removal is not needed",
    ),
    Blacklist(
        zone="psbl.surriel.com",
        name="PSBL",
        kind="ip",
        delist="https://psbl.org/",
    ),
    Blacklist(
        zone="bl.mailspike.net",
        name="Mailspike",
        kind="ip",
        delist="https://mailspike.io/ip_verify",
    ),
    DBL,
    Blacklist(
        zone="multi.surbl.org",
        name="SURBL",
        kind="domain",
        test_point="surbl-org-permanent-test-point.com",
        delist="https://surbl.org/surbl-analysis",
    ),
    Blacklist(
        zone="multi.uribl.com",
        name="URIBL",
        kind="domain",
        test_point="test.uribl.com",
        delist="https://admin.uribl.com/",
        codes=(
            ("127.0.0.2", "URIBL black: seen in spam"),
            ("127.0.0.4", "URIBL grey: seen in unsolicited bulk mail"),
            ("127.0.0.8", "URIBL red: newly seen in spam"),
        ),
        refusal_codes=("127.0.0.1",),
    ),
    Blacklist(
        zone="dnsbl.sorbs.net",
        name="SORBS",
        kind="ip",
        delist="",
        retired=True,
        note="SORBS closed in 2024; its zones no longer mean anything and are not queried",
    ),
)


def by_zone(zone: str) -> Blacklist:
    """The catalogue entry for `zone` (KeyError if unknown)."""
    for entry in CATALOG:
        if entry.zone == zone:
            return entry
    raise KeyError(zone)
