"""Runs every check of `relaywiz check` concurrently and assembles the report.

All lookups go out together (asyncio.gather; pyspf and dkimpy in worker threads),
so a whole check costs a few DNS round trips, not one per record.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import time
from collections.abc import Awaitable

from relaywiz.core.checks.catalog import CATALOG
from relaywiz.core.checks.dkim import check_dkim
from relaywiz.core.checks.dmarc import check_dmarc
from relaywiz.core.checks.dnsbl import check_list, retired_result
from relaywiz.core.checks.ipsource import SMARTHOST_NOTE, choose_ip
from relaywiz.core.checks.message import MessageFacts, parse_message
from relaywiz.core.checks.model import CheckReport, CheckRequest, CheckResult, IpSource
from relaywiz.core.checks.mx import check_mx, check_policy_records
from relaywiz.core.checks.ptr import check_sending_ip
from relaywiz.core.checks.smtptls import check_starttls
from relaywiz.core.checks.spf import check_spf
from relaywiz.core.dns import DnsClient, NameserverError

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)


class CheckInputError(ValueError):
    """A domain, address or nameserver that cannot be checked; the message says which."""


def normalize_domain(domain: str) -> str:
    """The domain in lower case without a trailing dot; CheckInputError if it is not one."""
    value = domain.strip().rstrip(".").lower()
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        raise CheckInputError(f"not a domain name: {domain!r}") from None
    labels = value.split(".")
    if len(labels) < 2 or len(value) > 253 or not all(_LABEL.match(x) for x in labels):
        raise CheckInputError(f"not a domain name: {domain!r}")
    return value


def _validate(request: CheckRequest) -> tuple[str, str | None, DnsClient]:
    domain = normalize_domain(request.domain)
    ip = None
    if request.ip:
        try:
            ip = str(ipaddress.ip_address(request.ip.strip()))
        except ValueError:
            raise CheckInputError(f"not an IP address: {request.ip!r}") from None
    try:
        client = DnsClient(request.nameserver, request.timeout)
    except NameserverError as exc:
        raise CheckInputError(str(exc)) from None
    if request.dqs_key is not None and not re.fullmatch(r"[a-z0-9]{8,64}", request.dqs_key):
        raise CheckInputError("a Spamhaus DQS key is 8-64 lower-case letters and digits")
    return domain, ip, client


async def run_check(request: CheckRequest) -> CheckReport:
    """Run all checks for `request`; raises CheckInputError for bad input, never for DNS."""
    started = time.monotonic()
    domain, ip, client = _validate(request)
    facts: MessageFacts | None = parse_message(request.message) if request.message else None
    catalog = request.blacklists if request.blacklists is not None else CATALOG
    notes: list[str] = []

    # domain-only checks start at once, while the sending address is being found
    domain_jobs: list[Awaitable[CheckResult | list[CheckResult]]] = [
        check_mx(client, domain),
        check_dmarc(client, domain, facts),
        check_dkim(client, domain, request.dkim_selectors, request.message, facts),
        check_policy_records(client, domain),
    ]
    domain_lists = [e for e in catalog if e.kind == "domain" and not e.retired]
    if request.smtp:
        domain_jobs.append(
            check_starttls(
                client,
                domain,
                request.smtp_port,
                max(request.timeout, 10.0),
                request.helo,
                request.cafile,
            )
        )
    domain_tasks = [asyncio.ensure_future(j) for j in domain_jobs]
    domain_tasks += [
        asyncio.ensure_future(check_list(client, e, domain, request.dqs_key)) for e in domain_lists
    ]
    try:
        sending = await choose_ip(ip, facts, request.discover_ip, client.timeout)
        helo = request.helo or sending.helo
        ip_jobs: list[Awaitable[CheckResult | list[CheckResult]]] = [
            check_spf(client, domain, sending.ip, helo)
        ]
        ip_lists = [e for e in catalog if e.kind == "ip" and not e.retired]
        if sending.ip:
            ip_jobs.append(check_sending_ip(client, sending.ip, helo, domain))
            ip_jobs += [check_list(client, e, sending.ip, request.dqs_key) for e in ip_lists]
        elif ip_lists:
            notes.append("IP checks (PTR, HELO, IP blacklists) skipped: no sending address")
        ip_results = await asyncio.gather(*ip_jobs)
        domain_results = await asyncio.gather(*domain_tasks)
    finally:
        for task in domain_tasks:
            task.cancel()

    flat: list[CheckResult] = []
    for item in [*ip_results, *domain_results]:
        flat.extend(item if isinstance(item, list) else [item])
    flat += [retired_result(e) for e in catalog if e.retired]

    notes.insert(0, f"sending address: {sending.detail}")
    if sending.source is IpSource.GIVEN or sending.source is IpSource.MESSAGE:
        notes.append(SMARTHOST_NOTE)
    if not request.dkim_selectors and not (facts and facts.signatures):
        notes.append(
            "DKIM not checked: selectors cannot be listed from DNS; give --dkim-selector "
            "or a signed --message"
        )
    if facts and facts.from_domain and facts.from_domain != domain:
        notes.append(f"the message's From domain is {facts.from_domain}, not {domain}")
    return CheckReport(
        domain=domain,
        ip=sending.ip,
        ip_source=sending.source,
        ip_detail=sending.detail,
        helo=helo,
        nameserver=request.nameserver,
        checks=tuple(_ordered(flat)),
        notes=tuple(notes),
        elapsed_ms=(time.monotonic() - started) * 1000,
    )


_ORDER = [
    "ptr",
    "fcrdns",
    "helo",
    "dnsbl:",
    "spf",
    "dkim:",
    "dmarc",
    "mx",
    "starttls:",
    "mta-sts",
    "tls-rpt",
]


def _ordered(results: list[CheckResult]) -> list[CheckResult]:
    def key(result: CheckResult) -> int:
        for i, prefix in enumerate(_ORDER):
            if result.id == prefix or (prefix.endswith(":") and result.id.startswith(prefix)):
                return i
        return len(_ORDER)

    return sorted(results, key=key)
