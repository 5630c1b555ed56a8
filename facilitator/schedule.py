"""Planned and actual times: the plan, the projection, the delay, the countdown.

Pure logic. Nothing here reads the wall clock: every function that needs the
time takes `now` (a naive datetime on the programme's dates), so tests and
rehearsals run on a fake or accelerated clock.

Planned times (`plan`)
----------------------
- Each day of the programme (the items sharing a ``session.date``) is planned
  on its own; a day's times never depend on another day's.
- An item with ``start`` starts then. An item without ``start`` starts when the
  previous item of the same day is planned to end. (A first item of a day
  without a start, which `load_programme` refuses, starts at midnight.)
- An item with ``duration`` ends that many minutes after its start, even if it
  then overlaps the next fixed start (the projection reports the overlap as
  delay).
- Items without ``duration`` between one fixed start and the next share the
  time left in that gap (after the items that do give a duration) equally,
  item boundaries rounded to whole minutes. In 2012 monitoring (15:00) and the
  exercise (no start) share 15:00-18:00: 15:00-16:30 and 16:30-18:00; the
  opening (10:00) runs until the coordination's 10:15.
- An item without ``duration`` and no later fixed start on its day (typically
  the day's last item, 18:00 "Parallel Programme ends") lasts 0 minutes.

Status (`project`)
------------------
The item on the rapporteur's screen plays no part: reading the afternoon's
questions ahead changes no figure. Only what ran counts.
- An item with a recorded end is "done" and keeps its actual times.
- The current item is the *running* one: started and not ended
  (`RunState.running`; starting an item ends the one running). It is "now".
- The first not-done item after the current one is "next". With no current
  item (before anything started, or the running item was ended without
  starting another) the first not-done item after the furthest item with
  recorded times is "next"; before anything happened, the first item. Every
  other item is "later" (including items skipped earlier in the day).

Projected times (`project`)
---------------------------
The current item, or when there is none the next item, is the *anchor*; its
day is the current day.
- An item that is running (started, not ended) starts at its actual start and
  ends at max(actual start + planned length, now). A running break ends by the
  break rule below instead of keeping its length (then at the latest now).
- The anchor, when not started, starts at the earliest `now` (and no earlier
  than the rules below allow).
- Walking forward from the anchor through the rest of its day with a cursor =
  the previous item's projected end:
  - a break starts at max(cursor, planned start) and absorbs delay: it ends at
    its planned end as long as that leaves it at least half its planned length;
    beyond that it keeps half its length and pushes the later items (a
    30-minute-late morning shortens the 13:00-15:00 lunch to 13:30-15:00);
  - an item with a fixed start starts at max(planned start, cursor): an early
    finish does not pull a fixed start earlier;
  - an item without a fixed start starts at the cursor, earlier or later;
  - every item other than a break keeps its planned length.
- Items started or ended out of order keep their actual times and push the
  cursor; items skipped before the anchor keep their planned times and do not.
- Items on other days keep their planned times (or their actual ones when they
  have them): a late day 1 never moves day 2.

Delay (`Projection.delay_minutes`)
----------------------------------
Measured where the meeting is, rounded to whole minutes (+ late, - early):
- the anchor has not started: how late or early it will start (so "late"
  shows before the first item as soon as `now` passes its start, and an item
  that ended at 10:10 instead of 10:15 makes a following unfixed item 5 minutes
  early);
- the anchor is running: how late or early it will end (as soon as `now`
  passes its planned end it is late), or, when the next item of the day will
  start later than that, how late the next item will start (a planned overlap);
- no anchor (the meeting is over): how late or early the day's last item ended.

Countdown (`timebox`)
---------------------
A started item keeps its planned length from its actual start (a break instead
ends by the break rule, matching the projection); an item not started counts
from its planned times. "warning" at 5 minutes or less left, "overrun" below
zero, "ended" once it ended, "open" for an item with no planned length.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitator.notes import RunState, Timing

if TYPE_CHECKING:  # the programme's types only: `programme` asks `plan` to check a programme's times
    from facilitator.programme import Programme, Session

WARNING = dt.timedelta(minutes=5)
_ZERO = dt.timedelta(0)

__all__ = [
    "WARNING",
    "minutes",
    "PlanOverflowError",
    "Projection",
    "Slot",
    "Timebox",
    "plan",
    "project",
    "timebox",
]


def minutes(delta: dt.timedelta) -> int:
    """Whole minutes, half a minute rounding away from zero."""
    value = delta.total_seconds() / 60
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


@dataclass(frozen=True)
class Slot:
    """One agenda item's planned, projected and actual times."""

    session_id: str
    day: int  # index into programme.dates
    planned_start: dt.datetime
    planned_end: dt.datetime
    fixed: bool  # the programme gives it a start time
    projected_start: dt.datetime
    projected_end: dt.datetime
    actual_start: dt.datetime | None = None
    actual_end: dt.datetime | None = None
    status: str = "later"  # "done" | "now" | "next" | "later"

    @property
    def planned_length(self) -> dt.timedelta:
        """How long the programme plans the item to take."""
        return self.planned_end - self.planned_start

    @property
    def planned_minutes(self) -> int:
        """Planned length in whole minutes."""
        return minutes(self.planned_length)

    @property
    def projected_minutes(self) -> int:
        """Projected (or actual) length in whole minutes."""
        return minutes(self.projected_end - self.projected_start)


@dataclass(frozen=True)
class Projection:
    """The day as it is going: every slot, the delay and when the day ends."""

    slots: tuple[Slot, ...]
    delay_minutes: int  # + late, - early, 0 on time
    day_end_planned: dt.datetime
    day_end_projected: dt.datetime

    def slot(self, session_id: str) -> Slot:
        """The slot of this agenda item; KeyError if it is not in the programme."""
        for slot in self.slots:
            if slot.session_id == session_id:
                return slot
        raise KeyError(session_id)

    def summary(self) -> str:
        """One line for the status bar: "on time", "running 12 min late · ends 18:12"."""
        if self.delay_minutes == 0:
            return "on time"
        word = "late" if self.delay_minutes > 0 else "early"
        return f"running {abs(self.delay_minutes)} min {word} · ends {self.day_end_projected:%H:%M}"


# ------------------------------------------------------------------- plan


def _day_numbers(programme: Programme) -> dict[dt.date, int]:
    """Index of each date in programme.dates (dates it lacks follow, in order)."""
    days = list(programme.dates)
    days += sorted({s.date for s in programme.sessions} - set(days))
    return {day: i for i, day in enumerate(days)}


def _days(sessions: Sequence[Session]) -> list[list[int]]:
    """Indices of the sessions, grouped by date in programme order."""
    groups: dict[dt.date, list[int]] = {}
    for i, session in enumerate(sessions):
        groups.setdefault(session.date, []).append(i)
    return list(groups.values())


class PlanOverflowError(OverflowError):
    """An agenda item planned to end after the last moment a date-time holds (9999-12-31 23:59).

    `load_programme` asks `plan` and refuses such a programme, naming the item, so
    nothing later (`show`, the run screen, the exports) meets a time it cannot compute.
    """

    def __init__(self, session: Session, start: dt.datetime, length: dt.timedelta) -> None:
        minutes = int(length.total_seconds() // 60)
        super().__init__(f"{minutes} minutes from {start:%Y-%m-%d %H:%M} end after {dt.datetime.max:%Y-%m-%d %H:%M}")
        self.session = session


def _end(session: Session, start: dt.datetime, length: dt.timedelta) -> dt.datetime:
    try:
        return start + length
    except OverflowError:
        raise PlanOverflowError(session, start, length) from None


def _round_to_minute(delta: dt.timedelta) -> dt.timedelta:
    return dt.timedelta(minutes=math.floor(delta.total_seconds() / 60 + 0.5))


def _plan_day(sessions: Sequence[Session]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Planned (start, end) of one day's items, in order."""
    times: list[tuple[dt.datetime, dt.datetime]] = []
    cursor: dt.datetime | None = None
    i = 0
    while i < len(sessions):
        # A segment runs from item i up to (not including) the next fixed start.
        j = i + 1
        while j < len(sessions) and sessions[j].start is None:
            j += 1
        segment = sessions[i:j]
        first = segment[0]
        if first.start is not None:
            t = dt.datetime.combine(first.date, first.start)
        else:
            t = cursor if cursor is not None else dt.datetime.combine(first.date, dt.time(0, 0))
        flexible = [s for s in segment if s.duration is None]
        shares: list[dt.timedelta] = [_ZERO] * len(flexible)
        if flexible and j < len(sessions):
            bound = sessions[j]
            assert bound.start is not None
            given = sum((dt.timedelta(minutes=s.duration or 0) for s in segment), _ZERO)
            gap = max(dt.datetime.combine(bound.date, bound.start) - t - given, _ZERO)
            edges = [_round_to_minute(gap * k / len(flexible)) for k in range(len(flexible) + 1)]
            shares = [edges[k + 1] - edges[k] for k in range(len(flexible))]
        share = iter(shares)
        for session in segment:
            length = dt.timedelta(minutes=session.duration) if session.duration is not None else next(share)
            end = _end(session, t, length)
            times.append((t, end))
            t = end
        cursor = t
        i = j
    return times


def plan(programme: Programme) -> tuple[Slot, ...]:
    """Planned times of every agenda item (projected = planned, status "later").

    `PlanOverflowError` for an item planned past 9999-12-31 (`load_programme` refuses those).
    """
    sessions = programme.sessions
    numbers = _day_numbers(programme)
    times: list[tuple[dt.datetime, dt.datetime]] = [(dt.datetime.min, dt.datetime.min)] * len(sessions)
    for indices in _days(sessions):
        for i, span in zip(indices, _plan_day([sessions[i] for i in indices]), strict=True):
            times[i] = span
    return tuple(
        Slot(
            session_id=session.id,
            day=numbers[session.date],
            planned_start=start,
            planned_end=end,
            fixed=session.start is not None,
            projected_start=start,
            projected_end=end,
        )
        for session, (start, end) in zip(sessions, times, strict=True)
    )


# ------------------------------------------------------------- projection


def _break_end(slot: Slot, start: dt.datetime) -> dt.datetime:
    """A break starting at `start` ends as planned while it keeps half its length."""
    half = slot.planned_length / 2
    return slot.planned_end if start + half <= slot.planned_end else start + half


def _running_end(slot: Slot, session: Session, started: dt.datetime, now: dt.datetime) -> dt.datetime:
    end = _break_end(slot, started) if session.is_break else started + slot.planned_length
    return max(end, now)


def _walk(
    slot: Slot, session: Session, cursor: dt.datetime | None, earliest: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    """Projected (start, end) of a not-started item after `cursor` (and not before `earliest`)."""
    if session.is_break or slot.fixed:
        start = slot.planned_start if cursor is None else max(slot.planned_start, cursor)
    else:
        start = slot.planned_start if cursor is None else cursor
    if earliest is not None:
        start = max(start, earliest)
    end = _break_end(slot, start) if session.is_break else start + slot.planned_length
    return start, end


def _current(programme: Programme, run: RunState, timings: Sequence[Timing]) -> int | None:
    """Index of the current item: the one running (never the one merely on screen)."""
    running = run.running
    for i, session in enumerate(programme.sessions):
        if session.id == running:
            return i
    started = [i for i, t in enumerate(timings) if t.started_at is not None and t.ended_at is None]
    return started[-1] if started else None


def _first_not_done(timings: Sequence[Timing], after: int) -> int | None:
    return next((i for i in range(after + 1, len(timings)) if timings[i].ended_at is None), None)


def project(programme: Programme, run: RunState, now: dt.datetime) -> Projection:
    """Project the programme against the recorded actual times and `now`.

    Raises ValueError for a programme without agenda items.
    """
    planned = plan(programme)
    if not planned:
        raise ValueError("the programme has no agenda items")
    sessions = programme.sessions
    timings = [run.timing(s.id) for s in sessions]

    current = _current(programme, run, timings)
    reached = [i for i, t in enumerate(timings) if t.started_at is not None or t.ended_at is not None]
    position = max(reached, default=-1)
    following = _first_not_done(timings, current if current is not None else position)
    anchor = current if current is not None else following
    # The current day: the anchor's, or once nothing is left, the furthest item reached's.
    day = planned[anchor if anchor is not None else max(position, 0)].day

    projected: list[tuple[dt.datetime, dt.datetime]] = [(s.planned_start, s.planned_end) for s in planned]
    for indices in _days(sessions):
        cursor: dt.datetime | None = None
        for i in indices:
            slot, session, timing = planned[i], sessions[i], timings[i]
            if timing.ended_at is not None:
                span = (timing.started_at or timing.ended_at, timing.ended_at)
            elif timing.started_at is not None:
                span = (timing.started_at, _running_end(slot, session, timing.started_at, now))
            elif slot.day == day and anchor is not None and i >= anchor:
                span = _walk(slot, session, cursor, now if i == anchor else None)
            else:
                continue  # planned times; a skipped or future item does not move the cursor
            projected[i] = span
            cursor = span[1] if cursor is None else max(cursor, span[1])

    def status(i: int) -> str:
        if timings[i].ended_at is not None:
            return "done"
        if i == current:
            return "now"
        if i == following:
            return "next"
        return "later"

    slots = tuple(
        Slot(
            session_id=slot.session_id,
            day=slot.day,
            planned_start=slot.planned_start,
            planned_end=slot.planned_end,
            fixed=slot.fixed,
            projected_start=projected[i][0],
            projected_end=projected[i][1],
            actual_start=timings[i].started_at,
            actual_end=timings[i].ended_at,
            status=status(i),
        )
        for i, slot in enumerate(planned)
    )
    today = [s for s in slots if s.day == day]
    return Projection(
        slots=slots,
        delay_minutes=minutes(_delay(slots, anchor, today)),
        day_end_planned=today[-1].planned_end,
        day_end_projected=today[-1].projected_end,
    )


def _delay(slots: Sequence[Slot], anchor: int | None, today: Sequence[Slot]) -> dt.timedelta:
    """How late (+) or early (-) the meeting is where it stands (see the module docstring)."""
    if anchor is None:
        return today[-1].projected_end - today[-1].planned_end
    here = slots[anchor]
    if here.actual_start is None:
        return here.projected_start - here.planned_start
    delay = here.projected_end - here.planned_end
    after = (s for s in slots[anchor + 1 :] if s.day == here.day and s.actual_start is None and s.actual_end is None)
    upcoming = next(after, None)
    if upcoming is not None:
        delay = max(delay, upcoming.projected_start - upcoming.planned_start)
    return delay


# ---------------------------------------------------------------- timebox


@dataclass(frozen=True)
class Timebox:
    """The countdown for one agenda item."""

    planned_end: dt.datetime | None  # None when the item has no planned length
    remaining: dt.timedelta | None  # negative = overrun
    state: str  # "not started" | "running" | "warning" | "overrun" | "ended" | "open"

    def label(self) -> str:
        """What the clock shows: "12:34 left", "overrun 3:10", "ended", "—"."""
        if self.state == "ended":
            return "ended"
        if self.remaining is None:
            return "—"
        if self.state == "not started":
            return f"{_clock(self.remaining)} planned"
        if self.remaining < _ZERO:
            return f"overrun {_clock(-self.remaining)}"
        return f"{_clock(self.remaining)} left"


def _clock(delta: dt.timedelta) -> str:
    """m:ss, or h:mm:ss from an hour up (seconds truncated)."""
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def timebox(programme: Programme, run: RunState, session_id: str, now: dt.datetime) -> Timebox:
    """The countdown for an agenda item at `now`; KeyError for an unknown item."""
    slots = {slot.session_id: slot for slot in plan(programme)}
    if session_id not in slots:
        raise KeyError(session_id)
    slot = slots[session_id]
    session = programme.sessions[programme.index(session_id)]
    timing = run.timing(session_id)
    if slot.planned_length <= _ZERO:
        return Timebox(None, None, "ended" if timing.ended_at is not None else "open")
    if timing.started_at is None and timing.ended_at is None:
        return Timebox(slot.planned_end, slot.planned_length, "not started")
    started = timing.started_at or timing.ended_at
    assert started is not None
    end = _break_end(slot, started) if session.is_break else started + slot.planned_length
    if timing.ended_at is not None:
        return Timebox(end, end - timing.ended_at, "ended")
    remaining = end - now
    if remaining < _ZERO:
        state = "overrun"
    elif remaining <= WARNING:
        state = "warning"
    else:
        state = "running"
    return Timebox(end, remaining, state)
