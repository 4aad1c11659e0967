"""Keyboard walks through the wizard, shared by the screenshot gallery and the tests.

Each function presses the keys a person would press; nothing reaches into a
screen's internals except to wait for the probe worker to finish.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from relaywiz.core.model import AccountType, Location, RecipientDomain
from relaywiz.tui.screens.situation import ACCOUNTS, LOCATIONS, RECIPIENTS


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Enter `text` into the focused field as a terminal paste (one event, as a person pastes)."""
    focused = pilot.app.focused
    assert focused is not None, "nothing has the focus"
    focused.post_message(events.Paste(text))
    await pilot.pause()


async def type_keys(pilot: Pilot[int], text: str) -> None:
    """Enter `text` key by key."""
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def start_wizard(pilot: Pilot[int]) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def account(pilot: Pilot[int], address: str, server: str | None) -> None:
    """Fill the account step (server None: keep what is suggested) and go on."""
    await type_text(pilot, address)
    await pilot.press("tab")
    if server is not None:
        await pilot.press("ctrl+u")  # clear a suggestion
        await type_text(pilot, server)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def choose(pilot: Pilot[int], index: int) -> None:
    await pilot.press(*(["down"] * index), "enter")


async def situation(
    pilot: Pilot[int],
    location: Location,
    account_type: AccountType,
    recipient: RecipientDomain,
    go_on: bool = True,
) -> None:
    """Answer the three questions (each enter moves on to the next); then Next."""
    await choose(pilot, [v for v, _ in LOCATIONS].index(location))
    await choose(pilot, [v for v, _ in ACCOUNTS].index(account_type))
    await choose(pilot, [v for v, _ in RECIPIENTS].index(recipient))
    await pilot.pause()
    if go_on:
        await pilot.press("enter")
        await pilot.pause()


async def caller_error(pilot: Pilot[int], text: str, go_on: bool = True) -> None:
    await type_text(pilot, text)
    await pilot.pause()
    if go_on:
        await pilot.press("enter")
        await pilot.pause()


async def credentials(pilot: Pilot[int], password: str | None) -> None:
    """Type the password (None: test without one) and go on."""
    if password:
        await type_text(pilot, password)
    await pilot.press("enter")
    await pilot.pause()


async def probe_done(pilot: Pilot[int]) -> None:
    """Wait until the probe screen's worker has finished and its messages are handled."""
    from relaywiz.tui.screens.probe import ProbeScreen

    screen = pilot.app.screen
    assert isinstance(screen, ProbeScreen), type(screen).__name__
    worker = screen._worker
    if worker is not None:
        await pilot.app.workers.wait_for_complete([worker])
    await pilot.pause()
    await pilot.pause()


async def probe_held(pilot: Pilot[int]) -> None:
    """Wait until a held recorded probe has stopped and the screen has shown all it sent."""
    from relaywiz.tui.recorded import RecordedCore
    from relaywiz.tui.screens.probe import ProbeScreen

    app = pilot.app
    core = getattr(app, "core", None)
    screen = app.screen
    assert isinstance(core, RecordedCore) and isinstance(screen, ProbeScreen)
    for _ in range(1000):
        if core.held.is_set() and not screen._events and not screen._flush_posted:
            break
        await pilot.pause(0.01)
    await pilot.pause()
