"""The one entry point: bytes in, explanations out, whatever the input kind.

`explain` handles one input (a message, a dialog, a reply, a log, pasted
bounce text); `explain_all` also splits an mbox into its messages. All of it
is pure and offline: nothing here touches the network or the file system.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace

from relaywiz.core.bounce import detect as detection
from relaywiz.core.bounce import dsn, logs, outlook, textbounce
from relaywiz.core.bounce.judge import judge, summary_category
from relaywiz.core.bounce.message import explain_message
from relaywiz.core.bounce.model import (
    NOT_FAILURES,
    Category,
    CauseCount,
    ExplainError,
    Explanation,
    InputKind,
    Kind,
    LogCounts,
    RawFailure,
    RecipientExplanation,
)
from relaywiz.core.bounce.rules import _match

_MBOX_SPLIT = re.compile(rb"(?:\A|\r?\n)From [^\r\n]*\r?\n")


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox file (">From " unescaped), in order."""
    starts = [m for m in _MBOX_SPLIT.finditer(data)]
    out: list[bytes] = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(data)
        body = data[m.end() : end]
        out.append(re.sub(rb"(?m)^>(>*From )", rb"\1", body))
    return out


def explain(data: bytes, as_kind: InputKind = InputKind.AUTO) -> Explanation:
    """The explanation of one input; an mbox gives its first message (see `explain_all`)."""
    kind = detection.detect(data) if as_kind is InputKind.AUTO else as_kind
    if not data.strip():
        raise ExplainError("the input is empty")
    if kind is InputKind.MBOX:
        messages = split_mbox(data)
        if not messages:
            raise ExplainError("the mbox holds no message")
        return _message(messages[0])
    if kind is InputKind.MESSAGE:
        return _message(data)
    text = detection.decode_text(data)
    if kind is InputKind.LOG:
        return explain_log(text)
    if kind is InputKind.OUTLOOK:
        return explain_dialog(text)
    if kind is InputKind.BOUNCE_TEXT:
        return explain_bounce_text(text)
    return explain_reply(text)


def _message(data: bytes) -> Explanation:
    """A message; one too deeply nested for the parser is read as plain bounce text instead."""
    try:
        return explain_message(data)
    except RecursionError:
        exp = explain_bounce_text(detection.decode_text(data[:2_000_000]))
        return replace(exp, note="MIME parts nested too deeply to parse; read as plain text")


def explain_all(
    data: bytes, as_kind: InputKind = InputKind.AUTO
) -> Iterator[tuple[int | None, Explanation | ExplainError]]:
    """(index within an mbox or None, explanation or error) for every message in the input."""
    kind = detection.detect(data) if as_kind is InputKind.AUTO else as_kind
    if kind is not InputKind.MBOX:
        yield None, explain(data, kind)
        return
    for i, message in enumerate(split_mbox(data)):
        try:
            yield i, _message(message)
        except (ExplainError, RecursionError, ValueError, LookupError) as exc:
            yield i, ExplainError(f"message {i}: {exc}")


def explain_bounce_text(text: str) -> Explanation:
    """Pasted bounce text (the body only, without headers), or pasted DSN fields."""
    failures = []
    if "final-recipient:" in text[:50000].lower():
        failures = [f for f in dsn.failures(dsn.parse_fields(text[:200000])) if f.address]
    if not failures:
        failures = textbounce.extract(text)
    if not failures:
        return Explanation(Kind.NOT_A_BOUNCE, Category.NOT_A_BOUNCE, ())
    bounce = textbounce.cut_original(text)
    temporary = textbounce.looks_temporary(bounce)
    recips = tuple(judge(f, temporary_hint=temporary) for f in failures)
    return Explanation(
        Kind.BOUNCE,
        summary_category(recips, Category.UNKNOWN),
        recips,
        textbounce.family_of(bounce),
    )


def explain_reply(text: str) -> Explanation:
    """A pasted SMTP reply (or a short error text without a code)."""
    failure = textbounce.reply_failure(text)
    if failure is None:
        short = text.strip()
        rule = _match(short[:2000]) if len(short) <= 2000 else None
        if rule is None or rule.weak:
            return Explanation(Kind.NOT_A_BOUNCE, Category.NOT_A_BOUNCE, ())
        failure = RawFailure(address=None, diagnostic=" ".join(short.split()))
    recip = judge(failure, client_side=True)
    return Explanation(Kind.SMTP_REPLY, recip.category, (recip,))


def explain_dialog(text: str) -> Explanation:
    """An Outlook error dialog or a bare error number."""
    dialog = outlook.parse_dialog(text)
    f = dialog.failure
    has_reply = f.reply_code is not None and f.diagnostic[:3].isdigit()
    forced = None
    if not has_reply:
        forced = dialog.number.category if dialog.number else Category.UNKNOWN
    recip = judge(f, client_side=True, russian_ui=dialog.russian, forced=forced)
    note = None
    if dialog.number is not None:
        note = f"Outlook {dialog.number.code}: {dialog.number.meaning}"
    elif f.outlook_error:
        note = f"Outlook {f.outlook_error}: a number relaywiz does not know"
    if dialog.port == 25 and recip.category in (
        Category.RELAY_DENIED,
        Category.AUTH_REQUIRED,
        Category.NETWORK_ERROR,
    ):
        note = (note + "; " if note else "") + "port 25 was used: try 587 with STARTTLS"
    return Explanation(Kind.OUTLOOK_ERROR, recip.category, (recip,), "outlook", note=note)


def explain_log(text: str) -> Explanation:
    """A whole Exim or Postfix log: every failure, and a summary by cause."""
    failures, tally = logs.parse_lines(text.splitlines())
    recips = tuple(judge(f) for f in failures)
    fam = sorted(tally.family or ())
    counts = LogCounts(tally.lines, tally.delivered, tally.bounced, tally.deferred, tally.rejected)
    return Explanation(
        Kind.LOG,
        summary_category(recips, Category.NOT_A_BOUNCE),
        recips,
        "+".join(fam) or None,
        summary=summarise(recips),
        counts=counts,
    )


def summarise(recips: tuple[RecipientExplanation, ...]) -> tuple[CauseCount, ...]:
    """Failures grouped by (category, permanent), largest group first."""
    groups: dict[tuple[Category, bool | None], list[RecipientExplanation]] = defaultdict(list)
    for r in recips:
        if r.category not in NOT_FAILURES:
            groups[(r.category, r.permanent)].append(r)
    out: list[CauseCount] = []
    for (category, permanent), items in groups.items():
        mtas = Counter(r.remote_mta.split(" ")[0] for r in items if r.remote_mta)
        out.append(
            CauseCount(
                category=category,
                permanent=permanent,
                count=len(items),
                recipients=len({(r.address or "").lower() for r in items}),
                remote_mtas=tuple(m for m, _n in mtas.most_common(3)),
                example=items[0].diagnostic[:300],
            )
        )
    out.sort(key=lambda c: (-c.count, c.category.value))
    return tuple(out)
