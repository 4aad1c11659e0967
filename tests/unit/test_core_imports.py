"""The core must never import a UI or CLI library; the faces depend on it, not back."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import relaywiz.core

FORBIDDEN = ("textual", "rich", "click", "typer")


def test_core_imports_no_ui_or_cli_library() -> None:
    modules = [m.name for m in pkgutil.walk_packages(relaywiz.core.__path__, "relaywiz.core.")]
    assert modules, "no core modules found"
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"


def test_version_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from relaywiz.cli.main import main\n"
        "rc = main(['--version'])\n"
        "print(rc, 'textual' in sys.modules, 'rich' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("relaywiz ")
    assert lines[-1] == "0 False False"
