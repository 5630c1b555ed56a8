"""The current agenda item: what it is, who presents, its prompts, its countdown."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.widgets import Static

from facilitator.programme import Prompt, Session
from facilitator.tui.colours import colour, muted, timebox_badge
from facilitator.tui.widgets.timeline import shorten

# Under this many rows on the screen the panel keeps the title, the countdown and
# the current prompt only: at 80x24 the board needs the rows (at least 8 answer lines).
TIGHT_HEIGHT = 30


class ItemPanel(Static):
    """Title and countdown, then presenters and references, then the numbered prompts.

    One widget drawing a Rich group: the countdown changes every second and the
    rest on every move, and fewer widgets start faster.

    Three sizes: everything (a tall screen); compact (under 100 columns or 45
    rows: no purpose, one line for each other prompt and each line of
    details); tight (under 30 rows: the title, the countdown and the current
    prompt, "1/5" saying there are more).
    """

    DEFAULT_CSS = """
    ItemPanel { height: auto; max-height: 60%; padding: 0 1; border: round $primary; }
    ItemPanel.-tight { max-height: 50%; }
    ItemPanel.-break { border: round $secondary; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: Session | None = None
        self.current_prompt: Prompt | None = None
        self.counts: dict[str, int] = {}
        self.compact = False
        self.timebox_label = ""
        self.timebox_state = ""
        self._drawn: tuple = ()

    def show(self, session: Session, current_prompt: Prompt | None, counts: dict[str, int], compact: bool) -> None:
        """Redraw for this item; `counts` is answers per prompt id."""
        self.session, self.current_prompt, self.counts, self.compact = session, current_prompt, counts, compact
        self.set_class(session.is_break, "-break")
        self._draw()

    def show_timebox(self, label: str, state: str) -> None:
        if (label, state) != (self.timebox_label, self.timebox_state):
            self.timebox_label, self.timebox_state = label, state
            self._draw()

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()  # the title is shortened to the width (F3 changes it without a new screen size)

    def _draw(self) -> None:
        session = self.session
        if session is None:
            return
        app = self.app
        tight = app.size.height < TIGHT_HEIGHT
        width = self.content_region.width
        # Drawn again on every resize and move; skipped when nothing shown changed,
        # since each redraw lays out the whole screen (the panel's height follows it).
        drawn = (session, self.current_prompt, tuple(self.counts.items()), self.compact, tight, width,
                 self.timebox_label, self.timebox_state, app.theme)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self.set_class(tight, "-tight")
        head = Table.grid(expand=True)
        head.add_column(ratio=1)
        head.add_column(no_wrap=True, justify="right")
        kind = "" if session.kind == "discussion" else f"  ({session.kind})"
        box = timebox_badge(app, self.timebox_label, self.timebox_state)
        title = session.title + kind
        if tight and width:
            title = shorten(title, max(width - box.cell_len - 1, 8))  # one line: the rows go to the board
        head.add_row(Text(title, style="bold"), box)
        parts: list[object] = [head]

        lines = [str(p) for p in session.presenters]
        if session.location:
            lines.append(session.location)
        if session.references:
            lines.append(" · ".join(session.references))
        if session.purpose and not self.compact:
            lines.append(f"Purpose: {session.purpose}")
        if session.exercise and session.exercise.categories:
            lines.append("Categories: " + " / ".join(session.exercise.categories))
        if lines and not tight:
            details = Text("\n".join(lines), style=muted(app))
            if self.compact:
                details.no_wrap, details.overflow = True, "ellipsis"  # one line each
            parts.append(details)

        prompts: list[Text] = []
        accent = colour(app, "accent", "magenta")
        of = tight and len(session.prompts) > 1
        for number, prompt in enumerate(session.prompts, 1):
            current = self.current_prompt is not None and prompt.id == self.current_prompt.id
            if tight and not current:
                continue
            place = f"{number}/{len(session.prompts)}" if of else f"{number}."  # "1/5": there are more
            line = Text(f"{'▶' if current else ' '} {place} ", style=f"bold {accent}" if current else "")
            line.append(prompt.text, style="bold" if current else "")
            count = self.counts.get(prompt.id, 0)
            if count:
                line.append(f"  ({count})", style="dim")
            if self.compact and not current:
                # Small screens: the current prompt in full, the others on one line each.
                line.no_wrap, line.overflow = True, "ellipsis"
            prompts.append(line)
        if not session.prompts and not session.is_break:
            prompts.append(Text("No prompts: answers are recorded as general notes for this item.", style="dim italic"))
        if prompts:
            if not self.compact:
                parts.append(Text(""))
            parts.extend(prompts)
        self.update(Group(*parts))
