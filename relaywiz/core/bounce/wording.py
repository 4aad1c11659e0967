"""Rules as data: a category, a regex over lower-cased text, and the literals it starts with.

Classification is most of explain's own cost, so each rule carries the literal
texts every one of its matches begins with (derived from the regex itself); a
text is scanned once for all literals, and a rule's regex is tried only where
one of its literals occurs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from relaywiz.core.bounce.model import Category


@dataclass(frozen=True)
class Rule:
    """One wording of one cause."""

    category: Category
    pattern: re.Pattern[str]
    weak: bool = False  # generic words: a specific status code overrules them
    note: str | None = None  # a remedy key more precise than the category's
    # literal fragments one of which every match contains (None: always try the regex)
    triggers: tuple[str, ...] | None = None

    def search(self, text: str) -> bool:
        """Does this rule's wording occur in (lower-cased) `text`?"""
        if self.triggers is None:
            return self.pattern.search(text) is not None
        # every branch starts with one of the triggers: try the regex only where one occurs
        match = self.pattern.match
        for t in self.triggers:
            i = text.find(t)
            while i >= 0:
                if match(text, i):
                    return True
                i = text.find(t, i + 1)
        return False


_META = set(".^$*+?{}[]\\|()")


def _alternatives(pattern: str) -> list[str]:
    """The top-level branches of a regex (split at | outside any group or class)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _leading(branch: str) -> tuple[str, ...] | None:
    """The literal starts one branch can have (expanding a leading (?:a|b) group)."""
    if branch.startswith("\\b"):
        branch = branch[2:]
    if branch.startswith("(?:"):
        depth, end = 0, -1
        for i, c in enumerate(branch):
            depth += (c == "(") - (c == ")")
            if depth == 0:
                end = i
                break
        if end < 0 or branch[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        inner = triggers_of(branch[3:end])
        return inner
    lit, i = "", 0
    while i < len(branch):
        c = branch[i]
        if c == "\\" and i + 1 < len(branch) and not branch[i + 1].isalnum():
            lit += branch[i + 1]
            i += 2
            continue
        if c in _META:
            if c in "?*{" and lit:
                lit = lit[:-1]  # the previous character is optional or repeated
            break
        lit += c
        i += 1
    return (lit,) if len(lit) >= 3 else None


def triggers_of(pattern: str) -> tuple[str, ...] | None:
    """Literal texts one of which every match starts with (None if a branch has none).

    Lets a rule be skipped with a few `in` tests when none of its words is in the text,
    instead of a regex scan: classification is most of explain's own cost.
    """
    found: list[str] = []
    for branch in _alternatives(pattern):
        starts = _leading(branch)
        if starts is None:
            return None
        found.extend(starts)
    return tuple(found)


def rule(category: Category, pattern: str, *, weak: bool = False, note: str | None = None) -> Rule:
    """A rule for `category`: `pattern` is matched against lower-cased text."""
    return Rule(category, re.compile(pattern), weak, note, triggers_of(pattern))


def index(
    rules: Sequence[Rule],
) -> tuple[tuple[str, ...], dict[str, frozenset[int]], frozenset[int]]:
    """(every literal, literal -> the rules it starts, rules that must always be tried)."""
    by_trigger: dict[str, set[int]] = {}
    always: set[int] = set()
    for i, r in enumerate(rules):
        if r.triggers is None:
            always.add(i)
            continue
        for t in r.triggers:
            by_trigger.setdefault(t, set()).add(i)
    frozen = {t: frozenset(ix) for t, ix in by_trigger.items()}
    return tuple(frozen), frozen, frozenset(always)
