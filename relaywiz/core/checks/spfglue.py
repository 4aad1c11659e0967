"""Makes pyspf resolve through OUR resolver, per call, without touching anyone else's.

pyspf looks names up through its module-level `DNSLookup`. We replace it once with
a dispatcher that uses the resolver held in a context variable when one is set
(asyncio.to_thread copies the context into the worker thread) and pyspf's own
lookup otherwise, so `check --nameserver` never leaks queries to other servers.
"""

from __future__ import annotations

import contextvars
from typing import Any

import dns.exception
import dns.resolver
import spf

_current: contextvars.ContextVar[dns.resolver.Resolver | None] = contextvars.ContextVar(
    "relaywiz_spf_resolver", default=None
)
_original = spf.DNSLookup


def _lookup(name: str, qtype: str, strict: Any = True, timeout: float = 30) -> list[Any]:
    resolver = _current.get()
    if resolver is None:
        return list(_original(name, qtype, strict, timeout))
    out: list[Any] = []
    try:
        answers = resolver.resolve(
            name, qtype, lifetime=min(timeout, resolver.lifetime), search=False
        )
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return out
    except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
        raise spf.TempError("DNS " + str(exc)) from None
    except dns.exception.DNSException as exc:
        raise spf.TempError("DNS " + str(exc)) from None
    for rdata in answers:
        if qtype in ("A", "AAAA"):
            out.append(((name, qtype), rdata.address))
        elif qtype == "MX":
            out.append(((name, qtype), (rdata.preference, rdata.exchange)))
        elif qtype == "PTR":
            out.append(((name, qtype), rdata.target.to_text(True)))
        elif qtype in ("TXT", "SPF"):
            out.append(((name, qtype), rdata.strings))
    return out


spf.DNSLookup = _lookup


def evaluate(
    resolver: dns.resolver.Resolver,
    ip: str,
    domain: str,
    helo: str,
    strict: bool = True,
    timeout: float = 20,
    record: str | None = None,
) -> tuple[str, str, int, int]:
    """pyspf's (result, explanation, DNS lookups, void lookups) for `ip` sending as `domain`.

    `record` is the domain's SPF record when already fetched (saves pyspf a lookup).
    Blocking: call it through asyncio.to_thread.
    """
    token = _current.set(resolver)
    try:
        query = spf.query(
            i=ip,
            s=f"postmaster@{domain}",
            h=helo,
            strict=strict,
            timeout=timeout,
            querytime=timeout,
        )
        result, _code, explanation = query.check(spf=record)
        return str(result), str(explanation), int(query.lookups), int(query.void_lookups)
    finally:
        _current.reset(token)
