"""The wizard app: one worker walks the steps in order, each step a Screen that returns its answer.

`run_wizard` is what `relaywiz`, `relaywiz --helpdesk` and `relaywiz --demo`
call. The app holds the wizard state and the core facade; screens read the
state to prefill their fields and hand back frozen answers; escape returns
BACK and the flow steps back without losing anything.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from relaywiz.core.model import AccountType, Report
from relaywiz.core.smtp.request import Credentials, ProbeRequest
from relaywiz.tui.facade import CoreFacade
from relaywiz.tui.state import BACK, AccountAnswer, CredentialsAnswer, SituationAnswer, WizardState
from relaywiz.tui.ticket import ticket_lines
from relaywiz.tui.wording import say

if TYPE_CHECKING:  # the practice server (aiosmtpd, cryptography) loads only for --demo
    from relaywiz.demo import DemoInfo


class RelayWizApp(App[int]):
    """The relaywiz wizard (end user or helpdesk voice, optionally against the practice server)."""

    CSS_PATH = Path(__file__).with_name("relaywiz.tcss")  # absolute: subclasses live elsewhere
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", show=False)]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        core: CoreFacade | None = None,
        *,
        helpdesk: bool = False,
        practice: bool = False,
        demo_info: DemoInfo | None = None,
        report_dir: Path | None = None,
        state: WizardState | None = None,
    ) -> None:
        super().__init__()
        self.core = core or CoreFacade()
        self.helpdesk = helpdesk
        self.practice = practice
        self.demo: DemoInfo | None = demo_info
        self.report_dir = report_dir or Path.cwd()
        self.state = state or WizardState()
        self.title = say("title", helpdesk)
        self._last_request: ProbeRequest | None = None

    # -- helpers the screens use ------------------------------------------------
    @property
    def port_labels(self) -> dict[int, str]:
        """How ports are named on screen (the practice server's ports say what they play)."""
        if self.demo is None:
            return {}
        return {port: f"{port} ({std})" for port, std in self.demo.stands_for}

    def discovery_enabled(self) -> bool:
        """Suggest servers for addresses (not in practice mode: its server is given)."""
        return not self.practice and self.demo is None and self.core.has_discovery()

    def ticket(self) -> tuple[tuple[str, str], ...]:
        return ticket_lines(self.state, self.helpdesk, self.port_labels)

    def final_report(self) -> Report:
        """The report with the ticket summary attached, as it is saved."""
        assert self.state.report is not None
        return replace(self.state.report, ticket=self.ticket())

    def build_request(self) -> ProbeRequest:
        """The probe request for what was entered (the practice server's ports in demo mode)."""
        s = self.state
        credentials = Credentials(s.username, s.password) if s.password else None
        if self.demo is not None and s.server == self.demo.host:
            return ProbeRequest(
                host=self.demo.host,
                mail_from=s.address,
                ports=self.demo.ports,
                rcpt_other=self.demo.rcpt_other,
                credentials=credentials,
                cafile=self.demo.cafile,
                implicit_tls_ports=self.demo.implicit_tls_ports,
            )
        return ProbeRequest(host=s.server, mail_from=s.address, credentials=credentials)

    # -- the flow ---------------------------------------------------------------
    def on_mount(self) -> None:
        self.run_flow()

    @contextlib.asynccontextmanager
    async def _practice(self) -> AsyncIterator[None]:
        if not self.practice:
            yield
            return
        from relaywiz.demo.thread import PracticeThread

        server = PracticeThread()
        info = await asyncio.to_thread(server.start)
        try:
            self.demo = info
            if not self.state.address:
                self.state.address = info.mail_from
                self.state.server = info.host
                self.state.server_source = "the practice server"
            yield
        finally:
            await asyncio.to_thread(server.stop)

    @work(exclusive=True, group="flow")
    async def run_flow(self) -> None:
        async with self._practice():
            while True:
                path = await self.push_screen_wait(self._welcome())
                if path is BACK:
                    break
                if path == "wizard":
                    if await self._wizard():
                        break
                elif path == "explain":
                    await self._other_path("explain")
                elif path == "check":
                    await self._other_path("check")
        report = self.state.report
        self.exit(report.exit_code if report is not None else 0)

    def _welcome(self) -> Any:
        from relaywiz.tui.screens.welcome import WelcomeScreen

        paths = ["wizard"]
        if self.core.can_explain():
            paths.append("explain")
        if self.core.can_check_domain():
            paths.append("check")
        return WelcomeScreen(
            self.state, self.helpdesk, (1, len(self._steps()) + 1), paths=tuple(paths)
        )

    def _steps(self) -> list[str]:
        steps = ["account", "situation", "credentials", "probe", "diagnosis", "report"]
        if self.helpdesk:
            steps.insert(2, "caller_error")
            steps.insert(steps.index("report"), "caller_check")
        return steps

    async def _wizard(self) -> bool:
        """Walk the steps; True when finished, False when the person backed out to the start."""
        steps = self._steps()
        i = 0
        while i < len(steps):
            screen = self._screen(steps[i], (i + 2, len(steps) + 1))
            result = await self.push_screen_wait(screen)
            if result is BACK:
                if i == 0:
                    return False
                i -= 1
                continue
            self._apply(steps[i], result)
            i += 1
        return True

    def _screen(self, name: str, step: tuple[int, int]) -> Any:
        from relaywiz.tui.screens import (
            account,
            caller_check,
            caller_error,
            credentials,
            diagnosis,
            probe,
            report,
            situation,
        )

        args = (self.state, self.helpdesk, step)
        if name == "account":
            return account.AccountScreen(*args)
        if name == "situation":
            return situation.SituationScreen(*args)
        if name == "caller_error":
            return caller_error.CallerErrorScreen(*args)
        if name == "credentials":
            return credentials.CredentialsScreen(*args)
        if name == "probe":
            request = self.build_request()
            previous = self.state.report if request == self._last_request else None
            self._last_request = request
            return probe.ProbeScreen(*args, request=request, previous=previous)
        assert self.state.report is not None
        if name == "diagnosis":
            return diagnosis.DiagnosisScreen(*args, report=self.state.report)
        if name == "caller_check":
            return caller_check.CallerCheckScreen(*args, report=self.state.report)
        return report.ReportScreen(*args, report=self.state.report, directory=self.report_dir)

    def _apply(self, name: str, result: Any) -> None:
        s = self.state
        if isinstance(result, AccountAnswer):
            s.address, s.server, s.server_source = (
                result.address,
                result.server,
                result.server_source,
            )
            if result.account_type is not None and s.account_type is AccountType.UNKNOWN:
                s.account_type = result.account_type
        elif isinstance(result, SituationAnswer):
            s.location, s.account_type = result.location, result.account_type
            s.recipient_domain = result.recipient_domain
        elif isinstance(result, CredentialsAnswer):
            s.username = result.username
            s.password = result.password
            s.password_source = result.source if result.password else ""
            s.save_password = result.save
            if result.save and result.password:
                problem = self.core.save_password(result.username, result.password)
                if problem:
                    self.notify(f"Not saved in the keyring: {problem}", severity="warning")
                else:
                    self.notify("Password saved in the keyring.")
        elif name == "caller_error":
            s.client_error, s.client_error_meaning = result
        elif isinstance(result, Report):
            s.report = result
        elif name == "caller_check":
            s.caller_checks = list(result)

    async def _other_path(self, name: str) -> None:
        from relaywiz.tui.screens.other_paths import CheckScreen, ExplainScreen

        cls = ExplainScreen if name == "explain" else CheckScreen
        await self.push_screen_wait(cls(self.state, self.helpdesk, (2, 2)))


def run_wizard(helpdesk: bool, demo: bool) -> int:
    """Open the wizard; returns the exit code (that of the report, 0 if none was made)."""
    app = RelayWizApp(CoreFacade(), helpdesk=helpdesk, practice=demo)
    result = app.run()
    return int(result) if result is not None else 0
