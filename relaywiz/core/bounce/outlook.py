"""Outlook's error dialogs (English and Russian) and bare error numbers such as 0x800CCC79.

The dialog carries the server's reply when there was one ("Server Response:
'550 5.7.1 Unable to relay'" / "Ответ сервера: «550 … Ретрансляция
запрещена»"); then the reply decides, as for a bounce. A bare number is
explained from the table of what Outlook means by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relaywiz.core.bounce.model import BounceStage, Category, RawFailure
from relaywiz.core.bounce.replies import ADDRESS, best_status, collapse, find_reply, find_stage
from relaywiz.core.outlook_numbers import MEANINGS

C = Category


@dataclass(frozen=True)
class OutlookNumber:
    """What one Outlook / Windows mail transport error number means."""

    code: str
    meaning: str
    category: Category
    stage: BounceStage | None
    permanent: bool | None


def _N(
    code: str, category: Category, stage: BounceStage | None, permanent: bool | None
) -> OutlookNumber:
    return OutlookNumber(code, MEANINGS[code], category, stage, permanent)


TABLE: dict[str, OutlookNumber] = {
    n.code: n
    for n in (
        _N("0x800CCC0B", C.TOO_MANY_CONNECTIONS, BounceStage.CONNECT, False),
        _N("0x800CCC0D", C.HOST_UNKNOWN, BounceStage.CONNECT, True),
        _N("0x800CCC0E", C.NETWORK_ERROR, BounceStage.CONNECT, True),
        _N("0x800CCC0F", C.NETWORK_ERROR, BounceStage.CONNECT, True),
        _N("0x800CCC13", C.NETWORK_ERROR, BounceStage.CONNECT, True),
        _N("0x800CCC18", C.AUTH_REQUIRED, BounceStage.AUTH, True),
        _N("0x800CCC19", C.NETWORK_TIMEOUT, None, False),
        _N("0x800CCC1A", C.STARTTLS_FAILED, BounceStage.STARTTLS, True),
        _N("0x800CCC60", C.UNKNOWN, None, True),
        _N("0x800CCC61", C.SYNTAX_ERROR, None, True),
        _N("0x800CCC62", C.SYNTAX_ERROR, None, True),
        _N("0x800CCC63", C.SYNTAX_ERROR, None, True),
        _N("0x800CCC64", C.SYNTAX_ERROR, None, True),
        _N("0x800CCC65", C.AUTH_REQUIRED, None, True),
        _N("0x800CCC67", C.SYSTEM_ERROR, BounceStage.CONNECT, False),
        _N("0x800CCC68", C.POLICY_VIOLATION, BounceStage.RCPT, False),
        _N("0x800CCC69", C.USER_UNKNOWN, BounceStage.RCPT, True),
        _N("0x800CCC6A", C.SYSTEM_ERROR, None, False),
        _N("0x800CCC6B", C.ADDRESS_MOVED, BounceStage.RCPT, True),
        _N("0x800CCC6C", C.SYSTEM_FULL, None, False),
        _N("0x800CCC6D", C.MESSAGE_TOO_BIG, BounceStage.DATA, True),
        _N("0x800CCC6E", C.SYNTAX_ERROR, BounceStage.RCPT, True),
        _N("0x800CCC6F", C.UNKNOWN, None, True),
        _N("0x800CCC78", C.SENDER_REJECTED, BounceStage.MAIL, True),
        _N("0x800CCC79", C.RELAY_DENIED, BounceStage.RCPT, True),
        _N("0x800CCC7A", C.SENDER_REJECTED, BounceStage.MAIL, True),
        _N("0x800CCC7B", C.SYNTAX_ERROR, BounceStage.RCPT, True),
        _N("0x800CCC7C", C.AUTH_REQUIRED, BounceStage.STARTTLS, True),
        _N("0x800CCC7D", C.STARTTLS_FAILED, BounceStage.STARTTLS, True),
        _N("0x800CCC7F", C.STARTTLS_FAILED, BounceStage.STARTTLS, True),
        _N("0x800CCC80", C.AUTH_REQUIRED, BounceStage.AUTH, True),
        _N("0x800CCC90", C.UNKNOWN, None, True),
        _N("0x800CCC91", C.AUTH_REQUIRED, BounceStage.AUTH, True),
        _N("0x800CCC92", C.AUTH_REQUIRED, BounceStage.AUTH, True),
        _N("0x80042108", C.NETWORK_ERROR, BounceStage.CONNECT, True),
        _N("0x80042109", C.NETWORK_ERROR, BounceStage.CONNECT, True),
        _N("0x8004210A", C.NETWORK_TIMEOUT, None, False),
        _N("0x8004210B", C.NETWORK_TIMEOUT, None, False),
    )
}

NUMBER_RE = re.compile(r"(?<![0-9A-Fa-f])(?:0x)?(8004210[0-9A-Fa-f]|800[Cc]{3}[0-9A-Fa-f]{2})\b")
_DIALOG_WORDS = re.compile(
    r"Error Number|Номер ошибки|reported error|сообщила об ошибке|Server Response|"
    r"Ответ сервера|Protocol: SMTP|Протокол: SMTP|Secure\(SSL\)|Защита \(SSL\)|"
    r"outgoing \(SMTP\)|исходящей почты \(SMTP\)|Не удается отправить|could not be sent",
    re.IGNORECASE,
)
_RESPONSE = re.compile(
    r"(?:Server Response|Ответ сервера|The server responded|Сервер ответил|server response was)"
    r"\s*:?\s*['\"«“„]?(?P<r>[^'\"»”\n]+?)['\"»”]?\s*(?:,\s*(?:Port|Порт)\b|$|\n)",
    re.IGNORECASE | re.MULTILINE,
)
_REJECTED_ADDR = re.compile(
    r"(?:rejected e-?mail address was|отвергнутый сервером|отклон[её]нный (?:сервером )?адрес"
    r"|адрес электронной почты[^:'\"«]*)\s*:?\s*['\"«“]?(?P<a>" + ADDRESS + r")",
    re.IGNORECASE,
)
_PORT = re.compile(r"(?:Port|Порт)\s*:\s*(\d+)", re.IGNORECASE)
_SERVER_ERROR = re.compile(r"(?:Server Error|Ошибка сервера)\s*:\s*(\d{3})", re.IGNORECASE)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def looks_like_dialog(text: str) -> bool:
    """Is this an Outlook dialog's text, or a bare Outlook error number?"""
    head = text[:5000]
    return bool(NUMBER_RE.search(head) or _DIALOG_WORDS.search(head))


def number_in(text: str) -> str | None:
    """The Outlook error number in the text, normalised to 0x800CCCxx."""
    m = NUMBER_RE.search(text)
    return "0x" + m.group(1).upper() if m else None


@dataclass(frozen=True)
class Dialog:
    """What one Outlook dialog said."""

    failure: RawFailure
    number: OutlookNumber | None
    russian: bool
    port: int | None


def parse_dialog(text: str) -> Dialog:
    """Read the number, the server's reply, the rejected address and the port."""
    text = text[:200_000]
    number = number_in(text)
    entry = TABLE.get(number) if number else None
    m = _RESPONSE.search(text)
    response = collapse(m.group("r")) if m else ""
    addr_m = _REJECTED_ADDR.search(text)
    port_m = _PORT.search(text)
    code, _st, _at = find_reply(response) if response else (None, None, -1)
    if code is None:
        se = _SERVER_ERROR.search(text)
        code = int(se.group(1)) if se else None
    diagnostic = response or collapse(text)[:500]
    stage = find_stage(response) if response else None
    if stage is None and entry is not None:
        stage = entry.stage
    failure = RawFailure(
        address=addr_m.group("a") if addr_m else None,
        diagnostic=diagnostic,
        status=best_status(response) if response else None,
        reply_code=code,
        stage=stage,
        permanent=None if response else (entry.permanent if entry else None),
        outlook_error=number,
    )
    return Dialog(
        failure, entry, bool(_CYRILLIC.search(text)), int(port_m.group(1)) if port_m else None
    )
