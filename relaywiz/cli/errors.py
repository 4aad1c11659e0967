"""One module owns stderr: one-line errors and progress, never a traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

from relaywiz.core.exitcodes import ExitCode


class UsageProblem(Exception):
    """Bad input from the user: reported in one line, exit 3."""


def fail(message: str, code: ExitCode = ExitCode.UNKNOWN) -> NoReturn:
    """Print `relaywiz: message` on stderr and exit with `code`."""
    print(f"relaywiz: {message}", file=sys.stderr)
    raise SystemExit(int(code))


def progress(message: str) -> None:
    """Progress for a person watching: stderr, and only when stderr is a terminal."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)
