"""Step 5: the live probe - one row per port, filled in from the probe's events.

The probe runs in a worker on the app's event loop; its listener only posts
messages, and the handlers here update the rows, so input is never blocked.
Escape cancels a running probe (and goes back once it is stopped).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from relaywiz.core.model import Exchange, Report
from relaywiz.core.smtp.request import (
    PortEvent,
    PortStarted,
    ProbeEvent,
    ProbeRequest,
    StageEvent,
)
from relaywiz.tui.screens.base import WizardScreen
from relaywiz.tui.screens.transcript import TranscriptScreen
from relaywiz.tui.state import BACK
from relaywiz.tui.widgets.port_row import PortRow, RowState, finished, started, with_exchange


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


class ProbeScreen(WizardScreen[Report]):
    """Runs the probe and the diagnosis; returns the Report when the person goes on."""

    STEP_TITLE = "Testing the server"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Cancel / back"),
        Binding("t", "transcript", "Transcript"),
        Binding("r", "retry", "Run again"),
        Binding("enter", "next", "Diagnosis", show=False),
    ]

    class Progress(Message):
        def __init__(self, event: ProbeEvent) -> None:
            super().__init__()
            self.event = event

    class Finished(Message):
        def __init__(self, report: Report | None, problem: str = "") -> None:
            super().__init__()
            self.report = report
            self.problem = problem

    def __init__(
        self,
        *args: object,
        request: ProbeRequest,
        previous: Report | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.request = request
        self.previous = previous
        self.report: Report | None = None
        self.exchanges: dict[int, list[Exchange]] = {}
        self._worker: Worker[None] | None = None
        self._started = 0.0

    def body(self) -> Iterable[Widget]:
        yield Static(self.say("probe_intro"), classes="intro", markup=False)
        yield Static(
            f"Server {self.request.host}, as {self.request.mail_from}"
            + (", with login" if self.request.credentials else ", without login"),
            classes="hint",
            markup=False,
        )
        for port in self.request.ports:
            yield PortRow(self._blank(port), id=f"port-{port}")
        yield Static("", id="probe-status", markup=False)
        yield Button("See the diagnosis", id="next", variant="primary", disabled=True, compact=True)

    def _blank(self, port: int) -> RowState:
        return RowState(port=port, label=self.wiz.port_labels.get(port, str(port)))

    def _row(self, port: int) -> PortRow | None:
        rows = self.query(f"#port-{port}").results(PortRow)
        return next(iter(rows), None)

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)
        if self.previous is not None:  # came back to a finished probe: show it, r runs it again
            self.exchanges = {p: [] for p in self.request.ports}
            self._finished(self.Finished(self.previous))
        else:
            self.start()

    def start(self) -> None:
        self.report = None
        self.exchanges = {p: [] for p in self.request.ports}
        for port in self.request.ports:
            row = self._row(port)
            if row is not None:
                row.row = self._blank(port)
        self.query_one("#next", Button).disabled = True
        self._started = time.monotonic()
        self.state.cancelled_probe = False
        self._status("Testing\u2026 (escape cancels, t shows the transcript)")
        self._worker = self.run_probe()
        self.query_one(PortRow).focus()

    def _status(self, text: str) -> None:
        self.query_one("#probe-status", Static).update(text)

    def _tick(self) -> None:
        if self.running:
            seconds = time.monotonic() - self._started
            self._status(f"Testing\u2026 {seconds:.0f} s (escape cancels, t shows the transcript)")

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    @work(exclusive=True, group="probe")
    async def run_probe(self) -> None:
        def listener(event: ProbeEvent) -> None:
            self.post_message(self.Progress(event))

        try:
            evidence = await self.wiz.core.probe(self.request, listener)
            report = self.wiz.core.diagnose(evidence, self.state.situation())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failure is shown in one line, never as a traceback
            self.post_message(self.Finished(None, one_line(exc)))
            return
        self.post_message(self.Finished(report))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        event = message.event
        row = self._row(event.port)
        if row is None or row.row is None:
            return
        if isinstance(event, PortStarted):
            row.row = started(row.row)
        elif isinstance(event, StageEvent):
            self.exchanges.setdefault(event.port, []).append(event.exchange)
            row.row = with_exchange(row.row, event.exchange)
        elif isinstance(event, PortEvent):
            row.row = finished(row.row, event.result)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        if message.report is None:
            self._status(f"The test could not run: {message.problem}. r tries again.")
            return
        self.report = message.report
        for result in message.report.evidence.ports:
            row = self._row(result.port)
            if row is not None and row.row is not None:
                row.row = finished(row.row, result)
        seconds = message.report.evidence.elapsed_ms / 1000
        self._status(f"Done in {seconds:.1f} s. Enter shows the diagnosis; t the transcript.")
        button = self.query_one("#next", Button)
        button.disabled = False
        button.focus()

    def action_back(self) -> None:
        if self.running and self._worker is not None:
            self._worker.cancel()
            self.state.cancelled_probe = True
            for port in self.request.ports:
                row = self._row(port)
                if row is not None and row.row is not None and row.row.running:
                    row.row = RowState(port=port, label=row.row.label, chips=row.row.chips)
            self._status("Cancelled. r runs the test again, escape goes back.")
            return
        self.dismiss(BACK)

    def action_retry(self) -> None:
        if not self.running:
            self.start()

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        if self.report is not None:
            self.dismiss(self.report)

    def action_transcript(self) -> None:
        focused = self.focused if isinstance(self.focused, PortRow) else None
        port = focused.row.port if focused is not None and focused.row else self.request.ports[0]
        result = None
        if self.report is not None:
            result = next((p for p in self.report.evidence.ports if p.port == port), None)
        label = self.wiz.port_labels.get(port, str(port))
        self.app.push_screen(TranscriptScreen(label, result, tuple(self.exchanges.get(port, ()))))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.CANCELLED:
            self.refresh_ticket()
