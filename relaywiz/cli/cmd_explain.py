"""`relaywiz explain [FILE|DIR|-]...`: bounces, Outlook dialogs, SMTP replies, logs explained.

One process reads every input (a directory or an mbox gives one result per
message); stdout carries the results (text, or JSON: one document for one
input, JSON lines for several), stderr the one-line errors.

Exit codes: 0 nothing failed (not a bounce, an auto-reply, a delivery notice),
1 only temporary failures (deferred, will be retried), 2 at least one permanent
or unclear failure, 3 could not run (bad arguments, unreadable or empty input).
Over several inputs, 2 wins over 3, 3 over 1, 1 over 0.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from relaywiz.cli.errors import fail
from relaywiz.core.bounce import ExplainError, InputKind, explain_all
from relaywiz.core.bounce.outlook import NUMBER_RE
from relaywiz.core.bounce.render import error_dict, render_text, to_json_dict
from relaywiz.core.exitcodes import ExitCode

_RANK = {2: 4, 3: 3, 1: 2, 0: 1}


def combine(codes: list[int]) -> int:
    """The exit code of several results: 2 before 3 before 1 before 0."""
    return max(codes, key=lambda c: _RANK.get(c, 0)) if codes else int(ExitCode.UNKNOWN)


def _inputs(paths: tuple[str, ...], text: str | None) -> Iterator[tuple[str, bytes | OSError]]:
    if text is not None:
        yield "<argument>", text.encode("utf-8")
        return
    if not paths:
        if sys.stdin.isatty():
            fail("give a file, a directory, '-' for standard input, or --text TEXT")
        yield "-", sys.stdin.buffer.read()
        return
    for p in paths:
        if p == "-":
            yield "-", sys.stdin.buffer.read()
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield from _read(Path(root) / name)
        elif path.exists():
            yield from _read(path)
        elif len(paths) == 1 and (NUMBER_RE.search(p) or p[:3].isdigit()):
            yield "<argument>", p.encode("utf-8")  # `relaywiz explain 0x800CCC79`
        else:
            yield p, FileNotFoundError(f"no such file or directory: {p}")


def _read(path: Path) -> Iterator[tuple[str, bytes | OSError]]:
    try:
        yield str(path), path.read_bytes()
    except OSError as exc:
        yield str(path), exc


@click.command(help="Explain bounces, Outlook error dialogs/numbers, SMTP replies and logs.")
@click.argument("paths", nargs=-1)
@click.option("--text", "text", metavar="TEXT", help="Explain this text (a number, a reply).")
@click.option(
    "--as",
    "as_kind",
    type=click.Choice([k.value for k in InputKind]),
    default="auto",
    show_default=True,
    help="Read the input as this kind instead of detecting it.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON (JSON lines for several inputs).")
@click.option("--limit", default=20, show_default=True, help="Recipients shown per input (text).")
def command(
    paths: tuple[str, ...], text: str | None, as_kind: str, as_json: bool, limit: int
) -> int:
    kind = InputKind(as_kind)
    docs: list[dict[str, Any]] = []
    codes: list[int] = []
    texts: list[str] = []
    for source, data in _inputs(paths, text):
        label = None if source == "<argument>" else source
        if isinstance(data, OSError):
            reason = data.strerror or str(data)
            print(f"relaywiz: cannot read {source}: {reason}", file=sys.stderr)
            docs.append(error_dict(ExplainError(f"cannot read: {reason}"), label, None))
            codes.append(int(ExitCode.UNKNOWN))
            continue
        try:
            results = list(explain_all(data, kind))
        except (ExplainError, RecursionError, ValueError, LookupError) as exc:
            where = f"{source}: " if label else ""
            print(f"relaywiz: {where}{exc}", file=sys.stderr)
            docs.append(error_dict(ExplainError(str(exc)), label, None))
            codes.append(int(ExitCode.UNKNOWN))
            continue
        for index, result in results:
            if isinstance(result, ExplainError):
                print(f"relaywiz: {source}: {result}", file=sys.stderr)
                docs.append(error_dict(result, label, index))
                codes.append(int(ExitCode.UNKNOWN))
                continue
            codes.append(result.exit_code)
            if as_json:
                docs.append(to_json_dict(result, label, index))
            else:
                texts.append(render_text(result, label, index, limit=limit))
    if as_json:
        if len(docs) == 1:
            print(json.dumps(docs[0], ensure_ascii=False, indent=2))
        else:
            for doc in docs:
                print(json.dumps(doc, ensure_ascii=False))
    elif texts:
        print("\n\n".join(texts))
    return combine(codes)
