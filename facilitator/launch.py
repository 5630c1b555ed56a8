"""Open the notes folder, build the meeting and run the app.

Kept apart from `cli.py` so the command line never imports Textual unless it
runs the app, and from `tui/` so the folder and clock are set up (and their
errors reported as plain lines) before any screen exists.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
from pathlib import Path

from facilitator.clock import Clock, RehearsalClock, SystemClock
from facilitator.meeting import Meeting
from facilitator.notes import Notes
from facilitator.programme import Programme
from facilitator.store import NotesFolder, default_notes_dir


def make_clock(start: dt.time | None, speed: float) -> Clock:
    """The system clock, or a rehearsal clock from `--clock HH:MM` / `--speed X`."""
    if start is None and speed == 1.0:
        return SystemClock()
    today = dt.date.today()
    origin = dt.datetime.combine(today, start) if start else dt.datetime.now().replace(microsecond=0)
    return RehearsalClock(origin, speed)


def run_app(programme: Programme, notes_dir: Path | None = None, clock_start: dt.time | None = None,
            speed: float = 1.0) -> int:
    """Run the TUI on a programme; raises StoreError for a folder it cannot use."""
    folder = NotesFolder(Path(notes_dir) if notes_dir else default_notes_dir(programme.id), programme.id)
    folder.lock()
    try:
        # The run state is read now (tiny, and a foreign folder is refused before
        # any screen); the answers are read while the first frame is drawn.
        meeting = Meeting(programme, Notes(folder.load_run_state()), make_clock(clock_start, speed))
        from facilitator.tui.app import make_app

        app = make_app(meeting, folder, load_in_background=True)
        app.run()
    finally:
        folder.unlock()
    if app.load_error is not None:
        raise app.load_error
    rescued = app.rescued_to
    if app.ended_by_signal is not None:
        name = signal.Signals(app.ended_by_signal).name
        state = "some notes could NOT be saved" if app.unsaved_on_exit else "notes saved"
        print(f"facilitator: ended by {name}: {state} in {folder.path}/", file=sys.stderr)
        return 128 + app.ended_by_signal
    if app.return_code:  # the app stopped on an error (Textual printed it): never report the notes as saved
        message = f"the app stopped on an error (shown above); what was saved before it is in {folder.path}/"
        print(f"facilitator: {message}", file=sys.stderr)
        return app.return_code
    if rescued:
        print(f"Notes written to {rescued} (the notes folder {folder.path} could not be written).")
    elif app.unsaved_on_exit:
        print(f"facilitator: some notes could NOT be saved to {folder.path}", file=sys.stderr)
        return 1
    else:
        print(f"Notes saved in {folder.path}/ ({meeting.notes.answer_count()} answers).")
    return 0
