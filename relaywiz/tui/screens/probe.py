"""Step 5: the live probe - one row per port, filled in from the probe's events.

The probe runs in a worker on the app's event loop; its listener only posts
messages, and the handlers here update the rows, so input is never blocked.
Escape cancels a running probe (and goes back once it is stopped).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterable
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

    class Flush(Message):
        """Probe events are waiting in the screen's queue."""

    class Finished(Message):
        def __init__(self, report: Report | None, problem: str = "", run: int = 0) -> None:
            super().__init__()
            self.report = report
            self.problem = problem
            self.run = run

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
        self._run = 0
        self._events: deque[tuple[int, ProbeEvent]] = deque()
        self._flush_posted = False
        self._cancel: Callable[[], object] | None = None
        self._cancel_requested = False

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
            self._finished(self.Finished(self.previous, "", self._run))
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
        self._started = self.wiz.core.clock()
        self.state.cancelled_probe = False
        self._status(self._testing_for(0.0))
        self._run += 1
        self._cancel_requested = False
        self._worker = self.run_probe(self._run)
        self.query_one(PortRow).focus()

    def _status(self, text: str) -> None:
        self.query_one("#probe-status", Static).update(text)

    def _tick(self) -> None:
        if self.running:
            self._status(self._testing_for(self.wiz.core.clock() - self._started))

    @staticmethod
    def _testing_for(seconds: float) -> str:
        return f"Testing\u2026 {seconds:.0f} s (escape cancels, t shows the transcript)"

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    @work(thread=True, exclusive=True, group="probe")
    def run_probe(self, run: int) -> None:
        """The probe and its diagnosis on a thread with its own event loop.

        TLS handshakes and the diagnosis then never hold up the UI loop; events
        reach the screen as messages (coalesced: one Flush per burst).
        """
        loop = asyncio.new_event_loop()

        def listener(event: ProbeEvent) -> None:
            self._events.append((run, event))
            if not self._flush_posted:
                self._flush_posted = True
                self.post_message(self.Flush())

        async def probe_and_judge() -> Report:
            evidence = await self.wiz.core.probe(self.request, listener)
            return self.wiz.core.diagnose(evidence, self.state.situation())

        try:
            task = loop.create_task(probe_and_judge())
            self._cancel = lambda: loop.call_soon_threadsafe(task.cancel)
            if self._cancel_requested:
                task.cancel()
            report = loop.run_until_complete(task)
        except asyncio.CancelledError:
            return
        except Exception as exc:  # a failure is shown in one line, never as a traceback
            self.post_message(self.Finished(None, one_line(exc), run))
            return
        finally:
            self._cancel = None
            loop.close()
        self.post_message(self.Finished(report, "", run))

    @on(Flush)
    def _flush(self) -> None:
        self._flush_posted = False
        while self._events:
            run, event = self._events.popleft()
            if run == self._run:
                self._progress(event)

    def _progress(self, event: ProbeEvent) -> None:
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
        if message.run != self._run:
            return  # a cancelled run's late answer
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

    def _stop_probe(self) -> None:
        """Cancel the probe task on its own loop, so the worker thread ends now."""
        self._cancel_requested = True
        cancel = self._cancel
        if cancel is not None:
            with contextlib.suppress(RuntimeError):  # the run closed its loop meanwhile
                cancel()
        if self._worker is not None:
            self._worker.cancel()

    def on_unmount(self) -> None:
        # Quitting mid-probe (ctrl+q, or a test's app closing) must not leave the
        # thread running: the app's exit waits for every executor thread. By now
        # the app may already have marked the worker cancelled, so always stop.
        self._stop_probe()

    def action_back(self) -> None:
        if self.running and self._worker is not None:
            self._stop_probe()
            self._run += 1  # whatever the cancelled run still sends is ignored
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
