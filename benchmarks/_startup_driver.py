"""Child process for the start-up benchmark: run one app headless until its first frame.

    python benchmarks/_startup_driver.py bare
    python benchmarks/_startup_driver.py app NOTES_DIR HH:MM

The parent puts `time.time()` in FACILITATOR_BENCH_T0 just before it spawns
this process. "First frame" is the screen's `call_after_refresh` callback
registered in its mount handler, run once the screen has been composed, laid
out and painted and no widget is dirty any more. During the app's start-up
batch Textual runs such callbacks before anything is painted, so a hook on
`App._display` records the first update of that screen that reaches the
driver ("paint": the frame a terminal would show first) and the callback
re-arms itself until that has happened. The child prints
one JSON line after the app has exited (Textual captures stdout while it runs).

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


def first_frame(app) -> None:
    if "paint" not in marks:
        # Textual runs these callbacks at once while the app's start-up batch is
        # open (nothing painted yet): wait for the next refresh after a real paint.
        app.screen.call_after_refresh(first_frame, app)
        return
    marks.setdefault("frame", time.time())
    if getattr(app, "loading", False):
        # Also time until the answers are read and on screen (reported apart).
        app.screen.set_timer(0.005, lambda: first_frame(app))
        return
    marks.setdefault("answers_shown", time.time())
    app.call_after_refresh(app.exit)


def watch_paint(app, is_target) -> None:
    """Record the first time the target screen's update reaches the (headless) driver."""
    original = app._display

    def display(screen, renderable):
        if renderable is not None and not app._batch_count and "paint" not in marks and is_target(screen):
            marks["paint"] = time.time()
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
    # What `facilitator run` does (facilitator/launch.py), with a fake clock and no terminal.
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
