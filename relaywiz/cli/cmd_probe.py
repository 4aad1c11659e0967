"""`relaywiz probe HOST` (also `relaywiz --probe HOST`): the non-interactive face.

No prompts unless a password is needed and a terminal is there; data on stdout,
progress and errors on stderr; the exit code is the report's.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import click

from relaywiz.cli.errors import fail, progress
from relaywiz.core import secrets
from relaywiz.core.exitcodes import ExitCode
from relaywiz.core.model import AccountType, Location, RecipientDomain, Report, Situation
from relaywiz.core.smtp.request import (
    DEFAULT_OTHER_DOMAIN_RECIPIENT,
    DEFAULT_PORTS,
    Credentials,
    PortEvent,
    ProbeEvent,
    ProbeRequest,
    Timeouts,
)

_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$|^[^@\s<>]+@[^@\s<>.]+$")
FORMATS = ("text", "json", "markdown", "nagios")


def valid_address(value: str) -> bool:
    """A plausible mailbox (local@domain, no spaces or angle brackets)."""
    return bool(_ADDRESS.match(value)) and len(value) <= 254


def _host_ok(host: str) -> bool:
    if not host or len(host) > 253 or any(c.isspace() for c in host):
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return all(0 < len(label) < 64 for label in host.rstrip(".").split("."))


def _password(user: str | None, from_stdin: bool) -> str | None:
    """The password: stdin if asked, else the keyring, else a prompt on a TTY; never argv."""
    if user is None:
        if from_stdin:
            fail("--password-stdin needs --user")
        return None
    if from_stdin:
        pw = secrets.read_password_stream(sys.stdin)
        if not pw:
            fail("--password-stdin: nothing was read from standard input")
        return pw
    try:
        stored = secrets.get_password(user)
    except secrets.SecretsUnavailable as exc:
        if not sys.stdin.isatty():
            fail(f"no password for {user}: {exc}; pass it with --password-stdin")
        stored = None
    if stored:
        return stored
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Password for {user} (not echoed): ")
    fail(f"no password for {user} in the keyring and no terminal to ask; use --password-stdin")


@dataclass(frozen=True)
class Output:
    fmt: str
    path: str | None
    verbose: bool


@contextlib.asynccontextmanager
async def _demo_target(request: ProbeRequest | None) -> AsyncIterator[ProbeRequest]:
    from relaywiz.demo import practice_server

    async with practice_server() as demo:
        progress(
            f"practice server on {demo.host}; demo account {demo.username} / "
            f"{demo.password} (not a secret)"
        )
        yield ProbeRequest(
            host=demo.host,
            mail_from=demo.mail_from,
            ports=demo.ports,
            rcpt_other=demo.rcpt_other,
            implicit_tls_ports=demo.implicit_tls_ports,
            credentials=Credentials(demo.username, demo.password)
            if request is None or request.credentials is not None
            else None,
            cafile=demo.cafile,
            timeouts=request.timeouts if request else Timeouts(3, 3, 3),
        )


async def _run(request: ProbeRequest | None, situation: Situation, demo: bool) -> Report:
    from relaywiz.core.diagnose import diagnose
    from relaywiz.core.smtp.probe import run_probe

    def listener(event: ProbeEvent) -> None:
        if isinstance(event, PortEvent):
            progress(f"  port {event.port}: {event.result.outcome.value}")

    if demo:
        async with _demo_target(request) as demo_request:
            evidence = await run_probe(demo_request, listener)
    else:
        assert request is not None
        evidence = await run_probe(request, listener)
    return diagnose(evidence, situation)


def render(report: Report, out: Output) -> str:
    """The report in the requested format."""
    from relaywiz.core import report as rep

    if out.fmt == "json":
        return rep.render_json(report)
    if out.fmt == "markdown":
        return rep.render_markdown(report)
    if out.fmt == "nagios":
        return rep.render_nagios(report)
    return rep.render_text(report, verbose=out.verbose)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("host", required=False)
@click.option("--port", "ports", type=int, multiple=True, help="Port to probe (repeatable).")
@click.option("--from", "mail_from", metavar="ADDR", help="The account's address (MAIL FROM).")
@click.option(
    "--to",
    "rcpt_other",
    metavar="ADDR",
    default=DEFAULT_OTHER_DOMAIN_RECIPIENT,
    show_default=True,
    help="Other-domain recipient (RCPT only, never sent).",
)
@click.option(
    "--same-to",
    "rcpt_same",
    metavar="ADDR",
    help="Same-domain recipient (default postmaster@ the account's domain).",
)
@click.option("--user", metavar="U", help="SMTP AUTH user; password from keyring/stdin/prompt.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None)
@click.option("-o", "--output", "outfile", metavar="FILE", help="Write the report to FILE.")
@click.option(
    "--timeout",
    type=float,
    default=10.0,
    show_default=True,
    help="Seconds per stage (banner, each command).",
)
@click.option("--connect-timeout", type=float, default=None, help="Seconds to connect.")
@click.option("--source-address", metavar="A", help="Local address to send from.")
@click.option("--cafile", type=click.Path(dir_okay=False), help="Trust these CA certificates.")
@click.option("--insecure", is_flag=True, help="Do not verify certificates (reported).")
@click.option(
    "--implicit-tls-port",
    "implicit",
    type=int,
    multiple=True,
    help="Ports that speak TLS from the start (default 465).",
)
@click.option("--helo", metavar="NAME", help="EHLO name (default: this machine's FQDN).")
@click.option(
    "--pop-before-smtp",
    "pop",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[HOST]",
    help="Log in to POP3 first (HOST defaults to the SMTP host).",
)
@click.option("--pop-port", type=int, default=None)
@click.option(
    "--send-test",
    "send_test",
    metavar="ADDR",
    is_flag=False,
    flag_value="",
    default=None,
    help="Send one labelled test message (to ADDR or --to).",
)
@click.option("--location", type=click.Choice([x.value for x in Location]), default="unknown")
@click.option(
    "--account-type", type=click.Choice([x.value for x in AccountType]), default="unknown"
)
@click.option(
    "--recipient-domain", type=click.Choice([x.value for x in RecipientDomain]), default="unknown"
)
@click.option("--client-error", metavar="TEXT", help="The error the user saw (e.g. 0x800CCC79).")
@click.option("--demo", is_flag=True, help="Probe the built-in practice server.")
@click.option("-v", "--verbose", is_flag=True, help="Show every port's transcript.")
def command(
    host: str | None,
    ports: tuple[int, ...],
    mail_from: str | None,
    rcpt_other: str,
    rcpt_same: str | None,
    user: str | None,
    password_stdin: bool,
    as_json: bool,
    fmt: str | None,
    outfile: str | None,
    timeout: float,
    connect_timeout: float | None,
    source_address: str | None,
    cafile: str | None,
    insecure: bool,
    implicit: tuple[int, ...],
    helo: str | None,
    pop: str | None,
    pop_port: int | None,
    send_test: str | None,
    location: str,
    account_type: str,
    recipient_domain: str,
    client_error: str | None,
    demo: bool,
    verbose: bool,
) -> int:
    """Probe HOST's submission ports as a mail client would, stopping before DATA."""
    out = Output("json" if as_json else (fmt or "text"), outfile, verbose)
    situation = Situation(
        Location(location),
        AccountType(account_type),
        RecipientDomain(recipient_domain),
        client_error,
    )
    request = (
        None
        if demo and not host
        else _request(
            host,
            ports,
            mail_from,
            rcpt_other,
            rcpt_same,
            user,
            password_stdin,
            timeout,
            connect_timeout,
            source_address,
            cafile,
            insecure,
            implicit,
            helo,
            pop,
            pop_port,
            send_test,
        )
    )
    try:
        report = asyncio.run(_run(request, situation, demo))
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
    except ValueError as exc:  # ProbeSetupError and friends: the request cannot run
        fail(str(exc))
    text = render(report, out)
    if outfile:
        try:
            Path(outfile).write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {outfile}: {exc.strerror or exc}")
        progress(f"report written to {outfile}")
    else:
        sys.stdout.write(text)
    return report.exit_code


def _request(
    host: str | None,
    ports: tuple[int, ...],
    mail_from: str | None,
    rcpt_other: str,
    rcpt_same: str | None,
    user: str | None,
    password_stdin: bool,
    timeout: float,
    connect_timeout: float | None,
    source_address: str | None,
    cafile: str | None,
    insecure: bool,
    implicit: tuple[int, ...],
    helo: str | None,
    pop: str | None,
    pop_port: int | None,
    send_test: str | None,
) -> ProbeRequest:
    """Validate the arguments into a ProbeRequest; any problem is a one-line error, exit 3."""
    if not host:
        fail("which server? usage: relaywiz --probe HOST --from ADDR")
    if not _host_ok(host):
        fail(f"{host!r} is not a valid host name or address")
    if not mail_from:
        fail("--from ADDR is required (the account you send from)")
    for label, value in (("--from", mail_from), ("--to", rcpt_other), ("--same-to", rcpt_same)):
        if value is not None and not valid_address(value):
            fail(f"{label}: {value!r} is not a valid email address")
    for p in (*ports, *implicit, *([pop_port] if pop_port is not None else [])):
        if not 1 <= p <= 65535:
            fail(f"port {p} is out of range (1-65535)")
    if timeout <= 0 or (connect_timeout is not None and connect_timeout <= 0):
        fail("timeouts must be positive numbers of seconds")
    if source_address:
        try:
            ipaddress.ip_address(source_address)
        except ValueError:
            fail(f"--source-address: {source_address!r} is not an IP address")
    if cafile and not Path(cafile).is_file():
        fail(f"--cafile: {cafile} does not exist")
    if send_test is not None and send_test and not valid_address(send_test):
        fail(f"--send-test: {send_test!r} is not a valid email address")
    password = _password(user, password_stdin)
    credentials = Credentials(user, password) if user and password is not None else None
    if pop is not None and credentials is None:
        fail("--pop-before-smtp needs --user (and a password) to log in to POP3")
    request = ProbeRequest(
        host=host.strip("[]"),
        mail_from=mail_from,
        ports=tuple(dict.fromkeys(ports)) or DEFAULT_PORTS,
        rcpt_same=rcpt_same,
        rcpt_other=rcpt_other,
        credentials=credentials,
        timeouts=Timeouts(connect_timeout or timeout, timeout, timeout),
        source_address=source_address,
        cafile=cafile,
        insecure=insecure,
        helo_name=helo,
        pop_before_smtp=pop,
        pop_port=pop_port,
        send_test_to=(send_test or rcpt_other) if send_test is not None else None,
    )
    if implicit:
        request = replace(request, implicit_tls_ports=frozenset(implicit))
    return request
