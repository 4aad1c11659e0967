"""The lab's real bounces: regenerated now, they say what the committed corpus says.

lab/capture_bounces.py produced tests/corpus/explain/lab/*.eml from a real
Postfix and a real Exim; these tests produce them again through the session's
lab and check the fresh DSNs against the committed expectations, so the corpus
cannot drift from what the MTAs actually write.
"""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest

from lab.capture_bounces import (
    CASES,
    DEFAULT_OUT,
    LOG_FILES,
    capture,
    delivery_status,
    log_failures,
)
from lab.exim import exim_missing
from lab.labctl import Lab


def test_committed_lab_bounces_are_complete() -> None:
    for case in CASES:
        eml = DEFAULT_OUT / f"{case.name}.eml"
        expect = json.loads((DEFAULT_OUT / f"{case.name}.expect.json").read_text())
        assert expect["kind"] == "bounce"
        (rcpt,) = expect["recipients"]
        assert {"address", "category", "reply_code", "permanent"} <= set(rcpt)
        (got,) = delivery_status(email.message_from_bytes(eml.read_bytes()))
        assert got["address"] == rcpt["address"]
        assert got["reply_code"] == rcpt["reply_code"]
        assert got["status"] == rcpt.get("status", got["status"])
        assert "status" in rcpt or got["status"] == "5.0.0"
        assert rcpt["category"] == case.category


def test_committed_lab_logs_match_their_expectations() -> None:
    for mta, stem in LOG_FILES.items():
        text = (DEFAULT_OUT / f"{stem}.log").read_text()
        expect = json.loads((DEFAULT_OUT / f"{stem}.expect.json").read_text())
        assert expect["kind"] == "log"
        assert expect["recipients"] == log_failures(mta, text)


def _key(entry: dict[str, object]) -> str:
    return json.dumps(entry, sort_keys=True)


def _regenerate(lab: Lab, tmp_path: Path, mta: str) -> None:
    written = capture(lab, tmp_path, mtas=(mta,))
    cases = [c for c in CASES if c.mta == mta]
    assert len(written) == len(cases) + 1  # the DSNs and the server's log
    stem = LOG_FILES[mta]
    fresh_log = json.loads((tmp_path / f"{stem}.expect.json").read_text())["recipients"]
    committed_log = json.loads((DEFAULT_OUT / f"{stem}.expect.json").read_text())["recipients"]
    # Deliveries run concurrently: the same failures, perhaps in another order.
    assert sorted(map(_key, fresh_log)) == sorted(map(_key, committed_log))
    for case in cases:
        fresh = json.loads((tmp_path / f"{case.name}.expect.json").read_text())
        committed = json.loads((DEFAULT_OUT / f"{case.name}.expect.json").read_text())
        assert fresh == committed, case.name
        dsn = email.message_from_bytes((tmp_path / f"{case.name}.eml").read_bytes())
        assert dsn.get_content_type() == "multipart/report"
        assert dsn["From"].lower().startswith("mail delivery system <mailer-daemon@")


def test_postfix_bounces_regenerate_as_committed(lab: Lab, tmp_path: Path) -> None:
    _regenerate(lab, tmp_path, "postfix")


def test_exim_bounces_regenerate_as_committed(lab: Lab, tmp_path: Path) -> None:
    reason = exim_missing()
    if reason:
        pytest.skip(f"lab Exim unavailable: {reason}")
    _regenerate(lab, tmp_path, "exim")
