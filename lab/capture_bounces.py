"""Regenerate explain's lab bounces: real DSNs written by a real Postfix and a real Exim.

Starts the bounce pair (Postfix scenario "origin", the sender's server, and
"dest", the recipient's server) and, when lab/install-exim.sh has unpacked it,
an Exim sender's server relaying to the same "dest". One message per case goes
through the sender's server; the delivery status notification the MTA writes
back to the sender's mailbox is saved as tests/corpus/explain/lab/<case>.eml
with a sidecar <case>.expect.json ({"kind": "bounce", "recipients": [{"address",
"category", "status", "reply_code", "permanent"}]}). Address, status and reply
code are read from the DSN (status: the enhanced code the refusing server gave
in its diagnostic when there is one, as Exim's own Status field says 5.0.0
whatever happened; left out when only that generic 5.0.0 exists); the
category is ours, and a DSN that does not fit it stops
the run instead of being saved. The sender's servers' own logs of the same
failures are saved too (postfix-maillog.log, exim-mainlog.log, kind "log").

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

from lab.exim import EximInstance, exim_missing
from lab.labctl import Lab
from lab.postfix import NOBODY, LabError

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "explain" / "lab"
EXIM_SLOT = 30
EXIM_DOMAIN = "eximsender.test"


@dataclass(frozen=True)
class BounceCase:
    """One way for a message to come back, and what the DSN must say."""

    name: str
    sender: str  # the mailbox at the sender's server that receives the DSN
    recipient: str
    category: str
    status_prefix: str
    body_bytes: int = 200

    @property
    def mta(self) -> str:
        return self.name.split("-", 1)[0]


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
    BounceCase(
        "exim-user-unknown",
        f"eunknown@{EXIM_DOMAIN}",
        "nosuchuser@dest.test",
        "user_unknown",
        "5.1.1",
    ),
    BounceCase(
        "exim-unrouteable-address",
        f"eunroute@{EXIM_DOMAIN}",
        f"nosuchuser@{EXIM_DOMAIN}",
        "user_unknown",
        "5.",
    ),
    BounceCase(
        "exim-mailbox-full", f"equota@{EXIM_DOMAIN}", f"stuffed@{EXIM_DOMAIN}", "mailbox_full", "5."
    ),
    BounceCase(
        "exim-message-too-big",
        f"etoobig@{EXIM_DOMAIN}",
        "alice@dest.test",
        "message_too_big",
        "5.3.4",
        body_bytes=30000,
    ),
    BounceCase(
        "exim-relay-denied",
        f"erelay@{EXIM_DOMAIN}",
        "someone@elsewhere.test",
        "relay_denied",
        "5.7.1",
    ),
    BounceCase(
        "exim-client-blocklisted",
        f"eblocked@{EXIM_DOMAIN}",
        "alice@blocked.dest.test",
        "ip_blocklisted",
        "5.7.1",
    ),
)
EXIM_MAILBOXES = (
    "postmaster",
    "stuffed",
    *(c.sender.split("@")[0] for c in CASES if c.mta == "exim"),
)


def _message(case: BounceCase) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = case.sender
    msg["To"] = case.recipient
    msg["Subject"] = f"relaywiz lab bounce case {case.name}"
    msg["Message-ID"] = f"<{case.name}.{int(time.time())}@{case.sender.split('@')[1]}>"
    line = "This message was written by the relaywiz lab to be bounced.\n"
    msg.set_content((line * (case.body_bytes // len(line) + 1))[: case.body_bytes])
    return msg


def _fill_mailbox(path: Path, size: int) -> None:
    """Make an mbox larger than the server's mailbox limit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    filler = "From filler@lab.test Thu Jan  1 00:00:00 2026\nSubject: filler\n\n"
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
            if not isinstance(block, Message):
                continue
            rcpt = str(block.get("Final-Recipient", "")).split(";", 1)[-1].strip()
            diag = " ".join(str(block.get("Diagnostic-Code", "")).split())
            kind, _, text = diag.partition(";")
            smtp = kind.strip().lower() == "smtp"
            code = re.match(r"\s*([245]\d\d)\b(?:[ -]([245]\.\d{1,3}\.\d{1,3})\b)?", text)
            status = str(block.get("Status", "")).strip()
            if smtp and code and code.group(2):
                status = code.group(2)  # what the refusing server itself said
            out.append(
                {
                    "address": rcpt,
                    "status": status,
                    "reply_code": int(code.group(1)) if code and smtp else None,
                    "action": str(block.get("Action", "")).strip(),
                }
            )
    return out


def _send(address: str, source: str, case: BounceCase) -> None:
    with smtplib.SMTP(address, 25, source_address=(source, 0), timeout=30) as s:
        s.send_message(_message(case))


def capture(
    lab: Lab, out_dir: Path, timeout: float = 60.0, mtas: tuple[str, ...] = ("postfix", "exim")
) -> list[Path]:
    """Produce every case's DSN (of the given MTAs) through `lab`; returns the .eml files."""
    origin, dest = lab.start("origin"), lab.start("dest")
    _fill_mailbox(dest.postfix.mailbox("full"), 45000)
    exim: EximInstance | None = None
    try:
        if "exim" in mtas:
            reason = exim_missing()
            if reason:
                raise LabError(reason)
            exim = EximInstance(
                "exim_origin",
                EXIM_DOMAIN,
                lab.address(EXIM_SLOT),
                lab.run_dir / "exim" / "origin",
                {"DEST": dest.address, "INSIDE": lab.inside, "BLOCKED": lab.blocked},
                EXIM_MAILBOXES,
            )
            exim.write_config()
            _fill_mailbox(exim.mailbox("stuffed"), 45000)
            exim.start()
        boxes: dict[str, Path] = {}
        for case in CASES:
            if case.mta not in mtas:
                continue
            local = case.sender.split("@")[0]
            if case.mta == "exim":
                assert exim is not None
                boxes[case.name] = exim.mailbox(local)
                boxes[case.name].unlink(missing_ok=True)
                _send(exim.address, lab.inside, case)
            else:
                boxes[case.name] = origin.postfix.mailbox(local)
                boxes[case.name].unlink(missing_ok=True)
                _send(origin.address, lab.inside, case)
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for case in CASES:
            if case.name not in boxes:
                continue
            raw = _wait_for_message(boxes[case.name], timeout)
            if raw is None:
                logs = exim.log_text() if exim and case.mta == "exim" else origin.postfix.log_text()
                raise LabError(
                    f"{case.name}: no DSN within {timeout:.0f} s\n{logs[-1500:]}\n"
                    f"dest: {dest.postfix.log_text()[-1500:]}"
                )
            written.append(_save(case, raw, out_dir))
        # The sender's servers' own logs of the same failures, as explain reads them.
        if "postfix" in mtas:
            written.append(_save_log("postfix", origin.server.log_text(), out_dir))
        if exim is not None:
            written.append(_save_log("exim", exim.log_text(), out_dir))
        return written
    finally:
        if exim is not None:
            exim.stop()


def _save(case: BounceCase, raw: bytes, out_dir: Path) -> Path:
    recipients = delivery_status(email.message_from_bytes(raw))
    if len(recipients) != 1 or recipients[0]["address"] != case.recipient:
        raise LabError(f"{case.name}: DSN names {recipients}, expected {case.recipient}")
    rcpt = recipients[0]
    if not str(rcpt["status"]).startswith(case.status_prefix) or rcpt["action"] != "failed":
        raise LabError(f"{case.name}: DSN says {rcpt}, expected a failure {case.status_prefix}")
    eml = out_dir / f"{case.name}.eml"
    eml.write_bytes(raw)
    expected: dict[str, object] = {
        "address": rcpt["address"],
        "category": case.category,
        "status": rcpt["status"],
        "reply_code": rcpt["reply_code"],
        "permanent": True,  # Action "failed" with a 5.x.x status (checked above)
    }
    if str(rcpt["status"]).endswith(".0.0") and rcpt["reply_code"] is None:
        # Exim's generic 5.0.0 for its own failures: no server said anything more
        # precise, so the corpus does not pin a status (the category says it).
        del expected["status"]
    expect = {"kind": "bounce", "recipients": [expected]}
    (out_dir / f"{case.name}.expect.json").write_text(json.dumps(expect, indent=2) + "\n")
    return eml


_POSTFIX_BOUNCED = re.compile(
    r"/(?:smtp|virtual|error)\[\d+\]: \w+: to=<([^>]*)>, .*dsn=(\d\.\d{1,3}\.\d{1,3}), "
    r"status=bounced \((.*)\)$",
    re.M,
)
_EXIM_FAILED = re.compile(r"^\S+ \S+ \S+ \*\* (\S+?):? (.*)$", re.M)
_SMTP_ERROR = re.compile(
    r"(?:said|SMTP error from remote mail server after [^:]*(?::<[^>]*>)?): "
    r"([245]\d\d)(?: ([245]\.\d{1,3}\.\d{1,3}))?"
)
LOG_FILES = {"postfix": "postfix-maillog", "exim": "exim-mainlog"}


def log_failures(mta: str, text: str) -> list[dict[str, object]]:
    """The permanent failures a sender's server logged, in log order."""
    categories = {c.recipient: c.category for c in CASES if c.mta == mta}
    out: list[dict[str, object]] = []
    if mta == "postfix":
        for address, status, reason in _POSTFIX_BOUNCED.findall(text):
            said = _SMTP_ERROR.search(reason)
            out.append(
                {
                    "address": address,
                    "category": categories[address],
                    "status": status,
                    "reply_code": int(said.group(1)) if said else None,
                    "permanent": True,
                }
            )
    else:
        for address, reason in _EXIM_FAILED.findall(text):
            said = _SMTP_ERROR.search(reason)
            entry: dict[str, object] = {
                "address": address,
                "category": categories[address],
                "reply_code": int(said.group(1)) if said else None,
                "permanent": True,
            }
            if said and said.group(2):
                entry["status"] = said.group(2)
            out.append(entry)
    return out


def _save_log(mta: str, text: str, out_dir: Path) -> Path:
    failures = log_failures(mta, text)
    # The full mailbox is dest's failure (its virtual(8) bounced it), not origin's.
    expected = {c.recipient for c in CASES if c.mta == mta and c.name != "postfix-mailbox-full"}
    if {str(f["address"]) for f in failures} != expected or len(failures) != len(expected):
        raise LabError(f"{mta} log: failures {failures}, expected one for each of {expected}")
    path = out_dir / f"{LOG_FILES[mta]}.log"
    path.write_text(text)
    expect = {"kind": "log", "recipients": failures}
    (out_dir / f"{LOG_FILES[mta]}.expect.json").write_text(json.dumps(expect, indent=2) + "\n")
    return path


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
    mtas = ("postfix", "exim") if exim_missing() is None else ("postfix",)
    if "exim" not in mtas:
        print(f"capture_bounces: Exim cases left out: {exim_missing()}", file=sys.stderr)
    try:
        lab = Lab()
        try:
            for path in capture(lab, out_dir, mtas=mtas):
                print(path)
        finally:
            lab.stop_all()
            lab.remove_run_dir()
    except LabError as exc:
        print(f"capture_bounces: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
