"""`relaywiz check DOMAIN`: PTR, blacklists, SPF, DKIM, DMARC, MX of a sending domain.

Only DNS queries are sent (to the system resolver or --nameserver), unless --smtp
asks for a STARTTLS test of the MX hosts. The one query to other servers, finding
this machine's public address, is skipped when the address is given (--ip) or
found in --message. Data on stdout, errors on stderr.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import click

from relaywiz.cli.errors import fail, progress

DQS_ENV = "RELAYWIZ_SPAMHAUS_DQS_KEY"
MAX_MESSAGE = 50 * 1024 * 1024


@click.command(
    "check",
    help="Check a sending domain: reverse DNS of the sending IP, DNS blacklists, SPF, "
    "DKIM, DMARC, MX, MTA-STS and TLS-RPT. DNS queries only.",
)
@click.argument("domain")
@click.option(
    "--ip", "ip", metavar="IP", help="The sending IP (default: from --message, else ours)."
)
@click.option("--helo", metavar="NAME", help="The HELO/EHLO name the sending server uses.")
@click.option(
    "--dkim-selector", "selectors", multiple=True, metavar="S", help="A DKIM selector (repeatable)."
)
@click.option(
    "--message",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A received message (.eml): sending IP from Received, From, DKIM verified.",
)
@click.option(
    "--nameserver", metavar="HOST[:PORT]", help="Ask this DNS server instead of the system's."
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 60),
    default=5.0,
    show_default=True,
    help="Seconds per DNS lookup.",
)
@click.option(
    "--no-ip-discovery", is_flag=True, help="Never ask outside DNS services for our public address."
)
@click.option(
    "--spamhaus-dqs-key",
    "dqs_key",
    metavar="KEY",
    default=None,
    help=f"Query Spamhaus through DQS with this key (or set {DQS_ENV}).",
)
@click.option(
    "--smtp",
    is_flag=True,
    help="Also connect to the MX hosts and test STARTTLS (EHLO, STARTTLS, QUIT; nothing sent).",
)
@click.option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    default=25,
    show_default=True,
    help="Port for --smtp.",
)
@click.option(
    "--cafile",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Extra CA bundle for verifying MX certificates (--smtp).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to a file instead of stdout.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show every DNS answer.")
def command(
    domain: str,
    ip: str | None,
    helo: str | None,
    selectors: tuple[str, ...],
    message: Path | None,
    nameserver: str | None,
    timeout: float,
    no_ip_discovery: bool,
    dqs_key: str | None,
    smtp: bool,
    smtp_port: int,
    cafile: str | None,
    as_json: bool,
    fmt: str | None,
    output: Path | None,
    verbose: bool,
) -> int:
    from relaywiz.core.checks import CheckRequest, run_check
    from relaywiz.core.checks.render import render_json, render_text
    from relaywiz.core.checks.runner import CheckInputError

    raw = None
    if message is not None:
        try:
            if message.stat().st_size > MAX_MESSAGE:
                fail(f"{message}: larger than 50 MB; not a single message")
            raw = message.read_bytes()
        except OSError as exc:
            fail(f"cannot read {message}: {exc.strerror or exc}")
    for selector in selectors:
        if not selector or any(c.isspace() or c in "/\\" for c in selector):
            fail(f"not a DKIM selector: {selector!r}")
    request = CheckRequest(
        domain=domain,
        ip=ip,
        helo=helo,
        dkim_selectors=tuple(dict.fromkeys(selectors)),
        message=raw,
        nameserver=nameserver,
        timeout=timeout,
        dqs_key=dqs_key or os.environ.get(DQS_ENV) or None,
        discover_ip=not no_ip_discovery,
        smtp=smtp,
        smtp_port=smtp_port,
        cafile=cafile,
    )
    progress(f"checking {domain} ...")
    try:
        report = asyncio.run(run_check(request))
    except CheckInputError as exc:
        fail(str(exc))
    text = render_json(report) if (as_json or fmt == "json") else render_text(report, verbose)
    if output is not None:
        try:
            output.write_text(text)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    else:
        click.echo(text, nl=False)
    return report.exit_code
