"""The projector view: the time, the current item, its prompt, the countdown, what comes next.

One screen for both set-ups: inside the main app (F5, for a single screen
mirrored to the projector) it shows the live meeting and the facilitator can
still step through prompts and items; in `facilitator present` (a second
terminal on the projector) it shows what the notes folder's run.toml says.
Either way it gets a `ProjectorView` from a function, never the meeting itself.

Legible from the back of a room: the whole screen used, no tables, the
theme's strongest contrast, the question centred in block letters as large as
the terminal allows (plain text at a readable measure when it is long), the
speaker and the countdown in block letters; at small sizes the letters give
way to plain text and the secondary lines go first.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from facilitator.present import POLL_SECONDS, ProjectorView, projector_view
from facilitator.tui.widgets.big_text import BigText


class PresentScreen(Screen):
    """What the room sees; `b` or `.` blanks it."""

    # The whole screen is used: the question, centred, fills the middle in block
    # letters when it fits (plain text at a readable measure when it does not),
    # the speaker and the countdown in block letters too, at the smaller scale only
    # (a short question is drawn larger). -broad (140 columns) widens the margins;
    # smaller terminals fall back to plain text step by step (see the CSS).
    DEFAULT_CSS = """
    PresentScreen { background: $background; color: $foreground; padding: 1 4; }
    PresentScreen.-broad { padding: 1 8; }
    PresentScreen .-empty { display: none; }

    PresentScreen #present-top { height: 3; }
    PresentScreen #present-programme { width: 1fr; height: 3; color: $foreground 70%; content-align: left middle; }
    PresentScreen #present-rehearsal { width: auto; height: 3; padding: 0 2; margin-right: 2; text-style: bold;
                                       background: $warning; color: $text; content-align: center middle; }
    PresentScreen #present-clock { width: auto; text-style: bold; }
    PresentScreen #present-clock-text { width: auto; text-style: bold; display: none; }

    PresentScreen #present-waiting { height: 1fr; content-align: center middle; text-style: bold; }
    PresentScreen #present-body { height: 1fr; }
    PresentScreen #present-title { text-style: bold; background: $primary; color: $text; padding: 1 2;
                                   margin-top: 1; text-align: center; }
    PresentScreen #present-role { margin-top: 1; color: $foreground 70%; text-align: center; }
    PresentScreen #present-speaker { height: 4; text-style: bold; }
    PresentScreen #present-presenters { margin-top: 1; text-style: bold; text-align: center; }
    PresentScreen #present-place { margin-top: 1; color: $foreground 70%; text-align: center; }
    /* The strongest contrast the theme has: black or white on its background. */
    PresentScreen #present-prompt { height: 1fr; min-height: 1; text-style: bold; color: auto 100%; }

    /* The foot: the countdown in block letters, then what comes next, then any notice. */
    PresentScreen #present-foot { dock: bottom; height: auto; }
    PresentScreen #present-countdown { width: 100%; height: 4; margin-bottom: 1; }
    PresentScreen #present-countdown-digits { width: auto; height: 100%; padding: 0 2; text-style: bold; }
    PresentScreen #present-countdown-word { width: auto; height: 100%; content-align: left middle; padding: 0 2;
                                            text-style: bold; }
    PresentScreen .-warning { background: $warning; color: $text; }
    PresentScreen .-overrun { background: $error; color: $text; }
    PresentScreen #present-next { text-style: bold; }
    PresentScreen #present-notice { color: $foreground 60%; }

    /* Under 30 rows (-tall) the speaker is plain text and the title thin; under 22 rows
       (-short) and 60 columns (-narrow) the clock and the countdown too; under 16 rows
       (-tiny) the secondary lines go. The question's BigText falls back by itself. */
    PresentScreen.-short Digits, PresentScreen.-tiny Digits, PresentScreen.-narrow Digits { display: none; }
    PresentScreen.-short #present-clock-text, PresentScreen.-tiny #present-clock-text,
    PresentScreen.-narrow #present-clock-text { display: block; }
    PresentScreen.-short #present-top, PresentScreen.-tiny #present-top, PresentScreen.-narrow #present-top,
    PresentScreen.-short #present-programme, PresentScreen.-narrow #present-programme,
    PresentScreen.-short #present-rehearsal, PresentScreen.-tiny #present-rehearsal,
    PresentScreen.-narrow #present-rehearsal { height: 1; }
    PresentScreen.-tall #present-title, PresentScreen.-short #present-title,
    PresentScreen.-tiny #present-title { padding: 0 2; }
    PresentScreen.-tall #present-speaker, PresentScreen.-short #present-speaker,
    PresentScreen.-narrow #present-speaker { height: 1; }
    PresentScreen.-short #present-countdown, PresentScreen.-tiny #present-countdown,
    PresentScreen.-narrow #present-countdown { height: 1; margin: 0; }
    PresentScreen.-narrow, PresentScreen.-short, PresentScreen.-tiny { padding: 0 1; }
    PresentScreen.-tiny #present-title, PresentScreen.-tiny #present-place { margin: 0; }
    PresentScreen.-tiny #present-programme, PresentScreen.-tiny #present-presenters, PresentScreen.-tiny #present-role,
    PresentScreen.-tiny #present-speaker { display: none; }

    /* Blank: a black projector during breaks, whatever the theme. */
    PresentScreen.-blank { background: black; }
    PresentScreen.-blank > * { display: none; }
    """
    BINDINGS = [
        Binding(
            "b,full_stop",
            "blank",
            "Blank",
            id="present.blank",
            key_display="b / .",
            tooltip="Blank the projector (a break); the same key shows it again",
        ),
        Binding("escape,f5", "back", "Back", id="present.back", tooltip="Back to the run screen"),
        Binding(
            "right,pagedown",
            "move('room_next_prompt')",
            "Next prompt",
            id="present.next_prompt",
            key_display="→",
            tooltip="The running item's next prompt (a presenter's remote sends PageDown)",
        ),
        Binding(
            "left,pageup",
            "move('room_previous_prompt')",
            "Prev prompt",
            id="present.previous_prompt",
            key_display="←",
            tooltip="The running item's previous prompt (PageUp)",
        ),
        Binding("n", "move('start_next_item')", "Start next", id="present.next_item",
                tooltip="The next agenda item starts now (the one running ends)"),
        Binding("u", "move('undo')", "Undo", id="present.undo", tooltip="Undo the last change (a start, too)"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide"), (140, "-broad")]
    # -roomy has no rules of its own: it ends -tall at 30 rows.
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (16, "-short"), (22, "-tall"), (30, "-roomy")]

    def __init__(
        self,
        view: Callable[[], ProjectorView],
        poll: Callable[[], bool] | None = None,
        move: Callable[[str], None] | None = None,
    ) -> None:
        """`view` gives what to show; `poll` (the second terminal) says when it changed;
        `move` (inside the main app) runs a run-screen action such as "next_item".
        """
        super().__init__()
        self._view = view
        self._poll = poll
        self._move = move
        self.shown: ProjectorView | None = None
        self._texts: dict[str, str] = {}  # what each line shows now, to redraw only what changed

    @classmethod
    def following(cls, run_screen) -> PresentScreen:
        """The projector view of the main app's live meeting, driven through the run screen."""

        def move(action: str) -> None:
            getattr(run_screen, f"action_{action}")()

        return cls(lambda: projector_view(run_screen.meeting), move=move)

    def compose(self) -> ComposeResult:
        with Horizontal(id="present-top"):
            yield Static(id="present-programme", markup=False)
            yield Static(id="present-rehearsal", markup=False)
            yield Static(id="present-clock-text", markup=False)
            yield Digits(id="present-clock")
        yield Static(id="present-waiting", markup=False)
        with Vertical(id="present-body"):
            yield Static(id="present-title", markup=False)
            yield Static(id="present-presenters", markup=False)
            yield Static(id="present-role", markup=False)
            yield BigText(id="present-speaker", scales=(1,), max_lines=1)
            yield Static(id="present-place", markup=False)
            yield BigText(id="present-prompt", scales=(2, 1), max_lines=5, measure=64)
        with Vertical(id="present-foot"):
            with Horizontal(id="present-countdown"):
                yield BigText(id="present-countdown-digits", scales=(1,), max_lines=1, centre=False)
                yield Static(id="present-countdown-word", markup=False)
            yield Static(id="present-next", markup=False)
            yield Static(id="present-notice", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()
        self.set_interval(1.0, self.refresh_view)  # the clock and the countdown
        if self._poll is not None:
            self.set_interval(POLL_SECONDS, self._follow)

    def _follow(self) -> None:
        assert self._poll is not None
        if self._poll():
            self.refresh_view()

    def refresh_all(self) -> None:
        """The app read the notes folder (or anything else changed): redraw."""
        self.refresh_view()

    @property
    def blanked(self) -> bool:
        return self.has_class("-blank")

    # -- drawing ----------------------------------------------------------------

    def refresh_view(self) -> None:
        """Draw the current view, touching only what changed since the last time."""
        view = self._view()
        old = self.shown
        if view == old:
            return
        self.shown = view

        if old is None or view.clock != old.clock:
            self.query_one("#present-clock", Digits).update(view.clock)
            self.query_one("#present-clock-text", Static).update(view.clock)
        waiting = bool(view.waiting)
        self.query_one("#present-waiting").set_class(not waiting, "-empty")
        self.query_one("#present-body").set_class(waiting, "-empty")
        self.query_one("#present-countdown").set_class(waiting or not view.countdown_word, "-empty")
        title = view.title + (f"  ({view.kind})" if view.kind else "")
        # No question (a break, the opening): the item's title takes the middle, its kind above it.
        middle, place = view.prompt, view.prompt_place
        if not middle:
            middle, place, title = view.title, view.kind.capitalize(), ""
        # One presenter: the role above, the name in block letters; several: a plain line each.
        one = len(view.speakers) == 1
        role, speaker = view.speakers[0] if one else ("", "")
        for widget_id, value in (
            ("present-programme", view.programme),
            ("present-rehearsal", view.rehearsal),
            ("present-waiting", view.waiting),
            ("present-notice", view.notice),
            ("present-title", title),
            ("present-presenters", "" if one else "\n".join(view.presenters)),
            ("present-role", role),
            ("present-speaker", speaker),
            ("present-place", place),
            ("present-prompt", middle),
            ("present-next", "" if waiting else view.next_item),
        ):
            if self._texts.get(widget_id) != value:
                self._texts[widget_id] = value
                widget = self.query_one(f"#{widget_id}")
                widget.update(value)  # Static(markup=False) or BigText: the text as typed
                widget.set_class(not value, "-empty")  # an empty line folds away
        self._draw_countdown(view)

    def _draw_countdown(self, view: ProjectorView) -> None:
        digits = self.query_one("#present-countdown-digits", BigText)
        digits.update(view.countdown)
        digits.set_class(not view.countdown, "-empty")
        self.query_one("#present-countdown-word", Static).update(view.countdown_word)
        for widget in (digits, self.query_one("#present-countdown-word")):
            widget.set_class(view.state == "warning", "-warning")
            widget.set_class(view.state == "overrun", "-overrun")

    # -- keys -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "back"):
            return self._move is not None  # only inside the main app
        return True

    def action_blank(self) -> None:
        self.toggle_class("-blank")
        if self.blanked:
            self.app.clear_notifications()  # blank means nothing at all on the wall

    def action_back(self) -> None:
        self.dismiss()

    def action_move(self, action: str) -> None:
        assert self._move is not None
        self._move(action)
        self.refresh_view()
