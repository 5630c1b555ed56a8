"""The top line: clock, the item running and its countdown, how late the day runs, save state."""

from __future__ import annotations

import datetime as dt
import re

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widget import Widget

from facilitator.tui.colours import badge, colour, muted
from facilitator.tui.widgets.timeline import shorten

SEPARATOR = " · "
VIEWING = re.compile(r"viewing \d{1,2}:\d\d")  # how `Meeting.whereabouts` names the item on screen
# What a shortened part of "where" keeps at least before a later one gives way ("▶ Coordination…").
LEAST = 16


def fit_where(where: str, width: int) -> list[str]:
    """The parts of the top line's "where" (`Meeting.whereabouts`), shortened to fit `width`.

    The last part (the running item's countdown, or when the next item starts)
    is kept whole as long as anything else can give way; before it, the item
    on screen ("viewing 15:00 …") shortens first, then the running item's title,
    each on word boundaries and down to LEAST cells; then the item on screen
    goes, then the running item's title shortens further.
    """
    parts = where.split(SEPARATOR)
    excess = cell_len(where) - width
    for least in (LEAST, 1):
        for i, part in enumerate(parts[:-1]):
            if excess <= 0:
                return parts
            room = max(cell_len(part) - excess, min(least, cell_len(part)))
            short = shorten(part, room)
            viewing = VIEWING.match(part)
            if viewing and cell_len(short) <= len(viewing[0]) + 1:
                short = viewing[0]  # "viewing 15:00": the item panel shows its title
            excess -= cell_len(part) - cell_len(short)
            parts[i] = short
        if excess > 0 and len(parts) > 2 and VIEWING.fullmatch(parts[0]):
            # Still too long: the item on screen goes (the panel and the agenda show it)
            # before the running item's title shortens further.
            excess -= cell_len(parts.pop(0)) + len(SEPARATOR)
    if excess > 0:  # the last part too: a title before " at 15:00" shortens, the time stays
        last = parts[-1]
        head, at, time = last.rpartition(" at ")
        if at and cell_len(head) > excess:
            parts[-1] = shorten(head, cell_len(head) - excess) + at + time
        else:
            parts[-1] = shorten(last, max(cell_len(last) - excess, 1))
    return parts


class StatusBar(Widget):
    """Always-visible facts: the time, where we are, delay, and whether notes are safe.

    One widget drawing one line, not four widgets: it is redrawn every second
    and each extra widget costs start-up time for styling and layout.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; dock: top; background: $panel; text-wrap: nowrap; text-overflow: clip; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.now: dt.datetime | None = None
        self.where = ""
        self.delay_minutes = 0
        self.summary = ""
        self.rehearsal = ""
        self.save_state = "saved"
        self.save_message = ""
        self._drawn: tuple = ()

    def show_time(self, now: dt.datetime, where: str, delay_minutes: int, summary: str, rehearsal=None) -> None:
        self.now, self.where, self.delay_minutes, self.summary = now, where, delay_minutes, summary
        self.rehearsal = "" if rehearsal is None else (
            f"REHEARSAL ×{rehearsal.speed:g}" if rehearsal.speed != 1 else "REHEARSAL")
        self._draw()

    def on_mount(self) -> None:
        # The app owns the save state; every status line shows it as it changes.
        self.watch(self.app, "save_status", self._show_saved)

    def _show_saved(self, status) -> None:
        self.save_state, self.save_message = status.state, status.line
        self.tooltip = Content(status.message) if status.message else None  # paths and reasons: never markup
        self._draw()

    @property
    def saved_label(self) -> str:
        return {"saved": "● saved", "saving": "◌ saving…"}.get(self.save_state, f"✖ NOT SAVED: {self.save_message}")

    def _draw(self) -> None:
        # Called every second: when nothing it shows has changed (a rehearsal
        # clock that stands still, a save state set twice) it draws nothing.
        drawn = (self.now, self.where, self.delay_minutes, self.summary, self.save_state, self.save_message,
                 self.rehearsal, self.app.theme)
        if drawn != self._drawn:
            self._drawn = drawn
            self.refresh()  # one line, docked: its size never depends on the text

    def render(self) -> Text:
        """Clock, where the meeting is (cut with "…" first), delay, save state, across the width."""
        app = self.app
        clock = Text(f" {self.now:%H:%M:%S} " if self.now else "", style=badge(app, "primary"))
        if self.rehearsal:  # never mistaken for the live day
            clock.append(f" {self.rehearsal} ", style=badge(app, "warning"))
        delay = Text(f" {self.summary} ")
        width = self.size.width
        if self.delay_minutes and width - clock.cell_len - delay.cell_len - 10 < min(cell_len(self.where), 36):
            # A narrow terminal: "12 min late" (the day's end shows in the agenda), so the item keeps its room.
            word = "late" if self.delay_minutes > 0 else "early"
            delay = Text(f" {abs(self.delay_minutes)} min {word} ")
        if self.delay_minutes > 0:
            delay.stylize(badge(app, "warning"))
        elif self.delay_minutes < 0:
            delay.stylize(colour(app, "success", "green"))
        saved = Text(f" {self.saved_label} ")
        saved.truncate(60, overflow="ellipsis")
        if self.save_state == "failed":
            saved.stylize(badge(app, "error"))
        elif self.save_state == "saving":
            saved.stylize(muted(app))
        else:
            saved.stylize(colour(app, "success", "green"))
        # Laid out by hand rather than as a Rich table: drawn on every frame.
        # When space runs short, "where" gives way first (shortened, its countdown
        # kept), then the delay; the save state keeps at least "✖ NOT SAVED" in sight.
        if saved.cell_len > width - clock.cell_len - delay.cell_len:
            saved.truncate(max(width - clock.cell_len - delay.cell_len, 14), overflow="ellipsis")
        if clock.cell_len + delay.cell_len + saved.cell_len > width:
            delay.truncate(max(width - clock.cell_len - saved.cell_len, 0), overflow="ellipsis")
        room = max(width - clock.cell_len - delay.cell_len - saved.cell_len, 0)
        where = Text(" ")
        parts = fit_where(self.where, room - 1) if self.where else []
        for i, part in enumerate(parts):
            if i:
                where.append(SEPARATOR, style=muted(app))
            if part.startswith("▶"):
                where.append(part)  # the item running: in the text colour, not muted
            elif i and parts[i - 1].startswith("▶"):
                where.append(part, style="bold")  # its countdown
            else:
                where.append(part, style=muted(app))  # the item on screen, "nothing running"
        where.truncate(room, overflow="ellipsis", pad=True)
        line = Text.assemble(clock, where, delay, saved, no_wrap=True, end="")
        line.truncate(width)
        return line
