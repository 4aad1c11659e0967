"""Facts `check` takes from a message: the sending IP and HELO, the From and DKIM domains.

The address that matters to a receiver is the one that handed the mail to its MX,
so the Received chain is read from the top (the newest hop) down, and the first
"from" clause with a routable address wins; private, loopback and carrier-NAT
addresses are internal hops and are skipped.
"""

from __future__ import annotations

import email.policy
import ipaddress
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

from relaywiz.core.checks.orgdomain import org_domain

_INTERNAL_NETS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "::/128",
    )
)

_BRACKETED = re.compile(r"\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]")
_HELO_EXIM = re.compile(r"\bhelo=([^\s)\]]+)", re.IGNORECASE)
_FROM = re.compile(r"^\s*from\s+(.*?)(?:\s+by\s+|;|$)", re.IGNORECASE | re.DOTALL)
_BY = re.compile(r"\sby\s+([A-Za-z0-9.-]+)", re.IGNORECASE)
_NAMES = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class ReceivedHop:
    """The sending side of one Received header."""

    ip: str
    helo: str | None
    header: str


@dataclass(frozen=True)
class DkimSignatureRef:
    """The domain and selector of one DKIM-Signature header."""

    domain: str
    selector: str


@dataclass(frozen=True)
class MessageFacts:
    """What `check` needs from a message, parsed once."""

    from_domain: str | None
    envelope_domain: str | None  # Return-Path
    signatures: tuple[DkimSignatureRef, ...]
    hop: ReceivedHop | None


def is_internal(ip: str) -> bool:
    """True for addresses that never face the internet (RFC 1918, loopback, CGNAT, ...)."""
    addr = ipaddress.ip_address(ip)
    return any(addr in net for net in _INTERNAL_NETS if net.version == addr.version)


def parse_message(raw: bytes) -> MessageFacts:
    """Read From, Return-Path, DKIM-Signature and Received headers of a raw message."""
    msg: Message = BytesParser(policy=email.policy.compat32).parsebytes(raw, headersonly=True)
    return MessageFacts(
        from_domain=_domain_of(msg.get_all("From") or []),
        envelope_domain=_domain_of(msg.get_all("Return-Path") or []),
        signatures=tuple(_signatures(msg)),
        hop=first_external_hop([str(h) for h in msg.get_all("Received") or []]),
    )


def first_external_hop(received: list[str]) -> ReceivedHop | None:
    """The newest Received header whose sender has a routable address and is not a relay
    inside the receiving organization (sender and receiver in the same domain)."""
    for header in received:
        text = " ".join(header.split())
        match = _FROM.match(text)
        if not match:
            continue
        clause = match.group(1)
        if _internal_relay(clause, text):
            continue
        for candidate in _BRACKETED.findall(clause):
            try:
                addr = ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if not is_internal(str(addr)):
                return ReceivedHop(ip=str(addr), helo=_helo(clause), header=text[:200])
    return None


def _internal_relay(clause: str, text: str) -> bool:
    by = _BY.search(text)
    if not by or "." not in by.group(1):
        return False
    receiver = org_domain(by.group(1))
    names = [n for n in _NAMES.findall(clause) if not n.replace(".", "").isdigit()]
    return bool(names) and all(org_domain(n) == receiver for n in names)


def _helo(clause: str) -> str | None:
    exim = _HELO_EXIM.search(clause)
    if exim:
        return exim.group(1).strip("[]")
    first = clause.split()[0] if clause.split() else ""
    if first and not first.startswith(("(", "[")):
        return first
    return None


def _domain_of(values: list[str]) -> str | None:
    for _name, addr in getaddresses([str(v) for v in values]):
        if "@" in addr:
            return addr.rsplit("@", 1)[1].strip().rstrip(".").lower() or None
    return None


def _signatures(msg: Message) -> list[DkimSignatureRef]:
    refs = []
    for header in msg.get_all("DKIM-Signature") or []:
        tags = dict(
            (k.strip().lower(), "".join(v.split()))
            for k, _, v in (part.partition("=") for part in str(header).split(";"))
            if k.strip()
        )
        if tags.get("d") and tags.get("s"):
            refs.append(DkimSignatureRef(domain=tags["d"].lower(), selector=tags["s"]))
    return refs
