"""Step 2: the email address, and the outgoing server discovered for it (editable)."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on, work
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from relaywiz.core.model import AccountType
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.state import AccountAnswer
from relaywiz.tui.widgets.fields import NextInput


def _looks_like_address(text: str) -> bool:
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in text.strip())


class AccountScreen(WizardScreen[AccountAnswer]):
    """Returns the address and the server to test."""

    STEP_TITLE = "Your account"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._server_edited = bool(self.state.server) and not self.state.server_source
        self._source = self.state.server_source
        self._provider = False

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("account_q"), classes="question")
        yield NextInput(
            value=self.state.address, placeholder="you@example.net", id="address", compact=True
        )
        yield Static(self.say("server_q"), classes="question")
        yield Input(
            value=self.state.server, placeholder="smtp.example.net", id="server", compact=True
        )
        yield Static(self._source_text(), id="source", classes="hint", markup=False)
        yield Static("", id="problem", classes="error-line")
        yield Button("Next", id="next", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#address", Input).focus()
        if self.state.address and not self.state.server and self.wiz.discovery_enabled():
            self.discover(self.state.address)

    def _source_text(self) -> str:
        if self._source:
            return f"Suggested from: {self._source}. Edit it if your mail program differs."
        if not self.wiz.discovery_enabled():
            return "Type the server name from your mail program's account settings."
        return ""

    @on(Input.Changed, "#address")
    def _address_changed(self, event: Input.Changed) -> None:
        if (
            _looks_like_address(event.value)
            and not self._server_edited
            and self.wiz.discovery_enabled()
        ):
            self.discover(event.value.strip())

    @on(Input.Changed, "#server")
    def _server_changed(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self._server_edited = True
            self._source = ""
            self.query_one("#source", Static).update(self._source_text())

    @work(exclusive=True, group="discover")
    async def discover(self, address: str) -> None:
        try:
            found = await self.wiz.core.discover(address)
        except Exception as exc:  # discovery is a convenience: say so, go on
            self.query_one("#source", Static).update(f"No suggestion ({type(exc).__name__}).")
            return
        if found is None or self._server_edited:
            return
        self._source = found.source + (f" ({found.note})" if found.note else "")
        self._provider = found.is_provider
        self.query_one("#server", Input).value = found.host
        self.query_one("#source", Static).update(self._source_text())

    @on(Input.Submitted, "#server")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        address = self.query_one("#address", Input).value.strip()
        server = self.query_one("#server", Input).value.strip()
        problem = self.query_one("#problem", Static)
        if not _looks_like_address(address):
            problem.update("That does not look like an email address (name@domain).")
            self.query_one("#address", Input).focus()
            return
        if not server or " " in server:
            problem.update("Which server should relaywiz test? Type its name.")
            self.query_one("#server", Input).focus()
            return
        kind = AccountType.PROVIDER if self._provider and self._source else None
        self.dismiss(AccountAnswer(address, server, self._source, kind))
