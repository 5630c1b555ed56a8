"""Making sense of the answers on the run screen: themes, votes, stars, filter.

A mixin of `RunScreen` (kept apart so neither file grows past reading size).
The actions call `Meeting` operations through `RunScreen.change`, which saves
and redraws; the view state here (which view, filter text, marked answers,
sort order) is the screen's, never saved.
"""

from __future__ import annotations

from textual.binding import Binding

from facilitator import themes
from facilitator.notes import Answer
from facilitator.tui.widgets.filter_box import FilterBox

THEME_BINDINGS = [
    Binding("t", "screen.toggle_view", "Themes", id="toggle_view",
            tooltip="Switch the board between answers by group and by theme"),
    Binding("space", "screen.mark", "Mark", id="mark", show=False,
            tooltip="Mark or unmark the selected answer, to gather several into a theme"),
    Binding("c", "screen.theme", "Cluster", id="theme",
            tooltip="Put the marked (or selected) answers in a theme: a new name, or an existing one"),
    Binding("o", "screen.unthemed", "Out of theme", id="unthemed", show=False,
            tooltip="Take the selected answer out of its theme"),
    Binding("r", "screen.rename_theme", "Rename theme", id="rename_theme", show=False,
            tooltip="Rename the selected answer's theme"),
    Binding("M", "screen.merge_theme", "Merge themes", id="merge_theme", show=False,
            tooltip="Merge the selected answer's theme into another theme"),
    Binding("plus,equals_sign", "screen.vote(1)", "Vote", id="vote", key_display="+",
            tooltip="Add a vote to the selected answer (dot voting)"),
    Binding("minus", "screen.vote(-1)", "Unvote", id="unvote", key_display="-", show=False,
            tooltip="Take a vote off the selected answer"),
    Binding("greater_than_sign", "screen.vote_theme(1)", "Vote theme", id="vote_theme", key_display=">",
            show=False, tooltip="Add a vote to the selected answer's theme"),
    Binding("less_than_sign", "screen.vote_theme(-1)", "Unvote theme", id="unvote_theme", key_display="<",
            show=False, tooltip="Take a vote off the selected answer's theme"),
    Binding("asterisk", "screen.star", "Star", id="star", key_display="*", show=False,
            tooltip="Star the selected answer as a key point for the co-chairs"),
    Binding("v", "screen.sort_votes", "Sort by votes", id="sort_votes", show=False,
            tooltip="Sort the board by votes, or back to the order of capture"),
    Binding("slash", "screen.filter", "Filter", id="filter", key_display="/",
            tooltip="Show only answers whose text, group or theme contains what you type"),
]


class ThemeActions:
    """Actions for themes, votes, stars, sorting and filtering (mixed into RunScreen)."""

    view: str = "group"  # "group": current prompt by group; "theme": whole item by theme
    by_votes: bool = False
    filter_text: str = ""

    def _init_theme_state(self) -> None:
        self.marked: set[str] = set()

    # -- views ------------------------------------------------------------------

    def action_toggle_view(self) -> None:
        self.view = "theme" if self.view == "group" else "group"
        self.refresh_board()
        self.notify("Answers by theme (the whole item)" if self.view == "theme" else "Answers by group",
                    timeout=2)

    def action_sort_votes(self) -> None:
        self.by_votes = not self.by_votes
        self.refresh_board()
        self.notify("Sorted by votes" if self.by_votes else "In the order they were captured", timeout=2)

    def action_filter(self) -> None:
        boxes = self.query(FilterBox)
        if boxes:
            box = boxes.first()
        else:
            # Mounted on first use: one widget fewer to style before the first frame.
            box = FilterBox(lambda: self.board, id="filter",
                            placeholder="Filter: text, group or theme — Enter keeps it, Esc clears it")
            self.query_one("#work").mount(box, before=self.board)
        box.display = True
        box.focus()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self.refresh_board()

    # -- themes -----------------------------------------------------------------

    def _picked(self) -> list[str]:
        """The marked answers of this item, or else the selected one."""
        item = self.meeting.item
        marked = [a.id for a in item.answers if a.id in self.marked]
        if marked:
            return marked
        answer = self._selected()
        return [answer.id] if answer else []

    def action_mark(self) -> None:
        answer = self._selected()
        if answer is None:
            return
        self.marked.symmetric_difference_update({answer.id})
        self.refresh_board(select=answer.id)
        self.board.action_cursor(1)

    def action_theme(self) -> None:
        ids = self._picked()
        if not ids:
            return
        from facilitator.tui.screens.dialogs import TextDialog

        meeting = self.meeting
        names = themes.theme_names_suggestions(meeting.notes, meeting.session.id)
        current = themes.themes_by_answer(meeting.item).get(ids[-1])

        def done(name: str | None) -> None:
            if name and self.change(meeting.create_theme, name, ids, select=ids[-1]):
                self.marked.difference_update(ids)
                self.refresh_board(select=ids[-1])

        hint = "A new name makes a theme; an existing name adds to it. Enter to confirm · Esc to cancel"
        self.app.push_screen(
            TextDialog(f"Theme for {len(ids)} answer{'s' if len(ids) > 1 else ''}", current.name if current else "",
                       hint=hint, suggest=names),
            done,
        )

    def _theme_of_selected(self):
        answer = self._selected()
        if answer is None:
            return None, None
        theme = themes.themes_by_answer(self.meeting.item).get(answer.id)
        if theme is None:
            self.notify("The selected answer is in no theme (c puts it in one)", severity="warning")
        return answer, theme

    def action_unthemed(self) -> None:
        answer, theme = self._theme_of_selected()
        if theme is not None:
            self.change(self.meeting.remove_from_theme, answer.id, select=answer.id)

    def action_rename_theme(self) -> None:
        answer, theme = self._theme_of_selected()
        if theme is None:
            return
        from facilitator.tui.screens.dialogs import TextDialog

        def done(name: str | None) -> None:
            if name:
                self.change(self.meeting.rename_theme, theme.id, name, select=answer.id)

        self.app.push_screen(TextDialog(f"Rename the theme “{theme.name}”", theme.name), done)

    def action_merge_theme(self) -> None:
        answer, theme = self._theme_of_selected()
        if theme is None:
            return
        others = [t for t in self.meeting.item.themes if t.id != theme.id]
        if not others:
            self.notify("There is no other theme in this item to merge with", severity="warning")
            return
        from facilitator.tui.screens.dialogs import ChoiceDialog

        def done(keep_id: str | None) -> None:
            if keep_id:
                self.change(self.meeting.merge_themes, keep_id, theme.id, select=answer.id)

        choices = [(t.id, f"{t.name}  ({len(t.answer_ids)})") for t in others]
        self.app.push_screen(ChoiceDialog(f"Merge “{theme.name}” into…", choices), done)

    # -- priorities ---------------------------------------------------------------

    def action_vote(self, delta: int) -> None:
        answer = self._selected()
        if answer is not None:
            self.change_answer(self.meeting.vote, answer.id, delta)

    def action_vote_theme(self, delta: int) -> None:
        answer, theme = self._theme_of_selected()
        if theme is not None:
            self.change(self.meeting.vote, theme.id, delta, select=answer.id)

    def action_star(self) -> None:
        answer: Answer | None = self._selected()
        if answer is not None:
            self.change_answer(self.meeting.star, answer.id)
