"""The screenshot gallery: every wizard screen and the key outcomes, rendered by the app itself.

`python -m relaywiz.tui.gallery` writes one SVG per entry into the top-level
`screens/` directory from fixed, recorded scenarios (no network). A test
renders every entry afresh and compares, and checks that every screen class
has an entry, so the pictures in the README never drift from the real UI.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from relaywiz.core.model import AccountType, Location, RecipientDomain
from relaywiz.demo import DemoInfo
from relaywiz.tui import drive
from relaywiz.tui.app import RelayWizApp
from relaywiz.tui.recorded import ADDRESS, HOST, SCENARIOS, RecordedCore
from relaywiz.tui.state import WizardState

SIZE = (100, 32)
GALLERY_PASSWORD = "gallery-password"  # typed into the password field; shown only as dots
DEMO = DemoInfo(
    host="127.0.0.1",
    ports=(10587, 10465, 10025),
    implicit_tls_ports=frozenset({10465}),
    mail_from="demo@isp.test",
    username="demo@isp.test",
    password="practice-1234",
    rcpt_other="friend@elsewhere.test",
    source_inside="127.0.0.2",
    cafile=None,
    stands_for=((10587, 587), (10465, 465), (10025, 25)),
)

Drive = Callable[[Pilot[int]], Awaitable[None]]


@dataclass(frozen=True)
class Entry:
    """One picture: which scenario, which voice, the keys that lead there, the screen shown."""

    name: str
    caption: str
    scenario: str
    helpdesk: bool
    drive: Drive
    screen: str  # class name of the screen the picture shows
    hold_after: int | None = None
    demo: bool = False
    size: tuple[int, int] = SIZE


SITUATIONS = {
    "all_good": (Location.HOME, AccountType.ISP, RecipientDomain.OTHER),
    "relay_denied": (Location.WORK, AccountType.ISP, RecipientDomain.OTHER),
    "port25_blocked": (Location.TRAVEL, AccountType.ISP, RecipientDomain.OTHER),
}
ERRORS = {"all_good": "", "relay_denied": "0x800CCC79", "port25_blocked": "0x800CCC0E"}


def walk(scenario: str, helpdesk: bool, until: str) -> Drive:
    """Keys from the welcome screen up to the step `until` (or through the whole flow)."""
    password = GALLERY_PASSWORD if SCENARIOS[scenario].password_given else None

    async def run(pilot: Pilot[int]) -> None:
        await drive.start_wizard(pilot)
        if until == "account":
            await drive.type_text(pilot, ADDRESS)
            await pilot.press("tab")
            await drive.type_text(pilot, HOST)
            return
        await drive.account(pilot, ADDRESS, HOST)
        situation = SITUATIONS[scenario]
        if until == "situation":
            await drive.situation(pilot, *situation, go_on=False)
            return
        await drive.situation(pilot, *situation)
        if helpdesk:
            if until == "caller_error":
                await drive.caller_error(pilot, ERRORS[scenario], go_on=False)
                return
            await drive.caller_error(pilot, ERRORS[scenario])
        if until == "credentials":
            if password:
                await drive.type_text(pilot, password)
            return
        await drive.credentials(pilot, password)
        if until == "probe_running":
            await drive.probe_held(pilot)
            return
        await drive.probe_done(pilot)
        if until == "probe":
            return
        if until == "transcript":
            await pilot.press("shift+tab", "shift+tab", "t")  # the row of port 25
            return
        await pilot.press("enter")
        await pilot.pause()
        if until == "diagnosis":
            return
        await pilot.press("n")
        await pilot.pause()
        if helpdesk:
            if until == "caller_check":
                await pilot.press("shift+tab", "down", "down", "enter")  # the caller checks 25
                await pilot.pause()
                await drive.type_text(pilot, "TcpTestSucceeded : False")
                return
            await pilot.press("enter")
            await pilot.pause()
        if until == "report":
            await drive.type_text(pilot, "Port 587 with STARTTLS and login")
            return

    return run


async def _welcome(pilot: Pilot[int]) -> None:
    await pilot.pause()


async def _explain(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()
    await drive.type_text(pilot, "554 5.7.1 <friend@example.org>: Relay access denied")
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.pause()


async def _check(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await pilot.pause()
    await drive.type_text(pilot, "example-isp.net")
    await pilot.press("enter")
    await pilot.pause()
    checks = [w for w in pilot.app.workers if w.group == "check"]
    if checks:  # (an empty list would mean "all workers", the wizard's flow included)
        await pilot.app.workers.wait_for_complete(checks)
    await pilot.pause()


ENTRIES: tuple[Entry, ...] = (
    Entry("01-welcome", "Welcome", "all_good", False, _welcome, "WelcomeScreen"),
    Entry(
        "01-welcome-demo",
        "Welcome, practice mode",
        "all_good",
        False,
        _welcome,
        "WelcomeScreen",
        demo=True,
    ),
    Entry(
        "02-account",
        "Your account",
        "all_good",
        False,
        walk("all_good", False, "account"),
        "AccountScreen",
    ),
    Entry(
        "03-situation",
        "Where are you: the relay verdict before any probe",
        "relay_denied",
        False,
        walk("relay_denied", False, "situation"),
        "SituationScreen",
    ),
    Entry(
        "04-credentials",
        "Log-in (password never shown)",
        "all_good",
        False,
        walk("all_good", False, "credentials"),
        "CredentialsScreen",
    ),
    Entry(
        "05-probe-running",
        "The live probe, in flight",
        "port25_blocked",
        False,
        walk("port25_blocked", False, "probe_running"),
        "ProbeScreen",
        hold_after=30,
    ),
    Entry(
        "05-probe-done",
        "The live probe, finished",
        "relay_denied",
        False,
        walk("relay_denied", False, "probe"),
        "ProbeScreen",
    ),
    Entry(
        "05-transcript",
        "The transcript, one key away",
        "relay_denied",
        False,
        walk("relay_denied", False, "transcript"),
        "TranscriptScreen",
    ),
    Entry(
        "06-diagnosis-all-good",
        "Outcome: all good",
        "all_good",
        False,
        walk("all_good", False, "diagnosis"),
        "DiagnosisScreen",
    ),
    Entry(
        "06-diagnosis-relay-denied",
        "Outcome: relay denied",
        "relay_denied",
        False,
        walk("relay_denied", False, "diagnosis"),
        "DiagnosisScreen",
    ),
    Entry(
        "06-diagnosis-port25-blocked",
        "Outcome: port 25 blocked",
        "port25_blocked",
        False,
        walk("port25_blocked", False, "diagnosis"),
        "DiagnosisScreen",
    ),
    Entry(
        "07-report",
        "Report",
        "all_good",
        False,
        walk("all_good", False, "report"),
        "ReportScreen",
    ),
    Entry(
        "h1-welcome",
        "Helpdesk: welcome",
        "relay_denied",
        True,
        _welcome,
        "WelcomeScreen",
    ),
    Entry(
        "h3-situation",
        "Helpdesk: questions to read aloud",
        "relay_denied",
        True,
        walk("relay_denied", True, "situation"),
        "SituationScreen",
    ),
    Entry(
        "h4-caller-error",
        "Helpdesk: the caller's error as evidence",
        "relay_denied",
        True,
        walk("relay_denied", True, "caller_error"),
        "CallerErrorScreen",
    ),
    Entry(
        "h7-caller-check",
        "Helpdesk: a check only the caller's network can answer",
        "port25_blocked",
        True,
        walk("port25_blocked", True, "caller_check"),
        "CallerCheckScreen",
    ),
    Entry(
        "h8-report",
        "Helpdesk: the ticket summary in the report",
        "port25_blocked",
        True,
        walk("port25_blocked", True, "report"),
        "ReportScreen",
    ),
    Entry(
        "x-explain", "Explain an error or a bounce", "all_good", False, _explain, "ExplainScreen"
    ),
    Entry("x-check", "Check a sending domain", "all_good", False, _check, "CheckScreen"),
)


def make_app(entry: Entry, report_dir: Path | None = None) -> RelayWizApp:
    """The app for an entry: the recorded core, and the fixed practice account when asked."""
    core = RecordedCore(
        SCENARIOS[entry.scenario], hold_after=entry.hold_after, without_keyring=True
    )
    return RelayWizApp(
        core,
        helpdesk=entry.helpdesk,
        demo_info=DEMO if entry.demo else None,
        report_dir=report_dir or Path("/nonexistent-gallery"),
        state=WizardState(),
    )


async def render(entry: Entry) -> str:
    """The SVG of one entry, freshly rendered."""
    app = make_app(entry)
    async with app.run_test(size=entry.size) as pilot:
        await entry.drive(pilot)
        await pilot.pause()
        shown = type(app.screen).__name__
        if shown != entry.screen:
            raise AssertionError(f"{entry.name}: expected {entry.screen}, the app shows {shown}")
        return app.export_screenshot(title=f"relaywiz - {entry.caption}")


def gallery_dir() -> Path:
    """The top-level screens/ directory of the source tree."""
    return Path(__file__).resolve().parents[2] / "screens"


async def _write_all(directory: Path, names: list[str]) -> None:
    directory.mkdir(exist_ok=True)
    for entry in ENTRIES:
        if names and entry.name not in names:
            continue
        (directory / f"{entry.name}.svg").write_text(await render(entry), encoding="utf-8")
        print(f"screens/{entry.name}.svg  {entry.caption}")


def main(argv: list[str] | None = None) -> int:
    """Write the gallery (all entries, or the names given)."""
    names = list(sys.argv[1:] if argv is None else argv)
    asyncio.run(_write_all(gallery_dir(), names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
