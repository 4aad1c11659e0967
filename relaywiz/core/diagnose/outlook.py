"""The Outlook error numbers a user would have seen, keyed on the Windows transport's table.

People arrive with "0x800CCC79" from an Outlook dialog; findings carry the
number Outlook would show for the same failure, so the two can be matched in
both directions (`for_attempt` from evidence, `lookup` from what the user typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relaywiz.core.model import Outcome, Reply, Stage


@dataclass(frozen=True)
class OutlookError:
    """One Outlook / Windows mail transport error number and what it means."""

    code: str
    meaning: str
    outcomes: tuple[Outcome, ...]


TABLE: dict[str, OutlookError] = {
    e.code: e
    for e in (
        OutlookError("0x800CCC0D", "cannot find the server (host name)", (Outcome.DNS_ERROR,)),
        OutlookError(
            "0x800CCC0E",
            "cannot connect to the server",
            (Outcome.REFUSED, Outcome.FILTERED),
        ),
        OutlookError(
            "0x800CCC0F",
            "the connection to the server was dropped",
            (Outcome.REJECTED_AT_BANNER, Outcome.PROTOCOL_ERROR),
        ),
        OutlookError("0x800CCC19", "time-out communicating with the server", (Outcome.TIMEOUT,)),
        OutlookError(
            "0x800CCC1A",
            "the secure (SSL/TLS) connection could not be made",
            (Outcome.TLS_ERROR,),
        ),
        OutlookError("0x800CCC67", "the server answered 421: service not available", ()),
        OutlookError("0x800CCC68", "the server answered 450: mailbox unavailable", ()),
        OutlookError("0x800CCC6A", "the server answered 451: local error in processing", ()),
        OutlookError("0x800CCC78", "the sender address was rejected", (Outcome.SENDER_REJECTED,)),
        OutlookError(
            "0x800CCC79",
            "the server rejected one or more recipients (relay denied)",
            (Outcome.RELAY_DENIED, Outcome.RECIPIENT_REJECTED),
        ),
        OutlookError(
            "0x800CCC7C",
            "the server requires STARTTLS before this command",
            (Outcome.TLS_REQUIRED,),
        ),
        OutlookError(
            "0x800CCC7D",
            "the server does not support STARTTLS",
            (Outcome.STARTTLS_UNAVAILABLE,),
        ),
        OutlookError("0x800CCC7F", "the server answered 454: TLS not available", ()),
        OutlookError(
            "0x800CCC80",
            "none of the client's authentication methods is supported by the server",
            (Outcome.AUTH_UNAVAILABLE,),
        ),
        OutlookError(
            "0x80042109",
            "Outlook cannot connect to the outgoing (SMTP) server",
            (),
        ),
        OutlookError(
            "0x8004210B",
            "the operation timed out waiting for the outgoing (SMTP) server",
            (),
        ),
    )
}

_BY_REPLY_CODE: dict[int, str] = {421: "0x800CCC67", 450: "0x800CCC68", 451: "0x800CCC6A"}
_CODE_RE = re.compile(r"(?:0x)?(8004210[0-9a-f]|800ccc[0-9a-f]{2})", re.IGNORECASE)


def lookup(text: str) -> OutlookError | None:
    """The table entry for an error number found anywhere in `text` ("0x800ccc79", "800CCC79")."""
    match = _CODE_RE.search(text)
    if match is None:
        return None
    return TABLE.get("0x" + match.group(1).upper())


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
