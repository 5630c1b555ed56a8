"""The participatory exercise board: one column per category, cards moved between them by key.

Columns run left to right along the results chain: "Not yet classified"
first, where every new card lands, then the exercise's categories in the
programme's order (Output, Outcome, Impact). So "move right" files a card
further along the chain, the number keys match the columns as seen (0 is the
first column), and an unsorted pile is worked through where the eye starts.

As on the run screen there are two ways of typing: in the capture bar every
key is text (Esc leaves it); on the board single keys are commands. Every
change is a `Meeting` operation, then a save in the background, then a redraw
of the columns it touched.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.widget import Widget

from facilitator.meeting import Meeting
from facilitator.notes import Answer
from facilitator.themes import answers_by_category, per_group_categories
from facilitator.tui.screens.capture import CaptureScreen
from facilitator.tui.widgets.answer_board import AnswerBoard
from facilitator.tui.widgets.capture_bar import CaptureBar
from facilitator.tui.widgets.exercise_column import ColumnSpec, ExerciseColumn
from facilitator.tui.widgets.exercise_keys import FILE_IN, MAX_CATEGORIES, BoardArea, spelled_out
from facilitator.tui.widgets.exercise_panels import ExerciseBrief, GroupTable
from facilitator.tui.widgets.key_footer import KeyFooter
from facilitator.tui.widgets.status_bar import StatusBar


def has_board(meeting: Meeting) -> bool:
    """Whether the current agenda item is an exercise with categories (it opens as a board)."""
    exercise = meeting.session.exercise
    return bool(exercise and exercise.categories)


def categories_of(meeting: Meeting) -> tuple[str, ...]:
    """The current exercise's categories, in the programme's order."""
    return meeting.session.exercise.categories if meeting.session.exercise else ()


def board_columns(meeting: Meeting, by_category: list[tuple[str, list[Answer]]] | None = None) -> list[ColumnSpec]:
    """Not yet classified, the exercise's categories, then any other category found in the notes.

    `by_category` is `answers_by_category` of the current item, when already at hand.
    """
    categories = categories_of(meeting)
    if by_category is None:
        by_category = answers_by_category(meeting.item, categories)
    found = [c for c, _ in by_category if c and c not in categories]
    return [
        ColumnSpec("", 0),
        *(ColumnSpec(c, n if n <= MAX_CATEGORIES else None) for n, c in enumerate(categories, 1)),
        *(ColumnSpec(c, None) for c in found),
    ]


class ExerciseScreen(CaptureScreen):
    """The current agenda item's exercise as a board of columns."""

    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="exercise.escape",
            show=False,
            tooltip="Close the per-group view, or go back to the run screen",
        ),
        Binding("f1", "help", "Help", id="exercise.help", show=False, tooltip="List every key"),
    ]
    DEFAULT_CSS = """
    ExerciseScreen #board-area { height: 1fr; }
    ExerciseScreen #columns { height: 1fr; }
    ExerciseScreen ExerciseColumn { margin-left: 1; }
    ExerciseScreen ExerciseColumn:first-of-type { margin-left: 0; }
    ExerciseScreen GroupTable { display: none; }
    ExerciseScreen.-groups GroupTable { display: block; }
    ExerciseScreen.-groups #columns { display: none; }
    ExerciseScreen CaptureBar Input { border: tall $panel-lighten-2; }
    ExerciseScreen CaptureBar Input:focus { border: tall $accent; }
    ExerciseScreen.-narrow CaptureBar > #capture-group { width: 22; }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        self.specs: list[ColumnSpec] = []
        self.column = 0  # the selected column: where keys act and new cards land
        self._groups_stale = True
        self._drawn_loading = False

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.specs = board_columns(self.meeting)
        yield StatusBar()
        yield ExerciseBrief(id="brief")
        with BoardArea(id="board-area"):
            with Horizontal(id="columns"):
                for spec in self.specs:
                    yield ExerciseColumn(spec)
            yield GroupTable(id="groups")
        yield CaptureBar(lambda: self.meeting.roster(), id="capture")
        yield KeyFooter()

    @property
    def columns(self) -> list[ExerciseColumn]:
        return list(self.query(ExerciseColumn))

    @property
    def board(self) -> AnswerBoard:
        """The selected column's cards."""
        return self.columns[self.column].board

    @property
    def showing_groups(self) -> bool:
        return self.has_class("-groups")

    def on_mount(self) -> None:
        self.query_one(ExerciseBrief).set_compact(self.app.size.height < 30)
        self.refresh_all()
        # On the columns even when empty: `a` captures a card, as the footer and the
        # help say (opened in the group field, the `a` became the group's first letter).
        self.select_column(0)
        self.set_interval(1.0, self.tick)

    # -- drawing -----------------------------------------------------------------------

    def refresh_all(self, select: str | None = None) -> None:
        """Redraw every column, the brief and the clock from the meeting's state."""
        meeting = self.meeting
        self.query_one(ExerciseBrief).show(meeting.session, meeting.prompt)
        self.redraw(range(len(self.specs)), select)
        self.tick()

    def redraw(self, indices, select: str | None = None) -> None:
        """Redraw only these columns (and the per-group table, now if shown, else when next shown)."""
        meeting = self.meeting
        listed = answers_by_category(meeting.item, categories_of(meeting))
        if board_columns(meeting, listed) != self.specs:
            # A category the exercise no longer has appeared (notes read in the background): new columns.
            self.call_later(self._rebuild_columns)
            return
        by_category = dict(listed)
        columns = self.columns
        for index in indices:
            column = columns[index]
            column.show(by_category.get(column.spec.category, []), select)
        self._groups_stale = True
        if self.showing_groups:
            self._show_groups()
        self._label_capture()

    async def _rebuild_columns(self) -> None:
        self.specs = board_columns(self.meeting)
        holder = self.query_one("#columns", Horizontal)
        await holder.remove_children()
        await holder.mount_all(ExerciseColumn(spec) for spec in self.specs)
        self.column = min(self.column, len(self.specs) - 1)
        self.refresh_all()
        self.select_column(self.column, focus=not self.capture_bar.has_focus_within)

    def _show_groups(self) -> None:
        meeting = self.meeting
        self.query_one(GroupTable).show(per_group_categories(meeting.item, categories_of(meeting)), self.specs)
        self._groups_stale = False

    def select_column(self, index: int, focus: bool = True) -> None:
        """Make a column the selected one (keys act there, new cards land there)."""
        self.column = max(0, min(index, len(self.specs) - 1))
        for n, column in enumerate(self.columns):
            column.set_class(n == self.column, "-selected")
        if focus:
            self.board.focus()
        self._label_capture()

    def _label_capture(self) -> None:
        spec = self.specs[self.column] if self.specs else None
        where = spec.label if spec and spec.number is not None else "Not yet classified"
        self.capture_bar.text_input.placeholder = f"Card — Enter puts it in {where}"

    def tick(self) -> None:
        """Once a second: clock, delay, countdown, save state; and the notes once they are read."""
        meeting = self.meeting
        projection = meeting.projection()
        bar = self.query_one(StatusBar)
        bar.show_time(meeting.clock.now(), meeting.whereabouts(projection), projection.delay_minutes,
                      projection.summary(), rehearsal=meeting.notes.run.rehearsal)
        self.query_one(ExerciseBrief).show_timebox(*meeting.viewed_timebox(projection))
        # Opened while the notes folder was still being read: draw the cards once they are in.
        if self.facilitator.loading:
            self._drawn_loading = True
        elif self._drawn_loading:
            self._drawn_loading = False
            self.refresh_all()

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        # A click on a column selects it, as the arrow keys do.
        for n, column in enumerate(self.columns):
            if event.widget is column.board and n != self.column:
                self.select_column(n, focus=False)

    # -- which keys apply -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "file_in":
            number = parameters[0] if parameters else 0
            if not isinstance(number, int) or number > len(categories_of(self.meeting)):
                return False  # this exercise has no such category: hide the key
        if action in {"column", "card", "move", "file_in", "edit", "delete"} and self.showing_groups:
            return None  # shown dimmed: the cards are hidden behind the per-group table
        return True

    # -- changing the meeting ---------------------------------------------------------------

    def _still_loading(self) -> bool:
        return self.facilitator.still_loading()

    def _selected(self):
        answer = self.board.selected
        if answer is None:
            self.notify("Select a card first (← → choose a column, ↑ ↓ a card)", severity="warning")
        return answer

    def change(self, action, *args, columns, select: str | None = None) -> bool:
        """Run a meeting operation, save, redraw the columns it touched; errors become a notice."""
        if not self.facilitator.apply(action, *args):
            return False
        self.redraw(sorted(set(columns)), select)
        return True

    def _file(self, target: int, follow: bool) -> None:
        """Classify the selected card into column `target`.

        An arrow move carries the card: the selection follows it, so pressing
        twice moves it two columns. A number key files it and stays: the next
        card of the same column is selected, so a pile is sorted key by key.
        """
        answer = self._selected()
        if answer is None:
            return
        source, spec = self.column, self.specs[target]
        if target == source:
            self.notify(f"Already in {spec.label}", timeout=2)
            return
        filed = self.change(
            self.meeting.classify,
            answer.id,
            spec.category,
            columns=(source, target),
            select=answer.id if follow else None,
        )
        if filed and follow:
            self.select_column(target, focus=self.board.has_focus)

    def action_column(self, step: int) -> None:
        self.select_column(self.column + step)

    def action_card(self, step: int) -> None:
        self.board.action_cursor(step)

    def action_move(self, step: int) -> None:
        spec = self.specs[self.column]
        last = max(n for n, s in enumerate(self.specs) if s.number is not None)
        target = max(0, min(self.column + step, last))
        if spec.number is None:  # a category the exercise no longer has: only out of it, to the left
            target = last if step < 0 else self.column
        if target == self.column:
            self.notify("No column further that way", severity="warning", timeout=2)
            return
        self._file(target, follow=True)

    def action_file_in(self, number: int) -> None:
        target = next((n for n, s in enumerate(self.specs) if s.number == number), None)
        if target is not None:
            self._file(target, follow=False)

    def record(self, group: str, text: str) -> Answer:
        spec = self.specs[self.column]
        if spec.number is None:  # never file new cards under a category the exercise no longer has
            self.select_column(0, focus=False)
            spec = self.specs[0]
        return self.meeting.capture_card(group, text, spec.category)

    def show_captured(self, answer: Answer) -> None:
        self.columns[self.column].add(answer)
        self._groups_stale = True
        if self.showing_groups:
            self._show_groups()

    def command_widget(self) -> Widget:
        self.select_column(self.column, focus=False)
        return self.board

    def action_capture(self) -> None:
        if self.showing_groups:
            self.action_toggle_groups()
        super().action_capture()

    def action_edit(self) -> None:
        answer = self._selected()
        if answer is None:
            return
        column = self.column

        def done(text: str | None) -> None:
            if text is not None:
                self.change(self.meeting.edit, answer.id, text, columns=(column,), select=answer.id)

        from facilitator.tui.screens.dialogs import TextDialog

        current = self.meeting.notes.find(answer.id)
        self.app.push_screen(
            TextDialog(f"Edit {answer.group}'s card", current[1].text if current else answer.text), done
        )

    def action_delete(self) -> None:
        answer = self._selected()
        if answer is not None:
            self.change(self.meeting.delete, answer.id, columns=(self.column,))

    def action_undo(self) -> None:
        if self.facilitator.undo():
            # Undo may touch any column (or another agenda item): redraw them all.
            self.redraw(range(len(self.specs)))

    def action_toggle_groups(self) -> None:
        show = not self.showing_groups
        if show and self._groups_stale:
            self._show_groups()
        self.set_class(show, "-groups")
        if show:
            self.query_one(GroupTable).table.focus()
        else:
            self.select_column(self.column)
        self.refresh_bindings()

    def action_toggle_instructions(self) -> None:
        brief = self.query_one(ExerciseBrief)
        brief.set_compact(not brief.compact)

    def action_back(self) -> None:
        if self.showing_groups:
            self.action_toggle_groups()
            return
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        self.dismiss()
        # The run screen shows the cards captured here as answers: redrawn now, before the next key.
        if isinstance(below, CaptureScreen):
            below.refresh_all()

    def action_help(self) -> None:
        from facilitator.tui.screens.help import HelpScreen

        categories = categories_of(self.meeting)
        # One line for the number keys, not ten.
        file_in = Binding(
            "0",
            "",
            "File in",
            key_display=f"0–{min(len(categories), MAX_CATEGORIES)}",
            tooltip="Put the selected card in that column (0 = not yet classified)",
        )
        self.app.push_screen(
            HelpScreen(
                [
                    ("everywhere", [*self.app.BINDINGS, *self.BINDINGS]),
                    ("capture bar", [*CaptureBar.BINDINGS]),
                    (
                        "exercise board",
                        [*(spelled_out(b) for b in BoardArea.BINDINGS if b.group is not FILE_IN), file_in],
                    ),
                ]
            )
        )
