"""The co-chairs' review: the summary of the day so far, item by item, read-only.

Every figure comes from `facilitator.summary` (the same module the `summary`
command and every export use), laid out by `exporters.text`, so the screen,
the terminal summary and the documents always agree.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.exporters import text as layout
from facilitator.summary import Summary, summarize
from facilitator.tui.screens.capture import FacilitatorScreen
from facilitator.tui.widgets.key_footer import KeyFooter

OVERVIEW = "overview"


class ReviewScreen(FacilitatorScreen):
    """Left: the day and each agenda item; right: the summary of the one chosen."""

    DEFAULT_CSS = """
    ReviewScreen #review-items { width: 40; height: 100%; border: round $primary; }
    ReviewScreen.-narrow #review-items { width: 26; }
    ReviewScreen #review-body { width: 1fr; height: 100%; border: round $panel-lighten-2; padding: 0 1; }
    ReviewScreen #review-head { height: 1; dock: top; background: $panel; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape,R,f2", "app.pop_screen", "Back to the run", id="review_back",
                tooltip="Back to the run screen"),
        Binding("f5", "reload", "Refresh", id="review_refresh", tooltip="Recount from the notes as they are now"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def compose(self) -> ComposeResult:
        yield Static("Co-chairs' review — read-only; the figures are those of the summary and the exports",
                     id="review-head")
        with Horizontal():
            yield OptionList(id="review-items")
            with VerticalScroll(id="review-body"):
                yield Static(id="review-content")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_reload()
        for items in self.query("#review-items").results(OptionList):
            items.focus()

    @property
    def summary(self) -> Summary:
        return self._summary

    def action_reload(self) -> None:
        found = self.query("#review-items").results(OptionList)
        items = next(found, None)
        if items is None or not self.is_attached:
            # Closed before it was drawn (F2 then Esc typed at once, or a refresh queued behind the
            # Esc): there is nothing left to fill, and nothing to recount.
            return
        meeting = self.meeting
        # The programme file's agenda: the summary applies the day's changes kept in the notes.
        self._summary = summarize(meeting.planned, meeting.notes)
        chosen = items.highlighted_option.id if items.highlighted_option else None
        options = [Option(Text(f"The day: {self._summary.answer_count} answers"), id=OVERVIEW)]
        for item in self._summary.items:
            label = Text(f"{item.number or '·'}. {item.title}", overflow="ellipsis", no_wrap=True)
            if item.answer_count:
                label.append(f"  {item.answer_count}", style="bold")
            options.append(Option(label, id=item.id))
        items.set_options(options)
        ids = [o.id for o in options]
        items.highlighted = ids.index(chosen) if chosen in ids else ids.index(meeting.session.id) \
            if meeting.session.id in ids else 0
        self._show(ids[items.highlighted])

    @on(OptionList.OptionHighlighted, "#review-items")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    def _show(self, option_id: str) -> None:
        if not self.is_attached:
            return  # a highlight arriving after the screen closed
        summary = self._summary
        if option_id == OVERVIEW:
            parts = layout.overview_renderables(summary)
        else:
            item = summary.item(option_id)
            parts = layout.item_renderables(item) if item else []
            if item and not parts:
                parts = [Text(f"{item.title}\n\nNothing captured for this item yet.", style="dim")]
        self.query_one("#review-content", Static).update(Group(*parts))
        self.query_one("#review-body").scroll_home(animate=False)
