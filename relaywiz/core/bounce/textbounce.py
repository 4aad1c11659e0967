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
from functools import lru_cache

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
WINDOW = 6000  # a notice's own wording (intro, recipients, delay note) sits at its top


@lru_cache(maxsize=16)
def lowered(text: str) -> str:
    """`text.lower()`, remembered: several checks read the same notice."""
    return text.lower()


# where the returned original starts: a line made of optional dashes and one of these
ORIGINAL_MARKERS: tuple[str, ...] = (
    "this is a copy of the message",
    "this is a copy of your message",
    "below this line is a copy",
    "original message",
    "message header follows",
    "returned message",
    "returned mail",
    "returned content",
    "исходное сообщение",
    "оригинальное сообщение",
    "заголовки исходного",
    "content-type: message/rfc822",
    "content-type: text/rfc822-headers",
    "unsent message below",
    "below is a copy of the original message",
    "forwarded message from the original",
)


class Keywords:
    """Case-insensitive literal phrases (plus an optional regex): far cheaper than one big regex."""

    def __init__(self, *words: str, pattern: str | None = None) -> None:
        self.words = tuple(w.lower() for w in words)
        self.regex = re.compile(pattern, re.IGNORECASE) if pattern else None

    def search(self, text: str) -> bool:
        """Does any phrase occur in `text`?"""
        return self.search_lower(lowered(text), text)

    def search_lower(self, low: str, text: str | None = None) -> bool:
        """The same, for text already lower-cased (`text`: the original, for the regex)."""
        if any(map(low.__contains__, self.words)):
            return True
        return bool(self.regex and self.regex.search(text if text is not None else low))


BOUNCE_MARKERS = Keywords(
    "This is the mail system at host",
    "could not be delivered to one or more",
    "created automatically by mail delivery software",
    "qmail-send program",
    "wasn't able to deliver your message",
    "had permanent fatal errors",
    "transient non-fatal errors",
    "Transcript of session follows",
    "Delivery has failed to these recipients",
    "couldn't be delivered",
    "wasn't delivered to",
    "Delivery incomplete",
    "unable to deliver your message",
    "UNDELIVERABLE MAIL",
    "DELAYED MAIL",
    "Courier mail server",
    "Delivery Status Notification",
    "Message not delivered",
    "has not yet been delivered",
    "Delivery to the following recipient",
    "Diagnostic information for administrators",
    "Remote host said",
    "Remote server returned",
    "The response was:",
    "The response from the remote server was:",
    "Final-Recipient:",
    "An error has occurred while attempting to deliver",
    "MAILER-DAEMON",
    "returned to sender",
    "Undelivered Mail",
    "Mail delivery failed",
    "SMTP error from remote",
    "does not like recipient",
    "Sorry, no mailbox here",
    "недоставлен",
    "не удалось доставить",
    "не может быть доставлено",
    "не было доставлено",
    "письмо не доставлено",
    "сообщение не доставлено",
    pattern=r"host \S+ said:",
)

_TEMPORARY = Keywords(
    "has been delayed",
    "has not yet been delivered",
    "will keep trying",
    "will retry",
    "will continue to try",
    "will be retried",
    "delivery attempts will continue",
    "no action is required",
    "transient non-fatal",
    "delivery incomplete",
    "NOT an error",
    "warning: could not send",
    "DELAYED MAIL",
    "this is a temporary",
    "temporary problem",
    "still trying",
    "THIS IS A WARNING",
    "Delivery is delayed",
    "hasn't been delivered yet",
    "still being delivered",
    "попытки доставки будут продолжены",
    "временная ошибка",
    "временные проблемы",
)

_FAMILIES: tuple[tuple[str, Keywords], ...] = (
    ("qmail", Keywords("qmail-send program")),
    ("yahoo", Keywords("Sorry, we were unable to deliver your message")),
    ("courier", Keywords("Courier mail server", "UNDELIVERABLE MAIL", "DELAYED MAIL")),
    ("sendmail", Keywords("Transcript of session follows", "fatal errors -----")),
    (
        "exchange",
        Keywords(
            "Delivery has failed to these recipients",
            "Generating server:",
            "Diagnostic information for administrators",
            "Remote Server returned",
        ),
    ),
    (
        "gmail",
        Keywords(
            "wasn't delivered to", "Delivery incomplete", "The response from the remote server"
        ),
    ),
    ("yandex", Keywords("This is the MAILER-DAEMON, please do not reply")),
    ("mailru", Keywords("сервером Mail.Ru")),
    ("postfix", Keywords("This is the mail system at host", "Postfix program")),
    (
        "exim",
        Keywords(
            "following address(es) failed",
            "has not yet been delivered to one or more",
            "Delay reason:",
            "SMTP error from remote mail server",
        ),
    ),
    ("generic", Keywords("created automatically by mail delivery software")),
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


@lru_cache(maxsize=32)
def cut_original(text: str) -> str:
    """The bounce's own words: everything before the returned original message."""
    low = lowered(text)
    best = len(text)
    for marker in ORIGINAL_MARKERS:
        at = low.find(marker)
        while 0 <= at < best:
            line_start = low.rfind("\n", 0, at) + 1
            if not low[line_start:at].strip(" \t-"):
                best = at if line_start == at else line_start
                break
            at = low.find(marker, at + 1)
    return text[:best]


def family_of(text: str) -> str | None:
    """Which MTA or provider wrote this bounce text, judged by its wording."""
    low = lowered(text[:3000])
    for name, words in _FAMILIES:
        if words.search_lower(low):
            return name
    return None


_PERMANENT = Keywords(
    "This is a permanent error",
    "permanent fatal errors",
    "failed permanently",
    "I've given up",
    "not going to try again",
)


def looks_permanent(text: str) -> bool:
    """Does the notice say the sending server has given up (whatever the last reply was)?"""
    return _PERMANENT.search_lower(lowered(text[:WINDOW]))


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
    return _TEMPORARY.search_lower(lowered(text[:WINDOW]))


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
    body = body.strip()
    if "iving up on" in body:
        body = _QMAIL_TAIL.sub("", body)
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
        if "@" not in line:
            i += 1
            continue
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
