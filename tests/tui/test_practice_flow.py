"""The wizard with the real core against the practice server (real aiosmtpd on loopback)."""

from __future__ import annotations

from pathlib import Path

from relaywiz.core.model import AccountType, Location, Outcome, RecipientDomain
from relaywiz.tui import drive
from relaywiz.tui.app import RelayWizApp
from relaywiz.tui.facade import CoreFacade
from relaywiz.tui.screens.diagnosis import DiagnosisScreen
from relaywiz.tui.screens.probe import ProbeScreen
from tests.tui.conftest import screen_text


async def test_demo_mode_probes_the_practice_server_and_recommends_587(
    tmp_path: Path, no_keyring: None
) -> None:
    app = RelayWizApp(CoreFacade(), practice=True, report_dir=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        demo = app.demo
        assert demo is not None
        assert "practice-1234" in screen_text(app)
        await drive.start_wizard(pilot)
        # The practice address and server are filled in: enter, enter.
        await pilot.press("enter", "enter")
        await pilot.pause()
        await drive.situation(pilot, Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)
        await drive.credentials(pilot, demo.password)
        await drive.probe_done(pilot)
        screen = app.screen
        assert isinstance(screen, ProbeScreen)
        report = screen.report
        assert report is not None
        outcomes = {demo.standard_port(p.port): p.outcome for p in report.evidence.ports}
        assert (outcomes[587], outcomes[465]) == (Outcome.OK, Outcome.REFUSED)
        port_25 = next(p for p in report.evidence.ports if demo.standard_port(p.port) == 25)
        assert Outcome.RELAY_DENIED in {a.outcome for a in port_25.attempts}
        port_587 = next(p for p, std in demo.stands_for if std == 587)
        assert f"{port_587} (587)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosisScreen)
        text = screen_text(app)
        assert str(port_587) in text and "STARTTLS" in text
        rec = report.recommendation
        assert rec is not None and rec.port == port_587 and rec.auth
        assert rec.security.value == "starttls"
    assert demo.password not in "".join(p.read_text() for p in tmp_path.iterdir())


async def test_wrong_password_on_the_practice_server_says_so(
    tmp_path: Path, no_keyring: None
) -> None:
    app = RelayWizApp(CoreFacade(), practice=True, report_dir=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await pilot.press("enter", "enter")
        await pilot.pause()
        await drive.situation(pilot, Location.HOME, AccountType.ISP, RecipientDomain.OTHER)
        await drive.credentials(pilot, "not-the-practice-password")
        await drive.probe_done(pilot)
        screen = app.screen
        assert isinstance(screen, ProbeScreen)
        report = screen.report
        assert report is not None
        demo = app.demo
        assert demo is not None
        by_std = {demo.standard_port(p.port): p.outcome for p in report.evidence.ports}
        assert by_std[587] is Outcome.AUTH_FAILED
        assert "password refused" in screen_text(app)
