"""DNS blacklist lookups, each list self-tested (RFC 5782) before its verdict is trusted.

A list can answer wrongly for us: it may refuse public resolvers (Spamhaus answers
127.255.255.254, URIBL 127.0.0.1), it may be dead and list everything, or fail.
So every list is asked about its RFC 5782 test points together with the real
query (one round trip): 127.0.0.2 (IPv4), ::FFFF:7F00:2 (IPv6) or TEST (domains;
or the list's own documented test domain) must be listed, 127.0.0.1 /
::FFFF:7F00:1 / INVALID must not. Only then does a
listing or a non-listing count.
"""

from __future__ import annotations

import asyncio
import ipaddress

from relaywiz.core.checks.catalog import GENERIC_REFUSAL, REFUSAL_MEANINGS
from relaywiz.core.checks.model import Area, Blacklist, CheckResult, Status
from relaywiz.core.dns import DnsAnswer, DnsClient, dnsbl_name


def query_zone(entry: Blacklist, dqs_key: str | None) -> str:
    """The zone to query: the public one, or Spamhaus's DQS zone when a key is given."""
    if dqs_key and entry.spamhaus:
        return f"{dqs_key}.{entry.zone.split('.')[0]}.dq.spamhaus.net"
    return entry.zone


def _names(entry: Blacklist, zone: str, target: str) -> tuple[str, str, str]:
    """(target query, must-be-listed test point, must-not-be-listed test point)."""
    if entry.kind == "domain":
        return f"{target.rstrip('.')}.{zone}.", f"{entry.test_point}.{zone}.", f"invalid.{zone}."
    if ipaddress.ip_address(target).version == 6:
        return (
            dnsbl_name(target, zone),
            dnsbl_name("::ffff:7f00:2", zone),
            dnsbl_name("::ffff:7f00:1", zone),
        )
    return dnsbl_name(target, zone), dnsbl_name("127.0.0.2", zone), dnsbl_name("127.0.0.1", zone)


def retired_result(entry: Blacklist) -> CheckResult:
    """A retired list: shown so nobody wonders why it is missing, never queried."""
    return CheckResult(
        entry.check_id,
        Area.BLACKLISTS,
        Status.UNUSABLE,
        f"{entry.name} is retired: {entry.note}",
        (),
        None,
        informational=True,
    )


async def check_list(
    client: DnsClient, entry: Blacklist, target: str, dqs_key: str | None = None
) -> CheckResult:
    """The verdict of one list on `target` (an IP for IP lists, a domain for domain lists)."""
    if entry.retired:
        return retired_result(entry)
    if entry.kind == "ip" and ipaddress.ip_address(target).version == 6 and not entry.ipv6:
        return CheckResult(
            entry.check_id,
            Area.BLACKLISTS,
            Status.UNUSABLE,
            f"{entry.name} does not list IPv6 addresses; not queried",
            (),
            None,
            informational=True,
        )
    zone = query_zone(entry, dqs_key)
    qname, positive, negative = _names(entry, zone, target)
    answer, pos, neg = await asyncio.gather(
        client.resolve(qname, "A"),
        client.resolve(positive, "A"),
        client.resolve(negative, "A"),
    )
    # the list's reason text is only worth a round trip when the target is listed
    reason = await client.resolve(qname, "TXT") if answer.ok else answer
    result = judge(entry, target, answer, reason, pos, neg)
    if dqs_key:
        result = _redact(result, dqs_key)
    return result


def judge(
    entry: Blacklist,
    target: str,
    answer: DnsAnswer,
    reason: DnsAnswer,
    positive: DnsAnswer,
    negative: DnsAnswer,
) -> CheckResult:
    """Pure verdict from the four answers (target A and TXT, and both test points)."""
    evidence = tuple(a.evidence() for a in (answer, positive, negative))
    if reason.ok:
        evidence += (reason.evidence(),)
    cid, name = entry.check_id, entry.name
    note = f" ({entry.note})" if entry.note else ""

    refused = [
        t for a in (answer, positive, negative) for t in a.texts if t in entry.refusal_codes
    ] + [t for a in (answer, positive, negative) for t in a.texts if t.startswith("127.255.255.")]
    if refused:
        meaning = (
            REFUSAL_MEANINGS.get(refused[0], GENERIC_REFUSAL)
            if entry.spamhaus or refused[0] in entry.refusal_codes
            else GENERIC_REFUSAL
        )
        fix = (
            "Query through your own recursive resolver (not a public one), or with a Spamhaus "
            "DQS key (--spamhaus-dqs-key)"
            if entry.spamhaus
            else f"Query from a resolver the list accepts{note}"
        )
        return CheckResult(
            cid,
            Area.BLACKLISTS,
            Status.UNUSABLE,
            f"{name} refused to answer us ({refused[0]}: {meaning}); no verdict",
            evidence,
            fix,
        )
    failed = next((a for a in (answer, positive, negative) if not a.ok and not a.absent), None)
    if failed is not None:
        return CheckResult(
            cid,
            Area.BLACKLISTS,
            Status.ERROR,
            f"Could not query {name}: {failed.why}",
            evidence,
        )
    if not positive.ok:
        return CheckResult(
            cid,
            Area.BLACKLISTS,
            Status.UNUSABLE,
            f"{name} failed its self-test (its RFC 5782 test entry is not listed){note}; "
            "its answers cannot be trusted",
            evidence,
        )
    if negative.ok:
        return CheckResult(
            cid,
            Area.BLACKLISTS,
            Status.UNUSABLE,
            f"{name} failed its self-test (it lists its RFC 5782 never-listed entry, "
            "so it lists everything); its answers cannot be trusted",
            evidence,
        )
    odd = [t for t in answer.texts if not t.startswith("127.")]
    if odd:
        return CheckResult(
            cid,
            Area.BLACKLISTS,
            Status.UNUSABLE,
            f"{name} answered outside 127.0.0.0/8 ({odd[0]}); not a blacklist answer",
            evidence,
        )
    if not answer.ok:
        return CheckResult(
            cid, Area.BLACKLISTS, Status.OK, f"{target} is not listed on {name}", evidence
        )
    codes = dict(entry.codes)
    meanings = [codes.get(t, f"listed ({t})") for t in sorted(answer.texts, key=_addr_key)]
    fix = f"Find and stop the cause, then request delisting at {entry.delist}" + (
        f"; {entry.note}" if entry.note else ""
    )
    if all(t in ("127.0.0.10", "127.0.0.11") for t in answer.texts):
        fix = (
            "This is a policy listing of an end-user range: send through your provider's "
            "submission server (port 587 with authentication); if this is a real mail server "
            f"with a static address, ask for removal at {entry.delist}"
        )
    return CheckResult(
        cid,
        Area.BLACKLISTS,
        Status.PROBLEM,
        f"{target} is listed on {name}: " + "; ".join(meanings),
        evidence,
        fix,
    )


def _addr_key(text: str) -> tuple[int, str]:
    try:
        return int(ipaddress.ip_address(text)), text
    except ValueError:
        return 0, text


def _redact(result: CheckResult, key: str) -> CheckResult:
    return CheckResult(
        result.id,
        result.area,
        result.status,
        result.summary.replace(key, "<dqs-key>"),
        tuple(e.replace(key, "<dqs-key>") for e in result.evidence),
        result.fix,
        result.informational,
    )
