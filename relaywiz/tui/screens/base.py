"""What every wizard step shares: the step bar, escape = back, and the helpdesk ticket strip."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from relaywiz.tui.state import BACK, Back, WizardState
from relaywiz.tui.ticket import ticket_lines
from relaywiz.tui.wording import say

if TYPE_CHECKING:
    from relaywiz.tui.app import RelayWizApp

T = TypeVar("T")


class WizardScreen(Screen[T | Back], Generic[T]):
    """A step: composes its body between the step bar and the footer; escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    STEP_TITLE = ""

    def __init__(self, state: WizardState, helpdesk: bool, step: tuple[int, int]) -> None:
        super().__init__()
        self.state = state
        self.helpdesk = helpdesk
        self.step = step

    @property
    def wiz(self) -> RelayWizApp:
        from relaywiz.tui.app import RelayWizApp

        app = self.app
        assert isinstance(app, RelayWizApp)
        return app

    def say(self, key: str) -> str:
        return say(key, self.helpdesk)

    def compose(self) -> ComposeResult:
        number, total = self.step
        mode = "helpdesk" if self.helpdesk else "relaywiz"
        yield Static(
            f"{mode} \u00b7 step {number} of {total} \u00b7 {self.STEP_TITLE}", id="stepbar"
        )
        with VerticalScroll(id="body"):
            yield from self.body()
        if self.helpdesk and self.show_ticket():
            yield Static(self.ticket_strip(), id="ticket-strip", markup=False)
        yield Footer()

    def body(self) -> Iterable[Widget]:
        """The step's own widgets."""
        return ()

    def show_ticket(self) -> bool:
        return True

    def ticket_strip(self) -> str:
        lines = ticket_lines(self.state, self.helpdesk, self.wiz.port_labels)
        shown = [f"{k}: {v}" for k, v in lines if k not in ("Caller's address",)]
        return "Ticket \u2502 " + " \u2502 ".join(shown[-3:]) if shown else "Ticket"

    def refresh_ticket(self) -> None:
        if self.helpdesk and self.show_ticket():
            self.query_one("#ticket-strip", Static).update(self.ticket_strip())

    def action_back(self) -> None:
        self.dismiss(BACK)
