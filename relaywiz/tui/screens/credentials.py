"""Step 4: user name and password (optional), with the system keyring when there is one.

The password lives in a password Input (shown as dots) and in the wizard's
state; it is never put into a label, a log line, the ticket or the report.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.state import CredentialsAnswer
from relaywiz.tui.widgets.fields import NextInput


class CredentialsScreen(WizardScreen[CredentialsAnswer]):
    """Returns the credentials to use (an empty password means: test without logging in)."""

    STEP_TITLE = "Log-in (optional)"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.backend = self.wiz.core.keyring_backend()

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("cred_q"), classes="intro")
        demo = self.wiz.demo
        if demo is not None:
            yield Static(
                f"Practice account: user {demo.username}, password {demo.password}",
                classes="demo-box",
                markup=False,
            )
        yield Static("User name", classes="question")
        yield NextInput(
            value=self.state.username or self.state.address, id="username", compact=True
        )
        yield Static("Password", classes="question")
        typed = self.state.password if self.state.password_source == "typed" else ""
        yield Input(
            value=typed, password=True, id="password", placeholder="(not shown)", compact=True
        )
        if self.backend is None:
            yield Static(
                "No system keyring on this computer: the password is used for this test "
                "only and then forgotten.",
                id="keyring",
                classes="hint",
            )
        else:
            yield Static(f"Keyring: {self.backend}", id="keyring", classes="hint", markup=False)
            yield Checkbox(
                "Use the password saved in the keyring", id="use-saved", value=False, compact=True
            )
            yield Checkbox(
                "Save this password in the keyring",
                id="save",
                value=self.state.save_password,
                compact=True,
            )
        yield Static("", id="problem", classes="error-line")
        with Horizontal(classes="buttons"):
            yield Button("Next", id="next", variant="primary", compact=True)
            yield Button("Test without a password", id="skip", compact=True)

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()
        self._look_up_saved(self.query_one("#username", Input).value)

    def _look_up_saved(self, username: str) -> None:
        if self.backend is None:
            return
        saved = self.wiz.core.stored_password(username.strip()) if username.strip() else None
        use = self.query_one("#use-saved", Checkbox)
        use.display = saved is not None
        use.value = saved is not None and self.state.password_source != "typed"

    @on(Input.Changed, "#username")
    def _username_changed(self, event: Input.Changed) -> None:
        self._look_up_saved(event.value)

    @on(Button.Pressed, "#skip")
    def _skip(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        self.dismiss(CredentialsAnswer(username, "", False))

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        save = False
        source = "typed"
        if self.backend is not None:
            if not password and self.query_one("#use-saved", Checkbox).value:
                password = self.wiz.core.stored_password(username) or ""
                source = "keyring"
            else:
                save = self.query_one("#save", Checkbox).value and bool(password)
        if password and not username:
            self.query_one("#problem", Static).update("Which user name goes with the password?")
            return
        self.dismiss(CredentialsAnswer(username, password, save, source))
