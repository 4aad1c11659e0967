"""The installed `relaywiz --demo` in a real terminal (tmux): typed through, read off the screen."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")
RELAYWIZ = shutil.which("relaywiz")


class Terminal:
    """One tmux server on a private socket, running one command in a window of 80x24."""

    def __init__(self, command: str, width: int = 80, height: int = 24) -> None:
        assert TMUX is not None
        self.socket = f"relaywiz-test-{os.getpid()}-{time.monotonic_ns()}"
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), command)

    def _tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def text(self, literal: str) -> None:
        self._tmux("send-keys", "-l", literal)

    def screen(self, escapes: bool = False) -> str:
        return self._tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        """The screen once `needle` shows on it (polling the real terminal)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; the screen shows:\n{screen}")

    def close(self) -> None:
        subprocess.run(
            [TMUX or "tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20
        )


@pytest.fixture
def terminal() -> Iterator[type[Terminal]]:
    if TMUX is None:
        pytest.skip("tmux is not installed (Debian package tmux)")
    if RELAYWIZ is None:
        pytest.skip("relaywiz is not installed on PATH (pip install -e .)")
    opened: list[Terminal] = []

    def factory(command: str) -> Terminal:
        term = Terminal(command)
        opened.append(term)
        return term

    yield factory  # type: ignore[misc]
    for term in opened:
        term.close()


def _demo_to_the_diagnosis(term: Terminal) -> tuple[str, str, str]:
    """Type through the practice flow: (practice password, probe screen, diagnosis screen)."""
    welcome = term.wait_for("I can't send mail")
    match = re.search(
        r"password (\S+)\. Use the address", " ".join(welcome.replace("│", " ").split())
    )
    assert match, welcome
    practice_password = match.group(1)
    term.keys("Enter")
    term.wait_for("Which email address")
    term.keys("Enter")  # the practice address is filled in
    term.keys("Enter")  # and so is its server
    term.wait_for("Where are you")
    term.keys("Down", "Down", "Enter")  # hotel, airport or café
    term.keys("Enter")  # my internet provider
    term.keys("Enter")  # someone at another domain
    term.wait_for("Relaying denied")  # the verdict, before any probe
    term.keys("Enter")  # Next
    shown = term.wait_for("Password").count(practice_password)  # once, in the practice box
    term.text(practice_password)
    assert term.wait_for("\u2022" * 4).count(practice_password) == shown  # typed as dots
    term.keys("Enter")
    probe = term.wait_for("Done in")
    term.keys("Enter")
    return practice_password, probe, term.wait_for("Outlook")


def test_installed_demo_walks_to_the_recommendation(terminal: type[Terminal]) -> None:
    term = terminal(f"{RELAYWIZ} --demo")
    _password, probe, screen = _demo_to_the_diagnosis(term)
    assert "(587)" in probe and "works" in probe and "connection refused" in probe
    flat = " ".join(screen.split())
    port = re.search(r"Outgoing server \(SMTP\) (\d+)", flat)
    assert port, screen
    assert f"{port.group(1)} (587)" in probe
    assert "STARTTLS" in flat
    assert re.search(r"My outgoing server \(SMTP\)\s+on\s+requires authentication", flat) or (
        "requires authentication on" in flat
    ), flat


def test_copy_to_clipboard_reaches_the_terminal_without_the_password(
    terminal: type[Terminal],
) -> None:
    """The report goes to the terminal's clipboard (OSC 52), which tmux keeps as a buffer."""
    term = terminal(f"{RELAYWIZ} --demo")
    term._tmux("set-option", "-s", "set-clipboard", "on")  # accept OSC 52 into a buffer
    password, _probe, _diagnosis = _demo_to_the_diagnosis(term)
    term.keys("n")  # on to the report
    term.wait_for("Copy to clipboard")
    term.keys("Tab", "Tab", "Tab", "Tab", "Enter")  # past what changed, format, name, Save
    term.wait_for("Copied the")
    copied = term._tmux("show-buffer")
    assert copied.startswith("#") and "587" in copied and "STARTTLS" in copied, copied[:400]
    assert password not in copied


SGR = re.compile(r"\x1b\[([0-9;]*)m")
GREYS_256 = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}


def _colours(screen: str) -> list[tuple[str, ...]]:
    """Every foreground/background colour set on the screen, as SGR parameter tuples."""
    found: list[tuple[str, ...]] = []
    for params in SGR.findall(screen):
        parts = params.split(";")
        i = 0
        while i < len(parts):
            if parts[i] in ("38", "48") and i + 1 < len(parts):
                if parts[i + 1] == "5":
                    found.append(tuple(parts[i : i + 3]))
                    i += 3
                    continue
                if parts[i + 1] == "2":
                    found.append(tuple(parts[i : i + 5]))
                    i += 5
                    continue
            if parts[i].isdigit() and (30 <= int(parts[i]) <= 37 or 90 <= int(parts[i]) <= 97):
                found.append((parts[i],))
            i += 1
    return found


def _grey(colour: tuple[str, ...]) -> bool:
    if len(colour) == 3:
        return int(colour[2]) in GREYS_256
    if len(colour) == 5:
        return colour[2] == colour[3] == colour[4]
    return colour[0] in ("30", "37", "90", "97")


def test_no_color_is_honoured(terminal: type[Terminal]) -> None:
    coloured = terminal(f"{RELAYWIZ} --demo")
    coloured.wait_for("I can't send mail")
    plain = terminal(f"env NO_COLOR=1 {RELAYWIZ} --demo")
    plain.wait_for("I can't send mail")
    with_colour = _colours(coloured.screen(escapes=True))
    without = _colours(plain.screen(escapes=True))
    assert any(not _grey(c) for c in with_colour), "the normal run shows no colour at all"
    assert without and all(_grey(c) for c in without), [c for c in without if not _grey(c)]
