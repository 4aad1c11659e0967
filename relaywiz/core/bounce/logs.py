"""Exim mainlog and Postfix maillog lines: failures, deferrals and rejections, in bulk.

A whole log is read line by line (a cheap prefilter skips the lines that
cannot matter), each failed or deferred recipient becomes a RawFailure, and
repeated deferrals of the same message to the same address count once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from relaywiz.core.bounce.model import BounceStage, RawFailure
from relaywiz.core.bounce.replies import (
    best_status,
    collapse,
    find_remote_mta,
    find_reply,
    find_stage,
    reply_text,
)
from relaywiz.core.bounce.rules import EXPIRY

_EXIM_ID = r"[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})"
EXIM_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? "
    r"(?P<id>" + _EXIM_ID + r") (?P<flag>\*\*|==|=>|->|\*>|<=|Completed)(?: (?P<rest>.*))?$"
)
EXIM_REJECT = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])?(?: "
    + _EXIM_ID
    + r")? (?P<who>.*?)(?P<temp>temporarily )?rejected (?P<what>RCPT <(?P<rcpt>[^>]*)>|MAIL "
    r"<(?P<from>[^>]*)>|after DATA|EHLO or HELO \S*|connection)(?:[^:]*)?: (?P<msg>.*)$"
)
POSTFIX_DELIVERY = re.compile(
    r"postfix[\w.-]*/[\w/.-]+\[\d+\]: (?P<qid>[0-9A-Za-z]+): to=<(?P<to>[^>]*)>,"
    r"(?: orig_to=<[^>]*>,)? relay=(?P<relay>[^,]*),.*? dsn=(?P<dsn>\d\.\d{1,3}\.\d{1,3}), "
    r"status=(?P<status>\w+) \((?P<msg>.*)\)\s*$"
)
POSTFIX_REJECT = re.compile(
    r"postfix[\w.-]*/[\w/.-]+\[\d+\]: (?:NOQUEUE|[0-9A-Za-z]+): (?P<act>reject|defer|"
    r"reject_warning): (?P<cmd>[\w-]+)(?: from (?P<client>\S+))?: (?P<msg>.*?); "
    r"(?:from=<(?P<from>[^>]*)>)?(?: to=<(?P<to>[^>]*)>)?"
)
POSTFIX_CLEANUP = re.compile(
    r"postfix[\w.-]*/cleanup\[\d+\]: \w+: (?P<act>reject|discard): (?:header|body|mime-header) "
    r".*? from (?P<client>\S+); from=<(?P<from>[^>]*)> to=<(?P<to>[^>]*)>.*?: (?P<msg>\S.*)$"
)
_POSTFIX_PROGRAM = re.compile(r"\bpostfix[\w.-]*/[\w/.-]+\[\d+\]: ")
_PREFILTER = re.compile(r" \*\* | == | => | -> |status=|reject|rejected ")
_STAGE_BY_CMD = {
    "RCPT": BounceStage.RCPT,
    "MAIL": BounceStage.MAIL,
    "DATA": BounceStage.DATA,
    "END-OF-MESSAGE": BounceStage.AFTER_DATA,
    "CONNECT": BounceStage.CONNECT,
    "EHLO": BounceStage.HELO,
    "HELO": BounceStage.HELO,
    "STARTTLS": BounceStage.STARTTLS,
    "AUTH": BounceStage.AUTH,
}
_LOCAL_RELAYS = frozenset({"local", "virtual", "dovecot", "private/dovecot-lmtp"})


@dataclass
class LogTally:
    """What a log held, filled as lines are read."""

    lines: int = 0
    delivered: int = 0
    bounced: int = 0
    deferred: int = 0
    rejected: int = 0
    family: set[str] | None = None


def is_log_line(line: str) -> bool:
    """Is this an Exim mainlog or Postfix maillog line (postmulti's postfix-NAME/ too)?"""
    return bool(EXIM_LINE.match(line) or _POSTFIX_PROGRAM.search(line))


def _exim_failure(rest: str, flag: str) -> RawFailure | None:
    head, sep, msg = rest.partition(": ")
    if not sep:
        head, msg = rest, ""
    tokens = head.split()
    if not tokens:
        return None
    address = tokens[0].rstrip(":").strip("<>")
    if "@" not in address and not msg:
        return None
    body = msg or head
    code, _st, _at = find_reply(body)
    diag = reply_text(body) if code is not None else collapse(body)
    diag = re.sub(r"^SMTP error from remote mail server after [^:]*(?::<[^>]*>)?:\s*", "", diag)
    return RawFailure(
        address=address,
        diagnostic=diag or collapse(rest),
        status=best_status(diag),
        reply_code=code,
        remote_mta=find_remote_mta(head) or find_remote_mta(msg),
        stage=find_stage(body),
        permanent=flag == "**",
        action="failed" if flag == "**" else "delayed",
    )


def _postfix_failure(m: re.Match[str]) -> RawFailure:
    msg = m.group("msg")
    code, _st, _at = find_reply(msg)
    relay = m.group("relay")
    remote = find_remote_mta(msg)
    if remote is None and relay not in ("none", "local", "virtual") and "[" in relay:
        host, _, ip = relay.partition("[")
        remote = f"{host} [{ip.split(']')[0]}]"
    stage = find_stage(msg)
    if stage is None and relay.split("[")[0] in _LOCAL_RELAYS:
        stage = BounceStage.DELIVERY
    diag = reply_text(msg) if code is not None else collapse(msg)
    status = m.group("status")
    return RawFailure(
        address=m.group("to"),
        diagnostic=diag,
        status=best_status(diag, m.group("dsn")),
        reply_code=code,
        remote_mta=remote,
        stage=stage,
        permanent=status in ("bounced", "expired", "undeliverable"),
        action="failed" if status != "deferred" else "delayed",
    )


def parse_line(line: str, tally: LogTally) -> tuple[str, RawFailure | None] | None:
    """(dedup key, failure or None for a delivery) for a line that matters; updates the tally."""
    tally.lines += 1
    if not _PREFILTER.search(line):
        return None
    fam = tally.family if tally.family is not None else set()
    tally.family = fam
    m = EXIM_LINE.match(line)
    if m:
        fam.add("exim")
        flag = m.group("flag")
        if flag in ("=>", "->", "*>"):
            tally.delivered += 1
            first = (m.group("rest") or "").split(" ", 1)[0].strip("<>")
            return f"{m.group('id')} {first}", None
        if flag not in ("**", "=="):
            return None
        f = _exim_failure(m.group("rest") or "", flag)
        if f is None:
            return None
        if flag == "**":
            tally.bounced += 1
        else:
            tally.deferred += 1
        return f"{m.group('id')} {f.address}", f
    m = POSTFIX_DELIVERY.search(line)
    if m:
        fam.add("postfix")
        status = m.group("status")
        if status == "sent":
            tally.delivered += 1
            return f"{m.group('qid')} {m.group('to')}", None
        f = _postfix_failure(m)
        if status == "deferred":
            tally.deferred += 1
        else:
            tally.bounced += 1
        return f"{m.group('qid')} {f.address}", f
    m = POSTFIX_CLEANUP.search(line)
    if m:
        fam.add("postfix")
        tally.rejected += 1
        msg = collapse(m.group("msg"))
        code, _st, _at = find_reply(msg)
        return f"reject {tally.lines}", RawFailure(
            address=m.group("to") or None,
            diagnostic=msg,
            status=best_status(msg),
            reply_code=code,
            stage=BounceStage.AFTER_DATA,
            permanent=True,
        )
    m = POSTFIX_REJECT.search(line)
    if m:
        fam.add("postfix")
        tally.rejected += 1
        msg = m.group("msg")
        code, _st, _at = find_reply(msg)
        diag = reply_text(msg)
        return f"reject {tally.lines}", RawFailure(
            address=m.group("to") or None,
            diagnostic=diag,
            status=best_status(diag),
            reply_code=code,
            remote_mta=None,
            stage=_STAGE_BY_CMD.get(m.group("cmd").upper()),
            permanent=m.group("act") != "defer" and (code is None or code >= 500),
        )
    m = EXIM_REJECT.match(line)
    if m:
        fam.add("exim")
        tally.rejected += 1
        what = m.group("what")
        stage = (
            BounceStage.RCPT
            if what.startswith("RCPT")
            else BounceStage.MAIL
            if what.startswith("MAIL")
            else BounceStage.AFTER_DATA
            if what == "after DATA"
            else BounceStage.HELO
            if what.startswith("EHLO")
            else BounceStage.CONNECT
        )
        msg = collapse(m.group("msg"))
        code, _st, _at = find_reply(msg)
        return f"reject {tally.lines}", RawFailure(
            address=m.group("rcpt") or None,
            diagnostic=msg,
            status=best_status(msg),
            reply_code=code,
            stage=stage,
            permanent=not m.group("temp"),
        )
    return None


def _only_gave_up(f: RawFailure) -> bool:
    """A failure whose whole text is that the sender gave up (no cause of its own)?"""
    return f.reply_code is None and bool(EXPIRY.search(f.diagnostic)) and len(f.diagnostic) < 60


def parse_lines(lines: Iterable[str]) -> tuple[list[RawFailure], LogTally]:
    """Every failure in a log (the last word for each message and address), and the totals."""
    tally = LogTally()
    found: dict[str, RawFailure] = {}
    for line in lines:
        got = parse_line(line.rstrip("\r\n"), tally)
        if got is not None:
            key, failure = got
            earlier = found.pop(key, None)
            if failure is not None:
                if earlier is not None and _only_gave_up(failure):
                    # Exim's "** … retry timeout exceeded" names no cause: the deferrals did
                    failure = replace(
                        earlier,
                        diagnostic=f"{earlier.diagnostic}; {failure.diagnostic}",
                        permanent=True,
                        action="failed",
                    )
                found[key] = failure
    return list(found.values()), tally
