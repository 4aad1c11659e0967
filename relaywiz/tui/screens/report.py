"""Step 7: save the report (Markdown, JSON or text; the file name is shown) or copy it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from relaywiz.core.model import Report
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.widgets.findings import SettingsTable

EXTENSIONS = {"markdown": ".md", "json": ".json", "text": ".txt"}
LABELS = {"markdown": "Markdown", "json": "JSON", "text": "Text"}


def default_name(report: Report, fmt: str) -> str:
    """relaywiz-<host>-<date>-<time>.<ext>, from the probe's start time."""
    stamp = report.evidence.started_at.replace(":", "").replace("-", "")[:15] or (
        dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    )
    host = report.evidence.target.host.replace(":", "_") or "report"
    return f"relaywiz-{host}-{stamp}{EXTENSIONS[fmt]}"


class ReportScreen(WizardScreen[str]):
    """Returns "done" when the person finishes."""

    STEP_TITLE = "Report"

    def __init__(self, *args: object, report: Report, directory: Path, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.report = report
        self.directory = directory
        self.formats = self.wiz.core.report_formats()

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("changed_q"), classes="question")
        yield Input(
            value=self.state.changed,
            placeholder="e.g. set port 587, STARTTLS",
            id="changed",
            compact=True,
        )
        if not self.formats:
            yield Static("Saving reports is not part of this version.", classes="hint")
        else:
            yield Static("Format", classes="question")
            buttons = [RadioButton(LABELS[f], value=(i == 0)) for i, f in enumerate(self.formats)]
            yield RadioSet(*buttons, id="format", compact=True)
            yield Static("File name", classes="question")
            name = default_name(self.report, self.formats[0])
            yield Input(value=name, id="filename", compact=True)
        yield Static("", id="saved", markup=False)
        with Horizontal(classes="buttons"):
            if self.formats:
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Copy to clipboard", id="copy", compact=True)
            yield Button("Finish", id="finish", compact=True)
        if self.helpdesk:
            yield Static("Ticket summary (goes into the report)", classes="question")
            yield SettingsTable(self.wiz.ticket(), id="ticket-view")

    def show_ticket(self) -> bool:
        return False

    def on_mount(self) -> None:
        self.query_one("#changed", Input).focus()

    @property
    def fmt(self) -> str:
        index = self.query_one("#format", RadioSet).pressed_index
        return self.formats[max(index, 0)]

    @on(RadioSet.Changed, "#format")
    def _format_changed(self) -> None:
        field = self.query_one("#filename", Input)
        stem = field.value.rsplit(".", 1)[0] if "." in field.value else field.value
        field.value = stem + EXTENSIONS[self.fmt]

    @on(Input.Changed, "#changed")
    def _changed(self, event: Input.Changed) -> None:
        self.state.changed = event.value
        if self.helpdesk:
            self.query_one("#ticket-view", SettingsTable).set_pairs(self.wiz.ticket())

    @on(Input.Submitted, "#changed")
    def _to_save(self) -> None:
        if self.formats:
            self.query_one("#save", Button).focus()

    def _rendered(self) -> str:
        return self.wiz.core.render(self.wiz.final_report(), self.fmt)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#filename")
    def _save(self) -> None:
        name = self.query_one("#filename", Input).value.strip() or default_name(
            self.report, self.fmt
        )
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = self.directory / path
        try:
            path.write_text(self._rendered(), encoding="utf-8")
        except OSError as exc:
            self.query_one("#saved", Static).update(f"Could not save: {exc.strerror or exc}")
            return
        self.state.saved_files.append(str(path))
        self.query_one("#saved", Static).update(f"Saved {LABELS[self.fmt]} to {path}")

    @on(Button.Pressed, "#copy")
    def _copy(self) -> None:
        self.app.copy_to_clipboard(self._rendered())
        self.query_one("#saved", Static).update(
            f"Copied the {LABELS[self.fmt]} report to the clipboard (if your terminal allows it)."
        )

    @on(Button.Pressed, "#finish")
    def _finish(self) -> None:
        self.dismiss("done")
