"""The frozen vocabulary of `lint`: one result per rule, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from relaywiz.core.exitcodes import ExitCode


class LintStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


class LintInputError(ValueError):
    """The input is not an email message; the text says why."""


@dataclass(frozen=True)
class LintResult:
    """One rule: what was found, why it matters to receivers, and how to fix it."""

    id: str
    status: LintStatus
    found: str
    why: str
    fix: str | None = None


@dataclass(frozen=True)
class LintReport:
    """Every rule's result for one message, with a few facts to identify the message."""

    subject: str | None
    from_address: str | None
    size: int
    results: tuple[LintResult, ...]

    def by_id(self, rule_id: str) -> LintResult:
        for result in self.results:
            if result.id == rule_id:
                return result
        raise KeyError(rule_id)

    @property
    def exit_code(self) -> int:
        statuses = {r.status for r in self.results}
        if LintStatus.PROBLEM in statuses:
            return int(ExitCode.CRITICAL)
        if LintStatus.WARNING in statuses:
            return int(ExitCode.WARNING)
        return int(ExitCode.OK)
