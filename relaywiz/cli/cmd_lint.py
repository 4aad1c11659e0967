"""`relaywiz lint MESSAGE.eml`: offline content rules that decide inbox or spam folder.

Reads one message (a file, or '-' for standard input), prints each rule's finding
with why it matters and how to fix it; exit 0 clean, 1 warnings, 2 problems,
3 not readable or not a message.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from relaywiz.cli.errors import fail

MAX_MESSAGE = 100 * 1024 * 1024


@click.command(
    "lint",
    help="Check a message (.eml) against the content rules that keep mail out of spam "
    "folders. Offline: nothing is sent or looked up.",
)
@click.argument("message", metavar="MESSAGE.eml")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None)
@click.option("-v", "--verbose", is_flag=True, help="List the rules that passed too.")
def command(message: str, as_json: bool, fmt: str | None, verbose: bool) -> int:
    from relaywiz.core.lint import LintInputError, lint_message
    from relaywiz.core.lint.render import render_json, render_text

    if message == "-":
        raw = sys.stdin.buffer.read(MAX_MESSAGE + 1)
        source = "(stdin)"
    else:
        path = Path(message)
        try:
            if path.is_dir():
                fail(f"{message} is a directory, not a message file")
            raw = path.open("rb").read(MAX_MESSAGE + 1)
        except OSError as exc:
            fail(f"cannot read {message}: {exc.strerror or exc}")
        source = message
    if len(raw) > MAX_MESSAGE:
        fail(f"{source}: larger than 100 MB; not a single message")
    if not raw.strip():
        fail(f"{source} is empty")
    try:
        report = lint_message(raw)
    except LintInputError as exc:
        fail(f"{source}: {exc}")
    if as_json or fmt == "json":
        click.echo(render_json(report, source), nl=False)
    else:
        click.echo(render_text(report, source, verbose), nl=False)
    return report.exit_code
