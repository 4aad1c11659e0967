"""DMARC: the policy record, its tags, and whether a message's identities align with From.

The record is looked up at _dmarc.<domain>, then at the organizational domain
(Public Suffix List), as receivers do. Alignment needs a message: the From domain
must match (relaxed: share the organizational domain with) the SPF domain
(Return-Path) or a DKIM signing domain (d=).
"""

from __future__ import annotations

from dataclasses import dataclass

from relaywiz.core.checks.message import MessageFacts
from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.checks.orgdomain import org_domain
from relaywiz.core.dns import DnsAnswer, DnsClient


def aligned(a: str, b: str, mode: str) -> bool:
    """DMARC identifier alignment of two domains, strict ('s') or relaxed ('r')."""
    a, b = a.rstrip(".").lower(), b.rstrip(".").lower()
    return a == b if mode == "s" else org_domain(a) == org_domain(b)


@dataclass(frozen=True)
class DmarcRecord:
    """A parsed DMARC record."""

    text: str
    tags: dict[str, str]

    @property
    def policy(self) -> str:
        return self.tags.get("p", "").lower()


def parse_dmarc(text: str) -> DmarcRecord | None:
    """Parse a TXT string as DMARC; None when it is not one (no leading v=DMARC1)."""
    tags: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if sep:
            tags.setdefault(key.strip().lower(), value.strip())
    if tags.get("v", "").upper() != "DMARC1" or not text.strip().lower().startswith("v"):
        return None
    return DmarcRecord(text=text, tags=tags)


def _records(answer: DnsAnswer) -> list[DmarcRecord]:
    return [r for r in (parse_dmarc(t) for t in answer.texts) if r is not None]


async def check_dmarc(client: DnsClient, domain: str, facts: MessageFacts | None) -> CheckResult:
    """The `dmarc` result for `domain` (with alignment when a message is given)."""
    answer = await client.resolve(f"_dmarc.{domain}", "TXT")
    evidence = [answer.evidence()]
    where = f"_dmarc.{domain}"
    org = org_domain(domain)
    if answer.absent and org != domain.lower():
        answer = await client.resolve(f"_dmarc.{org}", "TXT")
        evidence.append(answer.evidence())
        where = f"_dmarc.{org}"
    if not answer.ok and not answer.absent:
        return CheckResult(
            "dmarc",
            Area.AUTHENTICATION,
            Status.ERROR,
            f"Could not look up DMARC ({where}): {answer.why}",
            tuple(evidence),
        )
    starter = f'_dmarc.{domain}. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}"'
    records = _records(answer)
    if not records:
        return CheckResult(
            "dmarc",
            Area.AUTHENTICATION,
            Status.WARNING,
            f"{domain} publishes no DMARC policy; large mailbox providers expect one from bulk "
            "senders",
            tuple(evidence),
            starter + " (then move to p=quarantine once reports show your mail passes)",
        )
    if len(records) > 1:
        return CheckResult(
            "dmarc",
            Area.AUTHENTICATION,
            Status.PROBLEM,
            f"{where} holds {len(records)} DMARC records; receivers ignore them all",
            tuple(evidence),
            "Keep exactly one: " + starter,
        )
    record = records[0]
    findings: list[tuple[Status, str]] = []
    if record.policy not in ("none", "quarantine", "reject"):
        findings.append((Status.PROBLEM, f"p={record.policy or '(missing)'} is not a valid policy"))
    elif record.policy == "none":
        findings.append(
            (Status.WARNING, "p=none only monitors: forged mail in your name is delivered")
        )
    pct = record.tags.get("pct", "100")
    if pct != "100":
        findings.append((Status.WARNING, f"pct={pct}: the policy applies to part of the mail only"))
    if "rua" not in record.tags:
        findings.append((Status.WARNING, "no rua= address: you get no reports"))
    adkim, aspf = record.tags.get("adkim", "r").lower(), record.tags.get("aspf", "r").lower()
    evidence.append(
        "tags: "
        + ", ".join(f"{k}={v}" for k, v in record.tags.items())
        + f" (alignment dkim={adkim}, spf={aspf})"
    )
    if facts is not None and facts.from_domain:
        findings.append(_alignment(facts, adkim, aspf, evidence))
    order = [Status.PROBLEM, Status.WARNING]
    worst = next((s for s in order if any(f[0] is s for f in findings)), Status.OK)
    msgs = (
        [m for s, m in findings if s is worst]
        if worst is not Status.OK
        else [m for s, m in findings if s is Status.OK]
    )
    summary = f"DMARC p={record.policy} for {domain}" + (": " + "; ".join(msgs) if msgs else "")
    fix = None
    if worst is not Status.OK:
        tags = dict(record.tags)
        if tags.get("p", "").lower() in ("none", ""):
            tags["p"] = "quarantine"
        tags.setdefault("rua", f"mailto:dmarc-reports@{domain}")
        tags.pop("pct", None)
        body = "; ".join(["v=DMARC1", *(f"{k}={v}" for k, v in tags.items() if k != "v")])
        fix = f'{where}. IN TXT "{body}"'
    return CheckResult("dmarc", Area.AUTHENTICATION, worst, summary, tuple(evidence), fix)


def _alignment(
    facts: MessageFacts, adkim: str, aspf: str, evidence: list[str]
) -> tuple[Status, str]:
    assert facts.from_domain is not None
    frm = facts.from_domain
    spf_ok = bool(facts.envelope_domain) and aligned(frm, facts.envelope_domain or "", aspf)
    dkim_domains = [s.domain for s in facts.signatures]
    dkim_ok = any(aligned(frm, d, adkim) for d in dkim_domains)
    evidence.append(
        f"message: From domain {frm}; Return-Path domain {facts.envelope_domain or '(none)'} "
        f"({'aligned' if spf_ok else 'not aligned'}); "
        f"DKIM d= {', '.join(dkim_domains) or '(none)'} "
        f"({'aligned' if dkim_ok else 'not aligned'})"
    )
    if dkim_ok or spf_ok:
        via = " and ".join(n for n, ok in (("DKIM", dkim_ok), ("SPF", spf_ok)) if ok)
        return Status.OK, f"the message's From aligns via {via}"
    return (
        Status.PROBLEM,
        f"neither the Return-Path nor a DKIM d= domain aligns with From ({frm}): DMARC fails",
    )
