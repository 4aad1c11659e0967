"""`relaywiz lint` as a process: exit codes, JSON, stdin, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

import relaywiz.core.lint

SCHEMA = json.loads((Path(relaywiz.core.lint.__file__).parent / "lint.schema.json").read_text())
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "lint"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "relaywiz", "lint", *args],
        capture_output=True,
        input=stdin,
        timeout=60,
    )


def test_clean_message_exit_0() -> None:
    out = run(str(CORPUS / "personal-plain.eml"))
    assert out.returncode == 0 and b"Passed: 19 of 19" in out.stdout


def test_json_and_exit_2() -> None:
    out = run(str(CORPUS / "image-only.eml"), "--json")
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert out.returncode == 2 == doc["exit_code"]
    assert next(iter(doc)) == "schema_version"
    image = next(r for r in doc["rules"] if r["id"] == "image-only")
    assert image["status"] == "problem" and image["why"] and image["fix"]


def test_stdin_and_warnings_exit_1() -> None:
    raw = (
        (CORPUS / "personal-plain.eml")
        .read_bytes()
        .replace(b"Dinner on Sunday?", b"DINNER ON SUNDAY OK?")
    )
    out = run("-", stdin=raw)
    assert out.returncode == 1 and b"subject" in out.stdout


def test_errors_are_one_line_exit_3(tmp_path) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    binary = tmp_path / "x.eml"
    binary.write_bytes(b"\x00\x01\x02")
    for args in (["/nonexistent/m.eml"], [str(empty)], [str(binary)], [str(tmp_path)]):
        out = run(*args)
        assert out.returncode == 3, args
        assert b"Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
        assert out.stdout == b""
