"""Pure judgement of one SMTP reply: which outcome it means at the stage it came.

The probe records what servers said; this module alone decides what that means,
so it can be tested on the replies real MTAs send (Postfix, Exim, qmail,
Sendmail, Exchange, Microsoft 365, Gmail, mail.ru) without a network. A reply
that matches nothing known is classified by its code class and enhanced status,
never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relaywiz.core.model import Outcome, Reply, Stage

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$|[.,;:)])")


_UNPRINTABLE = {c: "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (9, 10)}


def printable(text: str) -> str:
    """Server text made safe to store and print: bytes that were not UTF-8 (kept by
    aiosmtplib as surrogates), NUL and other control characters (terminal escapes)
    become U+FFFD; newlines and tabs stay."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no undecodable byte stands for
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace").translate(_UNPRINTABLE)


def parse_reply(code: int, text: str) -> Reply:
    """A Reply from a code and the reply text (lines joined by newlines, codes stripped).

    The enhanced status code (RFC 3463) is taken from the first line when its
    class agrees with the reply code's class.
    """
    clean = text.replace("\r", "").strip("\n")
    enhanced: str | None = None
    first = clean.split("\n", 1)[0]
    m = _ENHANCED.match(first)
    if m and str(code)[:1] == m.group(1):
        enhanced = ".".join(m.groups())
    return Reply(code=code, enhanced=enhanced, text=clean)


@dataclass(frozen=True)
class Verdict:
    """An outcome and a short machine reason (e.g. "relay", "blocklisted", "helo")."""

    outcome: Outcome
    reason: str


def _has(text: str, *needles: str) -> bool:
    return any(n in text for n in needles)


_RELAY = (
    "relay access denied",
    "relaying denied",
    "relay not permitted",
    "relaying not permitted",
    "relay not allowed",
    "relaying not allowed",
    "relaying is not allowed",
    "relaying disallowed",
    "we do not relay",
    "no relaying",
    "in my list of allowed rcpthosts",
    "unable to relay",
    "relay denied",
    "relaying prohibited",
    "tenantattribution",
    "not permitted to relay",
    "ретрансляция запрещена",
)
_TLS_REQUIRED = (
    "must issue a starttls",
    "starttls first",
    "encryption required",
    "must use tls",
    "tls required",
    "requires tls",
    "secure connection required",
    "please use starttls",
    "must issue starttls",
)
_AUTH_REQUIRED = (
    "authentication required",
    "authentication is required",
    "auth required",
    "client was not authenticated",
    "client not authenticated",
    "not authenticated",
    "login required",
    "please authenticate",
    "smtp authentication is required",
    "you must authenticate",
    "authentication needed",
)
_SENDER = (
    "sender address rejected",
    "not owned by user",
    "not local sender",
    "sender not allowed",
    "sender rejected",
    "sender verify failed",
    "sender is not allowed",
    "send as permission",
    "sendasdenied",
    "from: header must match",
    "must match user",
    "invalid headers",
    "not authorized to send as",
)
_BLOCKLIST = (
    "blocked using",
    "listed at",
    "listed in",
    "blacklist",
    "blocklist",
    "dnsbl",
    "spamhaus",
    "spamcop",
    "barracuda",
    "client host rejected",
    "poor reputation",
    "ip is on",
    "your ip",
    "access denied",
)
_GREYLIST = ("greylist", "graylist", "grey-list", "gray-list", "try again later", "please retry")
_USER_UNKNOWN = (
    "user unknown",
    "unknown user",
    "no such user",
    "mailbox unavailable",
    "does not exist",
    "recipient address rejected",
    "address rejected",
    "unrouteable address",
    "no mailbox",
    "invalid recipient",
)
_HELO = (
    "helo command rejected",
    "ehlo command rejected",
    "fully-qualified",
    "invalid helo",
    "helo name",
    "bad helo",
)
_AUTH_FAILED = (
    "authentication failed",
    "authentication unsuccessful",
    "username and password not accepted",
    "invalid credentials",
    "auth failed",
    "bad username or password",
    "incorrect authentication data",
    "application-specific password required",
    "web login required",
    "basic authentication is disabled",
)


def classify(stage: Stage, reply: Reply) -> Verdict:
    """The outcome a reply means at `stage`; `ok` only for a positive reply where one counts."""
    text = reply.text.lower()
    code = reply.code
    enh = reply.enhanced or ""

    if stage is Stage.BANNER:
        if code == 220:
            return Verdict(Outcome.OK, "")
        if code == 554 or code >= 500:
            reason = "blocklisted" if _has(text, *_BLOCKLIST) or code == 554 else "refused"
            return Verdict(Outcome.REJECTED_AT_BANNER, reason)
        if 400 <= code < 500:
            return Verdict(Outcome.REJECTED_AT_BANNER, "busy")
        return Verdict(Outcome.PROTOCOL_ERROR, "bad_banner")

    if 200 <= code < 400:
        return Verdict(Outcome.OK, "")

    if code == 421:
        return Verdict(Outcome.TEMPORARY_FAILURE, "closing")

    if stage in (Stage.EHLO,):
        if _has(text, *_HELO) or code == 504:
            return Verdict(Outcome.PROTOCOL_ERROR, "helo_rejected")
        if _has(text, *_BLOCKLIST):
            return Verdict(Outcome.REJECTED_AT_BANNER, "blocklisted")
        if 400 <= code < 500:
            return Verdict(Outcome.TEMPORARY_FAILURE, "ehlo")
        return Verdict(Outcome.PROTOCOL_ERROR, "ehlo")

    if stage is Stage.STARTTLS and (400 <= code < 500 or code >= 500):
        return Verdict(Outcome.TLS_ERROR, "starttls_refused")

    if stage is Stage.AUTH:
        return _classify_auth(code, enh, text)

    # MAIL, RCPT, RSET, DATA: policy decisions
    if (
        _has(text, *_TLS_REQUIRED)
        or enh in ("5.7.10", "5.7.11")
        or (code == 530 and "starttls" in text)
    ):
        return Verdict(Outcome.TLS_REQUIRED, "tls")
    if _has(text, *_RELAY) or enh in ("5.7.54", "5.7.64"):
        return Verdict(Outcome.RELAY_DENIED, "relay")
    if _has(text, *_AUTH_REQUIRED) or code == 530 or enh == "5.7.57":
        return Verdict(Outcome.AUTH_REQUIRED, "auth")
    if _has(text, *_HELO):
        return Verdict(Outcome.PROTOCOL_ERROR, "helo_rejected")
    if 400 <= code < 500:
        policy_defer = enh in ("4.7.1", "4.2.0", "4.7.0") and code in (450, 451)
        if _has(text, *_GREYLIST) or (policy_defer and not _has(text, *_BLOCKLIST)):
            return Verdict(Outcome.GREYLISTED, "greylist")
        if code == 452 and stage is Stage.RCPT_OTHER and "too many" in text:
            return Verdict(Outcome.TEMPORARY_FAILURE, "rate")
        return Verdict(Outcome.TEMPORARY_FAILURE, "temporary")
    if stage is Stage.MAIL or _has(text, *_SENDER) or enh in ("5.1.7", "5.1.8", "5.7.60"):
        if code in (500, 501, 502, 503) and not (_has(text, *_SENDER) or enh.startswith("5.1.")):
            return Verdict(Outcome.PROTOCOL_ERROR, "syntax")
        if _has(text, *_BLOCKLIST) and not _has(text, *_SENDER):
            return Verdict(Outcome.SENDER_REJECTED, "blocklisted")
        return Verdict(Outcome.SENDER_REJECTED, "sender")
    if code in (500, 501, 502, 503):
        return Verdict(Outcome.PROTOCOL_ERROR, "syntax")
    if _has(text, *_BLOCKLIST) or (enh == "5.7.1" and "block" in text):
        return Verdict(Outcome.RECIPIENT_REJECTED, "blocklisted")
    if _has(text, *_USER_UNKNOWN) or enh.startswith("5.1."):
        return Verdict(Outcome.RECIPIENT_REJECTED, "recipient")
    return Verdict(Outcome.RECIPIENT_REJECTED, "policy")


def _classify_auth(code: int, enh: str, text: str) -> Verdict:
    if _has(text, *_TLS_REQUIRED) or code == 538 or enh in ("5.7.11",):
        return Verdict(Outcome.TLS_REQUIRED, "tls")
    if code in (504,) or "unrecognized authentication type" in text or "not supported" in text:
        return Verdict(Outcome.AUTH_UNAVAILABLE, "mechanism")
    if code == 503 and "already" not in text:
        return Verdict(Outcome.AUTH_UNAVAILABLE, "not_offered")
    if code == 534 or enh in ("5.7.9", "5.7.14"):
        return Verdict(Outcome.AUTH_FAILED, "app_password_or_web_login")
    if code == 535 or enh == "5.7.8" or _has(text, *_AUTH_FAILED):
        return Verdict(Outcome.AUTH_FAILED, "credentials")
    if 400 <= code < 500:
        return Verdict(Outcome.TEMPORARY_FAILURE, "auth_temporary")
    return Verdict(Outcome.AUTH_FAILED, "auth")
