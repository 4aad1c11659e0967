"""SPF: is there exactly one record, does it authorize the sending IP, does it stay in limits.

The record is fetched with our typed-failure resolver (so a SERVFAIL is never
"no SPF record") and evaluated by pyspf twice in worker threads: once for the
sending IP (the verdict a receiver reaches) and once, laxly, for an address that
matches nothing (documentation range), to count the DNS lookups (limit 10) and
void lookups (limit 2) a receiver may have to make.
"""

from __future__ import annotations

import asyncio

from relaywiz.core.checks import spfglue
from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.dns import DnsAnswer, DnsClient

MAX_LOOKUPS = 10
MAX_VOID = 2
NOWHERE_IP = "2001:db8::5eed"  # documentation address: matches no real record

_RANK = {Status.OK: 0, Status.WARNING: 1, Status.ERROR: 2, Status.UNUSABLE: 2, Status.PROBLEM: 3}


def spf_records(answer: DnsAnswer) -> list[str]:
    """The TXT strings that are SPF records (v=spf1, case-insensitive)."""
    return [t for t in answer.texts if t.lower() == "v=spf1" or t.lower().startswith("v=spf1 ")]


def all_term(record: str) -> str | None:
    """The record's `all` mechanism with its qualifier (e.g. '-all'), or None."""
    for term in record.split()[1:]:
        bare = term.lstrip("+-~?").lower()
        if bare == "all":
            return term if term[0] in "+-~?" else "+" + term
    return None


def suggest(record: str | None, ip: str | None) -> str:
    """An SPF record to publish: the current one with the IP added and a strict ending."""
    mech = (f"ip6:{ip}" if ":" in ip else f"ip4:{ip}") if ip else None
    if not record:
        return "v=spf1 mx " + (mech + " " if mech else "") + "~all"
    terms = [t for t in record.split() if t.lstrip("+-~?").lower() != "all"]
    if mech and mech not in terms:
        terms.insert(1, mech)
    if not any(t.lower().startswith("redirect=") for t in terms):
        terms.append("~all")
    return " ".join(terms)


async def check_spf(
    client: DnsClient, domain: str, ip: str | None, helo: str | None
) -> CheckResult:
    """The `spf` result for `domain`, evaluated for `ip` when it is known."""
    answer = await client.resolve(domain, "TXT")
    evidence: list[str] = [answer.evidence()]
    if not answer.ok and not answer.absent:
        return CheckResult(
            "spf",
            Area.AUTHENTICATION,
            Status.ERROR,
            f"Could not look up SPF of {domain}: {answer.why}",
            tuple(evidence),
        )
    records = spf_records(answer)
    if not records:
        return CheckResult(
            "spf",
            Area.AUTHENTICATION,
            Status.PROBLEM,
            f"{domain} publishes no SPF record; receivers cannot tell your servers from forgers",
            tuple(evidence),
            f'{domain}. IN TXT "{suggest(None, ip)}"',
        )
    if len(records) > 1:
        return CheckResult(
            "spf",
            Area.AUTHENTICATION,
            Status.PROBLEM,
            f"{domain} publishes {len(records)} SPF records; receivers treat that as an error "
            "(permerror)",
            tuple(evidence),
            "Merge them into one record: " + suggest(records[0], ip),
        )
    record = records[0]
    resolver = client.sync_resolver()
    heloname = helo or domain
    limit = client.timeout * 4
    jobs = [
        asyncio.to_thread(
            spfglue.evaluate, resolver, NOWHERE_IP, domain, heloname, False, limit, record
        )
    ]
    if ip:
        jobs.append(
            asyncio.to_thread(spfglue.evaluate, resolver, ip, domain, heloname, True, limit, record)
        )
    outcomes = await asyncio.gather(*jobs)
    _r, _e, lookups, void = outcomes[0]
    evidence.append(
        f"DNS lookups needed: {lookups} (limit {MAX_LOOKUPS}); "
        f"void lookups: {void} (limit {MAX_VOID})"
    )
    findings: list[tuple[Status, str]] = []
    term = all_term(record)
    if term == "+all":
        findings.append((Status.PROBLEM, "the record ends in +all: anyone may send as you"))
    elif term == "?all":
        findings.append((Status.WARNING, "the record ends in ?all (neutral): it protects nothing"))
    elif term is None and "redirect=" not in record.lower():
        findings.append(
            (Status.WARNING, "the record has no 'all' at the end: unlisted senders are neutral")
        )
    if lookups > MAX_LOOKUPS:
        findings.append(
            (
                Status.PROBLEM,
                f"it needs {lookups} DNS lookups, over the limit of {MAX_LOOKUPS} (permerror)",
            )
        )
    if void > MAX_VOID:
        findings.append(
            (
                Status.PROBLEM,
                f"{void} lookups find nothing, over the limit of {MAX_VOID} (permerror)",
            )
        )
    if " ptr" in f" {record.lower()}" or "+ptr" in record.lower():
        findings.append((Status.WARNING, "it uses the deprecated 'ptr' mechanism"))
    if ip:
        result, explanation, _l, _v = outcomes[1]
        evidence.append(
            f"evaluated for {ip}: {result}" + (f" ({explanation})" if explanation else "")
        )
        verdicts = {
            "pass": (Status.OK, f"{ip} is authorized"),
            "fail": (
                Status.PROBLEM,
                f"{ip} is not authorized (fail): receivers reject or junk the mail",
            ),
            "softfail": (
                Status.WARNING,
                f"{ip} is not authorized (softfail): mail is likely junked",
            ),
            "neutral": (Status.WARNING, f"{ip} is neither authorized nor refused (neutral)"),
            "none": (Status.PROBLEM, "no SPF result"),
            "permerror": (
                Status.PROBLEM,
                f"receivers get a permanent error evaluating it ({explanation})",
            ),
            "temperror": (Status.ERROR, f"evaluation hit a DNS failure ({explanation})"),
        }
        findings.append(verdicts.get(result, (Status.WARNING, f"result {result}")))
    worst = max((s for s, _ in findings), key=_RANK.__getitem__, default=Status.OK)
    bad = [m for s, m in findings if s is worst and s is not Status.OK]
    summary = f"SPF of {domain}: " + (
        "; ".join(bad) if bad else (findings[-1][1] if findings else "valid")
    )
    fix = None
    if worst in (Status.PROBLEM, Status.WARNING):
        fix = f'{domain}. IN TXT "{suggest(record, ip)}"'
        if lookups > MAX_LOOKUPS:
            fix += " (and replace include: chains with ip4:/ip6: ranges to stay within 10 lookups)"
    return CheckResult(
        "spf", Area.AUTHENTICATION, worst, summary, (f"record: {record}", *evidence), fix
    )
