"""`check --smtp`: do the domain's MX hosts offer STARTTLS with a certificate for their name?

The only part of `check` that talks SMTP, and only when asked: it connects to each
MX host, says EHLO, tries STARTTLS with certificate verification against the MX
name (what MTA-STS senders require), and QUITs. No MAIL, no RCPT, nothing sent.
"""

from __future__ import annotations

import asyncio
import ssl

import aiosmtplib

from relaywiz.core.checks.model import Area, CheckResult, Status
from relaywiz.core.checks.mx import parse_mx
from relaywiz.core.dns import DnsClient

MAX_HOSTS = 5


async def check_starttls(
    client: DnsClient,
    domain: str,
    port: int = 25,
    timeout: float = 10.0,
    helo: str | None = None,
    cafile: str | None = None,
) -> list[CheckResult]:
    """One `starttls:<mx host>` result per MX host (at most five)."""
    answer = await client.resolve(domain, "MX")
    hosts = [h for _p, h in parse_mx(answer) if h not in ("", ".")][:MAX_HOSTS]
    if not hosts:
        return []
    addresses = await asyncio.gather(*(client.resolve(h, "A") for h in hosts))
    jobs = []
    for host, addr in zip(hosts, addresses, strict=True):
        if addr.ok:
            jobs.append(probe_host(host, addr.texts[0], port, timeout, helo, cafile))
        else:
            jobs.append(_unresolved(host, addr.evidence()))
    return list(await asyncio.gather(*jobs))


async def _unresolved(host: str, evidence: str) -> CheckResult:
    return CheckResult(
        f"starttls:{host}",
        Area.DOMAIN,
        Status.ERROR,
        f"Could not test STARTTLS on {host}: it has no IPv4 address",
        (evidence,),
    )


def _context(cafile: str | None, verify: bool) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cafile)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


_ERRORS = (aiosmtplib.SMTPException, ssl.SSLError, OSError, TimeoutError)


async def _session(
    host: str, ip: str, port: int, timeout: float, helo: str | None, ctx: ssl.SSLContext
) -> tuple[str, str]:
    """(state, detail): state is connect_failed, no_starttls, tls_failed or tls_ok."""
    smtp = aiosmtplib.SMTP(
        hostname=ip, port=port, timeout=timeout, local_hostname=helo, start_tls=False
    )
    try:
        banner = await smtp.connect()
        await smtp.ehlo()
    except _ERRORS as exc:
        smtp.close()
        return "connect_failed", str(exc) or type(exc).__name__
    try:
        if not smtp.supports_extension("starttls"):
            return "no_starttls", f"banner {banner.code} {banner.message}; EHLO without STARTTLS"
        try:
            await smtp.starttls(server_hostname=host, tls_context=ctx)
        except _ERRORS as exc:
            return "tls_failed", str(exc) or type(exc).__name__
        ssl_object = smtp.transport.get_extra_info("ssl_object") if smtp.transport else None
        return "tls_ok", str(ssl_object.version() if ssl_object is not None else "TLS")
    finally:
        try:
            await smtp.quit()
        except _ERRORS:
            smtp.close()


async def probe_host(
    host: str, ip: str, port: int, timeout: float, helo: str | None, cafile: str | None
) -> CheckResult:
    """Connect, EHLO, STARTTLS (verified), QUIT; a verification failure is retried unverified."""
    cid = f"starttls:{host}"
    where = f"{host} [{ip}]:{port}"
    state, detail = await _session(host, ip, port, timeout, helo, _context(cafile, True))
    if state == "connect_failed":
        return _failed(cid, where, detail)
    if state == "no_starttls":
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.PROBLEM,
            f"{host} does not offer STARTTLS: mail to {host} travels unencrypted",
            (f"{where}: {detail}",),
            "Enable STARTTLS on the MX server (Postfix: smtpd_tls_security_level = may).",
        )
    if state == "tls_ok":
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.OK,
            f"{host} offers STARTTLS ({detail}) with a certificate valid for its name",
            (f"{where}: STARTTLS {detail}, certificate verified",),
        )
    state2, detail2 = await _session(host, ip, port, timeout, helo, _context(cafile, False))
    if state2 == "tls_ok":
        return CheckResult(
            cid,
            Area.DOMAIN,
            Status.WARNING,
            f"{host} offers STARTTLS ({detail2}) but its certificate does not verify for "
            f"{host}: senders that require TLS (MTA-STS) will not deliver",
            (f"{where}: {detail}",),
            f"Install a certificate valid for {host} from a public CA.",
        )
    return CheckResult(
        cid,
        Area.DOMAIN,
        Status.PROBLEM,
        f"{host} offers STARTTLS but the TLS handshake fails",
        (f"{where}: {detail}", f"{where} (unverified): {detail2}"),
        "Fix the MX server's TLS configuration (certificate, protocols).",
    )


def _failed(cid: str, where: str, text: str) -> CheckResult:
    return CheckResult(
        cid,
        Area.DOMAIN,
        Status.ERROR,
        f"Could not test STARTTLS: no SMTP session with {where} ({text}); outgoing port 25 "
        "may be blocked on this network",
        (f"{where}: {text}",),
    )
