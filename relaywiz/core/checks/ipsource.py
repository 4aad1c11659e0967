"""Which address to check: given, from a message, or our own public address over DNS.

Discovery asks three well-known "what is my address" DNS services directly (the
only queries `check` ever sends to a server other than the configured resolver),
and is skipped whenever the address is known another way. The address found is
this machine's; the one that matters is the one that hands mail to recipients' MX
hosts, which differs when mail leaves through a smarthost or a provider.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.message
import dns.rdataclass
import dns.rdatatype

from relaywiz.core.checks.message import MessageFacts
from relaywiz.core.checks.model import IpSource
from relaywiz.core.dns import record_text

# (query name, type, class, server address, server port, service)
Service = tuple[str, str, str, str, int, str]
DISCOVERY_SERVICES: tuple[Service, ...] = (
    ("myip.opendns.com.", "A", "IN", "208.67.222.222", 53, "OpenDNS"),
    ("o-o.myaddr.l.google.com.", "TXT", "IN", "216.239.32.10", 53, "Google"),
    ("whoami.cloudflare.", "TXT", "CH", "1.1.1.1", 53, "Cloudflare"),
)

SMARTHOST_NOTE = (
    "The address that matters is the one that hands your mail to the recipient's MX; "
    "if you send through a provider or smarthost, check that server's address (--ip)."
)


@dataclass(frozen=True)
class SendingIp:
    """The address to check and an account of where it came from."""

    ip: str | None
    source: IpSource
    detail: str
    helo: str | None = None


async def choose_ip(
    given: str | None,
    facts: MessageFacts | None,
    discover: bool,
    timeout: float,
    services: tuple[Service, ...] = DISCOVERY_SERVICES,
) -> SendingIp:
    """The sending address by precedence: --ip, the message's Received chain, discovery."""
    if given:
        return SendingIp(given, IpSource.GIVEN, "given with --ip")
    if facts is not None and facts.hop is not None:
        return SendingIp(
            facts.hop.ip,
            IpSource.MESSAGE,
            f"taken from the message's Received chain: {facts.hop.header}",
            helo=facts.hop.helo,
        )
    if not discover:
        return SendingIp(None, IpSource.NONE, "no sending address: give one with --ip")
    found = await discover_public_ip(timeout, services)
    if found is None:
        return SendingIp(
            None, IpSource.NONE, "could not find this machine's public address over DNS"
        )
    ip, service = found
    return SendingIp(
        ip,
        IpSource.DISCOVERED,
        f"this machine's public address, as seen by {service}'s DNS. {SMARTHOST_NOTE}",
    )


async def discover_public_ip(
    timeout: float, services: tuple[Service, ...] = DISCOVERY_SERVICES
) -> tuple[str, str] | None:
    """Our public address from the first discovery service that answers, with its name."""
    tasks = [asyncio.create_task(_ask(*service, timeout)) for service in services]
    try:
        for next_done in asyncio.as_completed(tasks):
            result = await next_done
            if result is not None:
                return result
    finally:
        for task in tasks:
            task.cancel()
    return None


async def _ask(
    qname: str, rdtype: str, rdclass: str, server: str, port: int, service: str, timeout: float
) -> tuple[str, str] | None:
    query = dns.message.make_query(
        qname, dns.rdatatype.from_text(rdtype), dns.rdataclass.from_text(rdclass)
    )
    try:
        response = await dns.asyncquery.udp(query, server, port=port, timeout=timeout)
    except (dns.exception.DNSException, OSError):
        return None
    for rrset in response.answer:
        for rdata in rrset:
            text = record_text(rdata).strip('"')
            try:
                return str(ipaddress.ip_address(text)), service
            except ValueError:
                continue
    return None
