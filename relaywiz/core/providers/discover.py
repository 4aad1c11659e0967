"""Which outgoing server to probe for an address, and where each suggestion came from.

In the order a mail administrator would look: the built-in provider table
(gmail.com -> smtp.gmail.com), the domain's RFC 6186 SRV records
(`_submissions._tcp` for implicit TLS, `_submission._tcp` for STARTTLS), the MX
host mapped to a known provider (a domain hosted at Google or Microsoft), and
last the usual guesses (smtp., mail., the domain itself) that resolve. The
judgement (`from_records`) is pure; `discover_all` feeds it from DNS through the
shared `DnsClient`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from relaywiz.core.model import Security
from relaywiz.core.providers.table import AuthPolicy, Provider, by_domain, by_host, by_mx

if TYPE_CHECKING:  # dnspython is imported only when discovery runs (fast probe start-up)
    from relaywiz.core.dns import DnsAnswer, DnsClient


class Source(StrEnum):
    """Where a suggestion came from."""

    PROVIDER_TABLE = "provider_table"
    SRV_SUBMISSIONS = "srv_submissions"  # RFC 6186 + RFC 8314: implicit TLS
    SRV_SUBMISSION = "srv_submission"  # RFC 6186: STARTTLS
    MX_PROVIDER = "mx_provider"
    GUESS = "guess"


_SOURCE_WORDS = {
    Source.PROVIDER_TABLE: "relaywiz's table of mail providers",
    Source.SRV_SUBMISSIONS: "the domain's _submissions._tcp SRV record (RFC 6186)",
    Source.SRV_SUBMISSION: "the domain's _submission._tcp SRV record (RFC 6186)",
    Source.MX_PROVIDER: "the domain's MX record, which points to a known provider",
    Source.GUESS: "a guess from the usual names",
}

_AUTH_WORDS = {
    AuthPolicy.PASSWORD: "log in with the account's password",
    AuthPolicy.APP_PASSWORD: "needs an app password, not the normal password",
    AuthPolicy.APP_PASSWORD_OR_OAUTH2: "needs an app password or a sign-in with OAuth2",
    AuthPolicy.OAUTH2_ONLY: "OAuth2 sign-in only (no passwords)",
    AuthPolicy.BRIDGE: "only through the provider's bridge program",
}


class AddressError(ValueError):
    """Not an e-mail address (the message says why, in one line)."""


@dataclass(frozen=True)
class Suggestion:
    """One server to try, and why it is suggested."""

    host: str
    port: int
    security: Security
    source: Source
    detail: str  # the record or table entry it rests on
    provider: Provider | None = None

    @property
    def note(self) -> str:
        """The provider and the login it wants, in words ("" when not a known provider)."""
        if self.provider is None:
            return ""
        return f"{self.provider.name}: {_AUTH_WORDS[self.provider.auth]}"

    @property
    def source_words(self) -> str:
        return _SOURCE_WORDS[self.source]


@dataclass(frozen=True)
class Discovery:
    """All suggestions for an address, best first, with the lookups they rest on."""

    address: str
    domain: str
    suggestions: tuple[Suggestion, ...]
    provider: Provider | None
    lookups: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # lookups that failed (not "does not exist")


def split_address(address: str) -> tuple[str, str]:
    """(local part, domain) of `address`, lower-cased domain; AddressError when malformed."""
    text = address.strip()
    local, at, domain = text.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not at or not local or not domain:
        raise AddressError(f"{address!r} is not an e-mail address (expected user@domain)")
    if "." not in domain or any(not label for label in domain.split(".")):
        raise AddressError(f"{domain!r} is not a mail domain")
    if any(c.isspace() for c in text):
        raise AddressError(f"{address!r} contains spaces")
    try:
        domain.encode("idna")
    except UnicodeError:
        raise AddressError(f"{domain!r} is not a valid domain name") from None
    return local, domain


def parse_srv(text: str) -> tuple[int, int, int, str] | None:
    """(priority, weight, port, target) from "0 1 465 mail.example.org."; None if malformed."""
    parts = text.split()
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), parts[3].rstrip(".").lower()


def parse_mx(text: str) -> tuple[int, str] | None:
    """(preference, host) from "10 mx.example.org."; None if malformed."""
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1].rstrip(".").lower()


def from_records(
    address: str,
    srv_submissions: tuple[str, ...] = (),
    srv_submission: tuple[str, ...] = (),
    mx: tuple[str, ...] = (),
    resolvable: frozenset[str] | None = None,
    unknown: frozenset[str] = frozenset(),
) -> Discovery:
    """The suggestions for `address` from DNS records given as text (pure).

    `resolvable`: the guessed host names that were seen to resolve (None: guess
    all of them without checking); `unknown`: those whose lookups failed without
    an answer (kept, marked unchecked). Other guesses do not exist and are dropped.
    """
    _, domain = split_address(address)
    out: list[Suggestion] = []
    provider = by_domain(domain)
    if provider is not None:
        out += [
            Suggestion(
                e.host,
                e.port,
                e.security,
                Source.PROVIDER_TABLE,
                f"{domain} is {provider.name} ({provider.docs})",
                provider,
            )
            for e in provider.submission
        ]
    for records, source, security, label in (
        (srv_submissions, Source.SRV_SUBMISSIONS, Security.SSL_TLS, "_submissions._tcp"),
        (srv_submission, Source.SRV_SUBMISSION, Security.STARTTLS, "_submission._tcp"),
    ):
        parsed = sorted(
            (r for r in (parse_srv(t) for t in records) if r is not None),
            key=lambda r: (r[0], -r[1]),
        )
        for prio, weight, port, target in parsed:
            if target in ("", ".") or port == 0:
                continue  # RFC 6186: "." means the service is not offered
            out.append(
                Suggestion(
                    target,
                    port,
                    security,
                    source,
                    f"{label}.{domain} SRV {prio} {weight} {port} {target}.",
                    provider or by_host(target),
                )
            )
    mx_hosts = sorted(r for r in (parse_mx(t) for t in mx) if r is not None)
    mx_provider = next((p for p in (by_mx(h) for _, h in mx_hosts) if p is not None), None)
    if mx_provider is not None and provider is None:
        host = next(h for _, h in mx_hosts if mx_provider.matches_mx(h))
        out += [
            Suggestion(
                e.host,
                e.port,
                e.security,
                Source.MX_PROVIDER,
                f"{domain} MX {host}: hosted at {mx_provider.name}",
                mx_provider,
            )
            for e in mx_provider.submission
        ]
    if provider is None:  # a provider's own domain: its table entry is the answer
        for name in (f"smtp.{domain}", f"mail.{domain}", domain):
            if resolvable is None or name in resolvable:
                checked = "" if resolvable is None else ", resolves"
            elif name in unknown:
                checked = ", could not be checked in DNS"
            else:
                continue
            out.append(
                Suggestion(
                    name,
                    587,
                    Security.STARTTLS,
                    Source.GUESS,
                    f"{name} (a usual name for the outgoing server{checked})",
                )
            )
    return Discovery(
        address=address.strip(),
        domain=domain,
        suggestions=_dedupe(out),
        provider=provider or mx_provider,
    )


def _dedupe(items: list[Suggestion]) -> tuple[Suggestion, ...]:
    """Drop repeats; a guess also drops when its host is already suggested on another port."""
    seen: set[tuple[str, int]] = set()
    hosts: set[str] = set()
    out: list[Suggestion] = []
    for s in items:
        if (s.host, s.port) in seen or (s.source is Source.GUESS and s.host in hosts):
            continue
        seen.add((s.host, s.port))
        hosts.add(s.host)
        out.append(s)
    return tuple(out)


async def discover_all(address: str, client: DnsClient | None = None) -> Discovery:
    """Look the records up (through `client`, default the system resolver) and suggest servers.

    Raises AddressError for a malformed address; DNS trouble never raises: it is
    listed in `problems` and the suggestions that do not need it remain.
    """
    _, domain = split_address(address)
    from relaywiz.core.dns import DnsClient

    dns = client or DnsClient()
    guesses = (f"smtp.{domain}", f"mail.{domain}", domain)
    queries = [
        dns.resolve(f"_submissions._tcp.{domain}", "SRV"),
        dns.resolve(f"_submission._tcp.{domain}", "SRV"),
        dns.resolve(domain, "MX"),
        *(dns.resolve(name, "A") for name in guesses),
        *(dns.resolve(name, "AAAA") for name in guesses),
    ]
    answers: list[DnsAnswer] = list(await asyncio.gather(*queries))
    srv_s, srv, mx = answers[0], answers[1], answers[2]
    addr = answers[3:]
    resolvable = frozenset(a.name for a in addr if a.ok)
    unknown = frozenset(a.name for a in addr if not a.ok and not a.absent) - resolvable
    found = from_records(address, srv_s.texts, srv.texts, mx.texts, resolvable, unknown)
    problems = tuple(a.evidence() for a in answers if not a.ok and not a.absent)
    return Discovery(
        found.address,
        found.domain,
        found.suggestions,
        found.provider,
        lookups=tuple(a.evidence() for a in answers),
        problems=problems,
    )


async def discover(address: str, nameserver: str | None = None) -> tuple[Suggestion, ...]:
    """The servers to try for `address`, best first (what the wizard calls)."""
    from relaywiz.core.dns import DnsClient

    found = await discover_all(address, DnsClient(nameserver) if nameserver else None)
    return found.suggestions
