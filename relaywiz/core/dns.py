"""A small async DNS helper whose failures are typed, shared by `check` and discovery.

relaywiz must never confuse "the record does not exist" (NXDOMAIN, NODATA) with
"we could not find out" (SERVFAIL, TIMEOUT, REFUSED): the first is a finding about
the domain, the second about the network. Every lookup therefore returns a
`DnsAnswer` instead of raising, with `failure` naming what went wrong.

Usage::

    client = DnsClient(nameserver="127.0.0.1:5353")   # or None: the system resolver
    answer = await client.resolve("example.org", "MX")
    if answer.ok:
        for text in answer.texts: ...                  # "10 mx.example.org."
    elif answer.failure is DnsFailure.NXDOMAIN: ...

`client.sync_resolver()` gives a synchronous dnspython resolver pointed at the same
server, for libraries (pyspf, dkimpy) that run in a worker thread.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.reversename

DEFAULT_TIMEOUT = 5.0


class DnsFailure(StrEnum):
    """Why a lookup gave no records. NXDOMAIN and NODATA are answers; the rest are not."""

    NXDOMAIN = "nxdomain"  # the name does not exist
    NODATA = "nodata"  # the name exists, without records of this type
    SERVFAIL = "servfail"  # the server could not answer (broken zone, DNSSEC, upstream)
    REFUSED = "refused"  # the server would not answer us
    TIMEOUT = "timeout"  # no answer in time
    ERROR = "error"  # anything else (bad name, network unreachable)

    @property
    def is_answer(self) -> bool:
        """True when the DNS authoritatively said "no such record"."""
        return self in (DnsFailure.NXDOMAIN, DnsFailure.NODATA)

    @property
    def describe(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    DnsFailure.NXDOMAIN: "the name does not exist (NXDOMAIN)",
    DnsFailure.NODATA: "the name exists but has no record of this type",
    DnsFailure.SERVFAIL: "the DNS server failed to answer (SERVFAIL)",
    DnsFailure.REFUSED: "the DNS server refused the query (REFUSED)",
    DnsFailure.TIMEOUT: "no answer from DNS in time (timeout)",
    DnsFailure.ERROR: "the lookup failed",
}


class NameserverError(ValueError):
    """A `--nameserver` value that is not HOST or HOST:PORT with an IP address, or no
    nameserver at all (no system resolver configured)."""


@dataclass(frozen=True)
class DnsAnswer:
    """One lookup: the records as text, or the reason there are none.

    `texts` holds each record's presentation form, except TXT records, whose
    character-strings are joined and decoded (what SPF/DMARC/DKIM parsers want).
    """

    name: str
    rdtype: str
    texts: tuple[str, ...]
    failure: DnsFailure | None
    detail: str
    elapsed_ms: float

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def absent(self) -> bool:
        """True when DNS said the record does not exist (not when it failed to say)."""
        return self.failure is not None and self.failure.is_answer

    @property
    def why(self) -> str:
        """The failure in words ('' when the lookup succeeded)."""
        return self.failure.describe if self.failure else ""

    def evidence(self) -> str:
        """A one-line account of this lookup for a report."""
        if self.ok:
            return f"{self.name} {self.rdtype}: " + " | ".join(self.texts)
        return f"{self.name} {self.rdtype}: {self.why}"


def parse_nameserver(value: str) -> tuple[str, int]:
    """Split `HOST`, `HOST:PORT`, `[V6]:PORT` or a bare IPv6 address into (ip, port)."""
    value = value.strip()
    host, port = value, 53
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise NameserverError(f"bad nameserver {value!r}: missing ']'")
        host, rest = value[1:end], value[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise NameserverError(f"bad nameserver {value!r}")
            port = _port(rest[1:], value)
    elif value.count(":") == 1:
        host, raw = value.split(":")
        port = _port(raw, value)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise NameserverError(
            f"bad nameserver {value!r}: give an IP address, optionally with :PORT"
        ) from None
    return host, port


def _port(raw: str, value: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise NameserverError(f"bad nameserver {value!r}: port must be 1-65535")
    return int(raw)


def reverse_name(ip: str) -> str:
    """The in-addr.arpa / ip6.arpa name of an address (IPv6 in nibble form)."""
    return dns.reversename.from_address(ip).to_text()


def dnsbl_name(ip: str, zone: str) -> str:
    """The DNSBL query name: reversed octets (IPv4) or nibbles (IPv6) under `zone`."""
    addr = ipaddress.ip_address(ip)
    if addr.version == 4:
        labels = ".".join(reversed(str(addr).split(".")))
    else:
        labels = ".".join(reversed(addr.exploded.replace(":", "")))
    return f"{labels}.{zone.rstrip('.')}."


class DnsClient:
    """Resolves names against one nameserver (or the system's) with typed failures."""

    def __init__(self, nameserver: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.nameserver = nameserver
        self.timeout = timeout
        self._server = parse_nameserver(nameserver) if nameserver else None
        try:
            self._resolver = dns.asyncresolver.Resolver(configure=self._server is None)
        except dns.resolver.NoResolverConfiguration:
            raise NameserverError(
                "this system has no DNS resolver configured; give one with --nameserver"
            ) from None
        self._configure(self._resolver)

    def _configure(self, resolver: dns.resolver.BaseResolver) -> None:
        if self._server is not None:
            resolver.nameservers = [self._server[0]]
            resolver.port = self._server[1]
        resolver.lifetime = self.timeout
        resolver.timeout = min(self.timeout, 2.0)
        resolver.retry_servfail = False
        resolver.cache = None
        # EDNS0 with a 1232-byte buffer: 2048-bit DKIM keys fit in UDP, no TCP fallback
        resolver.use_edns(0, 0, 1232)

    def sync_resolver(self) -> dns.resolver.Resolver:
        """A blocking resolver pointed at the same server, for libraries run in a thread."""
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(self._resolver.nameservers)
        resolver.port = self._resolver.port
        self._configure(resolver)
        return resolver

    async def resolve(self, name: str, rdtype: str) -> DnsAnswer:
        """Look `name` up; never raises for DNS trouble (see `DnsAnswer.failure`)."""
        started = time.monotonic()
        qname = name if name.endswith(".") else name + "."
        try:
            answer = await self._resolver.resolve(qname, rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            return _failed(name, rdtype, DnsFailure.NXDOMAIN, "", started)
        except dns.resolver.NoAnswer:
            return _failed(name, rdtype, DnsFailure.NODATA, "", started)
        except dns.resolver.NoNameservers as exc:
            kind, detail = _classify_no_nameservers(exc)
            return _failed(name, rdtype, kind, detail, started)
        except dns.exception.Timeout as exc:
            return _failed(name, rdtype, DnsFailure.TIMEOUT, str(exc), started)
        except (dns.exception.DNSException, OSError, ValueError) as exc:
            return _failed(name, rdtype, DnsFailure.ERROR, str(exc) or type(exc).__name__, started)
        texts = tuple(record_text(rdata) for rdata in answer)
        return DnsAnswer(
            name=name.rstrip("."),
            rdtype=rdtype,
            texts=texts,
            failure=None,
            detail="",
            elapsed_ms=(time.monotonic() - started) * 1000,
        )


def record_text(rdata: object) -> str:
    """Presentation form of one record; TXT strings joined and decoded as UTF-8."""
    strings = getattr(rdata, "strings", None)
    if strings is not None and isinstance(strings, Iterable):
        return b"".join(strings).decode("utf-8", "replace")
    to_text = getattr(rdata, "to_text", None)
    return str(to_text()) if callable(to_text) else str(rdata)


def _failed(name: str, rdtype: str, kind: DnsFailure, detail: str, started: float) -> DnsAnswer:
    return DnsAnswer(
        name=name.rstrip("."),
        rdtype=rdtype,
        texts=(),
        failure=kind,
        detail=detail,
        elapsed_ms=(time.monotonic() - started) * 1000,
    )


def _classify_no_nameservers(exc: dns.resolver.NoNameservers) -> tuple[DnsFailure, str]:
    errors = exc.kwargs.get("errors") or []
    for error in errors:
        response = error[4] if len(error) > 4 else None
        if isinstance(response, dns.message.Message):
            rcode = response.rcode()
            if rcode == dns.rcode.REFUSED:
                return DnsFailure.REFUSED, dns.rcode.to_text(rcode)
            if rcode == dns.rcode.SERVFAIL:
                return DnsFailure.SERVFAIL, dns.rcode.to_text(rcode)
        err = error[3] if len(error) > 3 else None
        if isinstance(err, dns.exception.Timeout):
            return DnsFailure.TIMEOUT, str(err)
    return DnsFailure.SERVFAIL, str(exc)
