"""The agenda as run: the programme with the changes made on the day.

A speaker is absent, a discussion runs on, a question comes from the floor:
the facilitator inserts an item, drops one (and may restore it), moves one,
changes when one starts or how long it lasts, adds a prompt. The programme
file never changes; each change is an `AgendaChange` kept in run.toml, and
`as_run` applies them in order to give the agenda everything else uses (the
schedule, the run screen, the projector, the exports), with a note per item
of what changed ("added on the day", "dropped", "moved from 15:00").

Pure functions: `change` checks that the agenda still makes sense (starts in
order within a day, ids unique) before a change is kept, and says why not.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from facilitator.notes import AgendaChange, NotesError
from facilitator.programme import KINDS, Programme, Prompt, Session, is_valid_id

RESERVED_IDS = {"run"}  # run.toml holds the run state
MAX_TITLE = 300
MAX_PROMPT = 2000


@dataclass(frozen=True)
class AgendaAsRun:
    """The agenda of the day as it runs, and how it differs from the programme."""

    programme: Programme  # items in their order as run: added ones in, dropped ones out
    planned: Programme  # the programme file's own agenda
    notes: dict[str, tuple[str, ...]]  # item id -> what changed for it, in words
    dropped: tuple[Session, ...]  # items taken off the agenda (their notes stay)

    def note(self, session_id: str) -> str:
        """What changed for an item, in one line ("" when it runs as planned)."""
        return "; ".join(self.notes.get(session_id, ()))

    def added(self, session_id: str) -> bool:
        return self.planned.session(session_id) is None and self.programme.session(session_id) is not None


def as_run(programme: Programme, changes: Sequence[AgendaChange]) -> AgendaAsRun:
    """The programme with `changes` applied in order (see the module's docstring)."""
    return _as_run(programme, tuple(changes))


@lru_cache(maxsize=32)
def _as_run(programme: Programme, changes: tuple[AgendaChange, ...]) -> AgendaAsRun:
    # Once the day changes, every planned item keeps the length the programme planned for it:
    # dropping the 15:00 item must not stretch lunch to fill its place, nor an inserted item
    # shrink the discussion before it. (Unchanged, the programme is planned exactly as written.)
    sessions = _with_planned_lengths(programme) if changes else list(programme.sessions)
    dropped: dict[str, Session] = {}
    notes: dict[str, list[str]] = {}
    for item in changes:
        sessions, dropped = _apply(sessions, dropped, item)
        _describe(notes, programme, item)
    return AgendaAsRun(
        programme=replace(programme, sessions=tuple(sessions)),
        planned=programme,
        notes={sid: tuple(words) for sid, words in notes.items()},
        dropped=tuple(dropped.values()),
    )


def with_dropped(as_run: AgendaAsRun) -> list[tuple[Session, bool]]:
    """(item, dropped) in the order of the day as run, each dropped item where the programme had it."""
    rows = [(s, False) for s in as_run.programme.sessions]
    planned_ids = [s.id for s in as_run.planned.sessions]
    for dropped in as_run.dropped:
        before = set(planned_ids[: planned_ids.index(dropped.id)]) if dropped.id in planned_ids else set()
        at = max((i + 1 for i, (s, _) in enumerate(rows) if s.id in before), default=0)
        rows.insert(at, (dropped, True))
    return rows


def change(programme: Programme, changes: Sequence[AgendaChange], item: AgendaChange) -> tuple[AgendaChange, ...]:
    """`changes` with `item` added, after checking the agenda still makes sense; NotesError says why not."""
    current = as_run(programme, changes)
    start = list(current.programme.sessions) if changes else _with_planned_lengths(programme)
    sessions, dropped = _apply(start, {d.id: d for d in current.dropped}, item)
    problem = order_problem(sessions)
    if problem:
        raise NotesError(problem)
    del dropped
    return (*changes, item)


# ------------------------------------------------------------------ applying


def _with_planned_lengths(programme: Programme) -> list[Session]:
    from facilitator.schedule import plan  # the schedule plans an agenda; the agenda does not need it otherwise

    slots = {slot.session_id: slot for slot in plan(programme)}
    return [
        replace(s, duration=slots[s.id].planned_minutes) if s.duration is None and not _last_of_day(programme, s)
        else s
        for s in programme.sessions
    ]


def _last_of_day(programme: Programme, session: Session) -> bool:
    """The day's last item (typically "ends at 18:00") keeps no length: it marks the end."""
    same_day = [s for s in programme.sessions if s.date == session.date]
    return same_day[-1].id == session.id


def _index(sessions: Sequence[Session], session_id: str) -> int:
    for i, session in enumerate(sessions):
        if session.id == session_id:
            return i
    raise NotesError(f"no agenda item '{session_id}' in the agenda as it runs")


def _place(sessions: list[Session], session: Session, after: str) -> list[Session]:
    """`session` put after the item `after` (or first of its day when "")."""
    if after:
        at = _index(sessions, after) + 1
        session = replace(session, date=sessions[at - 1].date)
    else:
        at = next((i for i, s in enumerate(sessions) if s.date == session.date), len(sessions))
    return [*sessions[:at], session, *sessions[at:]]


def _apply(
    sessions: list[Session], dropped: dict[str, Session], item: AgendaChange
) -> tuple[list[Session], dict[str, Session]]:
    kind = item.kind
    if kind == "add":
        if any(s.id == item.session_id for s in sessions) or item.session_id in dropped:
            raise NotesError(f"there is already an agenda item '{item.session_id}'")
        if not item.title.strip():
            raise NotesError("an added item needs a title")
        if item.item_kind not in KINDS:
            raise NotesError(f"'{item.item_kind}' is not a kind of item: choose {', '.join(KINDS)}")
        day = item.date or (sessions[0].date if sessions else dt.date.today())
        new = Session(item.session_id, item.title.strip(), item.item_kind, day, item.start, item.duration)
        return _place(sessions, new, item.after), dropped
    if kind == "restore":
        if item.session_id not in dropped:
            raise NotesError(f"'{item.session_id}' was not dropped")
        dropped = dict(dropped)
        back = dropped.pop(item.session_id)
        return _place(sessions, back, item.after), dropped
    i = _index(sessions, item.session_id)
    session = sessions[i]
    if kind == "drop":
        dropped = {**dropped, session.id: session}
        return [*sessions[:i], *sessions[i + 1 :]], dropped
    if kind == "move":
        if item.after == session.id:
            raise NotesError("an item cannot follow itself")
        rest = [*sessions[:i], *sessions[i + 1 :]]
        moved = _place(rest, session, item.after)
        # An item moved out of its time keeps its length and follows the item before it.
        if order_problem(moved):
            moved = _place(rest, replace(session, start=None), item.after)
        return moved, dropped
    if kind == "retime":
        sessions = list(sessions)
        sessions[i] = replace(session, start=item.start, duration=item.duration)
        return sessions, dropped
    if kind == "prompt":
        if not item.text.strip():
            raise NotesError("a prompt needs its question")
        if session.prompt(item.prompt_id):
            raise NotesError(f"'{session.title}' already has a prompt '{item.prompt_id}'")
        sessions = list(sessions)
        sessions[i] = replace(session, prompts=(*session.prompts, Prompt(item.prompt_id, item.text.strip())))
        return sessions, dropped
    raise NotesError(f"unknown agenda change '{kind}'")


def order_problem(sessions: Sequence[Session]) -> str:
    """Why these items cannot be an agenda ("" when they can): fixed starts out of order within a day."""
    last: dict[dt.date, Session] = {}
    for session in sessions:
        if session.start is None:
            continue
        before = last.get(session.date)
        if before is not None and before.start is not None and session.start < before.start:
            return (
                f"'{session.title}' would start at {session.start:%H:%M}, before '{before.title}' at "
                f"{before.start:%H:%M}: give it a later start, or move it"
            )
        last[session.date] = session
    firsts: dict[dt.date, Session] = {}
    for session in sessions:
        firsts.setdefault(session.date, session)
    for first in firsts.values():
        if first.start is None:
            return f"'{first.title}' is the first item of its day: it needs a start time"
    return ""


# ------------------------------------------------------------------ describing


def _hm(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value else "after the item before"


def _describe(notes: dict[str, list[str]], programme: Programme, item: AgendaChange) -> None:
    when = f"{item.made_at:%H:%M}"
    words = notes.setdefault(item.session_id, [])
    planned = programme.session(item.session_id)
    if item.kind == "add":
        words.append(f"added on the day ({when})")
    elif item.kind == "drop":
        words.append(f"dropped ({when})")
    elif item.kind == "restore":
        words.append(f"restored ({when})")
    elif item.kind == "move":
        origin = f" from {planned.start:%H:%M}" if planned and planned.start else ""
        words.append(f"moved{origin} ({when})")
    elif item.kind == "retime":
        length = f", {item.duration} min" if item.duration is not None else ""
        was = f"planned {_hm(planned.start)}" if planned else ""
        words.append(f"now {_hm(item.start)}{length}" + (f" ({was}, changed {when})" if was else f" ({when})"))
    elif item.kind == "prompt":
        words.append(f"prompt added on the day ({when})")


# ------------------------------------------------------------------ new ids


def slug(text: str, fallback: str) -> str:
    """A short id from a title: "Questions from the floor" -> "questions-from-the-floor"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word[:40]
        if len(candidate) > 40:
            break
        out = candidate
    return out or fallback


def new_id(text: str, taken: Iterable[str], fallback: str = "item") -> str:
    """An id from `text` that is valid as a file name and not in `taken` ("-2", "-3"... when it is)."""
    used = set(taken) | RESERVED_IDS
    base = slug(text, fallback)
    if not is_valid_id(base):
        base = fallback
    candidate, n = base, 1
    while candidate in used or not is_valid_id(candidate):
        n += 1
        candidate = f"{base[:58]}-{n}"
    return candidate
