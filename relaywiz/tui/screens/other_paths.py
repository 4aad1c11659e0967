"""The two other paths from the welcome screen, shown only when the core has them:
an error message or bounce explained, and the sending domain checked."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.screens.probe import one_line


class ExplainScreen(WizardScreen[str]):
    """Paste a bounce or an error text; the core explains it."""

    STEP_TITLE = "Explain an error or a bounce"

    def body(self) -> Iterable[Widget]:
        yield Static(
            "Paste the error message, the bounce (the whole returned message if you can) "
            "or a log line, then press ctrl+s or the button.",
            classes="intro",
        )
        yield TextArea(id="text")
        yield Button("Explain", id="go", variant="primary", compact=True)
        yield Static("", id="answer", markup=False)

    def show_ticket(self) -> bool:
        return False

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def key_ctrl_s(self) -> None:
        self._go()

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        text = self.query_one(TextArea).text
        if text.strip():
            self.run_explain(text)

    @work(exclusive=True, group="explain")
    async def run_explain(self, text: str) -> None:
        answer = self.query_one("#answer", Static)
        try:
            answer.update(await self.wiz.core.explain(text))
        except Exception as exc:
            answer.update(f"relaywiz could not read that: {one_line(exc)}")


class CheckScreen(WizardScreen[str]):
    """A sending domain's DNS checks (PTR, blacklists, SPF, DKIM, DMARC), rendered by the core."""

    STEP_TITLE = "Check a sending domain"

    def body(self) -> Iterable[Widget]:
        yield Static("Which domain do you send mail from?", classes="question")
        yield Input(placeholder="example.net", id="domain", compact=True)
        yield Static("", id="answer", markup=False)

    def show_ticket(self) -> bool:
        return False

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#domain")
    def _go(self, event: Input.Submitted) -> None:
        domain = event.value.strip().strip(".")
        if domain:
            self.query_one("#answer", Static).update(f"Checking {domain}\u2026")
            self.run_check(domain)

    @work(exclusive=True, group="check")
    async def run_check(self, domain: str) -> None:
        answer = self.query_one("#answer", Static)
        try:
            answer.update(await self.wiz.core.check_domain(domain))
        except Exception as exc:
            answer.update(f"The checks could not run: {one_line(exc)}")
