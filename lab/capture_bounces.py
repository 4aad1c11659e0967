"""Regenerate explain's lab bounces: real DSNs written by a real Postfix.

Starts the bounce pair (scenario "origin", the sender's server, and "dest", the
recipient's server), sends one message per case through origin, waits for the
delivery status notification Postfix writes back to the sender's mailbox, and
saves it as tests/corpus/explain/lab/<case>.eml with a sidecar
<case>.expect.json ({"kind": "bounce", "recipients": [{"address", "category",
"status", "reply_code", "permanent"}]}). Status and reply code are read from the DSN itself;
the category is ours, and a DSN whose status does not fit it stops the run
instead of being saved.

    sudo python3 -m lab.capture_bounces [OUT_DIR]
"""

from __future__ import annotations

import email
import json
import mailbox
import os
import re
import smtplib
import sys
import time
from dataclasses import dataclass
from email.message import EmailMessage, Message
from pathlib import Path

from lab.labctl import Lab
from lab.postfix import NOBODY, LabError

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "explain" / "lab"


@dataclass(frozen=True)
class BounceCase:
    """One way for a message to come back, and what the DSN must say."""

    name: str
    sender: str  # the mailbox at origin that receives the DSN
    recipient: str
    category: str
    status_prefix: str
    body_bytes: int = 200


CASES = (
    BounceCase(
        "postfix-user-unknown",
        "unknown@sender.test",
        "nosuchuser@dest.test",
        "user_unknown",
        "5.1.1",
    ),
    BounceCase(
        "postfix-mailbox-full", "full@sender.test", "full@dest.test", "mailbox_full", "5.2.2"
    ),
    BounceCase(
        "postfix-message-too-big",
        "toobig@sender.test",
        "alice@dest.test",
        "message_too_big",
        "5.3.4",
        body_bytes=30000,
    ),
    BounceCase(
        "postfix-relay-denied",
        "relay@sender.test",
        "someone@elsewhere.test",
        "relay_denied",
        "5.7.1",
    ),
    BounceCase(
        "postfix-client-blocklisted",
        "blocked@sender.test",
        "alice@blocked.dest.test",
        "ip_blocklisted",
        "5.7.1",
    ),
)


def _message(case: BounceCase) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = case.sender
    msg["To"] = case.recipient
    msg["Subject"] = f"relaywiz lab bounce case {case.name}"
    msg["Message-ID"] = f"<{case.name}.{int(time.time())}@sender.test>"
    line = "This message was written by the relaywiz lab to be bounced.\n"
    msg.set_content((line * (case.body_bytes // len(line) + 1))[: case.body_bytes])
    return msg


def _fill_mailbox(path: Path, size: int) -> None:
    """Make an mbox larger than the server's mailbox limit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    filler = "From filler@dest.test Thu Jan  1 00:00:00 2026\nSubject: filler\n\n"
    filler += ("x" * 76 + "\n") * (size // 77 + 1)
    path.write_text(filler)
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o600)


def delivery_status(dsn: Message) -> list[dict[str, object]]:
    """Per-recipient fields of a DSN's message/delivery-status part."""
    out: list[dict[str, object]] = []
    for part in dsn.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:
            rcpt = str(block.get("Final-Recipient", "")).split(";", 1)[-1].strip()
            diag = str(block.get("Diagnostic-Code", ""))
            kind, _, text = diag.partition(";")
            code = re.match(r"\s*([245]\d\d)\b", text)
            out.append(
                {
                    "address": rcpt,
                    "status": str(block.get("Status", "")).strip(),
                    "reply_code": int(code.group(1)) if code and kind.strip() == "smtp" else None,
                    "action": str(block.get("Action", "")).strip(),
                }
            )
    return out


def capture(lab: Lab, out_dir: Path, timeout: float = 60.0) -> list[Path]:
    """Produce every case's DSN through `lab`; returns the .eml files written."""
    origin, dest = lab.start("origin"), lab.start("dest")
    _fill_mailbox(dest.postfix.mailbox("full"), 45000)
    for case in CASES:
        box = origin.postfix.mailbox(case.sender.split("@")[0])
        box.unlink(missing_ok=True)
        with smtplib.SMTP(origin.address, 25, source_address=(lab.inside, 0), timeout=30) as s:
            s.send_message(_message(case))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        box = origin.postfix.mailbox(case.sender.split("@")[0])
        raw = _wait_for_message(box, timeout)
        if raw is None:
            raise LabError(
                f"{case.name}: no DSN within {timeout:.0f} s\n"
                f"origin: {origin.postfix.log_text()[-1500:]}\n"
                f"dest: {dest.postfix.log_text()[-1500:]}"
            )
        dsn = email.message_from_bytes(raw)
        recipients = delivery_status(dsn)
        if len(recipients) != 1 or recipients[0]["address"] != case.recipient:
            raise LabError(f"{case.name}: DSN names {recipients}, expected {case.recipient}")
        rcpt = recipients[0]
        if not str(rcpt["status"]).startswith(case.status_prefix) or rcpt["action"] != "failed":
            raise LabError(f"{case.name}: DSN says {rcpt}, expected a failure {case.status_prefix}")
        eml = out_dir / f"{case.name}.eml"
        eml.write_bytes(raw)
        expect = {
            "kind": "bounce",
            "recipients": [
                {
                    "address": rcpt["address"],
                    "category": case.category,
                    "status": rcpt["status"],
                    "reply_code": rcpt["reply_code"],
                    # Action "failed" with a 5.x.x status (checked above).
                    "permanent": True,
                }
            ],
        }
        (out_dir / f"{case.name}.expect.json").write_text(json.dumps(expect, indent=2) + "\n")
        written.append(eml)
    return written


def _wait_for_message(box: Path, timeout: float) -> bytes | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if box.exists() and box.stat().st_size > 0:
            mbox = mailbox.mbox(str(box), create=False)
            try:
                keys = mbox.keys()
                if keys:
                    return mbox.get_bytes(keys[0])
            finally:
                mbox.close()
        time.sleep(0.2)
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    try:
        with Lab() as lab:
            for path in capture(lab, out_dir):
                print(path)
    except LabError as exc:
        print(f"capture_bounces: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
