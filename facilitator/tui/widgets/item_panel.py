"""The current agenda item: what it is, who presents, its prompts, its countdown."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from facilitator.programme import Prompt, Session


class ItemPanel(Vertical):
    """Title and timebox, then details, then the numbered prompts."""

    DEFAULT_CSS = """
    ItemPanel { height: auto; max-height: 60%; padding: 0 1; border: round $primary; }
    ItemPanel > #item-head { height: auto; }
    ItemPanel #item-title { width: 1fr; text-style: bold; }
    ItemPanel #timebox { width: auto; min-width: 14; text-align: right; padding: 0 1; }
    ItemPanel #timebox.-warning { background: $warning; color: $text; text-style: bold; }
    ItemPanel #timebox.-overrun { background: $error; color: $text; text-style: bold; }
    ItemPanel #item-details { color: $text-muted; }
    ItemPanel #item-prompts { margin-top: 1; }
    ItemPanel.-break { border: round $secondary; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="item-head"):
            yield Static(id="item-title")
            yield Static(id="timebox")
        yield Static(id="item-details")
        yield Static(id="item-prompts")

    def show(self, session: Session, current_prompt: Prompt | None, counts: dict[str, int], compact: bool) -> None:
        """Redraw for this item; `counts` is answers per prompt id."""
        self.set_class(session.is_break, "-break")
        kind = "" if session.kind == "discussion" else f"  ({session.kind})"
        self.query_one("#item-title", Static).update(Text(session.title + kind))
        details = Text()
        lines = [str(p) for p in session.presenters]
        if session.location:
            lines.append(session.location)
        if session.references:
            lines.append(" · ".join(session.references))
        if session.purpose and not compact:
            lines.append(f"Purpose: {session.purpose}")
        if session.exercise and session.exercise.categories:
            lines.append("Categories: " + " / ".join(session.exercise.categories))
        details.append("\n".join(lines))
        self.query_one("#item-details", Static).update(details)
        self.query_one("#item-details").display = bool(lines)

        lines: list[Text] = []
        accent = self.app.theme_variables.get("accent", "magenta")
        for number, prompt in enumerate(session.prompts, 1):
            current = current_prompt is not None and prompt.id == current_prompt.id
            count = counts.get(prompt.id, 0)
            line = Text(f"{'▶' if current else ' '} {number}. ", style=f"bold {accent}" if current else "")
            line.append(prompt.text, style="bold" if current else "")
            if count:
                line.append(f"  ({count})", style="dim")
            if compact and not current:
                # Small screens: the current prompt in full, the others on one line each.
                line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
        if not session.prompts and not session.is_break:
            lines.append(Text("No prompts: answers are recorded as general notes for this item.", style="dim italic"))
        widget = self.query_one("#item-prompts", Static)
        widget.update(Group(*lines))
        widget.display = bool(lines)

    def show_timebox(self, label: str, state: str) -> None:
        box = self.query_one("#timebox", Static)
        box.update(f"⏱ {label}")
        box.set_class(state == "warning", "-warning")
        box.set_class(state == "overrun", "-overrun")
