"""The current agenda item: what it is, who presents, its prompts, its countdown."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from facilitator.programme import Prompt, Session
from facilitator.tui.colours import colour, muted, timebox_badge


class ItemPanel(Static):
    """Title and countdown, then presenters and references, then the numbered prompts.

    One widget drawing a Rich group: the countdown changes every second and the
    rest on every move, and fewer widgets start faster.
    """

    DEFAULT_CSS = """
    ItemPanel { height: auto; max-height: 60%; padding: 0 1; border: round $primary; }
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

    def _draw(self) -> None:
        session = self.session
        if session is None:
            return
        app = self.app
        # Drawn again on every resize and move; skipped when nothing shown changed,
        # since each redraw lays out the whole screen (the panel's height follows it).
        drawn = (session, self.current_prompt, tuple(self.counts.items()), self.compact,
                 self.timebox_label, self.timebox_state, app.theme)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        head = Table.grid(expand=True)
        head.add_column(ratio=1)
        head.add_column(no_wrap=True, justify="right")
        kind = "" if session.kind == "discussion" else f"  ({session.kind})"
        box = timebox_badge(app, self.timebox_label, self.timebox_state)
        head.add_row(Text(session.title + kind, style="bold"), box)
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
        if lines:
            parts.append(Text("\n".join(lines), style=muted(app)))

        prompts: list[Text] = []
        accent = colour(app, "accent", "magenta")
        for number, prompt in enumerate(session.prompts, 1):
            current = self.current_prompt is not None and prompt.id == self.current_prompt.id
            line = Text(f"{'▶' if current else ' '} {number}. ", style=f"bold {accent}" if current else "")
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
            parts.append(Text(""))
            parts.extend(prompts)
        self.update(Group(*parts))
