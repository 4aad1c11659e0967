"""Header rules: From in the sender's own domain, and a valid Date, Message-ID, To, Subject.

Free-mail providers (Gmail, Yahoo, Outlook, mail.ru ...) publish strict DMARC
policies, so a From in their domains only passes when their own servers send it.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from relaywiz.core.checks.orgdomain import org_domain
from relaywiz.core.lint.model import LintResult, LintStatus
from relaywiz.core.lint.view import MessageView

OK, WARN, PROBLEM = LintStatus.OK, LintStatus.WARNING, LintStatus.PROBLEM

FREEMAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "yahoo.de",
        "ymail.com",
        "rocketmail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "mail.ru",
        "bk.ru",
        "inbox.ru",
        "list.ru",
        "yandex.ru",
        "yandex.com",
        "ya.ru",
        "rambler.ru",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "proton.me",
        "protonmail.com",
        "zoho.com",
        "mail.com",
        "qq.com",
        "163.com",
        "126.com",
        "laposte.net",
        "orange.fr",
        "free.fr",
        "libero.it",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "onet.pl",
        "interia.pl",
        "naver.com",
        "rediffmail.com",
    ]
)

_MSGID = re.compile(r"^<[^<>@\s]+@[^<>@\s]+>$")
_ADDR = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].strip(" >").rstrip(".").lower() or None


def _org(domain: str) -> str:
    return org_domain(domain)


def dkim_domains(v: MessageView) -> list[str]:
    """The d= domains of the message's DKIM-Signature headers."""
    out = []
    for header in v.msg.get_all("DKIM-Signature") or []:
        match = re.search(r"(?:^|;)\s*d\s*=\s*([^;\s]+)", str(header))
        if match:
            out.append(match.group(1).lower().rstrip("."))
    return out


def from_domain(v: MessageView) -> LintResult:
    why = (
        "Receivers check that the From domain is the one that sent and signed the mail (DMARC). "
        "Free-mail providers publish strict DMARC policies: a From at gmail.com, yahoo.com or "
        "mail.ru sent through any other server is rejected or junked."
    )
    values = v.msg.get_all("From") or []
    addresses = [a for _n, a in getaddresses([str(x) for x in values]) if a]
    if not addresses:
        return LintResult(
            "from-domain",
            PROBLEM,
            "no From address",
            why,
            "Set From to an address in your own domain, e.g. news@yourdomain.example.",
        )
    if len(values) > 1 or len(addresses) > 1:
        return LintResult(
            "from-domain",
            PROBLEM,
            f"{len(addresses)} From addresses",
            why,
            "Use exactly one From address.",
        )
    domain = _domain(addresses[0])
    if domain is None or not _ADDR.match(addresses[0]):
        return LintResult(
            "from-domain",
            PROBLEM,
            f"From address {addresses[0]!r} is not valid",
            why,
            "Use a complete address (name@domain).",
        )
    signers = dkim_domains(v)
    if domain in FREEMAIL:
        if any(_org(s) == _org(domain) for s in signers):
            return LintResult(
                "from-domain", OK, f"From is at {domain}, signed by {domain} itself", why
            )
        status = PROBLEM if signers else WARN
        found = f"From is at the free-mail domain {domain}" + (
            f" but the message is signed by {', '.join(signers)}" if signers else ""
        )
        return LintResult(
            "from-domain",
            status,
            found,
            why,
            f"Send from an address in your own domain, or send only through {domain}'s own "
            "servers.",
        )
    envelope = _domain(parseaddr(str(v.msg.get("Return-Path", "")))[1])
    others = [d for d in [*signers, envelope] if d]
    if others and not any(_org(d) == _org(domain) for d in others):
        return LintResult(
            "from-domain",
            WARN,
            f"From is at {domain}, but the message is signed / bounced by {', '.join(others)}",
            why,
            f"Sign with d={domain} (DKIM) or use a Return-Path in {domain}, so DMARC aligns.",
        )
    return LintResult("from-domain", OK, f"From is at {domain}", why)


def date(v: MessageView) -> LintResult:
    why = (
        "Date is required (RFC 5322); a missing, malformed or far-off date is a spam signal, "
        "and some servers refuse the message."
    )
    value = v.header("Date")
    if not value:
        return LintResult(
            "date", PROBLEM, "no Date header", why, "Let the mail program or server add Date."
        )
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return LintResult(
            "date",
            PROBLEM,
            f"Date {value!r} cannot be read",
            why,
            "Use the RFC 5322 form, e.g. 'Sat, 28 Nov 2026 09:30:00 +0100'.",
        )
    if when.tzinfo is None:
        return LintResult(
            "date",
            WARN,
            f"Date {value!r} has no time zone",
            why,
            "Include the zone offset, e.g. +0000.",
        )
    received = _latest_received(v)
    if received is not None and (when - received).total_seconds() > 3600:
        return LintResult(
            "date",
            WARN,
            f"Date {value} is later than the message was received",
            why,
            "Set the sending machine's clock right (use NTP).",
        )
    return LintResult("date", OK, f"Date {value}", why)


def _latest_received(v: MessageView) -> datetime | None:
    for header in v.msg.get_all("Received") or []:
        _head, sep, stamp = str(header).rpartition(";")
        if sep:
            try:
                return parsedate_to_datetime(" ".join(stamp.split()))
            except (TypeError, ValueError, IndexError):
                return None
    return None


def message_id(v: MessageView) -> LintResult:
    why = (
        "Gmail and others refuse or junk mail without a valid Message-ID "
        "(<unique-part@domain>); it also lets replies and duplicates be tracked."
    )
    value = v.header("Message-ID")
    if not value:
        return LintResult(
            "message-id",
            PROBLEM,
            "no Message-ID header",
            why,
            "Let the sending server add one (Postfix: always_add_missing_headers = yes).",
        )
    if not _MSGID.match(value):
        return LintResult(
            "message-id",
            PROBLEM,
            f"Message-ID {value!r} is not of the form <id@domain>",
            why,
            "Generate it as <unique-part@your-domain>.",
        )
    right = value.strip("<>").rsplit("@", 1)[1].lower()
    if right in ("localhost", "localhost.localdomain") or "." not in right:
        return LintResult(
            "message-id",
            WARN,
            f"Message-ID {value} names no real domain",
            why,
            "Use your domain on the right of the @.",
        )
    return LintResult("message-id", OK, f"Message-ID {value}", why)


def recipients(v: MessageView) -> LintResult:
    why = (
        "Mail with no To (only Bcc, 'undisclosed-recipients') or with malformed recipient "
        "addresses is typical of spam runs."
    )
    to = v.header("To")
    cc = v.header("Cc")
    if not to and not cc:
        return LintResult(
            "to", WARN, "no To or Cc header", why, "Address the mail to its recipient in To."
        )
    pairs = getaddresses([x for x in (to, cc) if x])
    addrs = [a for _n, a in pairs if a]
    if not addrs:
        return LintResult(
            "to",
            WARN,
            f"To is {to!r}: no visible recipient",
            why,
            "Send to each recipient individually, with their address in To.",
        )
    bad = [a for a in addrs if not _ADDR.match(a)]
    if bad:
        return LintResult(
            "to",
            PROBLEM,
            f"malformed recipient address(es): {', '.join(bad[:3])}",
            why,
            "Fix the addresses (name@domain).",
        )
    return LintResult("to", OK, f"{len(addrs)} recipient(s) in To/Cc", why)


def subject(v: MessageView) -> LintResult:
    why = "An empty, shouting or punctuation-heavy subject is among the oldest spam signals."
    value = v.header("Subject")
    if not value:
        return LintResult("subject", WARN, "no Subject", why, "Give the message a subject.")
    letters = [c for c in value if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if len(letters) >= 10 and upper / len(letters) > 0.7:
        return LintResult(
            "subject",
            WARN,
            f"Subject is mostly capitals: {value!r}",
            why,
            "Write the subject in normal case.",
        )
    if value.count("!") >= 3 or "$$" in value:
        return LintResult(
            "subject",
            WARN,
            f"Subject {value!r} is heavy on '!' or '$'",
            why,
            "Drop the extra punctuation.",
        )
    return LintResult("subject", OK, f"Subject {value!r}", why)


def encoding(v: MessageView) -> LintResult:
    why = (
        "Text that is only readable after base64 decoding, or 8-bit text with no charset, is "
        "how spam hides words from filters; filters score it."
    )
    text_parts = [p for p in v.parts if p.content_type.startswith("text/") and not p.attachment]
    b64 = [p for p in text_parts if p.encoding == "base64"]
    ascii_b64 = [p for p in b64 if p.text is not None and p.text.isascii()]
    no_charset = [p for p in text_parts if p.eight_bit_raw and not p.charset]
    raw_headers = [k for k, val in v.msg.items() if not str(val).isascii()]
    if no_charset:
        return LintResult(
            "encoding",
            WARN,
            "8-bit text without a declared charset",
            why,
            "Declare the charset (Content-Type: text/plain; charset=utf-8).",
        )
    if raw_headers:
        return LintResult(
            "encoding",
            WARN,
            f"unencoded 8-bit header(s): {', '.join(raw_headers[:3])}",
            why,
            "Encode non-ASCII header text (RFC 2047), which mail libraries do by default.",
        )
    if text_parts and len(b64) == len(text_parts) and ascii_b64:
        return LintResult(
            "encoding",
            WARN,
            "all text is base64-encoded although it is plain ASCII",
            why,
            "Send text as 7bit or quoted-printable.",
        )
    if not v.msg.get("MIME-Version") and v.msg.get_content_maintype() == "multipart":
        return LintResult(
            "encoding",
            WARN,
            "multipart message without MIME-Version",
            why,
            "Add 'MIME-Version: 1.0'.",
        )
    return LintResult("encoding", OK, "text encodings are sane", why)
