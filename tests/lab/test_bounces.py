"""The lab's real bounces: regenerated now, they say what the committed corpus says.

lab/capture_bounces.py produced tests/corpus/explain/lab/*.eml from a real
Postfix; this test produces them again through the session's lab and checks the
fresh DSNs against the committed expectations, so the corpus cannot drift from
what Postfix actually writes.
"""

from __future__ import annotations

import email
import json
from pathlib import Path

from lab.capture_bounces import CASES, DEFAULT_OUT, capture, delivery_status
from lab.labctl import Lab


def test_committed_lab_bounces_are_complete() -> None:
    for case in CASES:
        eml = DEFAULT_OUT / f"{case.name}.eml"
        expect = json.loads((DEFAULT_OUT / f"{case.name}.expect.json").read_text())
        assert expect["kind"] == "bounce"
        (rcpt,) = expect["recipients"]
        assert set(rcpt) == {"address", "category", "status", "reply_code", "permanent"}
        (got,) = delivery_status(email.message_from_bytes(eml.read_bytes()))
        assert (got["address"], got["status"], got["reply_code"]) == (
            rcpt["address"],
            rcpt["status"],
            rcpt["reply_code"],
        )
        assert rcpt["category"] == case.category


def test_bounces_regenerate_as_committed(lab: Lab, tmp_path: Path) -> None:
    written = capture(lab, tmp_path)
    assert len(written) == len(CASES)
    for case in CASES:
        fresh = json.loads((tmp_path / f"{case.name}.expect.json").read_text())
        committed = json.loads((DEFAULT_OUT / f"{case.name}.expect.json").read_text())
        assert fresh == committed, case.name
        dsn = email.message_from_bytes((tmp_path / f"{case.name}.eml").read_bytes())
        assert dsn.get_content_type() == "multipart/report"
        assert dsn["From"].startswith("Mail Delivery System <MAILER-DAEMON@")
