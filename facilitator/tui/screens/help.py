"""Every key the run screen answers to, in one place."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "Two ways of typing. In the capture bar (bottom) every key is text: type the group, Tab, the answer, "
    "Enter records it. Esc leaves the bar; then single keys are commands on the answer board. "
    "Ctrl+P opens the command palette: every action by name, and any agenda item to jump to."
)


def key_table(sources: list[tuple[str, list]]) -> Table:
    """A table of (where, key, what) from lists of Textual bindings."""
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="bold")
    table.add_column("where")
    table.add_column("key", style="bold")
    table.add_column("does")
    for where, bindings in sources:
        for binding in bindings:
            keys = binding.key_display or " / ".join(binding.key.split(","))
            # Text, not markup: a description may name a category from the programme.
            does = binding.tooltip or binding.description
            table.add_row(Text(where), Text(keys.replace("question_mark", "?")), Text(does))
            where = ""
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every binding with what it does; Esc or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $primary;
                                  background: $surface; padding: 1 2; }
    HelpScreen #help-intro { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close help")]

    def __init__(self, sources: list[tuple[str, list]], notice: str = "") -> None:
        """`notice`: why the notes are not saved, in full, when they are not (the top line has the reason)."""
        super().__init__()
        self.sources = sources
        self.notice = notice

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            if self.notice:
                yield Static(Text(f"NOT SAVED — {self.notice}", style="bold red"), id="help-notice")
            yield Static(INTRO, id="help-intro")
            yield Static(key_table(self.sources), id="help-keys")
