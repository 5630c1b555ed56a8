"""Child process for the start-up benchmark: run one app headless until its first frame.

    python benchmarks/_startup_driver.py bare
    python benchmarks/_startup_driver.py app NOTES_DIR HH:MM

The parent puts `time.time()` in FACILITATOR_BENCH_T0 just before it spawns
this process. A hook on `App._display` records every update of the target
screen that reaches the (headless) driver: "paint" is the first, the frame a
terminal would show first. "First frame" is the last paint before the screen
is settled (composed, laid out, painted, nothing dirty: the test Textual's own
`Screen._on_idle` makes), so a screen that paints half-built and then
rebuilds a widget is timed to its finished frame. A timer polls for that state
every millisecond from the screen's mount. The child prints one JSON line
after the app has exited (Textual captures stdout while it runs).

Kept tiny on purpose: it imports nothing the app itself would not import.
"""

import time

_T_MAIN = time.time()  # after the interpreter and `time` are up: shows interpreter start-up cost

import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

SIZE = (120, 36)
marks: dict[str, float] = {"main": _T_MAIN}


def settled(screen) -> bool:
    """Nothing left to lay out, recompose or repaint on the screen (Screen._on_idle's test)."""
    return not (screen._layout_required or screen._scroll_required or screen._repaint_required
                or screen._recompose_required or screen._dirty_widgets)


def first_frame(app) -> None:
    # Polled on a timer, not re-armed with call_after_refresh: a screen with
    # nothing left to do after its first paint gets no further refresh, and
    # such a callback would never run.
    if "paint" not in marks or app._batch_count or not settled(app.screen):
        app.set_timer(0.001, lambda: first_frame(app))
        return
    # The frame on screen once it is settled is the last one painted.
    marks.setdefault("frame", marks["last_paint"])
    if getattr(app, "loading", False):
        # Also time until the answers are read and on screen (reported apart).
        app.set_timer(0.005, lambda: first_frame(app))
        return
    if "answers_shown" not in marks:
        marks["answers_shown"] = time.time()
        app.call_after_refresh(app.exit)


def watch_paint(app, is_target) -> None:
    """Record the first and the latest time the target screen's update reaches the (headless) driver."""
    original = app._display

    def display(screen, renderable):
        if renderable is not None and not app._batch_count and is_target(screen):
            now = time.time()
            marks.setdefault("paint", now)
            marks["last_paint"] = now
        return original(screen, renderable)

    app._display = display


def run_bare() -> None:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Parallel Programme for Victim Assistance Experts")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(first_frame, self)

    app = Bare()
    marks["built"] = time.time()
    watch_paint(app, lambda screen: screen is app.screen)
    app.run(headless=True, size=SIZE)


def run_facilitator(notes_dir: str, clock_at: str) -> None:
    # What `facilitator run` does (facilitator/cli/run.py), with a fake clock and no terminal.
    from facilitator.bundled import default_programme
    from facilitator.clock import FakeClock
    from facilitator.meeting import Meeting
    from facilitator.notes import Notes
    from facilitator.programme import load_programme
    from facilitator.store import NotesFolder

    programme = load_programme(default_programme())
    folder = NotesFolder(Path(notes_dir), programme.id)
    folder.lock()
    try:
        # As launch.py: the run state now, the answers while the first frame is drawn.
        notes = Notes(folder.load_run_state())
        marks["loaded"] = time.time()
        hours, minutes = map(int, clock_at.split(":"))
        clock = FakeClock(dt.datetime.combine(programme.dates[0], dt.time(hours, minutes)))
        meeting = Meeting(programme, notes, clock)
        from facilitator.tui.app import make_app
        from facilitator.tui.screens.run import RunScreen

        mount = RunScreen.on_mount

        def on_mount(self) -> None:  # the run screen's own mount, then the first-frame callback
            mount(self)
            self.call_after_refresh(first_frame, self.app)

        RunScreen.on_mount = on_mount
        app = make_app(meeting, folder, load_in_background=True)
        marks["built"] = time.time()
        watch_paint(app, lambda screen: isinstance(screen, RunScreen))
        app.run(headless=True, size=SIZE)
        marks["answers"] = meeting.notes.answer_count()
    finally:
        folder.unlock()


def main() -> None:
    if sys.argv[1] == "bare":
        run_bare()
    else:
        run_facilitator(sys.argv[2], sys.argv[3])
    marks["exited"] = time.time()
    if "frame" not in marks:
        raise SystemExit("no first frame was recorded")
    t0 = float(os.environ["FACILITATOR_BENCH_T0"])
    print(json.dumps({key: (value - t0 if key != "answers" else value) for key, value in marks.items()}))


if __name__ == "__main__":
    main()
