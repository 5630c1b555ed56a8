"""The run screen: timeline, current item, answers, capture bar.

Two ways of typing, as a rapporteur works: in the capture bar every key is
text (Enter records, Esc leaves); on the answer board single keys are
commands (n next item, e edit, d delete, u undo...). Keys that must work in
both (help, quit, the command palette, moving between prompts with
PageUp/PageDown) are screen or app bindings.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input

from facilitator.notes import Answer
from facilitator.problems import plural
from facilitator.tui.board_rows import UNTHEMED, group_rows, theme_rows
from facilitator.tui.screens.capture import CaptureScreen
from facilitator.tui.screens.floor_keys import FLOOR_BINDINGS, FloorKeys
from facilitator.tui.screens.run_themes import THEME_BINDINGS, ThemeActions
from facilitator.tui.widgets.answer_board import AnswerBoard, Row
from facilitator.tui.widgets.capture_bar import CaptureBar
from facilitator.tui.widgets.filter_box import FilterBox
from facilitator.tui.widgets.floor_strip import FloorStrip
from facilitator.tui.widgets.item_panel import ItemPanel
from facilitator.tui.widgets.key_footer import KeyFooter
from facilitator.tui.widgets.status_bar import StatusBar
from facilitator.tui.widgets.timeline import Timeline


class CommandArea(Vertical):
    """The item panel and the board: single-key commands live here."""

    BINDINGS = [
        Binding("a", "screen.capture", "Add answer", id="capture", tooltip="Type an answer in the capture bar"),
        Binding("n", "screen.next_item", "Next item", id="next_item", tooltip="Show the next agenda item"),
        Binding("p", "screen.previous_item", "Prev item", id="previous_item", tooltip="Show the previous item"),
        Binding("right,]", "screen.next_prompt", "Next prompt", id="next_prompt", key_display="→"),
        Binding("left,[", "screen.previous_prompt", "Prev prompt", id="previous_prompt", key_display="←"),
        Binding("s", "screen.start_item", "Start", id="start_item",
                tooltip="This item starts now (the item running ends at the same minute)"),
        Binding("x", "screen.end_item", "End", id="end_item",
                tooltip="The item running ends now, whatever is on screen (a break taken early, the day's end)"),
        Binding("w", "screen.go_to_running", "Running", id="go_to_running", show=False,
                tooltip="Back to the item running, at the prompt the room sees"),
        Binding("e,enter", "screen.edit", "Edit", id="edit", tooltip="Edit the selected answer"),
        Binding("d,delete", "screen.delete", "Delete", id="delete", tooltip="Delete the selected answer (u undoes)"),
        Binding("u", "screen.undo", "Undo", id="undo", tooltip="Undo the last change to the answers"),
        Binding("g", "screen.move_group", "Group", id="move_group", tooltip="Give the answer to another group",
                show=False),
        Binding("m", "screen.move_prompt", "Move", id="move_prompt", tooltip="Move the answer to another prompt",
                show=False),
        Binding("b", "screen.exercise_board", "Board", id="exercise_board",
                tooltip="Open the exercise board: classify the cards by category"),
        *THEME_BINDINGS,
        Binding("A", "screen.agenda", "Agenda", id="agenda",
                tooltip="Change the agenda on the day: insert, drop, move, retime an item; add a prompt"),
        Binding("R", "screen.review", "Review", id="review",
                tooltip="The co-chairs' review: the summary of the day so far, item by item"),
        Binding("L", "screen.speakers", "Speakers", id="speakers", show=False,
                tooltip="The speakers' list: delegations asking for the floor (F4 from anywhere)"),
        Binding("P", "screen.roll_call", "Roll call", id="roll_call",
                tooltip="Who is in the room: mark each delegation present, one key each"),
        Binding("question_mark", "app.help", "Help", id="help_key", key_display="?", tooltip="List every key"),
        Binding("q", "app.quit", "Quit", id="quit_key", show=False),
    ]


class RunScreen(FloorKeys, ThemeActions, CaptureScreen):
    """Where the meeting is run from."""

    BINDINGS = [
        Binding("f4", "speakers", "Speakers", id="speakers_any",
                tooltip="The speakers' list: add the delegations asking for the floor, give it, reorder"),
        *FLOOR_BINDINGS,
        Binding("pagedown", "next_prompt", "Next prompt", show=False, id="next_prompt_any"),
        Binding("pageup", "previous_prompt", "Prev prompt", show=False, id="previous_prompt_any"),
        Binding("f2", "review", "Review", id="review_any", tooltip="The co-chairs' review of the day so far"),
        Binding("f5", "projector", "Projector", id="projector",
                tooltip="The projector view: clock, item, prompt, countdown (b blanks it, Esc or F5 returns)"),
        Binding("f3", "toggle_agenda", "Agenda", id="toggle_agenda",
                tooltip="Fold the agenda away (more room for the answers), or show it again"),
    ]
    # The agenda's width and the capture bar's fields follow these (facilitator.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (160, "-huge")]
    # The rapporteur types first: the group field has the focus from the first
    # frame (focusing it after mount moved the focus once more and cost a frame).
    AUTO_FOCUS = "#capture-group"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with Horizontal(id="main"):
            yield Timeline(id="timeline")
            with CommandArea(id="work"):
                yield ItemPanel(id="item")
                yield AnswerBoard(id="answers")
        yield FloorStrip()
        yield CaptureBar(lambda: self.meeting.roster(), id="capture")
        yield KeyFooter()

    @property
    def board(self) -> AnswerBoard:
        return self.query_one(AnswerBoard)

    def __init__(self) -> None:
        super().__init__()
        self._init_theme_state()
        self._rows_cache: dict[str, tuple[tuple, object, list[Row]]] = {}

    def on_mount(self) -> None:
        self.refresh_all()
        self.set_interval(1.0, self.tick)

    def on_resize(self) -> None:
        # Only the item panel's compact layout depends on the size; the board re-wraps itself.
        self._show_item()

    def action_toggle_agenda(self) -> None:
        self.toggle_class("-no-agenda")  # a class: the layout is facilitator.tcss's

    # -- drawing ----------------------------------------------------------------

    def refresh_all(self, select: str | None = None) -> None:
        """Redraw everything from the meeting's state."""
        self._show_item()
        self.refresh_board(select)
        self.tick()
        self.refresh_bindings()  # "b Board" shows only on an exercise

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "exercise_board":
            exercise = self.meeting.session.exercise
            return bool(exercise and exercise.categories)
        # The floor's keys show once the floor is used (F4 is the way in), so a meeting that never
        # gives the floor keeps its footer for the keys it does use.
        if action in ("extend_floor", "yield_floor"):
            return self.meeting.floor is not None
        if action == "next_speaker":
            return bool(self.meeting.floor or self.meeting.speakers)
        return True

    def _show_item(self) -> None:
        meeting = self.meeting
        counts = Counter(map(attrgetter("prompt_id"), meeting.item.answers))  # at C speed: every capture
        # Small screens: one line per prompt but the current one, no purpose text.
        compact = self.size.width < 100 or self.size.height < 45
        self.query_one(ItemPanel).show(meeting.session, meeting.prompt, counts, compact=compact)

    def refresh_board(self, select: str | None = None) -> None:
        """Rebuild the board in its current view (after a move, edit, undo, filter…)."""
        meeting = self.meeting
        item = meeting.item
        # Switching views back and forth on an unchanged item reuses the rows
        # built last time: with thousands of answers, building them is the cost.
        key = (meeting.session.id, meeting.prompt_id, self.filter_text, frozenset(self.marked), self.by_votes)
        cached = self._rows_cache.get(self.view)
        if cached is not None and cached[0] == key and cached[1] is item:
            rows = cached[2]
        elif self.view == "theme":
            rows = theme_rows(item, meeting.session, self.filter_text, self.marked, self.by_votes)
        else:
            rows = group_rows(item, meeting.prompt_id, self.filter_text, self.marked, self.by_votes)
        self._rows_cache[self.view] = (key, item, rows)
        self.board.set_rows(rows, select=select)
        self._label_board()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.set_filter(event.value)

    @on(FilterBox.Cleared)
    def _filter_cleared(self) -> None:
        self.set_filter("")

    def show_captured(self, answer: Answer) -> None:
        """Put one new answer on the board without rebuilding it.

        A capture is the hot path: with thousands of answers on a prompt,
        rebuilding every row per Enter is what made typing lag.
        """
        if self.view != "group" or self.filter_text or self.by_votes:
            self.refresh_board(select=answer.id)  # the new answer's place depends on the view
            self._show_item()
            return
        self.board.insert_answer(Row(answer=answer))
        self._label_board()
        self._show_item()

    def _label_board(self) -> None:
        meeting, board = self.meeting, self.board
        prompt = meeting.prompt
        if self.view == "theme":
            board.border_title = Content(f"Themes · {meeting.session.title}")  # programme text: never markup
        elif prompt:
            number = meeting.session.prompts.index(prompt) + 1
            board.border_title = Content(f"Answers to {number}. {prompt.text}")
        else:
            board.border_title = "Notes" if not meeting.session.is_break else "Notes (break)"
        if self.facilitator.loading:
            board.border_subtitle = Content(f"reading {self.facilitator.notes_label}…")
            return
        answers = board.answer_count
        groups = sum(1 for heading in board.headings if heading != UNTHEMED)
        shown = f"{plural(answers, 'answer')} · {plural(groups, 'theme' if self.view == 'theme' else 'group')}"
        if self.filter_text:
            shown += f" · filter “{self.filter_text}”"
        board.border_subtitle = Content(f"{shown} · {self.facilitator.notes_label}")

    def tick(self) -> None:
        """Once a second: clock, countdown, delay, timeline."""
        meeting = self.meeting
        projection = meeting.projection()
        now = meeting.clock.now()
        # The clock follows the item running, whatever is on screen; the panel shows the
        # countdown only for the item running, and the times of any other.
        where = meeting.whereabouts(projection)
        bar = self.query_one(StatusBar)
        bar.show_time(now, where, projection.delay_minutes, projection.summary(), rehearsal=meeting.notes.run.rehearsal)
        self.query_one(ItemPanel).show_timebox(*meeting.viewed_timebox(projection))
        self.query_one(Timeline).show(meeting.programme, projection, meeting.session.id)
        self._show_floor()

    def _show_floor(self) -> None:
        """The floor strip (who speaks, their time, who is next), and the capture bar's group with it."""
        meeting = self.meeting
        held = meeting.floor
        self.query_one(FloorStrip).show(held.group if held else "", meeting.speaking(), meeting.speakers)
        self.follow_floor()

    def floor_changed(self) -> None:
        self.refresh_all()

    # -- changing the meeting ------------------------------------------------------

    def change_answer(self, action, answer_id: str, *args) -> bool:
        """An operation that changes one answer in place (a vote, a star): redraw its row only.

        With thousands of answers, rebuilding the board for each vote called out
        by the room was the slow part; the answer's place does not change unless
        the board is sorted by votes.
        """
        if self.by_votes:
            return self.change(action, answer_id, *args, select=answer_id)
        if not self.facilitator.apply(action, answer_id, *args):
            return False
        found = self.meeting.notes.find(answer_id)
        board = self.board
        index = next((i for i, row in enumerate(board.rows) if row.answer and row.answer.id == answer_id), -1)
        if found and index >= 0:
            board.replace_row(index, board.rows[index]._replace(answer=found[1]))
        else:
            self.refresh_board(select=answer_id)
        return True

    def _still_loading(self) -> bool:
        return self.facilitator.still_loading()

    def change(self, action, *args, select: str | None = None) -> bool:
        """Run a meeting operation, then redraw and save; errors become a notice."""
        if not self.facilitator.apply(action, *args):
            return False
        self.refresh_all(select)
        return True

    def record(self, group: str, text: str) -> Answer:
        return self.meeting.capture(group, text)

    def command_widget(self) -> Widget:
        return self.board

    def action_next_item(self) -> None:
        self.change(self.meeting.next_item)

    def action_previous_item(self) -> None:
        self.change(self.meeting.previous_item)

    def action_next_prompt(self) -> None:
        self.change(self.meeting.next_prompt)

    def action_previous_prompt(self) -> None:
        self.change(self.meeting.previous_prompt)

    def action_go_to_running(self) -> None:
        self.change(self.meeting.go_to_running)

    def action_go_to(self, session_id: str, prompt_id: str = "") -> None:
        self.change(self.meeting.go_to, session_id, prompt_id or None)

    def jump_to_answer(self, session_id: str, prompt_id: str, answer_id: str) -> None:
        """Show an answer found by the palette's search: its item, prompt, selected."""
        if self.change(self.meeting.go_to, session_id, prompt_id or None):
            if self.view == "theme" or self.filter_text:
                self.view, self.filter_text = "group", ""
                for box in self.query(FilterBox):
                    box.action_clear()
            self.refresh_board(select=answer_id)
            self.board.focus()

    def action_exercise_board(self) -> None:
        if self._still_loading():
            return
        from facilitator.tui.screens.exercise import ExerciseScreen, has_board  # lazily: start-up time

        if not has_board(self.meeting):
            self.notify("This item is not an exercise with categories", severity="warning")
            return
        self.app.push_screen(ExerciseScreen())  # it redraws this screen when it closes

    def action_agenda(self) -> None:
        if self._still_loading():
            return
        from facilitator.tui.screens.agenda import AgendaScreen  # lazily: start-up time

        self.app.push_screen(AgendaScreen(), lambda _: self.refresh_all())

    def action_speakers(self) -> None:
        if self._still_loading():
            return
        from facilitator.tui.screens.speakers import SpeakersScreen

        self.app.push_screen(SpeakersScreen(), lambda _: self.refresh_all())

    def action_roll_call(self) -> None:
        if self._still_loading():
            return
        from facilitator.tui.screens.roll_call import RollCallScreen  # lazily: start-up time

        self.app.push_screen(RollCallScreen(), lambda _: self.refresh_all())

    def action_review(self) -> None:
        from facilitator.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_projector(self) -> None:
        from facilitator.tui.screens.present import PresentScreen  # lazily: start-up time

        self.app.push_screen(PresentScreen.following(self))

    def action_room_next_prompt(self) -> None:
        self.change(self.meeting.room_prompt_step, 1)

    def action_room_previous_prompt(self) -> None:
        self.change(self.meeting.room_prompt_step, -1)

    def action_start_next_item(self) -> None:
        self.change(self.meeting.start_next)

    def action_start_item(self) -> None:
        self.change(self.meeting.start_item)  # the notice says what started, and what it ended

    def action_end_item(self) -> None:
        self.change(self.meeting.end_item)

    def _selected(self):
        answer = self.board.selected
        if answer is None:
            self.notify("Select an answer first (↑↓ on the answer board)", severity="warning")
        return answer

    def action_edit(self) -> None:
        answer = self._selected()
        if answer is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.change(self.meeting.edit, answer.id, text, select=answer.id)

        from facilitator.tui.screens.dialogs import TextDialog

        self.app.push_screen(TextDialog(f"Edit {answer.group}'s answer", answer.text), done)

    def action_delete(self) -> None:
        answer = self._selected()
        if answer is not None:
            self.change(self.meeting.delete, answer.id)

    def action_undo(self) -> None:
        if self.facilitator.undo():
            self.refresh_all()

    def action_move_group(self) -> None:
        answer = self._selected()
        if answer is None:
            return

        def done(group: str | None) -> None:
            if group is not None:
                self.change(self.meeting.move_to_group, answer.id, group, select=answer.id)

        from facilitator.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog(f"Give this answer to another group (now: {answer.group})", answer.group,
                       suggest=self.meeting.roster()),
            done,
        )

    def action_move_prompt(self) -> None:
        answer = self._selected()
        if answer is None:
            return
        prompts = self.meeting.session.prompts
        if len(prompts) < 2:
            self.notify("This item has no other prompt to move the answer to", severity="warning")
            return
        from facilitator.tui.screens.dialogs import ChoiceDialog

        choices = [(p.id, f"{n}. {p.text}") for n, p in enumerate(prompts, 1)]

        def done(prompt_id: str | None) -> None:
            if prompt_id:
                self.change(self.meeting.move_to_prompt, answer.id, prompt_id)

        self.app.push_screen(ChoiceDialog("Move this answer to prompt…", choices, answer.prompt_id), done)
