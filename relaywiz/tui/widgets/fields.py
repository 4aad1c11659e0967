"""Form fields that move the focus on at once when a choice is made.

In a real terminal keys arrive in bursts; the focus must move while the key is
handled (not later, in a message handler), so that keys typed ahead land in
the next field instead of the one just left.
"""

from __future__ import annotations

from textual.widgets import Input, RadioSet


class ChoiceSet(RadioSet):
    """Radio buttons where enter or space chooses and goes on to the next field."""

    def action_toggle_button(self) -> None:
        super().action_toggle_button()
        self.screen.focus_next()


class NextInput(Input):
    """A text field where enter goes on to the next field (and still posts Submitted)."""

    async def action_submit(self) -> None:
        self.screen.focus_next()
        await super().action_submit()
