"""The filter above the answer board: narrows it as you type; Enter keeps it, Esc clears it."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from facilitator.tui.widgets.typed_input import TypedInput


class FilterBox(TypedInput):
    """Typed in, it filters (its `Changed` messages); `leave_to` is where Enter and Esc send the focus."""

    BINDINGS = [*TypedInput.BINDINGS,
                Binding("escape", "clear", "Clear filter", tooltip="Clear the filter and go back to the board")]

    class Cleared(Message):
        """Esc: the filter was emptied and put away."""

    def __init__(self, leave_to: Callable[[], Widget], **kwargs) -> None:
        super().__init__(**kwargs)
        self.leave_to = leave_to

    def enter(self, value: str) -> None:
        self.screen.set_focus(self.leave_to())  # now: the next keys are the board's commands

    def action_clear(self) -> None:
        self.value = ""
        self.display = False
        self.screen.set_focus(self.leave_to())
        self.post_message(self.Cleared())
