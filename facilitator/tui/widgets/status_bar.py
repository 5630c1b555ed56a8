"""The top line: clock, programme and current item, how late the day runs, save state."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from facilitator.tui.colours import badge, colour, muted


class StatusBar(Static):
    """Always-visible facts: the time, where we are, delay, and whether notes are safe.

    One widget drawing a one-row grid, not four: it is redrawn every second and
    each extra widget costs start-up time for styling and layout.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; dock: top; background: $panel; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.now: dt.datetime | None = None
        self.where = ""
        self.delay_minutes = 0
        self.summary = ""
        self.save_state = "saved"
        self.save_message = ""
        self._drawn: tuple = ()

    def show_time(self, now: dt.datetime, where: str, delay_minutes: int, summary: str) -> None:
        self.now, self.where, self.delay_minutes, self.summary = now, where, delay_minutes, summary
        self._draw()

    def show_saved(self, state: str, message: str = "") -> None:
        self.save_state, self.save_message = state, message
        self.tooltip = message or None
        self._draw()

    @property
    def saved_label(self) -> str:
        return {"saved": "● saved", "saving": "◌ saving…"}.get(self.save_state, f"✖ NOT SAVED: {self.save_message}")

    def _draw(self) -> None:
        app = self.app
        # Called every second: when nothing it shows has changed (a rehearsal
        # clock that stands still, a save state set twice) it draws nothing.
        drawn = (self.now, self.where, self.delay_minutes, self.summary, self.save_state, self.save_message, app.theme)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        grid = Table.grid(expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, max_width=60, overflow="ellipsis")
        clock = Text(f" {self.now:%H:%M:%S} " if self.now else "", style=badge(app, "primary"))
        delay = Text(f" {self.summary} ")
        if self.delay_minutes > 0:
            delay.stylize(badge(app, "warning"))
        elif self.delay_minutes < 0:
            delay.stylize(colour(app, "success", "green"))
        saved = Text(f" {self.saved_label} ", no_wrap=True, overflow="ellipsis")
        if self.save_state == "failed":
            saved.stylize(badge(app, "error"))
        elif self.save_state == "saving":
            saved.stylize(muted(app))
        else:
            saved.stylize(colour(app, "success", "green"))
        grid.add_row(clock, Text(f" {self.where}", style=muted(app)), delay, saved)
        self.update(grid, layout=False)  # one line, docked: its size never depends on the text
