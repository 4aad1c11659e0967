"""DKIM: the public key of each selector, and (given a message) its signatures verified.

Selectors cannot be listed from DNS, so they come from --dkim-selector or from the
message's DKIM-Signature (s=, d=). Keys are parsed and sized by dkimpy; signatures
are verified by dkimpy in a worker thread, with its key lookups sent to our
resolver through `dnsfunc`.
"""

from __future__ import annotations

import asyncio
import contextlib

import dkim
import dns.exception
import dns.resolver

from relaywiz.core.checks.message import MessageFacts
from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.dns import DnsAnswer, DnsClient

MIN_BITS = 1024


class DkimDnsError(Exception):
    """The key lookup failed (SERVFAIL, timeout): not the same as 'no key'."""


def make_dnsfunc(resolver: dns.resolver.Resolver):  # type: ignore[no-untyped-def]
    """A dkimpy `dnsfunc` that asks our resolver; raises DkimDnsError on DNS failure."""

    def txt(name: bytes | str, timeout: float = 5) -> bytes | None:
        qname = name.decode("ascii") if isinstance(name, bytes) else name
        try:
            answer = resolver.resolve(qname, "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException as exc:
            raise DkimDnsError(f"{qname}: {exc}") from None
        for rdata in answer:
            return b"".join(rdata.strings)
        return None

    return txt


def verify_signatures(
    raw: bytes, resolver: dns.resolver.Resolver
) -> list[tuple[str, str, bool, str]]:
    """(domain, selector, verified, detail) for each DKIM-Signature. Blocking."""
    dnsfunc = make_dnsfunc(resolver)
    results: list[tuple[str, str, bool, str]] = []
    signer = dkim.DKIM(raw)
    headers = [v for k, v in signer.headers if k.lower() == b"dkim-signature"]
    for idx, value in enumerate(headers):
        tags = {}
        with contextlib.suppress(Exception):  # malformed header: verify reports it below
            tags = dkim.util.parse_tag_value(value)
        domain = tags.get(b"d", b"?").decode("ascii", "replace")
        selector = tags.get(b"s", b"?").decode("ascii", "replace")
        try:
            ok = bool(dkim.DKIM(raw).verify(idx=idx, dnsfunc=dnsfunc))
            results.append((domain, selector, ok, "" if ok else "the signature does not verify"))
        except DkimDnsError as exc:
            results.append((domain, selector, False, f"DNS failure: {exc}"))
        except dkim.DKIMException as exc:
            results.append((domain, selector, False, str(exc)))
    return results


def key_result(selector: str, domain: str, answer: DnsAnswer) -> CheckResult:
    """Judge the key record at <selector>._domainkey.<domain>."""
    cid = f"dkim:{selector}"
    name = f"{selector}._domainkey.{domain}"
    evidence = (answer.evidence()[:300],)
    if not answer.ok and not answer.absent:
        return CheckResult(
            cid,
            Area.AUTHENTICATION,
            Status.ERROR,
            f"Could not look up DKIM key {name}: {answer.why}",
            evidence,
        )
    if not answer.ok:
        return CheckResult(
            cid,
            Area.AUTHENTICATION,
            Status.PROBLEM,
            f"No DKIM key at {name}: signatures with s={selector} cannot verify",
            evidence,
            f'{name}. IN TXT "v=DKIM1; k=rsa; p=<your public key, base64>" '
            "(your mail server or provider shows the exact value)",
        )
    text = answer.texts[0]
    try:
        _pk, bits, _ktag, _tls = dkim.evaluate_pk(name.encode(), text.encode())
    except dkim.DKIMException as exc:
        revoked = "p=" in text.replace(" ", "") and _empty_p(text)
        summary = (
            f"DKIM key {name} is revoked (empty p=)"
            if revoked
            else f"DKIM key {name} cannot be used: {exc}"
        )
        return CheckResult(
            cid,
            Area.AUTHENTICATION,
            Status.PROBLEM,
            summary,
            evidence,
            f'{name}. IN TXT "v=DKIM1; k=rsa; p=<public key>"',
        )
    if "t=y" in text.replace(" ", "").lower().split(";"):
        return CheckResult(
            cid,
            Area.AUTHENTICATION,
            Status.WARNING,
            f"DKIM key {name} ({bits} bits) is in testing mode (t=y): receivers may ignore it",
            evidence,
            "Remove t=y from the key record once signing works",
        )
    if bits < MIN_BITS:
        return CheckResult(
            cid,
            Area.AUTHENTICATION,
            Status.PROBLEM,
            f"DKIM key {name} has only {bits} bits; receivers reject keys under {MIN_BITS}",
            evidence,
            "Generate a 2048-bit key and publish it under a new selector",
        )
    return CheckResult(
        cid, Area.AUTHENTICATION, Status.OK, f"DKIM key {name} published ({bits} bits)", evidence
    )


def _empty_p(text: str) -> bool:
    for part in text.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "p":
            return value.strip() == ""
    return False


async def check_dkim(
    client: DnsClient,
    domain: str,
    selectors: tuple[str, ...],
    raw: bytes | None,
    facts: MessageFacts | None,
) -> list[CheckResult]:
    """A `dkim:<selector>` result per given selector and per signature in the message."""
    wanted: dict[str, str] = {s: domain for s in selectors}
    for sig in facts.signatures if facts else ():
        wanted.setdefault(sig.selector, sig.domain)
    lookups = asyncio.gather(
        *(client.resolve(f"{s}._domainkey.{d}", "TXT") for s, d in wanted.items())
    )
    if raw is not None and facts is not None and facts.signatures:
        answers, verified = await asyncio.gather(
            lookups, asyncio.to_thread(verify_signatures, raw, client.sync_resolver())
        )
    else:
        answers, verified = await lookups, []
    results = []
    for (selector, sel_domain), answer in zip(wanted.items(), answers, strict=True):
        result = key_result(selector, sel_domain, answer)
        for v_domain, v_selector, ok, detail in verified:
            if v_selector != selector or v_domain != sel_domain:
                continue
            line = f"message signature d={v_domain} s={v_selector}: " + (
                "verified" if ok else detail
            )
            if ok:
                result = CheckResult(
                    result.id,
                    result.area,
                    result.status,
                    result.summary + "; the message's signature verifies",
                    (*result.evidence, line),
                    result.fix,
                )
            elif result.status is not Status.ERROR:
                status = Status.ERROR if detail.startswith("DNS failure") else Status.PROBLEM
                result = CheckResult(
                    result.id,
                    result.area,
                    status,
                    result.summary + f"; the message's signature fails: {detail}",
                    (*result.evidence, line),
                    result.fix
                    or "Check that the server signs with the key published under this "
                    "selector and that nothing alters the message after signing",
                )
        results.append(result)
    return results
