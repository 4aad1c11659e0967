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
from dataclasses import replace
from email.message import Message

from relaywiz.core.bounce import dsn, textbounce
from relaywiz.core.bounce.judge import judge, summary_category
from relaywiz.core.bounce.mime import (
    MAX_PART_TEXT,
    Part,
    content_param,
    header_map,
    header_text,
    part_text,
    walk,
    without_original,
)
from relaywiz.core.bounce.model import (
    Category,
    Explanation,
    Kind,
    RawFailure,
)
from relaywiz.core.bounce.quickparse import quick_parse
from relaywiz.core.bounce.remedies import provider_of
from relaywiz.core.bounce.replies import ADDRESS_RE, collapse, find_stage

WINDOW = textbounce.WINDOW
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
_QUOTE = re.compile(r"^(?:[ \t]*>[ \t]?)+", re.M)


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


def explain_message(data: bytes) -> Explanation:
    """The explanation of one RFC 5322 message (a bounce or not)."""
    head = without_original(data)
    if head is not None:
        quick = explain_parsed(_parse(head), depth=0)
        if quick.kind is Kind.BOUNCE or quick.category is not Category.NOT_A_BOUNCE:
            return quick
        # perhaps a forwarded bounce inside the attached message: read it all
    return explain_parsed(_parse(data), depth=0)


def _parse(data: bytes) -> Message:
    """The standard library's Message tree, read quickly when the MIME is well formed."""
    msg = quick_parse(data)  # (a Message with no headers is falsy: test for None)
    return msg if msg is not None else email.message_from_bytes(data)


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
