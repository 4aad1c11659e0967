"""One row of the live probe: a port, its stages filling in, the decisive reply and times."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from relaywiz.core.model import Attempt, Exchange, Outcome, PortResult, Stage, TlsMode
from relaywiz.tui.ticket import OUTCOME_WORDS

GROUPS: tuple[tuple[str, tuple[Stage, ...]], ...] = (
    ("connect", (Stage.RESOLVE, Stage.CONNECT)),
    ("banner", (Stage.BANNER, Stage.EHLO)),
    ("TLS", (Stage.TLS_HANDSHAKE, Stage.STARTTLS)),
    ("AUTH", (Stage.AUTH, Stage.POP3)),
    ("MAIL", (Stage.MAIL,)),
    ("RCPT", (Stage.RCPT_SAME, Stage.RSET, Stage.RCPT_OTHER)),
)
_GROUP_OF = {stage: name for name, stages in GROUPS for stage in stages}
_ORDER = [name for name, _ in GROUPS]
MARK = {"ok": ("\u2713", "$success"), "fail": ("\u2717", "$error"), "run": ("\u2026", "$accent")}


def exchange_failed(ex: Exchange) -> bool:
    """An exchange failed when it raised or the server answered 4xx/5xx."""
    return ex.error is not None or (ex.reply is not None and ex.reply.code >= 400)


@dataclass(frozen=True)
class RowState:
    """What one row shows; replaced (never mutated) as events arrive."""

    port: int
    label: str
    chips: dict[str, str] = field(default_factory=dict)  # group -> ok|fail|run|skip
    running: bool = False
    outcome: Outcome | None = None
    decisive: str = ""
    elapsed_ms: float | None = None
    attempt_note: str = ""


def started(row: RowState) -> RowState:
    return replace(row, running=True, chips={"connect": "run"}, outcome=None, decisive="")


def with_exchange(row: RowState, ex: Exchange) -> RowState:
    """The row after one more stage finished."""
    group = _GROUP_OF.get(ex.stage)
    if group is None:
        return row
    chips = {} if ex.stage is Stage.CONNECT else dict(row.chips)  # a new attempt starts over
    if exchange_failed(ex) or chips.get(group) == "fail":
        chips[group] = "fail"
    else:
        chips[group] = "ok"
    nxt = _ORDER.index(group) + 1
    if chips[group] == "ok" and nxt < len(_ORDER) and _ORDER[nxt] not in chips:
        chips[_ORDER[nxt]] = "run"
    return replace(row, chips=chips, running=True)


def decisive_attempt(result: PortResult) -> Attempt | None:
    """The attempt whose outcome is the port's (a client with the given credentials)."""
    same = [a for a in result.attempts if a.outcome is result.outcome and a.stage is result.stage]
    pool = same or list(result.attempts)
    if not pool:
        return None
    return sorted(pool, key=lambda a: (a.auth, a.tls is not TlsMode.NONE))[-1]


def finished(row: RowState, result: PortResult) -> RowState:
    """The row once its port is done: chips from the decisive attempt, the reply that decided."""
    attempt = decisive_attempt(result)
    transcript = attempt.transcript if attempt and attempt.transcript else result.transcript
    chips: dict[str, str] = {}
    for ex in transcript:
        group = _GROUP_OF.get(ex.stage)
        if group is not None and chips.get(group) != "fail":
            chips[group] = "fail" if exchange_failed(ex) else "ok"
    final_group = _GROUP_OF.get(result.stage)
    if result.outcome is not Outcome.OK and final_group:
        chips[final_group] = "fail"
    elif result.outcome is Outcome.OK:
        chips.setdefault("RCPT", "ok")
    if attempt is not None and attempt.tls is TlsMode.NONE:
        chips.setdefault("TLS", "skip")
    if attempt is not None and not attempt.auth:
        chips.setdefault("AUTH", "skip")
    reply = result.reply
    words = OUTCOME_WORDS.get(result.outcome, result.outcome.value)
    decisive = f"{reply} (at {result.stage.value})" if reply else result.detail or words
    note = ""
    if attempt is not None:
        how = {"none": "plain", "starttls": "STARTTLS", "implicit": "SSL/TLS"}[attempt.tls.value]
        note = f"{how}, {'with' if attempt.auth else 'without'} login"
    return replace(
        row,
        chips=chips,
        running=False,
        outcome=result.outcome,
        decisive=decisive,
        elapsed_ms=result.elapsed_ms,
        attempt_note=note,
    )


class PortRow(Widget, can_focus=True):
    """A focusable row; the probe screen opens the transcript of the focused row."""

    row: reactive[RowState | None] = reactive(None, layout=False)

    def __init__(self, row: RowState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(PortRow.row, row)
        self._apply_classes(row)

    def watch_row(self, row: RowState | None) -> None:
        if row is not None:
            self._apply_classes(row)

    def _apply_classes(self, row: RowState) -> None:
        self.set_class(row.running, "-running")
        self.set_class(row.outcome is Outcome.OK, "-ok")
        self.set_class(row.outcome is not None and row.outcome is not Outcome.OK, "-problem")

    def render(self) -> Content:
        row = self.row
        assert row is not None
        parts: list[str | tuple[str, str]] = [(f"{row.label:<12}", "bold"), " "]
        for name in _ORDER:
            state = row.chips.get(name, "")
            if state in MARK:
                mark, style = MARK[state]
                parts += [(mark, style), (name, "" if state != "fail" else "$error"), "  "]
            elif state == "skip":
                parts += [("-", "$text-muted"), (name, "$text-muted"), "  "]
            else:
                parts += [("\u00b7", "$text-muted"), (name, "$text-muted"), "  "]
        if row.elapsed_ms is not None:
            parts.append((f"{row.elapsed_ms:6.0f} ms", "$text-muted"))
        parts.append("\n")
        if row.outcome is not None:
            words = OUTCOME_WORDS.get(row.outcome, row.outcome.value)
            style = "$success bold" if row.outcome is Outcome.OK else "$error bold"
            parts += [(f"  {words}", style)]
            if row.attempt_note:
                parts.append((f" ({row.attempt_note})", "$text-muted"))
            parts.append(f": {row.decisive}")
        elif row.running:
            parts.append(("  testing\u2026", "$text-muted"))
        else:
            parts.append(("  waiting", "$text-muted"))
        return Content.assemble(*parts)
