"""A recorded `check` result for the gallery: the "Check my sending domain" path, with no DNS.

Written by hand in the words the real checks use (see core/checks/*): a sending
address with good reverse DNS, one blacklist listing, SPF fine, DMARC only
monitoring, MX in place. The core renders it, as it renders a live result.
"""

from __future__ import annotations

from relaywiz.core.checks.ipsource import SMARTHOST_NOTE
from relaywiz.core.checks.model import Area, CheckReport, CheckResult, IpSource, Status

SENDING_IP = "192.0.2.25"


def recorded_check_report(domain: str) -> CheckReport:
    """The recorded checks of `domain`, as sent from SENDING_IP by mail.<domain>."""
    host = f"mail.{domain}"
    reversed_ip = ".".join(reversed(SENDING_IP.split(".")))
    arpa = f"{reversed_ip}.in-addr.arpa"
    ok, warn, problem = Status.OK, Status.WARNING, Status.PROBLEM
    ip, bl, auth, dom = Area.SENDING_IP, Area.BLACKLISTS, Area.AUTHENTICATION, Area.DOMAIN
    checks = (
        CheckResult("ptr", ip, ok, f"{SENDING_IP} has PTR {host}", (f"{arpa} PTR {host}.",)),
        CheckResult(
            "fcrdns",
            ip,
            ok,
            f"{host} points back to {SENDING_IP} (forward-confirmed reverse DNS)",
            (f"{host} A {SENDING_IP}",),
        ),
        CheckResult(
            "dnsbl:zen.spamhaus.org",
            bl,
            ok,
            f"{SENDING_IP} is not listed on Spamhaus ZEN",
        ),
        CheckResult(
            "dnsbl:bl.spamcop.net",
            bl,
            problem,
            f"{SENDING_IP} is listed on SpamCop: reported as a source of spam",
            (f"{reversed_ip}.bl.spamcop.net A 127.0.0.2",),
            "Find what sent the spam (an infected machine, a leaked password), stop it, "
            "then ask for removal: https://www.spamcop.net/bl.shtml",
        ),
        CheckResult(
            "spf",
            auth,
            ok,
            f"SPF of {domain} allows {SENDING_IP} (pass); 2 of 10 DNS lookups",
            (f'{domain} TXT "v=spf1 mx ip4:192.0.2.0/24 -all"',),
        ),
        CheckResult(
            "dmarc",
            auth,
            warn,
            f"DMARC p=none for {domain}: p=none only monitors: forged mail in your name "
            "is delivered",
            (f'_dmarc.{domain} TXT "v=DMARC1; p=none; rua=mailto:dmarc@{domain}"',),
            "Once your reports show only your own servers, publish p=quarantine, then p=reject.",
        ),
        CheckResult("mx", dom, ok, f"{domain} has MX {host}", (f"{domain} MX 10 {host}.",)),
    )
    return CheckReport(
        domain=domain,
        ip=SENDING_IP,
        ip_source=IpSource.DISCOVERED,
        ip_detail=f"this machine's public address, as seen by OpenDNS's DNS. {SMARTHOST_NOTE}",
        helo=None,
        nameserver=None,
        checks=checks,
        notes=(
            "DKIM not checked: selectors cannot be listed from DNS; give --dkim-selector "
            "or a signed --message",
        ),
    )
