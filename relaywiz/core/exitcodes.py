"""The one place that names relaywiz's exit codes (monitoring-plugin convention).

It lives in the core because the core decides a report's exit code; the CLI only
hands it to the shell."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses shared by every command."""

    OK = 0  # a working way to send was found / nothing wrong
    WARNING = 1  # works, with warnings
    CRITICAL = 2  # no working way to send, or the check failed
    UNKNOWN = 3  # could not run: bad arguments, no keyring backend
    INTERRUPTED = 130
