"""screens/ holds one SVG per wizard screen and key outcome, and each equals a fresh render."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.screen import Screen

import relaywiz.tui.screens
from relaywiz.tui import gallery
from relaywiz.tui.screens.base import WizardScreen

REGENERATE = "regenerate with: python -m relaywiz.tui.gallery"


def _screen_classes() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.iter_modules(relaywiz.tui.screens.__path__, "relaywiz.tui.screens."):
        module = importlib.import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, Screen)
                and obj.__module__ == module.__name__
                and obj is not WizardScreen
            ):
                names.add(name)
    return names


def test_every_screen_and_key_outcome_has_a_gallery_entry() -> None:
    classes = _screen_classes()
    assert len(classes) >= 10, classes
    covered = {e.screen for e in gallery.ENTRIES}
    assert classes - covered == set(), f"screens without a gallery entry: {classes - covered}"
    names = {e.name for e in gallery.ENTRIES}
    for outcome in ("relay-denied", "port25-blocked", "all-good"):
        assert any(outcome in n for n in names), outcome


def test_no_stale_pictures_in_the_gallery() -> None:
    names = {e.name for e in gallery.ENTRIES}
    files = {p.stem for p in gallery.gallery_dir().glob("*.svg")}
    assert files == names, f"{REGENERATE} (and delete stale files)"


@pytest.mark.parametrize("entry", gallery.ENTRIES, ids=[e.name for e in gallery.ENTRIES])
async def test_gallery_picture_equals_a_fresh_render(entry: gallery.Entry) -> None:
    stored = gallery.gallery_dir() / f"{entry.name}.svg"
    assert stored.exists(), f"screens/{entry.name}.svg is missing; {REGENERATE}"
    fresh = await gallery.render(entry)
    assert fresh == stored.read_text(encoding="utf-8"), (
        f"screens/{entry.name}.svg differs; {REGENERATE}"
    )
