"""Entry point: dispatches to the wizard or to a subcommand, imported lazily.

`relaywiz --version` and `relaywiz --probe` must start fast, so nothing heavy
(textual, rich, aiosmtplib) is imported until a command needs it. `--probe HOST`
is the same as the `probe HOST` subcommand; no subcommand opens the wizard.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence

# subcommand name -> module under relaywiz.cli exposing a click command `command`
SUBCOMMANDS: dict[str, str] = {
    "probe": "relaywiz.cli.cmd_probe",
    "explain": "relaywiz.cli.cmd_explain",
    "check": "relaywiz.cli.cmd_check",
    "lint": "relaywiz.cli.cmd_lint",
    "settings": "relaywiz.cli.cmd_settings",
}

WIZARD_FLAGS = ("--helpdesk", "--demo")


def available_subcommands() -> dict[str, str]:
    """The subcommands whose modules exist in this installation."""
    return {n: m for n, m in SUBCOMMANDS.items() if importlib.util.find_spec(m) is not None}


def _rewrite(argv: list[str]) -> list[str]:
    """Turn `--probe HOST …` (anywhere before a subcommand) into `probe HOST …`."""
    if "--probe" in argv and not (argv and argv[0] in SUBCOMMANDS):
        i = argv.index("--probe")
        rest = argv[:i] + argv[i + 1 :]
        return ["probe", *rest]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run relaywiz with `argv` (default: sys.argv[1:]); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from relaywiz import __version__

        print(f"relaywiz {__version__}")
        return 0
    args = _rewrite(args)
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_subcommand(args[0], args[1:])
        if args and args[0] in ("-h", "--help", "help"):
            _print_help()
            return 0
        return _run_wizard(args)
    except KeyboardInterrupt:
        print("relaywiz: interrupted", file=sys.stderr)
        return 130


def _run_subcommand(name: str, args: list[str]) -> int:
    module_name = available_subcommands().get(name)
    if module_name is None:
        print(f"relaywiz: '{name}' is not part of this version of relaywiz", file=sys.stderr)
        return 3
    module = importlib.import_module(module_name)
    command = module.command
    try:
        result = command.main(args=args, prog_name=f"relaywiz {name}", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # click.UsageError and friends, without importing click here
        if type(exc).__module__.startswith("click"):
            show = getattr(exc, "show", None)
            if callable(show):
                show()
            else:
                print(f"relaywiz {name}: {exc}", file=sys.stderr)
            return 3
        raise
    return int(result or 0)


def _run_wizard(args: list[str]) -> int:
    unknown = [a for a in args if a not in WIZARD_FLAGS]
    if unknown:
        print(
            f"relaywiz: unknown argument {unknown[0]!r} (try 'relaywiz --help')",
            file=sys.stderr,
        )
        return 3
    if importlib.util.find_spec("relaywiz.tui.app") is None:
        print(
            "relaywiz: the wizard is not part of this version; see 'relaywiz --help'",
            file=sys.stderr,
        )
        return 3
    from relaywiz.tui.app import run_wizard

    return run_wizard(helpdesk="--helpdesk" in args, demo="--demo" in args)


def _print_help() -> None:
    lines = [
        "usage: relaywiz [--helpdesk] [--demo]      open the wizard",
        "       relaywiz --probe HOST [options]     probe a server, no prompts",
        "       relaywiz COMMAND --help             help for one command",
        "",
        "commands:",
    ]
    for name in available_subcommands():
        lines.append(f"  {name}")
    lines.append("")
    lines.append("exit codes: 0 ok, 1 warning, 2 no working way / failed, 3 could not run")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
