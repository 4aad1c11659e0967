"""`relaywiz explain` end to end: files, directories, mboxes, stdin, JSON lines, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relaywiz.cli.main import main
from tests.unit.explain.corpus import CORPUS

POSTFIX = CORPUS / "multi" / "postfix_three_recipients.eml"
AUTO_REPLY = CORPUS / "notbounce" / "ooo_exchange.eml"
DIALOG = CORPUS / "outlook" / "ru_relay_denied.txt"
SPAM_MAILRU = CORPUS / "pasted" / "exim_body.txt"


def _delay() -> Path:
    for p in sorted(CORPUS.glob("*/grey_*.eml")):
        return p
    raise AssertionError("no greylisting sample in the corpus")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["explain", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_single_file_json_is_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["--json", str(POSTFIX)], capsys)
    doc = json.loads(out)
    assert next(iter(doc)) == "schema_version"
    assert doc["kind"] == "bounce" and doc["source"] == {"path": str(POSTFIX), "index": None}
    assert [r["category"] for r in doc["recipients"]] == [
        "user_unknown",
        "mailbox_full",
        "host_unknown",
    ]
    keys = {
        "address",
        "category",
        "status",
        "reply_code",
        "remote_mta",
        "diagnostic",
        "stage",
        "permanent",
        "outlook_error",
        "remedy",
    }
    assert keys <= set(doc["recipients"][0])
    assert code == 2


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run([str(AUTO_REPLY)], capsys)[0] == 0
    assert run([str(_delay())], capsys)[0] == 1
    assert run([str(POSTFIX)], capsys)[0] == 2
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    code, _out, err = run([str(empty)], capsys)
    assert code == 3 and "empty" in err and "Traceback" not in err
    code, _out, err = run([str(tmp_path / "missing.eml")], capsys)
    assert code == 3 and err.count("\n") == 1


def test_directory_gives_json_lines_with_sources(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for src in (POSTFIX, AUTO_REPLY, DIALOG):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    code, out, _err = run(["--json", str(tmp_path)], capsys)
    docs = [json.loads(line) for line in out.splitlines()]
    assert len(docs) == 3
    assert {Path(d["source"]["path"]).name for d in docs} == {
        POSTFIX.name,
        AUTO_REPLY.name,
        DIALOG.name,
    }
    assert all(next(iter(d)) == "schema_version" for d in docs)
    assert sorted(d["kind"] for d in docs) == ["bounce", "not_a_bounce", "outlook_error"]
    assert code == 2


def test_mbox_gives_one_document_per_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mbox = tmp_path / "bounces.mbox"
    parts = []
    for src in (POSTFIX, AUTO_REPLY, POSTFIX):
        body = src.read_bytes().replace(b"\nFrom ", b"\n>From ")
        parts.append(b"From MAILER-DAEMON Tue Mar  5 10:15:42 2024\n" + body + b"\n")
    mbox.write_bytes(b"".join(parts))
    _code, out, _err = run(["--json", str(mbox)], capsys)
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["source"]["index"] for d in docs] == [0, 1, 2]
    assert [d["category"] for d in docs] == ["user_unknown", "auto_reply", "user_unknown"]


def test_text_output_names_the_remedy_and_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run([str(SPAM_MAILRU)], capsys)
    assert "spam_detected" in out and "https://help.mail.ru/notspam-support" in out
    assert code == 2


def test_bare_number_and_text_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["0x800CCC0E"], capsys)
    assert "network_error" in out and "587" in out and code == 2
    code, out, _err = run(["--json", "--text", "550 5.1.1 <a@b.example>: User unknown"], capsys)
    doc = json.loads(out)
    assert doc["kind"] == "smtp_reply" and doc["recipients"][0]["address"] == "a@b.example"


def test_as_overrides_detection(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(["--json", "--as", "log", str(DIALOG)], capsys)
    assert json.loads(out)["kind"] == "log"
    code, _out, err = run(["--as", "nonsense", str(DIALOG)], capsys)
    assert code == 3 and "nonsense" in err


def test_stdin_in_a_real_process() -> None:
    data = DIALOG.read_bytes()
    out = subprocess.run(
        [sys.executable, "-m", "relaywiz", "explain", "--json", "-"],
        input=data,
        capture_output=True,
        check=False,
        timeout=60,
    )
    doc = json.loads(out.stdout)
    assert doc["kind"] == "outlook_error" and doc["category"] == "relay_denied"
    assert doc["source"] == {"path": "-", "index": None}
    assert "Ретрансляция" in doc["recipients"][0]["diagnostic"]
    assert out.returncode == 2
