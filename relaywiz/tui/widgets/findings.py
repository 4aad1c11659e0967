"""The diagnosis on screen: one block per finding, and the recommended settings as a table."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from relaywiz.core.model import Finding, Severity

SEVERITY_ORDER = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_MARK = {Severity.PROBLEM: "\u2717", Severity.WARNING: "!", Severity.INFO: "i"}


def most_important_first(findings: tuple[Finding, ...]) -> list[Finding]:
    """Problems, then warnings, then information; the core's order within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


class FindingView(Widget):
    """One finding: title, explanation, what to do, and the reply it rests on."""

    DEFAULT_CSS = "FindingView { height: auto; }"

    def __init__(self, finding: Finding, port_label: str | None = None) -> None:
        super().__init__(classes=f"-{finding.severity.value}")
        self.finding = finding
        self.port_label = port_label

    def compose(self) -> ComposeResult:
        f = self.finding
        style = {"problem": "$error", "warning": "$warning", "info": "$accent"}[f.severity.value]
        title: list[str | tuple[str, str]] = [
            (SEVERITY_MARK[f.severity] + " ", f"{style} bold"),
            (f.title, "bold"),
        ]
        if self.port_label:
            title.append((f"  (port {self.port_label})", "$text-muted"))
        if f.outlook_error:
            title.append((f"  Outlook {f.outlook_error}", "$text-muted"))
        yield Static(Content.assemble(*title))
        if f.explanation:
            yield Static(f.explanation, markup=False)
        if f.remedy:
            yield Static(Content.assemble(("What to do: ", "bold"), f.remedy))
        for line in f.evidence[:3]:
            yield Static(Content.assemble(("  \u2502 ", "$text-muted"), (line, "$text-muted")))


class SettingsTable(Static):
    """Field/value pairs in the client's own words: field names left, values right, wrapped."""

    def __init__(self, pairs: tuple[tuple[str, str], ...], *, id: str | None = None) -> None:
        super().__init__(self.table_of(pairs), id=id)

    @staticmethod
    def table_of(pairs: tuple[tuple[str, str], ...]) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(ratio=2, style="dim")
        table.add_column(ratio=3, style="bold")
        for key, value in pairs:
            table.add_row(key, value)
        return table

    def set_pairs(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.update(self.table_of(pairs))
