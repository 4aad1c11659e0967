"""Deciding what the input is: a message, an mbox, a log, an Outlook dialog, a reply, text.

Detection looks only at the first few kilobytes, so a 50 MB input costs no
more to classify than a small one; `--as` overrides it.
"""

from __future__ import annotations

import re

from relaywiz.core.bounce import logs, outlook, textbounce
from relaywiz.core.bounce.model import ExplainError, InputKind

HEAD = 65536
_HEADER_LINE = re.compile(rb"^[!-9;-~]{1,76}:[ \t]?\S?")
_KNOWN_HEADERS = re.compile(
    rb"^(?:from|to|subject|date|received|return-path|message-id|mime-version|content-type|"
    rb"delivered-to|dkim-signature|x-[\w-]+|reply-to|sender|auto-submitted|arc-[\w-]+|"
    rb"authentication-results|envelope-to|cc):",
    re.IGNORECASE | re.MULTILINE,
)
_DSN_FIELDS = re.compile(
    rb"^(?:reporting-mta|final-recipient|original-recipient|action|"
    rb"status|diagnostic-code|arrival-date):",
    re.IGNORECASE,
)
_MBOX_FROM = re.compile(rb"^From \S+ ")
_REPLY_START = re.compile(r"^\s*[245]\d\d[ -]")


def decode_text(data: bytes) -> str:
    """Bytes of pasted text as str: UTF-8/UTF-16 when they fit, else cp1251 or Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data[:4096] if b >= 0xC0)
    if high > 16:
        return data.decode("cp1251", "replace")
    return data.decode("latin-1")


def _is_message(head: bytes) -> bool:
    first = head.lstrip(b"\r\n")[:2000]
    if _MBOX_FROM.match(first):
        return True
    if not _HEADER_LINE.match(first):
        return False
    block = re.split(rb"\r?\n\r?\n", first, maxsplit=1)[0]
    if _DSN_FIELDS.match(block):
        return False
    return bool(_KNOWN_HEADERS.search(block))


def is_mbox(data: bytes) -> bool:
    """Does the input start like an mbox file ("From sender date" line, then headers)?"""
    return bool(_MBOX_FROM.match(data.lstrip(b"\r\n")[:200]))


def detect(data: bytes) -> InputKind:
    """The input kind of `data` (never AUTO); raises ExplainError for empty input."""
    head = data[:HEAD]
    if not head.strip():
        raise ExplainError("the input is empty")
    if is_mbox(head):
        return InputKind.MBOX
    if _is_message(head):
        return InputKind.MESSAGE
    text = decode_text(head)
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if lines:
        hits = sum(1 for ln in lines if logs.is_log_line(ln))
        if hits and hits * 3 >= len(lines):
            return InputKind.LOG
    if outlook.looks_like_dialog(text):
        return InputKind.OUTLOOK
    if lines and _REPLY_START.match(lines[0]) and len(lines) <= 12:
        return InputKind.SMTP_REPLY
    if textbounce.BOUNCE_MARKERS.search(text):
        return InputKind.BOUNCE_TEXT
    return InputKind.SMTP_REPLY
