"""Reading failed recipients out of the human-readable text of a bounce.

Postfix, Exim, Sendmail, qmail, Courier, Exchange, Gmail, Yahoo, mail.ru and
Yandex all write the same facts in their own layout. Most share one shape: a
line naming the address, then the server's words until a blank line; the
sentence-style notices (Gmail, Microsoft 365) are read by their own patterns.
The returned original is cut off first: its headers are never the reason.
"""

from __future__ import annotations

import re
from dataclasses import replace

from relaywiz.core.bounce.model import BounceStage, RawFailure
from relaywiz.core.bounce.replies import (
    ADDRESS,
    ADDRESS_RE,
    best_status,
    collapse,
    find_remote_mta,
    find_reply,
    find_stage,
    reply_text,
)

MAX_TEXT = 200_000

ORIGINAL_MARKERS = re.compile(
    r"^[ \t]*(?:-+ ?This is a copy of (?:the|your) message|-+ ?Below this line is a copy"
    r"|-+ ?Original message|-+ ?Original Message|Original message headers:|"
    r"-+ ?(?:The )?original message (?:follows|headers follow)|-+ ?Message header follows|"
    r"-+ ?Returned (?:message|mail|content)|ORIGINAL MESSAGE HEADERS|"
    r"-+ ?Исходное сообщение|-+ ?Оригинальное сообщение|-+ ?Заголовки исходного|"
    r"Content-Type: message/rfc822|Content-Type: text/rfc822-headers|"
    r"-+ ?Unsent message below|Below is a copy of the original message|"
    r"-+ ?Forwarded message from the original)",
    re.IGNORECASE | re.MULTILINE,
)

BOUNCE_MARKERS = re.compile(
    r"This is the mail system at host|could not be delivered to one or more|"
    r"created automatically by mail delivery software|qmail-send program|"
    r"wasn't able to deliver your message|had permanent fatal errors|transient non-fatal errors|"
    r"Transcript of session follows|Delivery has failed to these recipients|"
    r"couldn't be delivered|wasn't delivered to|Delivery incomplete|"
    r"unable to deliver your message|UNDELIVERABLE MAIL|DELAYED MAIL|Courier mail server|"
    r"Delivery Status Notification|Message not delivered|has not yet been delivered|"
    r"Delivery to the following recipients? (?:failed|has been delayed)|"
    r"Diagnostic information for administrators|Remote (?:host|server) (?:said|returned)|"
    r"The response (?:from the remote server )?was:|Final-Recipient:|"
    r"An error has occurred while attempting to deliver|MAILER-DAEMON|"
    r"returned to sender|Undelivered Mail|Mail delivery failed|host \S+ said:|"
    r"SMTP error from remote|does not like recipient|Sorry, no mailbox here|"
    r"недоставлен|не удалось доставить|не может быть доставлено|не было доставлено|"
    r"письмо не доставлено|сообщение не доставлено",
    re.IGNORECASE,
)

_TEMPORARY = re.compile(
    r"has been delayed|has not yet been delivered|will (?:keep trying|retry|continue to try|be "
    r"retried)|delivery attempts will continue|no action is required|transient non-fatal|"
    r"delivery incomplete|NOT an error|warning: could not send|DELAYED MAIL|will retry for|"
    r"this is a temporary|temporary problem|still trying|THIS IS A WARNING|will be retried until|"
    r"Delivery is delayed|hasn't been delivered yet|still being delivered|"
    r"попытки доставки будут продолжены|"
    r"временн\w+ (?:ошибк|проблем)",
    re.IGNORECASE,
)

_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(p, re.IGNORECASE))
    for name, p in (
        ("qmail", r"qmail-send program|^<[^>]+>:\n\S.* does not like recipient"),
        ("yahoo", r"yahoo|Sorry, we were unable to deliver your message"),
        ("courier", r"Courier mail server|UNDELIVERABLE MAIL|DELAYED MAIL"),
        ("sendmail", r"Transcript of session follows|fatal errors -----|non-fatal errors -----"),
        (
            "exchange",
            r"Delivery has failed to these recipients|Diagnostic information for admin"
            r"istrators|Remote Server returned|Generating server:",
        ),
        (
            "gmail",
            r"wasn't delivered to|Delivery incomplete|The response from the remote server"
            r"|googlemail|gsmtp",
        ),
        ("yandex", r"yandex|please do not reply to this e-?mail\.\s*\n\s*An error has occurred"),
        ("mailru", r"mail\.ru"),
        ("postfix", r"This is the mail system at host|Postfix program"),
        (
            "exim",
            r"following address\(es\) failed|has not yet been delivered to one or more"
            r"|Delay reason:|SMTP error from remote mail server",
        ),
        ("generic", r"created automatically by mail delivery software"),
    )
)

_ADDR_ALONE = re.compile(
    r"^[ \t]{0,8}<?(" + ADDRESS + r")>?(?:[ \t]+\((?:generated|expanded) from[^)]*\))?"
    r"(?:[ \t]+\(" + ADDRESS + r"\))?[ \t]*:?[ \t]*$"
)
_ADDR_INLINE = re.compile(
    r"^<?(" + ADDRESS + r")>?(?:[ \t]*\(expanded from <[^>]*>\))?:[ \t]+(\S.*)$"
)
_QMAIL_TAIL = re.compile(r"\s*Giving up on [\w.:\-]+\.?\s*$", re.IGNORECASE)
_TRANSCRIPT_CMD = re.compile(
    r"^>>> *(RCPT TO|MAIL FROM|DATA|\.|EHLO|HELO|STARTTLS|AUTH)", re.IGNORECASE
)
_CMD_STAGE = {
    "rcpt to": BounceStage.RCPT,
    "mail from": BounceStage.MAIL,
    "data": BounceStage.DATA,
    ".": BounceStage.AFTER_DATA,
    "ehlo": BounceStage.HELO,
    "helo": BounceStage.HELO,
    "starttls": BounceStage.STARTTLS,
    "auth": BounceStage.AUTH,
}

_SENTENCES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"wasn't delivered to (" + ADDRESS + r")",
        r"problem delivering your message to (" + ADDRESS + r")",
        r"Your message to (" + ADDRESS + r") has been blocked",
        r"Your message to (" + ADDRESS + r") couldn't be delivered",
        r"(?:could not|couldn't|cannot|can't) be delivered to (" + ADDRESS + r")",
        r"delivery to (?:the following recipient )?(" + ADDRESS + r") (?:failed|has been delayed)",
        r"(?:не удалось доставить|не доставлено)[^\n]{0,60}?(" + ADDRESS + r")",
    )
)
_RESPONSE = re.compile(
    r"The response (?:from the remote server )?was:\s*\n(.+?)(?:\n\s*\n|\Z)",
    re.IGNORECASE | re.DOTALL,
)


def cut_original(text: str) -> str:
    """The bounce's own words: everything before the returned original message."""
    m = ORIGINAL_MARKERS.search(text)
    return text[: m.start()] if m else text


def family_of(text: str) -> str | None:
    """Which MTA or provider wrote this bounce text, judged by its wording."""
    head = text[:20000]
    for name, pattern in _FAMILIES:
        if pattern.search(head):
            return name
    return None


_PERMANENT = re.compile(
    r"This is a permanent error|permanent fatal errors|failed permanently|I've given up|"
    r"not going to try again",
    re.IGNORECASE,
)


def looks_permanent(text: str) -> bool:
    """Does the notice say the sending server has given up (whatever the last reply was)?"""
    return bool(_PERMANENT.search(text[:20000]))


def with_hints(failures: list[RawFailure], text: str) -> list[RawFailure]:
    """Mark failures permanent when the notice says it gave up (qmail's final bounces)."""
    if not looks_permanent(text):
        return failures
    return [
        replace(f, permanent=True) if f.permanent is None and f.action is None else f
        for f in failures
    ]


def looks_temporary(text: str) -> bool:
    """Does the notice say delivery is still being tried (a delay warning)?"""
    return bool(_TEMPORARY.search(text[:20000]))


def _transcript_stage(text: str, reply: str) -> BounceStage | None:
    """In a Sendmail/Courier transcript, the command that drew `reply`."""
    lines = text.splitlines()
    head = reply[:20]
    for i, line in enumerate(lines):
        if line.startswith("<<<") and head and head in line:
            for prev in reversed(lines[:i]):
                m = _TRANSCRIPT_CMD.match(prev)
                if m:
                    return _CMD_STAGE.get(m.group(1).lower())
            return None
    return None


def _tidy(diag: str) -> str:
    """Drop the quoting a wrapper left around the server's words (', >', unbalanced ')')."""
    diag = diag.strip()
    while diag and diag[-1] in "'>)\"":
        if diag[-1] == ")" and diag.count("(") >= diag.count(")"):
            break
        if diag[-1] == ">" and diag.count("<") >= diag.count(">"):
            break
        diag = diag[:-1].rstrip()
    return diag


def _failure(address: str | None, body: str, whole: str) -> RawFailure:
    body = _QMAIL_TAIL.sub("", body.strip())
    code, _st, _at = find_reply(body)
    diag = reply_text(body) if code is not None else collapse(body)
    diag = _tidy(diag)
    stage = find_stage(body)
    if stage is None and code is not None:
        stage = _transcript_stage(whole, diag)
    return RawFailure(
        address=address,
        diagnostic=diag,
        status=best_status(diag) or best_status(body),
        reply_code=code,
        remote_mta=find_remote_mta(body),
        stage=stage,
    )


def _blocks(text: str) -> list[tuple[str, str]]:
    """(address, the lines that follow it) for every address-led block."""
    out: list[tuple[str, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _ADDR_INLINE.match(line)
        first = ""
        addr = None
        if m and not line.lstrip().lower().startswith(("from:", "to:")):
            addr, first = m.group(1), m.group(2)
        else:
            m2 = _ADDR_ALONE.match(line)
            if m2:
                addr = m2.group(1)
        if addr is None:
            i += 1
            continue
        body = [first] if first else []
        indent = len(line) - len(line.lstrip())
        j = i + 1
        while j < len(lines) and lines[j].strip() and len(body) < 40:
            nxt = lines[j]
            if _ADDR_INLINE.match(nxt) or (
                _ADDR_ALONE.match(nxt) and len(nxt) - len(nxt.lstrip()) <= indent
            ):
                break
            body.append(lines[j])
            j += 1
        if body:
            out.append((addr, "\n".join(body)))
        i = j
    return out


def _merge(failures: list[RawFailure]) -> list[RawFailure]:
    """One entry per address, preferring the block that carries the server's reply."""
    by: dict[str, RawFailure] = {}
    order: list[str] = []
    for f in failures:
        key = (f.address or "").lower()
        if key not in by:
            by[key] = f
            order.append(key)
        elif by[key].reply_code is None and f.reply_code is not None:
            by[key] = f
    return [by[k] for k in order]


def extract(text: str) -> list[RawFailure]:
    """The failed (or delayed) recipients this bounce text names, in order."""
    text = cut_original(text[:MAX_TEXT])
    found = [_failure(a, b, text) for a, b in _blocks(text)]
    found = [f for f in found if f.diagnostic]
    if found:
        return with_hints(_merge(found), text)
    for pattern in _SENTENCES:
        m = pattern.search(text)
        if m:
            resp = _RESPONSE.search(text, m.end())
            body = resp.group(1) if resp else _sentence_after(text, m.start())
            return with_hints([_failure(m.group(1), body, text)], text)
    return [f for f in (reply_failure(text),) if f is not None]


def _sentence_after(text: str, start: int) -> str:
    end = text.find("\n\n", start)
    return text[start : end if end > 0 else start + 500]


_REPLY_LINE = re.compile(
    r"^[ \t]*(?:<<< ?)?([245]\d\d)[ -].*(?:\n[ \t]*(?:<<< ?)?\1[ -].*)*", re.MULTILINE
)


def reply_failure(text: str) -> RawFailure | None:
    """A bare SMTP reply (possibly multi-line) somewhere in `text`, as one failure."""
    m = _REPLY_LINE.search(text[:MAX_TEXT])
    if m is None or m.group(1).startswith("2"):
        return None
    reply = m.group(0)
    addrs = ADDRESS_RE.findall(reply) or ADDRESS_RE.findall(text[:5000])
    uniq = list(dict.fromkeys(a.lower() for a in addrs))
    return RawFailure(
        address=uniq[0] if len(uniq) == 1 else None,
        diagnostic=collapse(reply),
        status=best_status(reply),
        reply_code=int(m.group(1)),
        remote_mta=find_remote_mta(text),
        stage=find_stage(text),
    )
