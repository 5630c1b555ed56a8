"""The projector view: what the room sees, and following a run from a second terminal.

`projector_view` turns a `Meeting` into the few things a projector shows: the
time, the current item and its presenters, the current prompt, the countdown
and the next item. The countdown and the next item come from the same
`Meeting.timebox` and `Meeting.projection` the run screen uses, so the laptop
and the wall never disagree.

`RunFollower` is the second terminal's side (`facilitator present`): it reads
the notes folder's run.toml whenever its size, time or inode changes, never
takes the lock, never creates or writes anything, and keeps the last good
state when the file is momentarily unreadable.

No Textual here: `facilitator/tui/screens/present.py` draws the view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from facilitator import bundled
from facilitator.clock import Clock, SystemClock
from facilitator.meeting import Meeting
from facilitator.notes import Notes, Rehearsal
from facilitator.problems import Problem, quote
from facilitator.programme import Programme, ProgrammeError, Prompt, Session, load_programme
from facilitator.schedule import Projection
from facilitator.store import RUN_FILE, StoreError, file_identity, read_run_state

# How often the second terminal looks at run.toml (a stat; the file is read
# only when it changed). The app saves a move at once, so it shows on the
# projector within about 0.3 s.
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class ProjectorView:
    """Everything the projector shows, as text; `waiting` alone when there is no run yet."""

    clock: str = ""  # "10:42"
    programme: str = ""
    title: str = ""
    kind: str = ""  # the item's kind when it is not a plain discussion ("break", "exercise"…)
    presenters: tuple[str, ...] = ()
    speakers: tuple[tuple[str, str], ...] = ()  # (role, name) of each presenter: the name is shown large
    prompt_place: str = ""  # "Question 2 of 5"
    prompt: str = ""  # the current prompt, or an exercise's instructions
    countdown: str = ""  # "12:34" (digits), "+3:10" when overrun, "" when there is none
    countdown_word: str = ""  # "left", "overrun", "planned", "ended"
    state: str = ""  # the timebox state: running, warning, overrun, not started, ended, open
    next_item: str = ""  # "next: Break for lunch at 13:00"
    waiting: str = ""  # shown instead of everything else
    notice: str = ""  # a small line: the run state could not be read, the last good one is shown
    rehearsal: str = ""  # "REHEARSAL" (and its speed) when the run is one


def countdown_parts(label: str, state: str) -> tuple[str, str]:
    """Split the run screen's countdown label ("12:34 left", "overrun 3:10") into digits and a word."""
    if state in ("ended", "open") or label in ("", "—"):
        return "", "ended" if state == "ended" else ""
    if label.startswith("overrun "):
        return "+" + label.removeprefix("overrun "), "overrun"
    digits, _, word = label.partition(" ")
    return digits, word


def next_item_line(meeting: Meeting, projection: Projection, after: Session | None = None) -> str:
    """ "next: <item> at <projected start>": the first item after `after` (the item the
    room sees) that has not ended; "" at the end of the programme.
    """
    sessions = meeting.programme.sessions
    here = meeting.programme.index((after or meeting.session).id)
    slots = {slot.session_id: slot for slot in projection.slots}
    following = next((s for s in sessions[here + 1 :] if slots[s.id].status != "done"), None)
    if following is None:
        return ""
    return f"next: {following.title} at {slots[following.id].projected_start:%H:%M}"


def room_item(meeting: Meeting, projection: Projection) -> tuple[Session, Prompt | None]:
    """What the room sees: the item running and the prompt shown for it; between items, the item
    coming next, without a question yet. Never merely the item on the rapporteur's screen."""
    running = meeting.running
    if running is not None:
        return running, meeting.room_prompt
    upcoming = next((s for s in projection.slots if s.status == "next"), None)
    session = meeting.programme.session(upcoming.session_id) if upcoming else None
    return session or meeting.session, None


def projector_view(meeting: Meeting, notice: str = "") -> ProjectorView:
    """What the projector shows for a meeting, as of its clock's now."""
    projection = meeting.projection()
    session, prompt = room_item(meeting, projection)
    box = meeting.timebox(session.id)
    countdown, word = countdown_parts(box.label(), box.state)
    rehearsal = meeting.notes.run.rehearsal
    if prompt is not None:
        number = session.prompts.index(prompt) + 1
        place = f"Question {number} of {len(session.prompts)}" if len(session.prompts) > 1 else "Question"
        text = prompt.text
    else:
        place, text = "", session.exercise.instructions if session.exercise else ""
    return ProjectorView(
        clock=f"{meeting.clock.now():%H:%M}",
        programme=meeting.programme.title,
        title=session.title,
        kind="" if session.kind == "discussion" else session.kind,
        presenters=tuple(str(p) for p in session.presenters),
        speakers=tuple((p.role, p.name) for p in session.presenters),
        prompt_place=place,
        prompt=text,
        countdown=countdown,
        countdown_word=word,
        state=box.state,
        next_item=next_item_line(meeting, projection, session),
        notice=notice,
        rehearsal=f"REHEARSAL ×{rehearsal.speed:g}" if rehearsal and rehearsal.speed != 1 else
        ("REHEARSAL" if rehearsal else ""),
    )


# ---------------------------------------------------------------- following run.toml


def find_programme(programme_id: str) -> Programme | None:
    """The bundled programme with this id, or None."""
    found = bundled.find(programme_id) if programme_id else None
    if found is None:
        return None
    try:
        return load_programme(found)
    except ProgrammeError:
        return None


class RunFollower:
    """Follows a notes folder's run.toml, read-only, for the projector view.

    `poll()` is cheap (one stat) and says whether anything new is to be shown;
    `view()` is the projector view of the last good state.
    """

    def __init__(
        self, folder: Path, programme: Programme, clock: Clock | None = None, *, programme_given: bool = False
    ) -> None:
        self.folder = Path(folder)
        self.path = self.folder / RUN_FILE
        self.programme = programme
        # A programme named on the command line is kept; otherwise the bundled
        # programme run.toml names is followed (it may appear after start-up).
        self.programme_given = programme_given
        self.clock: Clock = clock or SystemClock()
        self.meeting: Meeting | None = None  # None until a good run.toml was read
        self.notice = ""
        self._signature: tuple[int, ...] | None = None
        self._seen = False  # whether a first look happened

    def poll(self) -> bool:
        """Look at run.toml; read it when it changed. True when the view may have changed."""
        signature = file_identity(self.path)
        if self._seen and signature == self._signature:
            return False
        self._seen, self._signature = True, signature
        if signature is None:
            # Not there (yet, or the folder went away): keep whatever was shown.
            self.notice = f"{self.path} is gone: showing the last state read" if self.meeting else ""
            return True
        try:
            run = read_run_state(self.path)
        except StoreError as exc:
            # Half-written or hand-edited badly: keep the last good state, say so quietly.
            self.notice = f"run.toml cannot be read ({_short(exc.problems[0])}){self._keeping}"
            return True
        if run.programme_id and run.programme_id != self.programme.id:
            other = None if self.programme_given else find_programme(run.programme_id)
            if other is None:
                self.notice = (
                    f"run.toml is for programme {quote(run.programme_id)}, "
                    f"not {quote(self.programme.id)}{self._keeping}"
                )
                return True
            self.programme = other
        # A rehearsal runs on its own clock, kept in run.toml: the projector shows its time.
        clock = RehearsalTime(run.rehearsal, self.clock) if run.rehearsal else self.clock
        self.meeting = Meeting(self.programme, Notes(run), clock)
        self.notice = ""
        return True

    @property
    def _keeping(self) -> str:
        return ": showing the last good state" if self.meeting else ""

    def view(self) -> ProjectorView:
        if self.meeting is None:
            message = f"Waiting for the run to start in {self.folder}"
            return ProjectorView(
                clock=f"{self.clock.now():%H:%M}", programme=self.programme.title, waiting=message, notice=self.notice
            )
        return projector_view(self.meeting, self.notice)


class RehearsalTime:
    """The time of a rehearsal run as its app shows it: its start plus the wall time since, times its speed."""

    def __init__(self, rehearsal: Rehearsal, wall: Clock) -> None:
        self.rehearsal = rehearsal
        self.wall = wall

    def now(self) -> dt.datetime:
        return self.rehearsal.now(self.wall.now())


def _short(problem: Problem) -> str:
    return f"line {problem.line}: {problem.message}" if problem.line else problem.message
