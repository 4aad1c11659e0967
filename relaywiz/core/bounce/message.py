"""Whole messages: DSNs, non-standard bounces, forwarded bounces, and what is not a bounce.

The standard library parses the message once; this module decides what it is
(multipart/report DSN, a bounce by its sender, subject or wording, an auto-reply,
a feedback report, an ordinary message) and hands the right part to the right
parser. Parts inside a returned message (message/rfc822, text/rfc822-headers)
are never read for the reason: they are the original, not the bounce.
"""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import replace
from email.header import decode_header, make_header
from email.message import Message

from relaywiz.core.bounce import dsn, textbounce
from relaywiz.core.bounce.judge import judge, summary_category
from relaywiz.core.bounce.model import (
    Category,
    Explanation,
    Kind,
    RawFailure,
)
from relaywiz.core.bounce.remedies import provider_of
from relaywiz.core.bounce.replies import ADDRESS_RE, collapse, find_stage

MAX_DEPTH = 100
WINDOW = textbounce.WINDOW
MAX_PART_TEXT = 1_000_000
_ORIGINAL_TYPES = frozenset(
    {
        "message/rfc822",
        "text/rfc822-headers",
        "message/global",
        "message/global-headers",
        "message/partial",
    }
)
_DSN_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})

_DAEMON_LOCAL = re.compile(
    r"^(?:mailer-?daemon|postmaster|mail-?daemon|mdaemon|"
    r"microsoftexchange[0-9a-f]*|bounces?|noreply-dsn)$",
    re.I,
)
_DAEMON_NAME = re.compile(
    r"mail delivery|mailer.daemon|postmaster|delivery subsystem|"
    r"mail system|почтов\w+ (?:служб|систем)|систем\w+ доставки",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|non[- ]?delivery|delivery (?:status notification|failure|failed|"
    r"has failed|problem|delayed|incomplete|report|notification)|mail delivery failed|"
    r"returned mail|failure notice|could not (?:be )?deliver|message not delivered|"
    r"delayed mail|warning: (?:message|could not)|mail system error|returning message to sender|"
    r"недоставлен|не доставлен|не удалось доставить|ошибка доставки|возврат письма",
    re.I,
)
_SUCCESS_SUBJECT = re.compile(r"^\s*(?:delivered|relayed|доставлено)\s*:", re.I)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort)|out of (?:the )?office|autoreply|"
    r"auto:|vacation|автоответ|автоматический ответ|abwesenheit|absence|réponse automatique|"
    r"i am (?:currently )?out of|away from)",
    re.I,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|пересл|tr|wg)\s*:", re.I)
_TAG = re.compile(r"<[^>]*>")
_QUOTE = re.compile(r"^(?:[ \t]*>[ \t]?)+", re.M)


def header_map(msg: Message) -> dict[str, str]:
    """Lower-cased header name -> first raw value, in one pass (Message.get rescans each time)."""
    out: dict[str, str] = {}
    for name, value in msg.raw_items():
        out.setdefault(name.lower(), value if isinstance(value, str) else str(value))
    return out


def _clean(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable 8-bit bytes the parser kept as surrogates
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def header_text(msg: Message | dict[str, str], name: str) -> str:
    """A header decoded from RFC 2047, never raising on broken encodings."""
    value = msg.get(name.lower()) if isinstance(msg, dict) else msg.get(name)
    if value is None:
        return ""
    value = _clean(str(value))
    if "=?" not in str(value):  # nothing encoded: the common case, skip the decoder
        return " ".join(str(value).split())
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # malformed encoded-words: show them as they are
        return str(value)


_PARAM = re.compile(r';\s*([\w.-]+)\s*=\s*(?:"([^"]*)"|([^\s;]+))')


def content_type(part: Message, raw: str | None = None) -> str:
    """The part's MIME type, lower-cased (text/plain when missing or malformed), cheaply."""
    if raw is None:
        raw = part.get("content-type")
    if raw is None:
        return "text/plain"
    ctype = str(raw).split(";", 1)[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


def content_param(part: Message, name: str, raw: str | None = None) -> str | None:
    """One Content-Type parameter (charset, report-type), lower-cased; no RFC 2231 decoding."""
    if raw is None:
        raw = part.get("content-type")
    if raw is None:
        return None
    for m in _PARAM.finditer(str(raw)):
        if m.group(1).lower() == name:
            return (m.group(2) if m.group(2) is not None else m.group(3)).lower()
    return None


def part_text(part: Message, ctype: str = "text/plain", raw_ct: str | None = None) -> str:
    """The decoded text of one leaf part (HTML reduced to text), bounded in size."""
    try:
        raw = part.get_payload(decode=True)
    except Exception:
        raw = None
    if not isinstance(raw, bytes):
        payload = part.get_payload()
        return payload[:MAX_PART_TEXT] if isinstance(payload, str) else ""
    raw = raw[:MAX_PART_TEXT]
    charset = content_param(part, "charset", raw_ct) or "utf-8"
    if charset.replace("-", "").startswith(("utf16", "utf32")) and b"\x00" not in raw[:2000]:
        charset = "utf-8"  # declared 16/32-bit, but the bytes are plainly 8-bit
    try:
        text = raw.decode(charset, "replace")
    except (LookupError, ValueError):
        text = raw.decode("utf-8", "replace")
    if ctype == "text/html":
        text = re.sub(r"(?i)(?:<br\s*/?>|</p>|</div>|</tr>)[ \t]*\r?\n?", "\n", text)
        text = (
            _TAG.sub("", text)
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", '"')
        )
    return text


Part = tuple[Message, str, str | None]  # a part, its type and raw Content-Type, read once


def walk(msg: Message, *, into_attached: bool = False) -> Iterator[Part]:
    """Every (part, type, raw type), depth-first, iteratively, skipping returned originals."""
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        raw_ct = None
        for name, value in part.raw_items():
            if name.lower() == "content-type":
                raw_ct = value
                break
        ctype = content_type(part, "" if raw_ct is None else str(raw_ct))
        yield part, ctype, None if raw_ct is None else str(raw_ct)
        if depth >= MAX_DEPTH:
            continue
        if ctype in _ORIGINAL_TYPES and not into_attached:
            continue
        payload = (
            part.get_payload() if part.is_multipart() or ctype.startswith("message/") else None
        )
        if isinstance(payload, list):
            for child in reversed(payload):
                if isinstance(child, Message):
                    stack.append((child, depth + 1))


def _texts(parts: list[Part]) -> str:
    """The readable text: the text/plain parts, else the first HTML part reduced to text."""
    plain: list[str] = []
    size = 0
    html: Part | None = None
    for part, ctype, raw_ct in parts:
        if ctype == "text/plain":
            plain.append(part_text(part, ctype, raw_ct))
            size += len(plain[-1])
            if size > MAX_PART_TEXT:
                break
        elif ctype == "text/html" and html is None:
            html = (part, ctype, raw_ct)
    if plain or html is None:
        return "\n\n".join(plain)
    return part_text(*html)


def _sender(msg: Message | dict[str, str]) -> tuple[str, str]:
    raw = header_text(msg, "From")
    name, _, rest = raw.partition("<")
    m = ADDRESS_RE.search(rest or raw)
    return name.strip(' "'), (m.group(0) if m else raw.strip())


def _from_daemon(sender: tuple[str, str]) -> bool:
    name, addr = sender
    local = addr.partition("@")[0]
    return bool(_DAEMON_LOCAL.match(local) or _DAEMON_NAME.search(name))


def is_auto_reply(msg: Message | dict[str, str], subject: str) -> bool:
    """Out-of-office and other automatic answers, by their headers or subject."""
    if not isinstance(msg, dict):
        msg = header_map(msg)
    auto = (msg.get("auto-submitted") or "").strip().lower()
    if auto and auto != "no":
        return True
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response", "X-Vacation"):
        if msg.get(name.lower()) is not None:
            return True
    if (msg.get("precedence") or "").strip().lower() == "auto_reply":
        return True
    return bool(_AUTO_SUBJECT.search(subject))


_ORIGINAL_PART = (
    b"content-type: message/rfc822",
    b"content-type: text/rfc822-headers",
    b"content-type: message/global",
    b"content-type:message/rfc822",
)
_SCAN = 2_000_000


def without_original(data: bytes) -> bytes | None:
    """The message cut just before a returned-original MIME part, or None if it has none.

    The original is never read for the reason, so it need not be parsed at all:
    for a bounce that returns a large message this is most of the parsing work.
    """
    low = data[:_SCAN].lower()
    found = [i for i in (low.find(m) for m in _ORIGINAL_PART) if i > 0]
    if not found:
        return None
    at = min(found)
    line = low.rfind(b"\n", 0, at) + 1
    while line > 1:  # back through this part's header lines to its boundary line
        start = low.rfind(b"\n", 0, line - 1) + 1
        text = low[start : line - 1].rstrip(b"\r")
        if text.startswith(b"--"):
            return data[:start]
        if not text.strip():
            return None  # a blank line first: the marker was body text, not a part header
        line = start
    return None


def explain_message(data: bytes) -> Explanation:
    """The explanation of one RFC 5322 message (a bounce or not)."""
    head = without_original(data)
    if head is not None:
        quick = explain_parsed(email.message_from_bytes(head), depth=0)
        if quick.kind is Kind.BOUNCE or quick.category is not Category.NOT_A_BOUNCE:
            return quick
        # perhaps a forwarded bounce inside the attached message: read it all
    msg = email.message_from_bytes(data)
    return explain_parsed(msg, depth=0)


def _provider_family(sender: tuple[str, str]) -> str | None:
    _name, addr = sender
    provider = provider_of(addr.partition("@")[2])
    return {
        "microsoft": "exchange",
        "mailru": "mailru",
        "yandex": "yandex",
        "gmail": "gmail",
        "yahoo": "yahoo",
    }.get(provider or "")


def explain_parsed(msg: Message, depth: int) -> Explanation:
    """Explain an already parsed message; `depth` > 0 for a forwarded one inside another."""
    headers = header_map(msg)
    subject = header_text(headers, "Subject")
    parts = list(walk(msg))
    ctype = parts[0][1]
    report = (
        (content_param(msg, "report-type", parts[0][2]) or "")
        if ctype == "multipart/report"
        else ""
    )
    if report == "feedback-report" or any(t == "message/feedback-report" for _p, t, _r in parts):
        return Explanation(
            Kind.NOT_A_BOUNCE,
            Category.FEEDBACK_REPORT,
            (),
            subject=subject,
            note="an abuse/feedback report (ARF) about a message you sent",
        )
    if report == "disposition-notification":
        return Explanation(
            Kind.NOT_A_BOUNCE,
            Category.NOT_A_BOUNCE,
            (),
            subject=subject,
            note="a read receipt (message disposition notification)",
        )
    sender = _sender(headers)
    dsn_parts = [p for p, t, _r in parts if t in _DSN_TYPES]
    if dsn_parts:
        return _from_dsn(msg, dsn_parts[0], subject, parts, sender)
    text = _texts(parts)
    daemon = _from_daemon(sender)
    bounce_subject = bool(_BOUNCE_SUBJECT.search(subject))
    markers = bool(textbounce.BOUNCE_MARKERS.search(textbounce.cut_original(text)[:WINDOW]))
    failed_hdr = header_text(headers, "X-Failed-Recipients")
    if daemon and _SUCCESS_SUBJECT.search(subject):
        return Explanation(
            Kind.NOT_A_BOUNCE,
            Category.DELIVERED,
            (),
            subject=subject,
            note="a delivery (success) notice",
        )
    bouncy = failed_hdr or (daemon and (bounce_subject or markers)) or (bounce_subject and markers)
    if bouncy and (daemon or not _FORWARD_SUBJECT.search(subject)):
        return _from_text(sender, text, subject, failed_hdr)
    if not daemon and is_auto_reply(headers, subject):
        return Explanation(
            Kind.NOT_A_BOUNCE,
            Category.AUTO_REPLY,
            (),
            subject=subject,
            note="an automatic reply: your message was delivered",
        )
    if depth == 0:
        forwarded = _forwarded(msg, text, subject, parts)
        if forwarded is not None:
            return forwarded
    return Explanation(Kind.NOT_A_BOUNCE, Category.NOT_A_BOUNCE, (), subject=subject)


def _forwarded(msg: Message, text: str, subject: str, parts: list[Part]) -> Explanation | None:
    """A bounce someone forwarded: attached as a message, or pasted/quoted in the body."""
    for part, ctype, _raw in parts:
        if ctype == "message/rfc822" and part is not msg:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found = explain_parsed(inner[0], depth=1)
                if found.kind is Kind.BOUNCE:
                    return _note(found, "forwarded bounce")
    unquoted = _QUOTE.sub("", text)
    if textbounce.BOUNCE_MARKERS.search(unquoted[:50000]):
        start = max(unquoted.find("Forwarded message"), unquoted.find("Original Message"), 0)
        failures = textbounce.extract(unquoted[start:])
        if failures:
            exp = _build(
                failures,
                subject,
                textbounce.family_of(unquoted),
                None,
                textbounce.looks_temporary(unquoted),
            )
            return _note(exp, "forwarded bounce")
    return None


def _note(exp: Explanation, note: str) -> Explanation:
    return Explanation(
        exp.kind,
        exp.category,
        exp.recipients,
        exp.family,
        exp.subject,
        note if not exp.note else f"{note}; {exp.note}",
    )


def _build(
    failures: list[RawFailure],
    subject: str,
    family: str | None,
    provider_hint: str | None,
    temporary: bool,
) -> Explanation:
    recips = tuple(
        judge(f, provider_hint=provider_hint, temporary_hint=temporary) for f in failures
    )
    category = summary_category(recips, Category.UNKNOWN)
    kind = Kind.NOT_A_BOUNCE if category is Category.DELIVERED else Kind.BOUNCE
    return Explanation(kind, category, recips, family, subject)


def _from_text(sender: tuple[str, str], text: str, subject: str, failed_hdr: str) -> Explanation:
    failures = textbounce.extract(text)
    bounce_text = textbounce.cut_original(text)
    if not failures:
        addrs = ADDRESS_RE.findall(failed_hdr) or [None]
        diag = collapse(bounce_text)[:500]
        failures = [RawFailure(address=a, diagnostic=diag) for a in addrs]
    family = _provider_family(sender) or textbounce.family_of(bounce_text)
    return _build(
        failures,
        subject,
        family,
        sender[1].partition("@")[2],
        textbounce.looks_temporary(bounce_text),
    )


def _from_dsn(
    msg: Message, part: Message, subject: str, parts: list[Part], sender: tuple[str, str]
) -> Explanation:
    blocks = dsn.blocks_of_part(part)
    reporting = dsn.reporting_mta(blocks)
    raw = dsn.failures(blocks)
    text = textbounce.cut_original(_texts(parts))
    from_text: dict[str, RawFailure] = {}
    if len(raw) == 1 and raw[0].diagnostic and raw[0].remote_mta:
        # one recipient, fully described: the human part only adds the stage
        only = raw[0]
        if only.stage is None and text:
            at = text.lower().find((only.address or "@").lower())
            near = text[max(at, 0) : max(at, 0) + 2000]
            raw = [replace(only, stage=find_stage(near))]
    elif text:
        from_text = {(f.address or "").lower(): f for f in textbounce.extract(text)}
    merged: list[RawFailure] = []
    for f in raw:
        t = from_text.get((f.address or "").lower())
        if t is not None:
            f = RawFailure(
                address=f.address,
                diagnostic=f.diagnostic or t.diagnostic,
                status=f.status or t.status,
                reply_code=f.reply_code or t.reply_code,
                remote_mta=f.remote_mta or t.remote_mta,
                stage=f.stage or t.stage,
                action=f.action,
            )
        merged.append(f)
    if not merged:
        merged = list(from_text.values())
    family = _provider_family(sender) or textbounce.family_of(text) or "dsn"
    temporary = any(f.action is None for f in merged) and textbounce.looks_temporary(text)
    return _build(merged, subject, family, reporting, temporary)
