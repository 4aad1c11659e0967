"""Helpdesk step: the port check only the caller's network can answer, and what it means."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from relaywiz.core.model import Outcome, Report
from relaywiz.tui.caller import caller_commands, interpret
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.state import CallerCheck
from relaywiz.tui.widgets.fields import ChoiceSet


def ports_to_check(report: Report) -> tuple[int, ...]:
    """The recommended port first, then the other ports the probe tried."""
    ports = [p.port for p in report.evidence.ports]
    rec = report.recommendation
    if rec is not None and rec.port in ports:
        ports.remove(rec.port)
        ports.insert(0, rec.port)
    return tuple(ports)


class CallerCheckScreen(WizardScreen[tuple[CallerCheck, ...]]):
    """Returns the checks the caller ran (possibly none)."""

    STEP_TITLE = "Check from the caller's side"

    def __init__(self, *args: object, report: Report, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.report = report
        self.ports = ports_to_check(report)
        self.checks: dict[int, CallerCheck] = {c.port: c for c in self.state.caller_checks}

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("caller_intro"), classes="intro")
        labels = self.wiz.port_labels
        buttons = [
            RadioButton(f"port {labels.get(p, str(p))}", value=(i == 0))
            for i, p in enumerate(self.ports)
        ]
        yield ChoiceSet(*buttons, id="port", compact=True)
        yield Static("", id="commands", classes="command", markup=False)
        yield Static("What does the caller read back?", classes="question")
        yield Input(placeholder="TcpTestSucceeded : True   /   succeeded!", id="said", compact=True)
        yield Static("", id="meaning", markup=False)
        yield Button("Next", id="next", variant="primary", compact=True)

    @property
    def port(self) -> int:
        index = self.query_one("#port", RadioSet).pressed_index
        return self.ports[max(index, 0)]

    def on_mount(self) -> None:
        self._show_commands()
        self.query_one("#said", Input).focus()

    def _open_here(self, port: int) -> bool | None:
        for result in self.report.evidence.ports:
            if result.port == port:
                return result.outcome not in (Outcome.REFUSED, Outcome.FILTERED, Outcome.DNS_ERROR)
        return None

    def _alternatives(self, port: int) -> tuple[str, ...]:
        """Other ports that worked from here, the recommended one first."""
        labels = self.wiz.port_labels
        working = [p.port for p in self.report.evidence.ports if p.outcome is Outcome.OK]
        return tuple(labels.get(p, str(p)) for p in self.ports if p in working and p != port)

    def _show_commands(self) -> None:
        port = self.port
        host = self.report.evidence.target.host
        lines = [f"{system}:\n  {command}" for system, command in caller_commands(host, port)]
        self.query_one("#commands", Static).update("\n".join(lines))
        check = self.checks.get(port)
        self.query_one("#said", Input).value = check.said if check else ""
        self.query_one("#meaning", Static).update(check.meaning if check else "")

    @on(RadioSet.Changed, "#port")
    def _port_changed(self) -> None:
        self._show_commands()

    @on(Input.Changed, "#said")
    def _said(self, event: Input.Changed) -> None:
        port = self.port
        if not event.value.strip():
            self.checks.pop(port, None)
            self.query_one("#meaning", Static).update("")
            return
        check = interpret(port, event.value, self._open_here(port), self._alternatives(port))
        self.checks[port] = check
        self.query_one("#meaning", Static).update(check.meaning)

    @on(Input.Submitted, "#said")
    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        self.dismiss(tuple(self.checks[p] for p in self.ports if p in self.checks))
