"""RFC 3464 delivery status notifications: the machine-readable part of a bounce.

A `message/delivery-status` body is a block of per-message fields followed by
one block per recipient (Final-Recipient, Action, Status, Remote-MTA,
Diagnostic-Code). The same fields also turn up pasted as plain text, so the
parser works on text as well as on the parsed MIME part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from email.message import Message

from relaywiz.core.bounce.model import RawFailure
from relaywiz.core.bounce.replies import best_status, collapse, find_reply, find_stage

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")
_TYPED = re.compile(r"^\s*[\w.-]+\s*;\s*")


def parse_fields(text: str) -> list[dict[str, str]]:
    """Blank-line separated blocks of `Name: value` fields (folded lines joined)."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
            current, last = {}, None
            continue
        if line[0] in " \t" and last is not None:
            current[last] += " " + line.strip()
            continue
        m = _FIELD.match(line)
        if m:
            last = m.group(1).lower()
            current[last] = m.group(2).strip()
    if current:
        blocks.append(current)
    return blocks


def blocks_of_part(part: Message) -> list[dict[str, str]]:
    """The field blocks of a parsed delivery-status part, however the parser stored it."""
    payload = part.get_payload()
    if isinstance(payload, list):
        out: list[dict[str, str]] = []
        for block in payload:
            if isinstance(block, Message):
                out.append({k.lower(): collapse(str(v)) for k, v in block.raw_items()})
        if any("final-recipient" in b or "original-recipient" in b for b in out):
            return out
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        return parse_fields(raw.decode("utf-8", "replace"))
    return parse_fields(str(payload))


def _untype(value: str | None) -> str:
    return _TYPED.sub("", value or "", count=1).strip()


_GMAIL_REMOTE = re.compile(r"^([\w.\-]+?)\.? \(([0-9a-fA-F.:]+)[,)]")


def _remote(value: str) -> str | None:
    """Remote-MTA as "host [ip]": Gmail writes "mx.example.net. (192.0.2.1, the server for …)"."""
    m = _GMAIL_REMOTE.match(value)
    if m:
        return f"{m.group(1)} [{m.group(2)}]"
    return value or None


def reporting_mta(blocks: Iterable[Mapping[str, str]]) -> str | None:
    """The per-message Reporting-MTA (the server that wrote the bounce)."""
    for b in blocks:
        if "reporting-mta" in b:
            return _untype(b["reporting-mta"]) or None
    return None


def failures(blocks: Iterable[Mapping[str, str]]) -> list[RawFailure]:
    """One RawFailure per recipient block (delivered ones included, marked by action)."""
    out: list[RawFailure] = []
    for b in blocks:
        if "final-recipient" not in b and "original-recipient" not in b:
            continue
        address = _untype(b.get("final-recipient") or b.get("original-recipient")).strip("<>")
        action = (b.get("action") or "").split()[0].lower() if b.get("action") else None
        status_field = (b.get("status") or "").split(" ")[0] or None
        diag = collapse(_untype(b.get("diagnostic-code")))
        code, _st, _at = find_reply(diag)
        remote = _remote(_untype(b.get("remote-mta")))
        out.append(
            RawFailure(
                address=address or None,
                diagnostic=diag,
                status=best_status(diag, status_field),
                reply_code=code,
                remote_mta=remote,
                stage=find_stage(diag),
                action=action,
            )
        )
    return out
