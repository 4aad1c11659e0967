"""Step 6: the recommendation in the client's own field names, and the findings behind it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Static, TabbedContent, TabPane, Tabs

from relaywiz.core.model import Report, Severity
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.widgets.findings import FindingView, SettingsTable, most_important_first


def headline(report: Report) -> tuple[str, str]:
    """(level, sentence) summing up the report for the top of the screen."""
    worst = {f.severity for f in report.findings}
    if report.recommendation is None:
        return "problem", "\u2717 No working way to send was found from here."
    if Severity.PROBLEM in worst or Severity.WARNING in worst:
        return "warning", "\u2713 There is a way that works. Change these settings:"
    return "ok", "\u2713 Sending works with these settings:"


class DiagnosisScreen(WizardScreen[str]):
    """Returns "next" when the person goes on to the report."""

    STEP_TITLE = "What to change"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("n", "next", "Next"),
    ]

    def __init__(self, *args: object, report: Report, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.report = report

    def body(self) -> Iterable[Widget]:
        level, sentence = headline(self.report)
        yield Static(sentence, classes=f"headline -{level}", markup=False)
        rec = self.report.recommendation
        labels = self.wiz.port_labels
        if rec is not None:
            if self.helpdesk:
                yield Static(self.say("diagnosis_intro"), classes="hint")
            with TabbedContent(id="settings"):
                with TabPane("Outlook", id="tab-outlook"):
                    yield SettingsTable(rec.outlook, id="outlook")
                with TabPane("Thunderbird", id="tab-thunderbird"):
                    yield SettingsTable(rec.thunderbird, id="thunderbird")
                with TabPane("Other programs", id="tab-generic"):
                    yield SettingsTable(rec.generic or rec.thunderbird, id="generic")
            for why in rec.why[:3]:
                yield Static(f"\u2022 {why}", classes="hint", markup=False)
        else:
            reason = self.report.no_recommendation_reason or "every way relaywiz tried failed"
            yield Static(reason, markup=False)
        findings = most_important_first(self.report.findings)
        if findings:
            yield Static("What relaywiz found", classes="question")
        with Vertical(id="findings"):
            for finding in findings:
                label = labels.get(finding.port, str(finding.port)) if finding.port else None
                yield FindingView(finding, label)
        yield Button("Next: save the report", id="next", variant="primary", compact=True)

    def on_mount(self) -> None:
        tabs = self.query(Tabs)
        if tabs:
            tabs.first().focus()
        else:
            self.query_one("#body").focus()  # arrows scroll the findings; n goes on

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        self.dismiss("next")
