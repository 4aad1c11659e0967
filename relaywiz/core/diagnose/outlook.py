"""The Outlook error numbers a user would have seen, keyed on the Windows transport's table.

People arrive with "0x800CCC79" from an Outlook dialog; findings carry the
number Outlook would show for the same failure, so the two can be matched in
both directions (`for_attempt` from evidence, `lookup` from what the user typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relaywiz.core.model import Outcome, Reply, Stage
from relaywiz.core.outlook_numbers import MEANINGS


@dataclass(frozen=True)
class OutlookError:
    """One Outlook / Windows mail transport error number and what it means."""

    code: str
    meaning: str
    outcomes: tuple[Outcome, ...]


def _entry(code: str, outcomes: tuple[Outcome, ...]) -> OutlookError:
    return OutlookError(code, MEANINGS[code], outcomes)


TABLE: dict[str, OutlookError] = {
    e.code: e
    for e in (
        _entry("0x800CCC0D", (Outcome.DNS_ERROR,)),
        _entry("0x800CCC0E", (Outcome.REFUSED, Outcome.FILTERED)),
        _entry("0x800CCC0F", (Outcome.REJECTED_AT_BANNER, Outcome.PROTOCOL_ERROR)),
        _entry("0x800CCC19", (Outcome.TIMEOUT,)),
        _entry("0x800CCC1A", (Outcome.TLS_ERROR,)),
        _entry("0x800CCC67", ()),
        _entry("0x800CCC68", ()),
        _entry("0x800CCC6A", ()),
        _entry("0x800CCC78", (Outcome.SENDER_REJECTED,)),
        _entry("0x800CCC79", (Outcome.RELAY_DENIED, Outcome.RECIPIENT_REJECTED)),
        _entry("0x800CCC7C", (Outcome.TLS_REQUIRED,)),
        _entry("0x800CCC7D", (Outcome.STARTTLS_UNAVAILABLE,)),
        _entry("0x800CCC7F", ()),
        _entry("0x800CCC80", (Outcome.AUTH_UNAVAILABLE,)),
        _entry("0x80042109", ()),
        _entry("0x8004210B", ()),
    )
}

_BY_REPLY_CODE: dict[int, str] = {421: "0x800CCC67", 450: "0x800CCC68", 451: "0x800CCC6A"}
_CODE_RE = re.compile(r"(?:0x)?(8004210[0-9a-f]|800ccc[0-9a-f]{2})", re.IGNORECASE)


def lookup(text: str) -> OutlookError | None:
    """The entry for an error number found anywhere in `text` ("0x800ccc79", "800CCC79");
    a number no probe outcome leads to still has its meaning."""
    match = _CODE_RE.search(text)
    if match is None:
        return None
    code = "0x" + match.group(1).upper()
    if code in TABLE:
        return TABLE[code]
    return OutlookError(code, MEANINGS[code], ()) if code in MEANINGS else None


def for_attempt(outcome: Outcome, stage: Stage, reply: Reply | None) -> str | None:
    """The number Outlook would show for this outcome at this stage with this reply, if any."""
    if reply is not None and reply.code in _BY_REPLY_CODE and outcome not in _NOT_BY_CODE:
        return _BY_REPLY_CODE[reply.code]
    if outcome is Outcome.TLS_ERROR and reply is not None and reply.code == 454:
        return "0x800CCC7F"
    if outcome is Outcome.AUTH_REQUIRED:
        return "0x800CCC78" if stage is Stage.MAIL else "0x800CCC79"
    if outcome in (Outcome.GREYLISTED, Outcome.TEMPORARY_FAILURE):
        return None  # only the reply code says which; handled above
    for entry in TABLE.values():
        if outcome in entry.outcomes:
            return entry.code
    return None


# Outcomes whose own number is more telling than the reply code's generic one.
_NOT_BY_CODE = frozenset({Outcome.SENDER_REJECTED, Outcome.RELAY_DENIED})
