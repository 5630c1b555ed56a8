"""What a browser tab of `facilitator serve` shows when its app cannot start.

Each tab runs its own app; a second tab on a notes folder that another tab
(or a terminal) has open meets the folder's lock. Printed on stderr, the
reason would reach only the server's console and the tab would stay blank,
so the tab shows it.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class RefusalApp(App[None]):
    """The reasons the meeting could not be opened in this tab; any of q, Esc, Enter closes it."""

    TITLE = "facilitator"
    CSS = """
    Screen { align: center middle; }
    #refusal { width: 90%; max-width: 100; height: auto; border: thick $error; padding: 1 2; }
    """
    BINDINGS = [Binding("q,escape,enter,ctrl+q", "quit", "Close", tooltip="Close this tab's app")]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        text = (
            "This tab cannot open the meeting:\n\n"
            + "\n".join(self.problems)
            + "\n\nEach browser tab runs its own app: when another tab or terminal has these notes open, "
            "use that one. Enter closes this tab's app."
        )
        yield Static(text, id="refusal", markup=False)


def show_refusal(problems: list[str]) -> None:
    RefusalApp(problems).run()
