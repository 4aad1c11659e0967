"""The transcript of one port, one key away from the live probe (passwords are already redacted)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from relaywiz.core.model import Exchange, PortResult


def exchange_lines(exchanges: tuple[Exchange, ...]) -> list[str]:
    """Client and server lines of a transcript, with each step's time."""
    lines: list[str] = []
    for ex in exchanges:
        head = f"{ex.elapsed_ms:6.0f} ms  {ex.stage.value:<12}"
        if ex.command:
            lines.append(f"{head} C: {ex.command}")
            head = " " * len(head)
        if ex.reply is not None:
            for i, text in enumerate(ex.reply.lines):
                prefix = f"{ex.reply.code}{'-' if i < len(ex.reply.lines) - 1 else ' '}"
                lines.append(f"{head} S: {prefix}{text}")
                head = " " * len(head)
        if ex.error:
            lines.append(f"{head} !! {ex.error}")
    return lines


def transcript_text(label: str, result: PortResult | None, live: tuple[Exchange, ...]) -> str:
    """The whole transcript of a port: per attempt once done, as it came in while running."""
    out = [f"Port {label}"]
    if result is None:
        out.append("(still running: what has happened so far)")
        out += exchange_lines(live) or ["(nothing yet)"]
        out.append("(still running\u2026)")
        return "\n".join(out)
    if not result.attempts:
        out += exchange_lines(result.transcript) or [result.detail or "(no transcript)"]
    for attempt in result.attempts:
        how = {"none": "plain", "starttls": "STARTTLS", "implicit": "SSL/TLS"}[attempt.tls.value]
        login = "with login" if attempt.auth else "without login"
        out.append("")
        out.append(f"-- {how}, {login}: {attempt.outcome.value} --")
        out += exchange_lines(attempt.transcript) or [attempt.detail or "(no transcript)"]
    return "\n".join(out)


class TranscriptScreen(ModalScreen[None]):
    """Shows a transcript; escape or t closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("t", "close", "Close", show=False),
    ]

    def __init__(self, label: str, result: PortResult | None, live: tuple[Exchange, ...]) -> None:
        super().__init__()
        self.text = transcript_text(label, result, live)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="transcript-box"):
            yield Static(self.text, markup=False)

    def on_mount(self) -> None:
        self.query_one("#transcript-box").scroll_end(animate=False)  # the decisive reply is last

    def action_close(self) -> None:
        self.dismiss(None)
