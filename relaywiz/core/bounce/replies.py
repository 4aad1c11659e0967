"""Reading the pieces of an SMTP reply out of free text: code, status, stage, remote host.

Every MTA words these differently ("in reply to RCPT TO command", "after RCPT
TO:<x>", "does not like recipient", "[RCPT_TO]", ">>> RCPT TO"); the parsers
share these helpers so that each one only has to find the reply itself.
"""

from __future__ import annotations

import re

from relaywiz.core.bounce.model import BounceStage

S = BounceStage

ADDRESS = (
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-\u0080-\uffff]+"
    r"@[A-Za-z0-9.\-\u0080-\uffff]+[A-Za-z0-9\u0080-\uffff]"
)
ADDRESS_RE = re.compile(ADDRESS)

_STATUS = r"[245]\.\d{1,3}\.\d{1,3}"
STATUS_RE = re.compile(r"(?<![\d.])(" + _STATUS + r")(?![\d]|\.\d)")
# a reply: 3 digits at the start of a line or after "said:", then space/dash/end
REPLY_RE = re.compile(
    r"(?:^|(?<=[\s:;'\"(<«]))([245]\d\d)(?:[ -]|$)(?:\s*#?\(?(" + _STATUS + r")\)?(?![\d.]))?",
    re.MULTILINE,
)
QMAIL_STATUS_RE = re.compile(r"\(#(" + _STATUS + r")\)")

_STAGES: tuple[tuple[tuple[str, ...], BounceStage], ...] = (
    (
        (
            "in reply to end of data",
            "after end of data",
            "after sending message",
            "after sending the message",
            "while sending end of data",
            "failed after i sent the message",
            "[body]",
            "[end_of_data]",
            ">>> . ",
            "after data body",
        ),
        S.AFTER_DATA,
    ),
    (
        (
            "in reply to rcpt to",
            "after rcpt to",
            "after pipelined rcpt to",
            "while sending rcpt to",
            "does not like recipient",
            "[rcpt_to]",
            ">>> rcpt to",
            "rejected rcpt",
            "recipient address rejected",
        ),
        S.RCPT,
    ),
    (
        (
            "in reply to mail from",
            "after mail from",
            "after pipelined mail from",
            "while sending mail from",
            "sender was rejected",
            "[mail_from]",
            ">>> mail from",
            "rejected mail ",
            "sender address rejected",
        ),
        S.MAIL,
    ),
    (
        (
            "in reply to data command",
            "after data:",
            "after data ",
            "while sending data",
            "sending data block",
            "[data]",
            ">>> data ",
        ),
        S.DATA,
    ),
    (
        (
            "in reply to starttls",
            "in reply to auth",
            "after starttls",
            "after auth",
            "tls is required",
        ),
        S.STARTTLS,
    ),
    (
        (
            "in reply to ehlo",
            "in reply to helo",
            "in reply to lhlo",
            "after ehlo",
            "after helo",
            "my name was rejected",
            "helo command rejected",
        ),
        S.HELO,
    ),
    (
        (
            "initial greeting",
            "initial server greeting",
            "refused to talk to me",
            "after initial connection",
            "greeting failed",
            "connect to ",
            "connection refused",
            "connection timed out",
            "couldn't connect",
            "unable to connect",
            "no route to host",
            "wasn't able to establish an smtp connection",
        ),
        S.CONNECT,
    ),
)


def find_stage(text: str) -> BounceStage | None:
    """The SMTP stage the text says the refusal came at, if it says (line folds ignored).

    When several are named, the latest stage in the dialogue wins (a filter that
    spoke after DATA outranks the RCPT it let through).
    """
    flat = " ".join(text[:4000].split()).lower() + " "
    for words, stage in _STAGES:
        if any(map(flat.__contains__, words)):
            return stage
    return None


def find_reply(text: str) -> tuple[int | None, str | None, int]:
    """(reply code, enhanced status, offset of the code) of the first reply in `text`."""
    m = REPLY_RE.search(text)
    if m is None:
        return None, None, -1
    return int(m.group(1)), m.group(2), m.start(1)


def find_status(text: str) -> str | None:
    """An RFC 3463 status anywhere in `text` (qmail's "(#5.1.1)" included)."""
    m = QMAIL_STATUS_RE.search(text)
    if m:
        return m.group(1)
    m = STATUS_RE.search(text)
    return m.group(1) if m else None


def best_status(text: str, *fallbacks: str | None) -> str | None:
    """The most specific status: the one in the reply text, else the first specific fallback.

    A reported x.0.0 (Exim's habit) loses to any specific code found elsewhere.
    """
    found = [s for s in (find_status(text), *fallbacks) if s]
    for s in found:
        if not s.endswith(".0.0"):
            return s
    return found[0] if found else None


# one pass: host and address (named h/ip) or host alone (named o), in order of preference
_HOST = re.compile(
    r"host (?P<h1>[\w.\-]+)\s?\[(?P<ip1>[\w.:]+)\]"
    r"|H=(?P<h2>[\w.\-]+) \[(?P<ip2>[\w.:]+)\]"
    r"|(?:connect to|conversation with|lost connection with) (?P<h3>[\w.\-]+)\[(?P<ip3>[\w.:]+)\]"
    r"|Remote Server at (?P<h4>[\w.\-]+) \((?P<ip4>[\w.:]+)\)"
    r"|while talking to (?P<o1>[\w.\-]+?)\.?:"
    r"|^(?P<o2>\d{1,3}(?:\.\d{1,3}){3}) (?:does not like|failed after)"
    r"|Connected to (?P<o3>\d{1,3}(?:\.\d{1,3}){3}) but"
    r"|<(?P<o4>[\w.\-]+\.[a-z]{2,}) #\d\.\d"
    r"|^[ \t]+(?P<h5>[\w.\-]+\.[a-z]{2,}) \[(?P<ip5>[\w.:]+)\]:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def find_remote_mta(text: str) -> str | None:
    """The remote server named in the text, as "host [ip]" or "host"."""
    m = _HOST.search(text)
    if m is None:
        return None
    for i in range(1, 6):
        host = m.group(f"h{i}")
        if host:
            return f"{host} [{m.group(f'ip{i}')}]"
    for i in range(1, 5):
        host = m.group(f"o{i}")
        if host:
            return host
    return None


_LEADS = re.compile(
    r"^(?:.*?\b(?:said|returned|responded|Remote host said|The response(?: from the remote server)?"
    r" was|reason)\s*:\s*|host [\w.\-]+ \[[\w.:]+\]:\s*|SMTP error from remote mail server after"
    r" [^:]*(?::<[^>]*>)?:\s*(?:host [\w.\-]+ \[[\w.:]+\]:\s*)?)",
    re.IGNORECASE | re.DOTALL,
)


def reply_text(text: str) -> str:
    """The server's own words inside a wrapper sentence ("host x said: 550 ..." -> "550 ...")."""
    code, _status, at = find_reply(text)
    if code is not None and at >= 0:
        out = text[at:]
    else:
        m = _LEADS.match(text)
        out = text[m.end() :] if m else text
    out = re.sub(r"\s*\(in reply to [^)]*\)\s*$", "", out.strip())
    return collapse(out)


def collapse(text: str) -> str:
    """One line: runs of whitespace (folded lines) become one space."""
    return " ".join(text.split())


def host_domain(mta: str | None) -> str:
    """The lower-cased host part of a "host [ip]" string, for provider matching."""
    return (mta or "").split(" ")[0].lower().rstrip(".")
