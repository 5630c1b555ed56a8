"""The floor on the run screen: who speaks, their speaking time, who is next on the list.

One line above the capture bar, shown only while someone has the floor or
the speakers' list holds someone: a meeting that never gives the floor never
sees it. Drawn by one widget, redrawn when what it shows changes (the timer
ticks once a second).
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from facilitator.floor import SpeakingTime
from facilitator.tui.colours import badge, muted

SHOWN_NEXT = 3  # names of the list shown after "next:"; the rest as "+N"


class FloorStrip(Widget):
    """ "On the floor: Peru  2:41 left of 3:00 · next: Chad, Senegal +2"."""

    DEFAULT_CSS = """
    FloorStrip { height: 1; background: $panel; text-wrap: nowrap; text-overflow: clip; display: none; }
    FloorStrip.-shown { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.speaker = ""
        self.timer: SpeakingTime | None = None
        self.waiting: tuple[str, ...] = ()
        self._drawn: tuple = ()

    def show(self, speaker: str, timer: SpeakingTime | None, waiting: tuple[str, ...]) -> None:
        """The delegation on the floor ("" for none), its timer, and the speakers' list."""
        self.speaker, self.timer, self.waiting = speaker, timer, waiting
        drawn = (speaker, timer, waiting, self.app.theme)
        if drawn != self._drawn:
            self._drawn = drawn
            self.set_class(bool(speaker or waiting), "-shown")
            self.refresh()

    def render(self) -> Text:
        """The speaker and their time first; the time given and the list shorten before them."""
        width = self.size.width
        for label, given, shown in ((True, True, SHOWN_NEXT), (True, False, 2), (False, False, 1), (False, False, 0)):
            line = self._line(label, given, shown)
            if line.cell_len <= width:
                return line
        line.truncate(width, overflow="ellipsis")
        return line

    def _line(self, label: bool, given: bool, shown: int) -> Text:
        app = self.app
        line = Text(" ", no_wrap=True, end="")
        if self.speaker and self.timer is not None:
            if label:
                line.append("On the floor: ", style=muted(app))
            line.append(self.speaker, style="bold")  # a name, as text: never markup
            timer = self.timer
            box = Text(f" {timer.label()} ")
            if timer.state == "warning":
                box.stylize(badge(app, "warning"))
            elif timer.state == "overrun":
                box.stylize(badge(app, "error"))
            else:
                box.stylize("bold")
            line.append(" ")
            line.append_text(box)
            if given:
                line.append(f" {timer.given}", style=muted(app))
        else:
            line.append("No one has the floor", style=muted(app))
        if self.waiting:
            line.append(" · next: ", style=muted(app))
            if shown:
                more = len(self.waiting) - shown
                line.append(", ".join(self.waiting[:shown]) + (f" +{more}" if more > 0 else ""))
            else:
                line.append(str(len(self.waiting)))
        return line
