"""The projector view: the time, the current item, its prompt, the countdown, what comes next.

One screen for both set-ups: inside the main app (F5, for a single screen
mirrored to the projector) it shows the live meeting and the facilitator can
still step through prompts and items; in `facilitator present` (a second
terminal on the projector) it shows what the notes folder's run.toml says.
Either way it gets a `ProjectorView` from a function, never the meeting itself.

Legible from the back of a room: no tables, the theme's strongest contrast,
big digits for the clock and the countdown, and at small sizes the digits give
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


class PresentScreen(Screen):
    """What the room sees; `b` or `.` blanks it."""

    DEFAULT_CSS = """
    PresentScreen { background: $background; color: $foreground; padding: 0 2; }
    PresentScreen .-empty { display: none; }
    PresentScreen #present-top { height: auto; margin-top: 1; }
    PresentScreen #present-programme { width: 1fr; color: $foreground 70%; }
    PresentScreen #present-clock { width: auto; text-style: bold; }
    PresentScreen #present-clock-text { width: auto; text-style: bold; display: none; }
    PresentScreen #present-body { height: 1fr; }
    PresentScreen #present-title { text-style: bold; background: $primary; color: $text; padding: 0 1;
                                   margin-top: 1; }
    PresentScreen #present-presenters { margin-top: 1; }
    PresentScreen #present-place { margin-top: 1; color: $foreground 70%; }
    PresentScreen #present-prompt { text-style: bold; border-left: thick $accent; padding: 1 3; }
    PresentScreen #present-foot { dock: bottom; height: auto; margin-bottom: 1; }
    PresentScreen #present-countdown { height: auto; margin-bottom: 1; }
    PresentScreen #present-countdown-digits { width: auto; text-style: bold; padding: 0 1; }
    PresentScreen #present-countdown-word { width: auto; height: 3; content-align: left middle; padding: 0 1;
                                            text-style: bold; }
    PresentScreen #present-countdown-text { width: auto; text-style: bold; padding: 0 1; display: none; }
    PresentScreen .-warning { background: $warning; color: $text; }
    PresentScreen .-overrun { background: $error; color: $text; }
    PresentScreen #present-next { text-style: bold; }
    PresentScreen #present-notice { color: $foreground 60%; }
    PresentScreen #present-waiting { height: 1fr; content-align: center middle; text-style: bold; }

    /* Small terminals: plain text instead of big digits, then fewer lines. */
    PresentScreen.-narrow Digits, PresentScreen.-short Digits, PresentScreen.-tiny Digits,
    PresentScreen.-narrow #present-countdown-word, PresentScreen.-short #present-countdown-word,
    PresentScreen.-tiny #present-countdown-word { display: none; }
    PresentScreen.-narrow #present-clock-text, PresentScreen.-short #present-clock-text,
    PresentScreen.-tiny #present-clock-text,
    PresentScreen.-narrow #present-countdown-text, PresentScreen.-short #present-countdown-text,
    PresentScreen.-tiny #present-countdown-text { display: block; }
    PresentScreen.-narrow, PresentScreen.-short, PresentScreen.-tiny { padding: 0 1; }
    PresentScreen.-narrow #present-prompt, PresentScreen.-short #present-prompt,
    PresentScreen.-tiny #present-prompt { padding: 0 1; }
    PresentScreen.-short #present-top, PresentScreen.-tiny #present-top, PresentScreen.-short #present-foot,
    PresentScreen.-tiny #present-foot, PresentScreen.-short #present-countdown,
    PresentScreen.-tiny #present-countdown, PresentScreen.-tiny #present-title,
    PresentScreen.-tiny #present-place { margin: 0; }
    PresentScreen.-tiny #present-programme, PresentScreen.-tiny #present-presenters { display: none; }

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
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (16, "-short"), (22, "-tall")]

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
            yield Static(id="present-clock-text", markup=False)
            yield Digits(id="present-clock")
        yield Static(id="present-waiting", markup=False)
        with Vertical(id="present-body"):
            yield Static(id="present-title", markup=False)
            yield Static(id="present-presenters", markup=False)
            yield Static(id="present-place", markup=False)
            yield Static(id="present-prompt", markup=False)
        with Vertical(id="present-foot"):
            with Horizontal(id="present-countdown"):
                yield Digits(id="present-countdown-digits")
                yield Static(id="present-countdown-word", markup=False)
                yield Static(id="present-countdown-text", markup=False)
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
        for widget_id, value in (
            ("present-programme", view.programme),
            ("present-waiting", view.waiting),
            ("present-notice", view.notice),
            ("present-title", title),
            ("present-presenters", "\n".join(view.presenters)),
            ("present-place", view.prompt_place),
            ("present-prompt", view.prompt),
            ("present-next", "" if waiting else view.next_item),
        ):
            if self._texts.get(widget_id) != value:
                self._texts[widget_id] = value
                widget = self.query_one(f"#{widget_id}", Static)
                widget.update(value)
                widget.set_class(not value, "-empty")  # an empty line folds away
        self._draw_countdown(view)

    def _draw_countdown(self, view: ProjectorView) -> None:
        digits = self.query_one("#present-countdown-digits", Digits)
        digits.update(view.countdown)
        digits.set_class(not view.countdown, "-empty")
        self.query_one("#present-countdown-word", Static).update(view.countdown_word)
        label = f"{view.countdown} {view.countdown_word}".strip()
        plain = self.query_one("#present-countdown-text", Static)
        plain.update(label)
        for widget in (digits, plain):
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
