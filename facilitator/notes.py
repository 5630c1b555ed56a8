"""What a run captured: answers, themes and the run's position and times.

Everything here is immutable. A change is a pure function from one `Notes` to
the next, so the screen can undo by keeping the previous value and the store
can tell which agenda items changed by identity (`ItemNotes` objects that are
not the same object as last saved).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
from types import MappingProxyType

from facilitator.groups import group_key

SCHEMA = 1
MAX_TEXT = 20_000  # a long answer is a paragraph; far longer is a paste accident
MAX_GROUP = 200
MAX_SPEED = 3600.0  # a rehearsal clock at most an hour a second
# Dot voting in a room counts in tens; the bound keeps counts far from any integer limit
# (a hand-edited 2^63-1 would overflow other programs reading the exports).
MAX_VOTES = 1_000_000


class NotesError(ValueError):
    """A change that would make the notes wrong (empty group, unknown answer)."""


def new_id(prefix: str = "a") -> str:
    """A short random id, unique across rapporteurs' laptops so folders merge."""
    return f"{prefix}-{os.urandom(5).hex()}"


@dataclass(frozen=True)
class Conflict:
    """Another version of an answer, kept by `facilitator merge` rather than dropped.

    When two rapporteurs' folders hold the same answer (same id) with different
    words, group, prompt or category, the merge keeps the latest edit as the
    answer and each other version as a `Conflict` on it, so no one's words are lost.
    """

    text: str
    group: str
    prompt_id: str
    edited_at: dt.datetime | None = None  # None: the words as captured, never edited
    category: str = ""
    session_id: str = ""  # "" = the answer's own agenda item (another only in hand-edited folders)


@dataclass(frozen=True)
class Answer:
    """One contribution from one group to one prompt."""

    id: str
    prompt_id: str  # "" when the agenda item has no prompts
    group: str
    text: str
    captured_at: dt.datetime
    edited_at: dt.datetime | None = None
    votes: int = 0
    starred: bool = False
    category: str = ""  # the exercise column it was classified in; "" = not yet
    conflicts: tuple[Conflict, ...] = ()  # other versions kept by a merge (see `facilitator.merge`)
    intervention: str = ""  # the id of the intervention it was said in ("" = not while its group had the floor)


@dataclass(frozen=True)
class Theme:
    """A named cluster of answers within one agenda item."""

    id: str
    name: str
    answer_ids: tuple[str, ...] = ()
    votes: int = 0


@dataclass(frozen=True)
class Intervention:
    """One delegation's turn on the floor, kept in the notes of the item it spoke in.

    The answers said in it name it (`Answer.intervention`), wherever they were filed.
    """

    id: str
    group: str
    started_at: dt.datetime
    ended_at: dt.datetime
    allowed: int  # seconds of speaking time given with the floor
    extended: int = 0  # seconds added while it spoke

    @property
    def seconds(self) -> int:
        """How long it spoke."""
        return max(0, int((self.ended_at - self.started_at).total_seconds()))

    @property
    def overran(self) -> bool:
        return self.seconds > self.allowed + self.extended


@dataclass(frozen=True)
class ItemNotes:
    """Everything captured during one agenda item: one file on disk."""

    session_id: str
    answers: tuple[Answer, ...] = ()
    themes: tuple[Theme, ...] = ()
    interventions: tuple[Intervention, ...] = ()  # in the order they were given the floor

    @property
    def is_empty(self) -> bool:
        """Nothing to keep: no file is written for it."""
        return not (self.answers or self.themes or self.interventions)

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)

    def for_prompt(self, prompt_id: str) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if a.prompt_id == prompt_id)

    def theme_of(self, answer_id: str) -> Theme | None:
        return next((t for t in self.themes if answer_id in t.answer_ids), None)


@dataclass(frozen=True)
class Timing:
    """When an agenda item actually started and ended."""

    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None


@dataclass(frozen=True)
class AgendaChange:
    """One change made to the agenda on the day; the programme file itself never changes.

    The agenda as run is the programme with these applied in order
    (`facilitator.agenda.as_run`), so exports can say what was planned and
    what was run: an item added, dropped (and restored), moved, retimed, a
    prompt added.
    """

    kind: str  # "add" | "drop" | "restore" | "move" | "retime" | "prompt"
    session_id: str
    made_at: dt.datetime  # on the meeting's clock
    after: str = ""  # add, move: the item it now follows ("" = first of its day)
    title: str = ""  # add
    item_kind: str = ""  # add: opening, discussion, break, exercise, closing
    date: dt.date | None = None  # add: its day
    start: dt.time | None = None  # add, retime: a fixed start; None follows the item before
    duration: int | None = None  # add, retime: planned minutes; None shares the time to the next start
    prompt_id: str = ""  # prompt
    text: str = ""  # prompt


@dataclass(frozen=True)
class Rehearsal:
    """A run on a rehearsal clock: it showed `clock_start` at the wall time `wall_start` and runs `speed`
    times faster. Kept in run.toml so the projector, the exports and a live run later can tell."""

    clock_start: dt.datetime
    speed: float
    wall_start: dt.datetime

    def now(self, wall: dt.datetime) -> dt.datetime:
        """The rehearsal's time when the wall clock says `wall`."""
        return (self.clock_start + (wall - self.wall_start) * self.speed).replace(microsecond=0)


@dataclass(frozen=True)
class Floor:
    """The delegation speaking now, and its speaking time.

    Kept in run.toml, so the projector follows it and a restarted app gives the
    floor back; when the delegation yields it, it becomes an `Intervention` in the
    notes of its item (`session_id`).
    """

    intervention_id: str
    session_id: str
    group: str
    started_at: dt.datetime
    allowed: int  # seconds given with the floor
    extended: int = 0  # seconds added since

    def closed(self, now: dt.datetime) -> Intervention:
        """The intervention it becomes when the floor is yielded at `now`."""
        ended = max(now.replace(microsecond=0), self.started_at)
        return Intervention(self.intervention_id, self.group, self.started_at, ended, self.allowed, self.extended)


@dataclass(frozen=True)
class Presence:
    """A roll-call mark: `group` is in the room (or has left) from `at`, marked during item `session_id`."""

    group: str
    present: bool
    at: dt.datetime
    session_id: str = ""


@dataclass(frozen=True)
class RunState:
    """Where the meeting is: the item and prompt on the rapporteur's screen, the times items
    actually ran, the prompt shown to the room, and what changed in the agenda on the day.

    The item *running* is the one started and not ended (`running`); the item on
    screen (`session_id`) may be another one, read ahead or looked back at: the
    timekeeping always follows the running item.
    """

    programme_id: str
    session_id: str = ""  # the item on screen
    prompt_id: str = ""  # its prompt on screen
    timings: Mapping[str, Timing] = field(default_factory=lambda: MappingProxyType({}))
    room_prompt_id: str = ""  # the running item's prompt, as shown to the room
    changes: tuple[AgendaChange, ...] = ()
    rehearsal: Rehearsal | None = None
    floor: Floor | None = None  # the delegation speaking now
    speakers: tuple[str, ...] = ()  # the speakers' list: delegations waiting for the floor, in order
    attendance: tuple[Presence, ...] = ()  # roll-call marks, in the order made

    def timing(self, session_id: str) -> Timing:
        return self.timings.get(session_id, Timing())

    @property
    def running(self) -> str:
        """The id of the item started and not ended ("" when none): the latest started, should there be two."""
        started = [(t.started_at, sid) for sid, t in self.timings.items() if t.started_at and t.ended_at is None]
        return max(started)[1] if started else ""


@dataclass(frozen=True)
class Notes:
    """The whole run: run state plus one `ItemNotes` per agenda item."""

    run: RunState
    items: Mapping[str, ItemNotes] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def programme_id(self) -> str:
        return self.run.programme_id

    def item(self, session_id: str) -> ItemNotes:
        return self.items.get(session_id) or ItemNotes(session_id)

    def answer_count(self) -> int:
        return sum(len(i.answers) for i in self.items.values())

    def groups_used(self) -> list[str]:
        """Every group that has answered, in first-seen order."""
        seen: dict[str, None] = {}
        for item in self.items.values():
            # dict.fromkeys over map: the loop runs in C (asked on every capture, thousands of answers).
            seen.update(dict.fromkeys(map(attrgetter("group"), item.answers)))
        return list(seen)

    def find(self, answer_id: str) -> tuple[str, Answer] | None:
        """(session id, answer) for an answer id anywhere in the day."""
        for session_id, item in self.items.items():
            found = item.answer(answer_id)
            if found:
                return session_id, found
        return None

    # -- building new values --------------------------------------------------

    def with_item(self, item: ItemNotes) -> Notes:
        items = dict(self.items)
        items[item.session_id] = item
        return replace(self, items=MappingProxyType(items))

    def with_run(self, **changes: object) -> Notes:
        return replace(self, run=replace(self.run, **changes))


def empty_notes(programme_id: str) -> Notes:
    """Notes for a run that has captured nothing yet."""
    return Notes(RunState(programme_id))


# ------------------------------------------------------------ answer changes


def storable(text: str) -> str:
    """`text` with each lone surrogate (half an emoji from a broken paste), which no
    file can hold as UTF-8, replaced by U+FFFD: the screen then shows what is saved."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_group(group: str) -> str:
    """A group name as stored: trimmed, one line; refuses an empty name."""
    name = " ".join(storable(group).split())
    if not name:
        raise NotesError("an answer needs a group: type the delegation or group name")
    if len(name) > MAX_GROUP:
        raise NotesError(f"a group name is at most {MAX_GROUP} characters")
    return name


def clean_text(text: str) -> str:
    """Answer text as stored: surrounding blank space trimmed, inside kept."""
    body = storable(text).strip()
    if not body:
        raise NotesError("the answer is empty")
    if len(body) > MAX_TEXT:
        raise NotesError(f"an answer is at most {MAX_TEXT:,} characters")
    return body


def clean_votes(votes: int) -> int:
    """A vote count as stored: a whole number from 0 to `MAX_VOTES` (answers and themes alike)."""
    if isinstance(votes, bool) or not isinstance(votes, int):
        raise NotesError(f"votes are a whole number, not {votes!r}")
    if not 0 <= votes <= MAX_VOTES:
        raise NotesError(f"votes are counted from 0 to {MAX_VOTES:,}, not {votes:,}")
    return votes


def add_answer(
    notes: Notes,
    session_id: str,
    prompt_id: str,
    group: str,
    text: str,
    now: dt.datetime,
    *,
    category: str = "",
    intervention: str = "",
    make_id: Callable[[], str] | None = None,
) -> tuple[Notes, Answer]:
    """Record a new answer (said in `intervention`, if any); returns the new notes and the answer."""
    answer = Answer(
        id=(make_id or new_id)(),
        prompt_id=prompt_id,
        group=clean_group(group),
        text=clean_text(text),
        captured_at=now.replace(microsecond=0),
        category=category,
        intervention=intervention,
    )
    item = notes.item(session_id)
    return notes.with_item(replace(item, answers=item.answers + (answer,))), answer


def _change_answer(notes: Notes, answer_id: str, change: Callable[[Answer], Answer]) -> Notes:
    found = notes.find(answer_id)
    if not found:
        raise NotesError(f"no answer with id {answer_id}")
    session_id, _ = found
    item = notes.item(session_id)
    answers = tuple(change(a) if a.id == answer_id else a for a in item.answers)
    return notes.with_item(replace(item, answers=answers))


def edit_answer(notes: Notes, answer_id: str, text: str, now: dt.datetime) -> Notes:
    """Replace an answer's text, stamping when it was edited."""
    body = clean_text(text)
    found = notes.find(answer_id)
    if found and found[1].text == body:
        return notes  # not a change: no edit stamp, nothing to save or undo
    return _change_answer(notes, answer_id, lambda a: replace(a, text=body, edited_at=now.replace(microsecond=0)))


def move_answer(
    notes: Notes, answer_id: str, *, group: str | None = None, prompt_id: str | None = None
) -> Notes:
    """Attach an answer to another group and/or prompt of the same item.

    Given to another group, it is no longer part of the intervention it was typed in
    (the remark was someone else's)."""
    new_group = clean_group(group) if group is not None else None

    def move(a: Answer) -> Answer:
        other = new_group is not None and group_key(new_group) != group_key(a.group)
        return replace(
            a,
            group=new_group if new_group is not None else a.group,
            prompt_id=prompt_id if prompt_id is not None else a.prompt_id,
            intervention="" if other else a.intervention,
        )

    return _change_answer(notes, answer_id, move)


def delete_answer(notes: Notes, answer_id: str) -> Notes:
    """Remove an answer and every theme's reference to it."""
    found = notes.find(answer_id)
    if not found:
        raise NotesError(f"no answer with id {answer_id}")
    session_id, _ = found
    item = notes.item(session_id)
    themes = tuple(
        replace(t, answer_ids=tuple(i for i in t.answer_ids if i != answer_id)) if answer_id in t.answer_ids else t
        for t in item.themes
    )
    answers = tuple(a for a in item.answers if a.id != answer_id)
    return notes.with_item(replace(item, answers=answers, themes=themes))


# ------------------------------------------------------------ run changes


def move_to(notes: Notes, session_id: str, prompt_id: str = "") -> Notes:
    """Make this agenda item (and prompt) the current one."""
    return notes.with_run(session_id=session_id, prompt_id=prompt_id)


def _set_timing(notes: Notes, session_id: str, timing: Timing) -> Notes:
    timings = dict(notes.run.timings)
    timings[session_id] = timing
    return notes.with_run(timings=MappingProxyType(timings))


def start_item(notes: Notes, session_id: str, now: dt.datetime) -> Notes:
    """Record the actual start of an item (restarting clears a recorded end).

    One item runs at a time: the item running until now ends at the same minute.
    """
    now = now.replace(microsecond=0)
    running = notes.run.running
    if running and running != session_id:
        notes = end_item(notes, running, now)
    return _set_timing(notes, session_id, Timing(started_at=now))


def end_item(notes: Notes, session_id: str, now: dt.datetime) -> Notes:
    """Record the actual end of an item; an item never started starts now too."""
    timing = notes.run.timing(session_id)
    started = timing.started_at or now.replace(microsecond=0)
    return _set_timing(notes, session_id, Timing(started_at=started, ended_at=now.replace(microsecond=0)))


def groups_in(answers: Iterable[Answer]) -> dict[str, list[Answer]]:
    """Answers grouped by group, groups in first-answer order."""
    grouped: dict[str, list[Answer]] = {}
    for answer in answers:
        grouped.setdefault(answer.group, []).append(answer)
    return grouped
