"""Every screen and state at 80x24: SVG snapshots, and the essentials visible without scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from relaywiz.tui import gallery
from tests.tui.conftest import screen_text

SMALL = (80, 24)

# What must be visible at 80x24 without scrolling, per gallery entry.
ESSENTIALS: dict[str, tuple[str, ...]] = {
    "01-welcome": ("I can't send mail", "never sends an email", "Quit"),
    "01-welcome-demo": ("Practice mode", "practice-1234", "I can't send mail"),
    "02-account": ("Which email address", "anna@example-isp.net", "mail.example-isp.net"),
    "03-situation": ("Where are you", "Who are you writing to", "Relaying denied"),
    "04-credentials": ("Password", "Next", "Test without a password"),
    "05-probe-running": ("587", "465", "2525", "testing", "escape cancels"),
    "05-probe-done": ("587", "465", "25 ", "2525", "relay denied", "554 5.7.1", "Transcript"),
    "05-transcript": ("RCPT TO:<postmaster@gmail.com>", "554 5.7.1", "relay_denied"),
    "06-diagnosis-all-good": ("mail.example-isp.net", "465", "SSL/TLS", "requires"),
    "06-diagnosis-relay-denied": ("No working way to send", "login"),
    "06-diagnosis-port25-blocked": ("mail.example-isp.net", "465", "SSL/TLS", "requires"),
    "07-report": ("What did you change", "Markdown", "File name", "Save"),
    "h1-welcome": ("Ask", "The caller can't send mail"),
    "h3-situation": ("Ask:", "Someone at another domain", "Relaying denied"),
    "h4-caller-error": ("Ask the caller", "0x800CCC79", "relaying denied"),
    "h7-caller-check": (
        "Test-NetConnection -ComputerName mail.example-isp.net -Port 25",
        "nc -vz mail.example-isp.net 25",
        "does not answer",
    ),
    "h8-report": ("What did you change with the caller", "Save"),
    "x-explain": ("Paste the error message", "Relay access denied"),
    "x-check": ("Which domain", "example-isp.net"),
}


def test_every_entry_lists_its_essentials() -> None:
    assert set(ESSENTIALS) == {e.name for e in gallery.ENTRIES}


@pytest.mark.parametrize("entry", gallery.ENTRIES, ids=[e.name for e in gallery.ENTRIES])
def test_snapshot_at_80x24_with_the_essentials_visible(
    entry: gallery.Entry, snap_compare: Any
) -> None:
    texts: list[str] = []

    async def drive_and_read(pilot: Pilot[int]) -> None:
        await entry.drive(pilot)
        await pilot.pause()
        texts.append(screen_text(pilot.app))

    assert snap_compare(gallery.make_app(entry), terminal_size=SMALL, run_before=drive_and_read)
    lines = texts[0].splitlines()
    assert len(lines) == SMALL[1]
    flat = " ".join(" ".join(line.split()) for line in lines)
    for needle in ESSENTIALS[entry.name]:
        assert " ".join(needle.split()) in flat, f"{entry.name}: {needle!r} not visible at 80x24"
    if entry.screen != "TranscriptScreen":
        assert "step" in lines[0]  # the step bar
        assert "esc" in lines[-1]  # the footer with the keys
