"""Helpdesk step: the error the caller sees, read by the core and kept as evidence."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from relaywiz.tui.screens.base import WizardScreen


class CallerErrorScreen(WizardScreen[tuple[str, str]]):
    """Returns (what the caller reported, what it means) - both may be empty."""

    STEP_TITLE = "The caller's error"

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("error_q"), classes="question")
        yield Static(self.say("error_hint"), classes="hint")
        yield Input(
            value=self.state.client_error, placeholder="0x800CCC79", id="error", compact=True
        )
        yield Static("", id="reading", markup=False)
        yield Button("Next", id="next", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#error", Input).focus()
        self._read(self.state.client_error)
        if not self.wiz.core.explainer_ready():
            self.run_worker(self._load_explainer, thread=True, group="explainer")

    def _load_explainer(self) -> None:
        self.wiz.core.load_explainer()
        self.app.call_from_thread(self._reread)

    def _reread(self) -> None:
        if self.is_current:  # the caller may have moved on meanwhile
            self._read(self.query_one("#error", Input).value)

    def _meaning(self, text: str) -> str:
        reading = self.wiz.core.read_client_error(text)
        if reading is None:
            return ""
        if reading.code and reading.code.lower() not in text.lower():
            return f"{reading.code}: {reading.meaning}"
        return reading.meaning

    def _read(self, text: str) -> None:
        meaning = self._meaning(text)
        if meaning:
            shown = f"relaywiz reads this as {meaning}. The probe will check it from here."
        elif text.strip():
            shown = "Not a number relaywiz knows; it is kept in the ticket as the caller said it."
        else:
            shown = ""
        self.query_one("#reading", Static).update(shown)

    @on(Input.Changed, "#error")
    def _changed(self, event: Input.Changed) -> None:
        self._read(event.value)

    @on(Input.Submitted, "#error")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        text = self.query_one("#error", Input).value.strip()
        self.dismiss((text, self._meaning(text)))
