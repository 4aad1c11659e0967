"""The whole wizard, driven from the keyboard against recorded probes (both voices)."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet

from relaywiz.core.model import AccountType, Location, RecipientDomain
from relaywiz.tui import drive
from relaywiz.tui.app import RelayWizApp
from relaywiz.tui.recorded import ADDRESS, HOST, SCENARIOS, RecordedCore
from relaywiz.tui.screens.account import AccountScreen
from relaywiz.tui.screens.credentials import CredentialsScreen
from relaywiz.tui.screens.diagnosis import DiagnosisScreen
from relaywiz.tui.screens.probe import ProbeScreen
from relaywiz.tui.screens.report import ReportScreen
from relaywiz.tui.screens.situation import SituationScreen
from relaywiz.tui.screens.welcome import WelcomeScreen
from tests.tui.conftest import CANARY, MemoryKeyring, screen_text


def _flat(text: str) -> str:
    return "".join(text.split())


def _app(scenario: str, tmp_path: Path, helpdesk: bool = False, **core: object) -> RelayWizApp:
    return RelayWizApp(
        RecordedCore(SCENARIOS[scenario], **core),  # type: ignore[arg-type]
        helpdesk=helpdesk,
        report_dir=tmp_path,
    )


async def test_end_user_flow_saves_a_report_and_exits_with_its_code(
    tmp_path: Path, no_keyring: None
) -> None:
    app = _app("relay_denied", tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        assert isinstance(app.screen, AccountScreen)
        await drive.account(pilot, ADDRESS, HOST)
        assert isinstance(app.screen, SituationScreen)
        await drive.situation(pilot, Location.WORK, AccountType.ISP, RecipientDomain.OTHER)
        assert isinstance(app.screen, CredentialsScreen)
        assert "No system keyring" in screen_text(app)
        await drive.credentials(pilot, None)
        assert isinstance(app.screen, ProbeScreen)
        await drive.probe_done(pilot)
        text = screen_text(app)
        assert "relay denied" in text and "554 5.7.1" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosisScreen)
        assert "No working way to send" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await drive.type_text(pilot, "nothing yet")
        await pilot.press("enter", "enter")  # on to Save (Markdown is the default format)
        await pilot.pause()
        saved = list(tmp_path.glob("*.md"))
        assert len(saved) == 1
        assert _flat(f"Saved Markdown to {saved[0]}") in _flat(screen_text(app))
        assert "Relay access denied" in saved[0].read_text()
        app.screen.query_one("#finish").press()
        await pilot.pause()
    core = app.core
    assert isinstance(core, RecordedCore)
    request = core.requests[0]
    assert (request.host, request.mail_from, request.credentials) == (HOST, ADDRESS, None)
    assert core.situations[0].location is Location.WORK
    assert core.situations[0].account_type is AccountType.ISP
    assert app.return_value == 2  # no working way to send


async def test_helpdesk_flow_carries_the_callers_error_and_checks_into_the_ticket(
    tmp_path: Path, no_keyring: None
) -> None:
    app = _app("port25_blocked", tmp_path, helpdesk=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        assert "Ask the caller" in screen_text(app)
        await drive.situation(pilot, Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)
        await drive.caller_error(pilot, "0x800CCC0E", go_on=False)
        assert "cannot connect to the server" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await drive.credentials(pilot, "not-the-canary")
        await drive.probe_done(pilot)
        assert "helpdesk's" in screen_text(app) or "YOUR network" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert "Test-NetConnection -ComputerName mail.example-isp.net -Port 465" in text
        assert "nc -vz mail.example-isp.net 465" in text
        await pilot.press("shift+tab", "down", "down", "enter")  # port 25
        await pilot.pause()
        await pilot.pause()
        assert "Test-NetConnection -ComputerName mail.example-isp.net -Port 25" in screen_text(app)
        await drive.type_text(pilot, "TcpTestSucceeded : False")
        await pilot.pause()
        assert "blocks it" in screen_text(app) or "does not answer" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        await drive.type_text(pilot, "Set port 465 SSL/TLS")
        await pilot.press("tab", "down", "enter")  # JSON
        await pilot.press("tab", "tab", "enter")  # Save
        await pilot.pause()
        saved = list(tmp_path.glob("*.json"))
        assert len(saved) == 1, list(tmp_path.iterdir())
    core = app.core
    assert isinstance(core, RecordedCore)
    assert core.situations[0].client_error == "0x800CCC0E"
    doc = json.loads(saved[0].read_text())
    ticket = {t["field"]: t["value"] for t in doc["ticket"]}
    assert ticket["Changed"] == "Set port 465 SSL/TLS"
    assert ticket["Caller's port 25"].startswith("blocked")
    assert "0x800CCC0E" in ticket["Error seen"]
    assert "helpdesk's network" in ticket["Tried"]
    assert "not-the-canary" not in saved[0].read_text()


async def test_escape_goes_back_on_every_step_and_keeps_what_was_entered(
    tmp_path: Path, no_keyring: None
) -> None:
    app = _app("all_good", tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.MOBILE, AccountType.OWN_DOMAIN, RecipientDomain.SAME)
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SituationScreen)
        sets = {rs.id: rs.pressed_index for rs in app.screen.query(RadioSet)}
        assert sets == {"where": 3, "whose": 3, "recipient": 1}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.query_one("#address", Input).value == ADDRESS
        assert app.screen.query_one("#server", Input).value == HOST
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#address", Input).value == ADDRESS
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "enter")  # answers kept: straight to Next
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
        await drive.credentials(pilot, "typed-secret")
        await drive.probe_done(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosisScreen)
        await pilot.press("escape")  # back to the finished probe: shown again, not re-run
        await pilot.pause()
        assert isinstance(app.screen, ProbeScreen)
        assert "Done in" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
        assert app.screen.query_one("#password", Input).value == "typed-secret"
    core = app.core
    assert isinstance(core, RecordedCore)
    assert len(core.requests) == 1


async def test_escape_cancels_a_running_probe_then_goes_back(
    tmp_path: Path, no_keyring: None
) -> None:
    app = _app("port25_blocked", tmp_path, hold_after=20)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)
        await drive.credentials(pilot, None)
        screen = app.screen
        assert isinstance(screen, ProbeScreen)
        await pilot.pause()
        assert screen.running
        assert "testing" in screen_text(app)
        await pilot.press("t")  # the transcript so far, one key away
        await pilot.pause()
        assert "still running" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.running
        assert "Cancelled" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)


def test_quitting_mid_probe_stops_the_probe_and_the_app_exits(
    tmp_path: Path, no_keyring: None
) -> None:
    """ctrl+q while a probe runs: the probe's thread is cancelled, so app.run() returns.

    app.run() (unlike run_test) cancels its workers before the screens unmount and
    then waits for every executor thread; a probe left running would hang it.
    """
    core = RecordedCore(SCENARIOS["port25_blocked"], hold_after=20)
    app = RelayWizApp(core, report_dir=tmp_path)

    async def quit_mid_probe(pilot: Pilot[int]) -> None:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER)
        await drive.credentials(pilot, None)
        await drive.probe_held(pilot)
        await pilot.press("ctrl+q")

    runner = threading.Thread(
        target=lambda: app.run(headless=True, auto_pilot=quit_mid_probe, size=(100, 32)),
        daemon=True,
    )
    runner.start()
    runner.join(timeout=120)  # a hang fails here; a normal quit takes about a second
    assert core.held.is_set(), "the probe never reached its held point"
    assert core.released.is_set(), "the probe was not cancelled when the app quit"
    assert not runner.is_alive(), "app.run() did not return after ctrl+q mid-probe"


async def test_canary_password_is_never_shown_saved_or_logged(
    tmp_path: Path, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    captures: list[str] = []
    app = _app("all_good", tmp_path, helpdesk=True)
    async with app.run_test(size=(100, 32)) as pilot:

        def capture() -> None:
            captures.append(app.export_screenshot())
            captures.append(screen_text(app))

        await drive.start_wizard(pilot)
        capture()
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.HOME, AccountType.ISP, RecipientDomain.OTHER)
        await drive.caller_error(pilot, "")
        text = screen_text(app)
        assert "Keyring: tests.tui.conftest.MemoryKeyring" in text or "MemoryKeyring" in text
        await drive.type_text(pilot, CANARY)
        await pilot.press("tab", "enter")  # tick "save in the keyring"
        await pilot.pause()
        capture()
        await pilot.press("shift+tab", "enter")  # back in the password field: go on
        await pilot.pause()
        await drive.probe_done(pilot)
        capture()
        await pilot.press("t")
        await pilot.pause()
        capture()
        await pilot.press("escape", "enter")
        await pilot.pause()
        capture()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        capture()
        for fmt_keys in ((), ("down",), ("down",)):  # Markdown, JSON, text
            app.screen.query_one("#format").focus()
            await pilot.press(*fmt_keys, "enter")
            app.screen.query_one("#save").focus()
            await pilot.press("enter")
            await pilot.pause()
            capture()
    assert memory_keyring.store == {("relaywiz", ADDRESS): CANARY}
    core = app.core
    assert isinstance(core, RecordedCore)
    creds = core.requests[0].credentials
    assert creds is not None and creds.password == CANARY
    assert CANARY not in repr(core.requests[0]) and CANARY not in str(creds)
    assert CANARY not in repr(app.state)
    reports = sorted(p.suffix for p in tmp_path.iterdir())
    assert reports == [".json", ".md", ".txt"]
    for path in tmp_path.iterdir():
        assert CANARY not in path.read_text()
    assert len(captures) == 18  # nine screens, each as SVG and as text
    for shot in captures:
        assert CANARY not in shot
    assert CANARY not in caplog.text

    # The next run offers the saved password and uses it without it being typed.
    again = _app("all_good", tmp_path)
    async with again.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.HOME, AccountType.ISP, RecipientDomain.OTHER)
        assert "Use the password saved in the keyring" in screen_text(again)
        await drive.credentials(pilot, None)
        await drive.probe_done(pilot)
        assert CANARY not in again.export_screenshot()
    core = again.core
    assert isinstance(core, RecordedCore)
    creds = core.requests[0].credentials
    assert creds is not None and creds.password == CANARY


async def test_helpdesk_reads_the_words_of_a_dialog_as_evidence(
    tmp_path: Path, no_keyring: None
) -> None:
    app = _app("relay_denied", tmp_path, helpdesk=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await drive.start_wizard(pilot)
        await drive.account(pilot, ADDRESS, HOST)
        await drive.situation(pilot, Location.WORK, AccountType.ISP, RecipientDomain.OTHER)
        loading = [w for w in app.workers if w.group == "explainer"]
        if loading:  # an empty list would mean: wait for every worker
            await app.workers.wait_for_complete(loading)
        await pilot.pause()
        await drive.caller_error(pilot, "Relay access denied", go_on=False)
        assert "0x800CCC79: relay denied" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
        assert app.state.client_error == "Relay access denied"
        assert "relay denied" in app.state.client_error_meaning
