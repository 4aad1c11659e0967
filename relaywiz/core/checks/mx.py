"""The domain's receiving side: MX (and null MX), MTA-STS and TLS-RPT records.

A domain that sends mail must also accept replies and bounces: receivers check
that the sender's domain has a usable MX, and refuse mail from a domain that
publishes a null MX (RFC 7505: "this domain takes no mail"). MTA-STS and TLS-RPT
are checked for presence only; `check` never fetches the policy over HTTPS.
"""

from __future__ import annotations

import asyncio
import ipaddress

from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.dns import DnsAnswer, DnsClient


def parse_mx(answer: DnsAnswer) -> list[tuple[int, str]]:
    """(preference, host) pairs in preference order."""
    out = []
    for text in answer.texts:
        pref, _, host = text.partition(" ")
        if pref.isdigit():
            out.append((int(pref), host.strip().rstrip(".").lower()))
    return sorted(out)


async def check_mx(client: DnsClient, domain: str) -> CheckResult:
    """The `mx` result: MX hosts exist and have addresses; null MX and implicit MX flagged."""
    answer = await client.resolve(domain, "MX")
    evidence = [answer.evidence()]
    if not answer.ok and not answer.absent:
        return CheckResult(
            "mx",
            Area.DOMAIN,
            Status.ERROR,
            f"Could not look up MX of {domain}: {answer.why}",
            tuple(evidence),
        )
    if answer.absent:
        addr = await asyncio.gather(client.resolve(domain, "A"), client.resolve(domain, "AAAA"))
        evidence += [a.evidence() for a in addr]
        if answer.failure is not None and answer.failure.value == "nxdomain":
            return CheckResult(
                "mx",
                Area.DOMAIN,
                Status.PROBLEM,
                f"{domain} does not exist in DNS (NXDOMAIN): receivers refuse mail from it",
                tuple(evidence),
                "Register the domain or fix its spelling",
            )
        fix = f"{domain}. IN MX 10 mail.{domain}."
        if any(a.ok for a in addr):
            return CheckResult(
                "mx",
                Area.DOMAIN,
                Status.WARNING,
                f"{domain} has no MX; mail to it falls back to its A/AAAA record",
                tuple(evidence),
                fix,
            )
        return CheckResult(
            "mx",
            Area.DOMAIN,
            Status.PROBLEM,
            f"{domain} has no MX and no address: it cannot receive replies or bounces, and "
            "receivers may refuse its mail",
            tuple(evidence),
            fix,
        )
    hosts = parse_mx(answer)
    if len(hosts) == 1 and hosts[0][1] in ("", "."):
        return CheckResult(
            "mx",
            Area.DOMAIN,
            Status.PROBLEM,
            f"{domain} publishes a null MX (RFC 7505: it accepts no mail); receivers refuse "
            "mail from such a domain",
            tuple(evidence),
            f"Replace it with a real MX: {domain}. IN MX 10 mail.{domain}.",
        )
    lookups = [client.resolve(h, t) for _p, h in hosts for t in ("A", "AAAA")]
    addrs = await asyncio.gather(*lookups)
    evidence += [a.evidence() for a in addrs if a.ok or not a.absent]
    issues: list[tuple[Status, str]] = []
    for i, (_pref, host) in enumerate(hosts):
        a4, a6 = addrs[2 * i], addrs[2 * i + 1]
        if _is_ip(host):
            issues.append((Status.PROBLEM, f"MX {host} is an address, not a host name"))
        elif a4.ok or a6.ok:
            continue
        elif not a4.absent or not a6.absent:
            issues.append((Status.ERROR, f"could not resolve MX host {host}"))
        else:
            issues.append((Status.PROBLEM, f"MX host {host} has no address"))
    names = ", ".join(f"{p} {h}" for p, h in hosts)
    if issues:
        usable = len(hosts) - len(issues)
        worst = Status.PROBLEM if usable == 0 else Status.WARNING
        if all(s is Status.ERROR for s, _ in issues):
            worst = Status.ERROR
        return CheckResult(
            "mx",
            Area.DOMAIN,
            worst,
            f"MX of {domain}: " + "; ".join(m for _, m in issues),
            tuple(evidence),
            f"Give each MX host an A or AAAA record, or remove it ({names})",
        )
    return CheckResult(
        "mx", Area.DOMAIN, Status.OK, f"{domain} receives mail at {names}", tuple(evidence)
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def check_policy_records(client: DnsClient, domain: str) -> list[CheckResult]:
    """`mta-sts` and `tls-rpt` presence (absent is fine: they are optional)."""
    sts, rpt = await asyncio.gather(
        client.resolve(f"_mta-sts.{domain}", "TXT"), client.resolve(f"_smtp._tls.{domain}", "TXT")
    )
    return [
        _presence(
            "mta-sts",
            sts,
            "v=STSv1",
            "MTA-STS",
            f'_mta-sts.{domain}. IN TXT "v=STSv1; id=20240101" plus a policy at '
            f"https://mta-sts.{domain}/.well-known/mta-sts.txt",
        ),
        _presence(
            "tls-rpt",
            rpt,
            "v=TLSRPTv1",
            "TLS-RPT",
            f'_smtp._tls.{domain}. IN TXT "v=TLSRPTv1; rua=mailto:tls-reports@{domain}"',
        ),
    ]


def _presence(cid: str, answer: DnsAnswer, prefix: str, label: str, fix: str) -> CheckResult:
    evidence = (answer.evidence(),)
    if not answer.ok and not answer.absent:
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.ERROR,
            f"Could not look up {label}: {answer.why}",
            evidence,
        )
    records = [t for t in answer.texts if t.replace(" ", "").lower().startswith(prefix.lower())]
    if not records:
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.OK,
            f"No {label} record (optional; it protects mail sent TO this domain)",
            evidence,
            fix,
        )
    if len(records) > 1:
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.WARNING,
            f"{len(records)} {label} records; receivers ignore them all",
            evidence,
            fix,
        )
    return CheckResult(cid, Area.DOMAIN, Status.OK, f"{label} published: {records[0]}", evidence)
