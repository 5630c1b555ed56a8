"""The floor: the speakers' list, the delegation speaking and its time, and who is in the room.

The chair gives the floor to delegations one after another, usually with a
time limit per intervention; the rapporteur notes what each says. Here:

- the **speakers' list** (`RunState.speakers`) holds the delegations waiting,
  in order; one may be on it twice (a second round);
- the **floor** (`RunState.floor`) is the delegation speaking, since when and
  for how long; yielded, it becomes an `Intervention` in the notes of its item,
  and the answers captured for it name it (`Answer.intervention`);
- the **speaking time** (`speaking`) counts down from the time given, warns
  before the end and shows an overrun; it never touches the agenda's own
  countdown (`schedule`), which follows the item running;
- the **roll call** (`RunState.attendance`) is a list of marks, "present" or
  "left", each made at a time during an item. Who was in the room for an item
  (`present_at`) is what the marks of its day said when it started, corrected
  by the marks made during it (a roll call at its start, a late arrival); for
  a day (`present_on`), every delegation marked present at some time that day.

Everything here is a pure function of `Notes` (no clock, no file): `Meeting`
calls it with the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from facilitator import notes as notes_ops
from facilitator.groups import group_key
from facilitator.notes import Floor, Notes, NotesError, Presence, clean_group

EXTENSION = 60  # seconds one extension adds (the key can be pressed again)
MAX_SPEAKERS = 500  # a list far longer is a key held down, not a meeting


# ------------------------------------------------------------ the speakers' list


def ask(notes: Notes, group: str, at: int | None = None) -> Notes:
    """Put a delegation on the speakers' list at position `at` (0 = first; None = last)."""
    name = clean_group(group)
    speakers = list(notes.run.speakers)
    if len(speakers) >= MAX_SPEAKERS:
        raise NotesError(f"the speakers' list holds at most {MAX_SPEAKERS} delegations")
    speakers.insert(len(speakers) if at is None else max(0, min(at, len(speakers))), name)
    return notes.with_run(speakers=tuple(speakers))


def withdraw(notes: Notes, index: int) -> Notes:
    """Take the delegation at `index` off the speakers' list."""
    speakers = list(notes.run.speakers)
    _check_index(speakers, index)
    del speakers[index]
    return notes.with_run(speakers=tuple(speakers))


def move_speaker(notes: Notes, index: int, to: int) -> Notes:
    """Move the delegation at `index` to position `to` of the speakers' list."""
    speakers = list(notes.run.speakers)
    _check_index(speakers, index)
    name = speakers.pop(index)
    speakers.insert(max(0, min(to, len(speakers))), name)
    return notes.with_run(speakers=tuple(speakers))


def _check_index(speakers: list[str], index: int) -> None:
    if not 0 <= index < len(speakers):
        raise NotesError("no such place on the speakers' list" if speakers else "the speakers' list is empty")


# ------------------------------------------------------------ the floor


def give_floor(
    notes: Notes,
    group: str,
    session_id: str,
    now: dt.datetime,
    allowed: int,
    *,
    make_id: Callable[[], str] | None = None,
) -> Notes:
    """`group` has the floor from `now`, for `allowed` seconds, in item `session_id`;
    the delegation speaking until now yields it at the same second."""
    if allowed <= 0:
        raise NotesError("a speaking time is more than 0 seconds")
    name = clean_group(group)
    notes = yield_floor(notes, now)
    floor = Floor((make_id or (lambda: notes_ops.new_id("i")))(), session_id, name, now.replace(microsecond=0), allowed)
    return notes.with_run(floor=floor)


def yield_floor(notes: Notes, now: dt.datetime) -> Notes:
    """The delegation speaking yields the floor at `now`: its intervention goes into its item's notes.
    Nothing changes when no one has the floor."""
    floor = notes.run.floor
    if floor is None:
        return notes
    item = notes.item(floor.session_id)
    notes = notes.with_item(replace(item, interventions=item.interventions + (floor.closed(now),)))
    return notes.with_run(floor=None)


def extend(notes: Notes, seconds: int = EXTENSION) -> Notes:
    """More speaking time for the delegation on the floor."""
    floor = notes.run.floor
    if floor is None:
        raise NotesError("no one has the floor")
    return notes.with_run(floor=replace(floor, extended=max(0, floor.extended + seconds)))


@dataclass(frozen=True)
class SpeakingTime:
    """The speaking timer of the delegation on the floor, as of a moment."""

    elapsed: int  # seconds spoken
    allowed: int  # seconds given, extensions included
    extended: int  # seconds of those that were extensions

    @property
    def left(self) -> int:
        """Seconds left (negative once overrun)."""
        return self.allowed - self.elapsed

    @property
    def warning_at(self) -> int:
        """Seconds left from which the timer warns: the last 30, or the last quarter of a short time."""
        return min(30, max(5, self.allowed // 4))

    @property
    def state(self) -> str:
        """speaking, warning (the end is near) or overrun."""
        if self.left < 0:
            return "overrun"
        return "warning" if self.left <= self.warning_at else "speaking"

    @property
    def digits(self) -> str:
        """ "2:41", or "+0:12" once overrun."""
        return f"+{clock_text(-self.left)}" if self.left < 0 else clock_text(self.left)

    def label(self) -> str:
        """ "2:41 left", "0:00 left", "over by 0:12"."""
        return f"over by {clock_text(-self.left)}" if self.left < 0 else f"{clock_text(self.left)} left"

    @property
    def given(self) -> str:
        """ "of 3:00", "of 3:00 + 1:00"."""
        base = clock_text(self.allowed - self.extended)
        return f"of {base} + {clock_text(self.extended)}" if self.extended else f"of {base}"


def speaking(floor: Floor, now: dt.datetime) -> SpeakingTime:
    """The speaking timer of `floor` at `now`."""
    elapsed = max(0, int((now.replace(microsecond=0) - floor.started_at).total_seconds()))
    return SpeakingTime(elapsed, floor.allowed + floor.extended, floor.extended)


def clock_text(seconds: int) -> str:
    """Seconds as minutes:seconds ("3:05"), hours when there are any ("1:02:05")."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# ------------------------------------------------------------ who is in the room


def mark(notes: Notes, group: str, present: bool, now: dt.datetime, session_id: str) -> Notes:
    """A roll-call mark: `group` is in the room (present) or has left, from `now`, during item `session_id`."""
    presence = Presence(clean_group(group), present, now.replace(microsecond=0), session_id)
    return notes.with_run(attendance=notes.run.attendance + (presence,))


DayOf = Callable[[Presence], dt.date]  # the day of the meeting a mark belongs to


def _last_marks(marks: Iterable[Presence]) -> dict[str, Presence]:
    """The last mark of each group (by identity), in the order the marks were made."""
    last: dict[str, Presence] = {}
    for presence in sorted(marks, key=lambda m: m.at):  # stable: marks of one second keep their order
        last[group_key(presence.group)] = presence
    return last


def in_room(marks: Iterable[Presence], day: dt.date, day_of: DayOf) -> dict[str, bool]:
    """As the day's marks stand now: group key -> present (True) or left (False); unmarked groups are absent."""
    return {key: m.present for key, m in _last_marks(m for m in marks if day_of(m) == day).items()}


def present_at(
    marks: Iterable[Presence], session_id: str, started_at: dt.datetime, day: dt.date, day_of: DayOf
) -> set[str]:
    """The groups (by identity: `group_key`) in the room for an item that started at `started_at`:
    the marks of its day made before it started, then those made during it (they win)."""
    before = [m for m in marks if day_of(m) == day and (m.session_id == session_id or m.at <= started_at)]
    # Marks made during the item decide for it, whatever their time: a roll call at its start.
    ordered = sorted(before, key=lambda m: (m.session_id == session_id, m.at))
    last: dict[str, Presence] = {}
    for presence in ordered:
        last[group_key(presence.group)] = presence
    return {key for key, m in last.items() if m.present}


def present_on(marks: Iterable[Presence], day: dt.date, day_of: DayOf) -> set[str]:
    """The groups (by identity) marked present at some time of `day`."""
    return {group_key(m.group) for m in marks if m.present and day_of(m) == day}


def roll_taken(marks: Iterable[Presence], day: dt.date, day_of: DayOf) -> bool:
    """Whether any roll-call mark was made on `day` (without one, attendance is not known)."""
    return any(day_of(m) == day for m in marks)
