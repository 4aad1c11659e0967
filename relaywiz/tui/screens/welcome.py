"""Step 1: what relaywiz does (and that it sends no mail), and the paths it offers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from relaywiz.tui.screens.base import WizardScreen

PATHS = ("wizard", "explain", "check")


class WelcomeScreen(WizardScreen[str]):
    """Returns the chosen path: "wizard", "explain" or "check" (BACK quits)."""

    STEP_TITLE = "Welcome"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Quit"),
        Binding("q", "back", "Quit", show=False),
    ]

    def __init__(self, *args: object, paths: tuple[str, ...] = ("wizard",), **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.paths = paths

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("title"), classes="question")
        yield Static(self.say("welcome"), classes="intro", markup=False)
        demo = self.wiz.demo
        if demo is not None:
            yield Static(
                "Practice mode: a pretend internet provider runs on this computer "
                f"({demo.host}). Its server wants a login: user {demo.username}, "
                f"password {demo.password}. Use the address {demo.mail_from}.",
                classes="demo-box",
                markup=False,
            )
        options = [Option(self.say(f"path_{p}"), id=p) for p in self.paths]
        yield OptionList(*options, id="paths", compact=True)
        yield Static("Enter chooses, escape quits.", classes="hint")

    def show_ticket(self) -> bool:
        return False

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id or "wizard")
