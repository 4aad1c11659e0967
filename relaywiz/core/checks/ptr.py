"""Reverse DNS of the sending address: PTR, forward confirmation, HELO agreement.

Receivers refuse or score mail from addresses without a PTR, whose PTR name does
not point back to the address (forward-confirmed reverse DNS), or whose PTR looks
like a consumer line (`dsl`, `dynamic`, the address's digits); many also compare
the HELO name with the PTR.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re

from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.dns import DnsAnswer, DnsClient, reverse_name

_GENERIC_WORDS = re.compile(
    r"(^|[.\-_\d])(dynamic|dyn|dsl|adsl|vdsl|xdsl|dhcp|pool|cable|dialup|dial|ppp|pppoe|"
    r"broadband|customer|cust|client|residential|home|user|unassigned|generic|nat)"
    r"($|[.\-_\d])",
    re.IGNORECASE,
)


def looks_generic(name: str, ip: str) -> str | None:
    """Why a PTR name looks like an ISP's generic name for a consumer line, or None."""
    match = _GENERIC_WORDS.search(name)
    if match:
        return f"it contains '{match.group(2)}'"
    addr = ipaddress.ip_address(ip)
    if addr.version == 4:
        octets = str(addr).split(".")
        label = name.split(".")[0]
        digits = re.findall(r"\d+", label)
        if sum(1 for o in octets if o in digits) >= 3 or sum(o in digits for o in octets[2:]) >= 2:
            return "its first label carries the address's digits"
        hexform = "".join(f"{int(o):02x}" for o in octets)
        if hexform in name.lower():
            return "it carries the address in hexadecimal"
    return None


def _ptr_fix(ip: str, domain: str) -> str:
    return (
        f"Ask whoever owns {ip} (ISP or hosting provider) to set its reverse DNS to "
        f"mail.{domain}, and publish: mail.{domain}. IN "
        f"{'AAAA' if ':' in ip else 'A'} {ip}"
    )


async def check_sending_ip(
    client: DnsClient, ip: str, helo: str | None, domain: str
) -> list[CheckResult]:
    """ptr, fcrdns and (when a HELO name is known) helo results for `ip`."""
    family = "AAAA" if ipaddress.ip_address(ip).version == 6 else "A"
    helo_is_name = bool(helo) and not (helo or "").startswith("[")
    lookups = [client.resolve(reverse_name(ip), "PTR")]
    if helo and helo_is_name:
        lookups.append(client.resolve(helo, family))
    answers = await asyncio.gather(*lookups)
    ptr = answers[0]
    names = [t.rstrip(".").lower() for t in ptr.texts]
    forwards = await asyncio.gather(*(client.resolve(n, family) for n in names))
    confirmed = [n for n, fwd in zip(names, forwards, strict=True) if ip_in(ip, fwd)]
    results = [
        _ptr_result(ip, ptr, names, domain),
        _fcrdns_result(ip, ptr, names, forwards, confirmed, domain),
    ]
    if helo:
        helo_answer = answers[1] if len(answers) > 1 else None
        results.append(_helo_result(ip, helo, helo_answer, names, confirmed, domain))
    return results


def ip_in(ip: str, answer: DnsAnswer) -> bool:
    """True when `answer` lists `ip` (compared as addresses, not strings)."""
    want = ipaddress.ip_address(ip)
    for text in answer.texts:
        try:
            if ipaddress.ip_address(text) == want:
                return True
        except ValueError:
            continue
    return False


def _ptr_result(ip: str, ptr: DnsAnswer, names: list[str], domain: str) -> CheckResult:
    evidence = (ptr.evidence(),)
    if not ptr.ok and not ptr.absent:
        return CheckResult(
            "ptr",
            Area.SENDING_IP,
            Status.ERROR,
            f"Could not look up the PTR of {ip}: {ptr.why}",
            evidence,
        )
    if not names:
        return CheckResult(
            "ptr",
            Area.SENDING_IP,
            Status.PROBLEM,
            f"{ip} has no reverse DNS (PTR); many receivers refuse such senders outright",
            evidence,
            _ptr_fix(ip, domain),
        )
    if len(names) > 1:
        return CheckResult(
            "ptr",
            Area.SENDING_IP,
            Status.WARNING,
            f"{ip} has {len(names)} PTR names ({', '.join(names)}); receivers may pick any",
            evidence,
            "Keep one PTR record, naming the mail server.",
        )
    generic = looks_generic(names[0], ip)
    if generic:
        return CheckResult(
            "ptr",
            Area.SENDING_IP,
            Status.WARNING,
            f"PTR {names[0]} looks generic ({generic}): receivers treat it as a consumer line",
            evidence,
            _ptr_fix(ip, domain),
        )
    return CheckResult("ptr", Area.SENDING_IP, Status.OK, f"{ip} has PTR {names[0]}", evidence)


def _fcrdns_result(
    ip: str,
    ptr: DnsAnswer,
    names: list[str],
    forwards: list[DnsAnswer],
    confirmed: list[str],
    domain: str,
) -> CheckResult:
    evidence = (ptr.evidence(), *(f.evidence() for f in forwards))
    if not ptr.ok and not ptr.absent:
        return CheckResult(
            "fcrdns",
            Area.SENDING_IP,
            Status.ERROR,
            f"Could not check forward confirmation: the PTR lookup failed ({ptr.why})",
            evidence,
        )
    if not names:
        return CheckResult(
            "fcrdns",
            Area.SENDING_IP,
            Status.PROBLEM,
            f"No PTR name to confirm: {ip} fails forward-confirmed reverse DNS",
            evidence,
            _ptr_fix(ip, domain),
        )
    if confirmed:
        return CheckResult(
            "fcrdns",
            Area.SENDING_IP,
            Status.OK,
            f"{confirmed[0]} points back to {ip} (forward-confirmed reverse DNS)",
            evidence,
        )
    failed = [f for f in forwards if not f.ok and not f.absent]
    if failed and len(failed) == len(forwards):
        return CheckResult(
            "fcrdns",
            Area.SENDING_IP,
            Status.ERROR,
            f"Could not resolve {names[0]}: {failed[0].why}",
            evidence,
        )
    rtype = "AAAA" if ":" in ip else "A"
    return CheckResult(
        "fcrdns",
        Area.SENDING_IP,
        Status.PROBLEM,
        f"PTR name {names[0]} does not resolve back to {ip}",
        evidence,
        f"Publish: {names[0]}. IN {rtype} {ip}",
    )


def _helo_result(
    ip: str,
    helo: str,
    answer: DnsAnswer | None,
    names: list[str],
    confirmed: list[str],
    domain: str,
) -> CheckResult:
    fix = f"Set the server's HELO name to its PTR name ({names[0] if names else 'mail.' + domain})"
    if answer is None:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.WARNING,
            f"HELO is an address literal ({helo}); receivers prefer a name matching the PTR",
            (f"HELO {helo}",),
            fix,
        )
    evidence = (f"HELO {helo}", answer.evidence())
    name = helo.rstrip(".").lower()
    if "." not in name:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.PROBLEM,
            f"HELO name {helo} is not fully qualified; many servers refuse it",
            evidence,
            fix,
        )
    if not answer.ok and not answer.absent:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.ERROR,
            f"Could not resolve HELO name {helo}: {answer.why}",
            evidence,
        )
    if answer.absent:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.PROBLEM,
            f"HELO name {helo} does not resolve ({answer.why})",
            evidence,
            fix,
        )
    points_back = ip_in(ip, answer)
    if name in names and points_back:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.OK,
            f"HELO {helo} matches the PTR and resolves to {ip}",
            evidence,
        )
    if points_back:
        return CheckResult(
            "helo",
            Area.SENDING_IP,
            Status.WARNING,
            f"HELO {helo} resolves to {ip} but differs from the PTR "
            f"({names[0] if names else 'none'})",
            evidence,
            fix,
        )
    return CheckResult(
        "helo",
        Area.SENDING_IP,
        Status.WARNING,
        f"HELO {helo} does not resolve to {ip}",
        evidence,
        fix,
    )
