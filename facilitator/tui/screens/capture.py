"""What every screen with a capture bar shares: the run screen and the exercise board.

A screen here records what the bar hands it (`capture`) and leaves the bar
for its single-key commands (`leave_capture`). Each subclass says only what is its own:
how an answer is recorded (`record`) and drawn (`show_captured`), and where
the focus goes when the bar is left (`command_widget`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widget import Widget

from facilitator.meeting import Meeting
from facilitator.notes import Answer, NotesError, clean_group, clean_text
from facilitator.tui.widgets.capture_bar import CaptureBar

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp


class FacilitatorScreen(Screen):
    """A screen of this app, with typed access to the app and the meeting."""

    # False until the screen is drawn with its focus set: keys typed before then (F4 and a name
    # in one burst) wait for it, in order, rather than going to a screen with nothing focused.
    ready = False

    def on_mount(self) -> None:
        # Textual calls every class's handler, the subclass's first: its focus is set by now
        # (AUTO_FOCUS after this frame).
        self.call_after_refresh(self._now_ready)

    async def _now_ready(self) -> None:
        self.ready = True
        await self.facilitator.screen_ready()

    @property
    def facilitator(self) -> FacilitatorApp:
        return cast("FacilitatorApp", self.app)

    @property
    def meeting(self) -> Meeting:
        return self.facilitator.meeting


class CaptureScreen(FacilitatorScreen):
    """A screen whose capture bar records answers into the current item."""

    _floor_seen = ""  # the intervention the capture bar's group last followed ("" = no one on the floor)

    @property
    def capture_bar(self) -> CaptureBar:
        return self.query_one(CaptureBar)

    def refresh_all(self, select: str | None = None) -> None:
        """Redraw everything from the meeting (the notes read at start-up, an undo, a change elsewhere)."""
        raise NotImplementedError

    def command_widget(self) -> Widget:
        """Where the focus goes when the rapporteur leaves the bar (Esc)."""
        raise NotImplementedError

    def record(self, group: str, text: str) -> Answer:
        """Record one answer in the meeting (a `Meeting` operation); NotesError when refused."""
        raise NotImplementedError

    def show_captured(self, answer: Answer) -> None:
        """Draw one new answer (the hot path: without rebuilding the board)."""
        raise NotImplementedError

    # -- called by the capture bar, in the order the keys were typed ------------------

    def capture(self, group: str, text: str) -> bool:
        """Record an answer typed in the bar; False (with a notice) when it is refused.

        While the notes folder is still being read, nothing may change (what is
        on disk could be overwritten): the answer is kept by the app and
        recorded, in order, the moment the folder is in.
        """
        app = self.facilitator
        try:
            clean_group(group), clean_text(text)
            if app.loading:
                app.keep_until_loaded(group, text)
                return True
            answer = self.record(group, text)
        except NotesError as exc:
            self.notify(str(exc), severity="error", markup=False)
            if not group.strip():
                self.set_focus(self.capture_bar.group_input)
            return False
        self.show_captured(answer)
        self.capture_bar.back_to_floor(answer.group)
        return True

    def follow_floor(self) -> None:
        """The delegation given the floor becomes the capture bar's group: the rapporteur types only
        what it says. Called whenever the screen redraws (and each second), so a floor given from
        any screen, or restored from the notes, is followed."""
        held = self.meeting.floor
        seen = held.intervention_id if held is not None else ""
        if seen == self._floor_seen:
            return
        self._floor_seen = seen
        if held is not None:
            self.capture_bar.give_floor(held.group)
        else:
            self.capture_bar.floor_yielded()

    def leave_capture(self) -> None:
        """Esc in the bar: the focus moves to the commands now, before the next key is routed."""
        self.facilitator.left_capture_explicitly()
        self.set_focus(self.command_widget())

    def action_capture(self) -> None:
        """`a`: back to the bar, in the answer field when a group is already there."""
        bar = self.capture_bar
        field = bar.text_input if bar.group_input.value.strip() else bar.group_input
        self.set_focus(field)  # now: the next keys typed are text
