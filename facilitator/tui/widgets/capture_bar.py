"""Where the rapporteur types: a group, an answer, Enter."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input


class GroupSuggester(Suggester):
    """Completes a group name from the programme's groups and those already used."""

    def __init__(self, names: Callable[[], list[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        folded = value.casefold()
        if not folded:
            return None
        for name in self.names():
            if name.casefold().startswith(folded):
                return name
        # Second chance: any word of the name (e.g. "herz" → Bosnia and Herzegovina).
        for name in self.names():
            if any(word.casefold().startswith(folded) for word in name.split()[1:]):
                return name
        return None


class CaptureBar(Horizontal):
    """Group field and answer field; Enter in the answer records it."""

    BINDINGS = [
        Binding("escape", "leave", "Commands", tooltip="Leave the capture bar to use single-key commands"),
    ]
    DEFAULT_CSS = """
    CaptureBar { height: auto; background: $panel; }
    CaptureBar > #capture-group { width: 30; }
    CaptureBar > #capture-text { width: 1fr; }
    """

    class Captured(Message):
        """The rapporteur pressed Enter on an answer."""

        def __init__(self, group: str, text: str) -> None:
            self.group = group
            self.text = text
            super().__init__()

    class Left(Message):
        """The rapporteur pressed Escape to go back to commands."""

    def __init__(self, names: Callable[[], list[str]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Group or delegation", id="capture-group", suggester=GroupSuggester(self.names))
        yield Input(placeholder="Answer — Enter records it", id="capture-text")

    @property
    def group_input(self) -> Input:
        return self.query_one("#capture-group", Input)

    @property
    def text_input(self) -> Input:
        return self.query_one("#capture-text", Input)

    @on(Input.Submitted, "#capture-group")
    def _group_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept_suggestion()
        self.text_input.focus()

    @on(Input.Blurred, "#capture-group")
    def _group_left(self, event: Input.Blurred) -> None:
        self._accept_suggestion()

    def _accept_suggestion(self) -> None:
        # "Camb" + Tab or Enter means "Cambodia": take the completion on show.
        group = self.group_input
        if group.value and group.cursor_at_end:
            group.action_cursor_right()

    @on(Input.Submitted, "#capture-text")
    def _answer_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Captured(self.group_input.value, self.text_input.value))

    def accepted(self) -> None:
        """The answer was recorded: clear it, keep the group for the next point."""
        self.text_input.value = ""
        self.text_input.focus()

    def action_leave(self) -> None:
        self.post_message(self.Left())
