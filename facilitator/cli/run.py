"""`facilitator run`: open the notes folder, build the meeting, run the app.

The folder and clock are set up (and their errors reported as plain lines)
before any screen exists; Textual is imported only once the app is about to run.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from facilitator import bundled
from facilitator.clock import Clock, RehearsalClock, SystemClock
from facilitator.meeting import Meeting
from facilitator.notes import Notes, Rehearsal, RunState
from facilitator.problems import Problem, visible
from facilitator.programme import Programme
from facilitator.store import RUN_FILE, NotesFolder, StoreError, default_notes_dir


def make_clock(start: dt.datetime | dt.time | None, speed: float) -> Clock:
    """The system clock, or a rehearsal clock from `--clock [DATE]THH:MM` / `--speed X`."""
    if start is None and speed == 1.0:
        return SystemClock()
    if isinstance(start, dt.datetime):
        origin = start
    elif start is not None:
        origin = dt.datetime.combine(dt.date.today(), start)
    else:
        origin = dt.datetime.now().replace(microsecond=0)
    return RehearsalClock(origin, speed)


def rehearsal_notes_dir(programme_id: str) -> Path:
    """Where a rehearsal's notes go when no --notes is given: never the live folder."""
    return default_notes_dir(programme_id).with_name(f"{programme_id}-rehearsal")


def _holds_live_notes(path: Path, run: RunState) -> bool:
    """Whether a folder holds a live run: recorded times, or any agenda item's notes."""
    if run.rehearsal is not None:
        return False
    if run.timings or run.changes:
        return True
    try:
        return any(n.endswith(".toml") and n != RUN_FILE and not n.startswith(".") for n in os.listdir(path))
    except OSError:
        return False


def _check_kind_of_run(folder: NotesFolder, run: RunState, rehearsing: bool, confirm: Confirm | None) -> None:
    """A live run on a rehearsal's folder, or a rehearsal on a live one, asks first (`confirm`);
    declined, or with nobody to ask, the folder is left as it is."""
    if rehearsing and _holds_live_notes(folder.path, run):
        question = f"{folder.path} holds the notes of a live run: rehearse in it anyway (its times will move)?"
        refusal = "holds the notes of a live run: rehearse without --notes (a rehearsal folder of its own)"
    elif not rehearsing and run.rehearsal is not None:
        question = f"{folder.path} holds a rehearsal: run live in it, keeping the rehearsal's answers and times?"
        refusal = "holds a rehearsal: give the live run its own --notes folder, or answer y to run live in it"
    else:
        return
    if confirm is None or not confirm(question):
        raise StoreError([Problem(str(folder.path), "", refusal)])


Confirm = Callable[[str], bool]


def run_app(programme: Programme, notes_dir: Path | None = None, clock_start: dt.datetime | dt.time | None = None,
            speed: float = 1.0, confirm: Confirm | None = None) -> int:
    """Run the TUI on a programme; raises StoreError for a folder it cannot use.

    With `--clock` or `--speed` it is a rehearsal: without --notes its notes go to
    notes/<id>-rehearsal/, and the run says REHEARSAL on screen, on the projector
    and in the exports.
    """
    rehearsing = clock_start is not None or speed != 1.0
    default = rehearsal_notes_dir(programme.id) if rehearsing else default_notes_dir(programme.id)
    folder = NotesFolder(Path(notes_dir) if notes_dir else default, programme.id)
    folder.lock()
    try:
        # The run state is read now (tiny, and a foreign folder is refused before
        # any screen); the answers are read while the first frame is drawn.
        run = folder.load_run_state()
        _check_kind_of_run(folder, run, rehearsing, confirm)
        clock = make_clock(clock_start, speed)
        rehearsal = None
        if isinstance(clock, RehearsalClock):
            rehearsal = Rehearsal(clock.start, speed, dt.datetime.now().replace(microsecond=0))
        meeting = Meeting(programme, Notes(run), clock, rehearsal=rehearsal, live=not rehearsing)
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


def cmd_run(args) -> int:  # noqa: ANN001 - an argparse.Namespace
    programme = bundled.resolve_programme(args.programme)
    return run_app(programme, notes_dir=args.notes, clock_start=args.clock, speed=args.speed, confirm=confirm)


def confirm(question: str) -> bool:
    """Ask yes or no on the terminal; no terminal to ask on is a no."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    sys.stderr.write(f"{visible(question)} [y/N] ")
    sys.stderr.flush()
    try:
        return sys.stdin.readline().strip().lower() in ("y", "yes")
    except (EOFError, KeyboardInterrupt):
        return False
