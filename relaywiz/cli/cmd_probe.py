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
from typing import Any

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
@click.option("--nameserver", metavar="HOST[:PORT]", help="Resolve HOST with this DNS server.")
@click.option("--demo", is_flag=True, help="Probe the built-in practice server.")
@click.option("-v", "--verbose", is_flag=True, help="Show every port's transcript.")
def command(**opts: Any) -> int:
    """Probe HOST's submission ports as a mail client would, stopping before DATA."""
    out = Output(
        "json" if opts["as_json"] else (opts["fmt"] or "text"), opts["outfile"], opts["verbose"]
    )
    situation = Situation(
        Location(opts["location"]),
        AccountType(opts["account_type"]),
        RecipientDomain(opts["recipient_domain"]),
        opts["client_error"],
    )
    demo = bool(opts["demo"])
    request = None if demo and not opts["host"] else _request(opts)
    try:
        report = asyncio.run(_run(request, situation, demo))
    except KeyboardInterrupt:
        fail("interrupted", ExitCode.INTERRUPTED)
    except ValueError as exc:  # ProbeSetupError and friends: the request cannot run
        fail(str(exc))
    text = render(report, out)
    if out.path:
        try:
            Path(out.path).write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out.path}: {exc.strerror or exc}")
        progress(f"report written to {out.path}")
    else:
        sys.stdout.write(text)
    return report.exit_code


def _request(o: dict[str, Any]) -> ProbeRequest:
    """Validate the options into a ProbeRequest; any problem is a one-line error, exit 3."""
    host: str | None = o["host"]
    if not host:
        fail("which server? usage: relaywiz --probe HOST --from ADDR")
    if not _host_ok(host):
        fail(f"{host!r} is not a valid host name or address")
    mail_from: str | None = o["mail_from"]
    if not mail_from:
        fail("--from ADDR is required (the account you send from)")
    for label, key in (
        ("--from", "mail_from"),
        ("--to", "rcpt_other"),
        ("--same-to", "rcpt_same"),
        ("--send-test", "send_test"),
    ):
        value = o[key]
        if value and not valid_address(value):
            fail(f"{label}: {value!r} is not a valid email address")
    pop_port = o["pop_port"]
    for p in (*o["ports"], *o["implicit"], *([pop_port] if pop_port is not None else [])):
        if not 1 <= p <= 65535:
            fail(f"port {p} is out of range (1-65535)")
    timeout, connect_timeout = o["timeout"], o["connect_timeout"]
    if timeout <= 0 or (connect_timeout is not None and connect_timeout <= 0):
        fail("timeouts must be positive numbers of seconds")
    source = o["source_address"]
    if source:
        try:
            ipaddress.ip_address(source)
        except ValueError:
            fail(f"--source-address: {source!r} is not an IP address")
    if o["cafile"] and not Path(o["cafile"]).is_file():
        fail(f"--cafile: {o['cafile']} does not exist")
    if o["nameserver"]:
        from relaywiz.core.dns import NameserverError, parse_nameserver

        try:
            parse_nameserver(o["nameserver"])
        except NameserverError as exc:
            fail(f"--nameserver: {exc}")
    user = o["user"]
    password = _password(user, o["password_stdin"])
    credentials = Credentials(user, password) if user and password is not None else None
    if o["pop"] is not None and credentials is None:
        fail("--pop-before-smtp needs --user (and a password) to log in to POP3")
    send_test = o["send_test"]
    request = ProbeRequest(
        host=host.strip("[]"),
        mail_from=mail_from,
        ports=tuple(dict.fromkeys(o["ports"])) or DEFAULT_PORTS,
        rcpt_same=o["rcpt_same"],
        rcpt_other=o["rcpt_other"],
        credentials=credentials,
        timeouts=Timeouts(connect_timeout or timeout, timeout, timeout),
        source_address=source,
        cafile=o["cafile"],
        insecure=o["insecure"],
        helo_name=o["helo"],
        pop_before_smtp=o["pop"],
        pop_port=pop_port,
        send_test_to=(send_test or o["rcpt_other"]) if send_test is not None else None,
        nameserver=o["nameserver"],
    )
    if o["implicit"]:
        request = replace(request, implicit_tls_ports=frozenset(o["implicit"]))
    return request
