"""Step 3: where the person is, whose account, who the recipient is; the relay verdict at once."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, RadioButton, RadioSet, Static

from relaywiz.core.model import AccountType, Location, RecipientDomain, Situation
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.state import SituationAnswer
from relaywiz.tui.widgets.fields import ChoiceSet

LOCATIONS = (
    (Location.HOME, "At home"),
    (Location.WORK, "At work"),
    (Location.TRAVEL, "Hotel, airport or café"),
    (Location.MOBILE, "Phone hotspot"),
    (Location.OTHER, "Somewhere else"),
)
ACCOUNTS = (
    (AccountType.ISP, "My internet provider"),
    (AccountType.EMPLOYER, "My employer"),
    (AccountType.PROVIDER, "Gmail, Outlook.com…"),
    (AccountType.OWN_DOMAIN, "My own domain"),
)
RECIPIENTS = (
    (RecipientDomain.OTHER, "Someone at another domain"),
    (RecipientDomain.SAME, "Someone at my own domain"),
)


def _radio_set(set_id: str, choices: tuple[tuple[object, str], ...], chosen: object) -> RadioSet:
    buttons = [RadioButton(label, value=(value == chosen)) for value, label in choices]
    return ChoiceSet(*buttons, id=set_id, compact=True)


class SituationScreen(WizardScreen[SituationAnswer]):
    """Returns the situation; shows the relay table's verdict as the answers change."""

    STEP_TITLE = "Where are you now"

    def body(self) -> Iterable[Widget]:
        with Horizontal(id="situation-columns"):
            with Vertical():
                yield Static(self.say("where_q"), classes="question")
                yield _radio_set("where", LOCATIONS, self.state.location)
            with Vertical():
                yield Static(self.say("whose_q"), classes="question")
                yield _radio_set("whose", ACCOUNTS, self.state.account_type)
        yield Static(self.say("recipient_q"), classes="question")
        yield _radio_set("recipient", RECIPIENTS, self.state.recipient_domain)
        yield Static("", id="verdict", classes="verdict", markup=False)
        yield Static("", id="problem", classes="error-line")
        yield Button("Next", id="next", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#where", RadioSet).focus()
        self._show_verdict()

    def _chosen(self, set_id: str, choices: tuple[tuple[object, str], ...]) -> object | None:
        index = self.query_one(f"#{set_id}", RadioSet).pressed_index
        return choices[index][0] if index >= 0 else None

    def _situation(self) -> Situation:
        loc = self._chosen("where", LOCATIONS)
        acc = self._chosen("whose", ACCOUNTS)
        rcpt = self._chosen("recipient", RECIPIENTS)
        return Situation(
            location=loc if isinstance(loc, Location) else Location.UNKNOWN,
            account_type=acc if isinstance(acc, AccountType) else AccountType.UNKNOWN,
            recipient_domain=(
                rcpt if isinstance(rcpt, RecipientDomain) else RecipientDomain.UNKNOWN
            ),
        )

    @on(RadioSet.Changed)
    def _changed(self) -> None:
        self._show_verdict()
        self.query_one("#problem", Static).update("")

    def _show_verdict(self) -> None:
        widget = self.query_one("#verdict", Static)
        situation = self._situation()
        answered = situation.location is not Location.UNKNOWN
        verdict = self.wiz.core.relay_verdict(situation) if answered else None
        for level in ("ok", "warning", "problem"):
            widget.set_class(verdict is not None and verdict.level == level, f"-{level}")
        if verdict is None:
            text = (
                "Choose where you are: relaywiz tells you at once what that means."
                if not answered
                else ""
            )
        else:
            text = verdict.text
        widget.update(text)
        widget.display = bool(text)

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        situation = self._situation()
        if situation.location is Location.UNKNOWN:
            self.query_one("#problem", Static).update("Where are you connected right now?")
            self.query_one("#where", RadioSet).focus()
            return
        self.dismiss(
            SituationAnswer(
                situation.location,
                situation.account_type,
                situation.recipient_domain
                if situation.recipient_domain is not RecipientDomain.UNKNOWN
                else RecipientDomain.OTHER,
            )
        )
