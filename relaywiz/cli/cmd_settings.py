"""`relaywiz settings user@domain`: which outgoing server to use, and where that comes from.

Only DNS queries are sent (to the system resolver or --nameserver); --offline
sends none and answers from the provider table and the usual names alone.
Data on stdout, errors on stderr.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from relaywiz.cli.errors import fail, progress
from relaywiz.core.exitcodes import ExitCode


@click.command(
    "settings",
    help="Suggest the outgoing (SMTP) server for an address: the provider table, "
    "RFC 6186 SRV records, the MX host's provider, then the usual names.",
)
@click.argument("address")
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
@click.option("--offline", is_flag=True, help="No DNS: the provider table and the usual names.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to a file instead of stdout.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show every DNS answer and source record.")
def command(
    address: str,
    nameserver: str | None,
    timeout: float,
    offline: bool,
    as_json: bool,
    output: Path | None,
    verbose: bool,
) -> int:
    from relaywiz.core.dns import DnsClient, NameserverError
    from relaywiz.core.providers import AddressError, discover_all, from_records
    from relaywiz.core.providers.render import render_json, render_text

    try:
        if offline:
            found = from_records(address)
        else:
            client = DnsClient(nameserver, timeout=timeout)
            progress(f"looking up {address.rpartition('@')[2]} ...")
            found = asyncio.run(discover_all(address, client))
    except AddressError as exc:
        fail(str(exc))
    except NameserverError as exc:
        fail(str(exc))
    text = render_json(found) if as_json else render_text(found, verbose)
    if output is not None:
        try:
            output.write_text(text)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    else:
        click.echo(text, nl=False)
    return int(ExitCode.OK if found.suggestions else ExitCode.CRITICAL)
