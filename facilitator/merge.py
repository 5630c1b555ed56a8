"""Several rapporteurs: combining their notes folders into one (`facilitator merge`).

Each rapporteur captures into a notes folder on their own laptop; answer and
theme ids are random (`notes.new_id`), so the same id in two folders is the
same answer, copied from one laptop to another. `merge_notes` combines any
number of `Notes` of one programme, and is built so the result depends only on
what the inputs hold: the same for any order of the inputs (commutative),
unchanged when merged again with any of them (idempotent), and the same
whether three folders are merged at once or one after the other. So
`facilitator merge` can be re-run as the captures grow, into the same folder.

The rules, per kind of thing (each a union, a maximum or a minimum, which is
what makes them order-free and idempotent):

- **Answers**: the union by id. Copies that agree are one answer. Where copies
  differ in text, group, prompt or category, each copy is a *version*; a
  version that another merely builds on is superseded (see `_supersedes`: the
  words as captured, once someone edited them; "not yet classified", once
  someone classified it; the same words stamped earlier). Of the versions left,
  the latest edit is the answer and every other one is kept in its
  `conflicts`, so no rapporteur's words are ever dropped.
- **Votes**: the highest count of any copy. The copies of an answer share the
  votes taken before they were copied, so adding them up would count those
  twice (and merging again would add them again).
- **Starred**: starred if any copy is. **Captured at**: the earliest copy's.
- **Themes**: the union by id; its name the first in alphabetical order of
  its copies' names (themes carry no time to tell the latest rename by), its
  votes the highest, its answers the union. An answer claimed by two themes
  stays in the one with the smaller id. Two themes created apart under the
  same name stay two themes: the merge cannot know they mean the same (merge
  them in the app with `M`).
- **Timings**: an item ran from the earliest recorded start to the latest
  recorded end.
- **Interventions** (the floor): the union by id, in the order they started;
  copies of one that differ keep the one that ended latest (then the longest
  time given). An answer said in an intervention keeps it (any copy's).
- **The floor**: the delegation on the floor in the input whose floor was given
  last, unless another input holds that intervention as ended (it yielded
  there). **The speakers' list** goes with the position (below).
- **Roll call**: every mark of every input, once, in time order.
- **Position** (where the app resumes): the current item and prompt of the
  input whose current item started latest, i.e. the furthest along the day;
  the speakers' list is that input's.

A merge cannot tell an answer deleted on one laptop from one never seen
there, so the union brings deleted answers back (likewise themes, votes taken
off, an answer taken out of a theme or un-starred).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from facilitator.notes import (
    Answer,
    Conflict,
    Floor,
    Intervention,
    ItemNotes,
    Notes,
    NotesError,
    Presence,
    RunState,
    Theme,
    Timing,
)
from facilitator.notes_toml import first_answer_order, grouped

_WhenKey = tuple[bool, dt.datetime, str]


def _when_key(when: dt.datetime | None) -> _WhenKey:
    """A total order on optional times: none first, then by local time, then exactly.

    Offset and local date-times cannot be compared directly, so the local
    reading decides and the ISO text breaks the tie.
    """
    if when is None:
        return (False, dt.datetime.min, "")
    return (True, when.replace(tzinfo=None), when.isoformat())


# ------------------------------------------------------------------ answers


class _Version(NamedTuple):
    """What one copy of an answer says, wherever it is (its item spelled out)."""

    session_id: str
    prompt_id: str
    group: str
    text: str
    category: str
    edited_at: dt.datetime | None
    # The exact text of `edited_at`: equal instants written with two offsets
    # compare equal as datetimes, yet are two versions (else which one a set
    # keeps would depend on the order of the inputs).
    stamp: str


def _version(
    session_id: str, prompt_id: str, group: str, text: str, category: str, edited: dt.datetime | None
) -> _Version:
    return _Version(session_id, prompt_id, group, text, category, edited, edited.isoformat() if edited else "")


def _versions(session_id: str, answer: Answer) -> list[_Version]:
    """The answer's own version and those of its conflicts."""
    own = _version(session_id, answer.prompt_id, answer.group, answer.text, answer.category, answer.edited_at)
    kept = [
        _version(c.session_id or session_id, c.prompt_id, c.group, c.text, c.category, c.edited_at)
        for c in answer.conflicts
    ]
    return [own, *kept]


def _supersedes(newer: _Version, older: _Version) -> bool:
    """Whether `newer` only builds on `older`, so keeping `older` as a conflict would be noise.

    True when both sit at the same place (item, prompt, group) and `newer` has
    the same words stamped no earlier, or an edit of words `older` holds as
    captured (an unedited copy holds the original words every edit started
    from); and the same category, or one where `older` had none yet. This is a
    partial order, which is what keeps the merge idempotent and order-free: the
    versions kept are exactly the maximal ones of all the inputs' versions.
    """
    if newer == older or newer[:3] != older[:3]:
        return False
    if older.category not in ("", newer.category):
        return False
    if older.text == newer.text:
        return _when_key(older.edited_at) <= _when_key(newer.edited_at)
    return older.edited_at is None and newer.edited_at is not None


def _rank(version: _Version) -> tuple[object, ...]:
    """Which version wins: an edit beats none, the latest edit wins; the rest only breaks ties.

    A classified version beats an unclassified one; after that the order is
    arbitrary but total, so the winner never depends on the order of the inputs.
    """
    return (_when_key(version.edited_at), version.category != "", *version[:5])


def _merge_answer(copies: Sequence[tuple[str, Answer]]) -> tuple[str, Answer]:
    """One answer from its copies in several folders: (its item, the answer)."""
    versions = {v for session_id, answer in copies for v in _versions(session_id, answer)}
    kept = [v for v in versions if not any(_supersedes(other, v) for other in versions)]
    winner = max(kept, key=_rank)
    conflicts = tuple(_conflict(v, winner.session_id) for v in sorted(kept, key=_rank) if v != winner)
    answers = [a for _, a in copies]
    merged = Answer(
        id=answers[0].id,
        prompt_id=winner.prompt_id,
        group=winner.group,
        text=winner.text,
        captured_at=min((a.captured_at for a in answers), key=_when_key),
        edited_at=winner.edited_at,
        votes=max(a.votes for a in answers),
        starred=any(a.starred for a in answers),
        category=winner.category,
        conflicts=conflicts,
        intervention=max(a.intervention for a in answers),  # "" (none) only when no copy names one
    )
    return winner.session_id, merged


def _conflict(version: _Version, session_id: str) -> Conflict:
    """A losing version as kept on the answer filed in item `session_id`."""
    other = "" if version.session_id == session_id else version.session_id
    return Conflict(version.text, version.group, version.prompt_id, version.edited_at, version.category, other)


_Layout = dict[str, dict[str, list[Answer]]]  # an item's answers as its file lists them: prompt -> group -> answers


def _file_order(answers: Iterable[Answer], layouts: Sequence[_Layout]) -> list[Answer]:
    """An item's merged answers in the order its file lists them (`render_item`): prompts,
    then groups, each in order of its first answer, answers in order of capture.

    Times are kept to the second, so answers typed in one second tie (so do groups or
    prompts whose first answers do), and their random ids say nothing of which came
    first; the folders' files do. Ties therefore follow the order the inputs give them
    (`_ordered`), so merging a folder into a copy of itself leaves its file as it was.
    """
    blocks: _Layout = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        blocks[answer.prompt_id][answer.group].append(answer)
    out: list[Answer] = []
    prompt_first = {p: _earliest(found) for p, found in _by_prompt(blocks).items()}
    prompt_orders = [_firsts(_by_prompt(layout), prompt_first) for layout in layouts]
    for prompt_id in _ordered(prompt_first, prompt_orders):
        groups = blocks[prompt_id]
        group_first = {g: _earliest(found) for g, found in groups.items()}
        inputs = [layout.get(prompt_id, {}) for layout in layouts]
        for group in _ordered(group_first, [_firsts(i, group_first) for i in inputs]):
            by_id = {a.id: a for a in groups[group]}
            keys = {a.id: _when_key(a.captured_at) for a in groups[group]}
            orders = [[a.id for a in i.get(group, ()) if keys.get(a.id) == _when_key(a.captured_at)] for i in inputs]
            out += [by_id[i] for i in _ordered(keys, orders)]
    return out


def _by_prompt(layout: _Layout) -> dict[str, list[Answer]]:
    return {prompt_id: [a for found in groups.values() for a in found] for prompt_id, groups in layout.items()}


def _earliest(answers: Iterable[Answer]) -> _WhenKey:
    return min(_when_key(a.captured_at) for a in answers)


def _firsts(found: dict[str, list[Answer]], first: dict[str, _WhenKey]) -> list[str]:
    """One input's prompts (or groups) in its order: those whose first answer there is their merged first,
    the only ones whose place tells how a tie in the merge goes."""
    return [name for name, answers in found.items() if name in first and _earliest(answers) == first[name]]


def _ordered(keys: dict[str, _WhenKey], orders: Sequence[Sequence[str]]) -> list[str]:
    """`keys`' names by time; names tied in time in the order the inputs (`orders`) give them.

    Each input's order among tied names is a set of edges ("a before b"), laid out
    (topologically, the smallest name first where none decides); where the inputs
    disagree (a cycle) the tied names go by name. Edges are a set, so the result does
    not depend on the order of the inputs; and a merged folder gives every tie in the
    order it was laid out, so merging it again with any of its inputs changes nothing.
    """
    ties: dict[_WhenKey, list[str]] = defaultdict(list)
    for name, key in keys.items():
        ties[key].append(name)
    out: list[str] = []
    for key in sorted(ties):
        tied = ties[key]
        out += tied if len(tied) == 1 else _along_edges(set(tied), orders)
    return out


def _along_edges(tied: set[str], orders: Sequence[Sequence[str]]) -> list[str]:
    after: dict[str, set[str]] = {name: set() for name in tied}
    for order in orders:
        seen = [name for name in order if name in tied]
        for before, then in zip(seen, seen[1:], strict=False):
            after[before].add(then)
    waiting = dict.fromkeys(tied, 0)
    for followers in after.values():
        for name in followers:
            waiting[name] += 1
    ready = sorted(name for name, count in waiting.items() if count == 0)
    out: list[str] = []
    while ready:
        name = ready.pop(0)
        out.append(name)
        for follower in after[name]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                bisect.insort(ready, follower)
    return out if len(out) == len(tied) else sorted(tied)


# ------------------------------------------------------------------ themes


@dataclass
class _ThemeCopies:
    names: set[str]
    votes: int = 0


def _merge_themes(copies: Iterable[Theme], answers: Sequence[Answer]) -> tuple[Theme, ...]:
    """An item's themes from every folder's copies of them, given the item's merged answers."""
    found: dict[str, _ThemeCopies] = {}
    owner: dict[str, str] = {}  # answer id -> the smallest theme id claiming it
    for theme in copies:
        entry = found.setdefault(theme.id, _ThemeCopies(set()))
        entry.names.add(theme.name)
        entry.votes = max(entry.votes, theme.votes)
        for answer_id in theme.answer_ids:
            owner[answer_id] = min(owner.get(answer_id, theme.id), theme.id)
    members: dict[str, list[str]] = defaultdict(list)
    for answer in answers:  # in the item's order; an answer now filed in another item is left out
        if answer.id in owner:
            members[owner[answer.id]].append(answer.id)
    position = {a.id: i for i, a in enumerate(answers)}
    themes = [
        Theme(theme_id, min(entry.names, key=_name_key), tuple(members[theme_id]), entry.votes)
        for theme_id, entry in found.items()
    ]
    # Themes in the order of their first answer (empty ones last, by name): the
    # order a rapporteur gathering answers as they came would have made them.
    return tuple(sorted(themes, key=lambda t: (_first(t, position), _name_key(t.name), t.id)))


def _name_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _first(theme: Theme, position: dict[str, int]) -> int:
    return min((position[i] for i in theme.answer_ids), default=len(position))


# ------------------------------------------------------------------ the floor


def _merge_interventions(copies: Iterable[Intervention]) -> tuple[Intervention, ...]:
    """An item's interventions from every folder's copies: one per id, in the order they started."""
    kept: dict[str, Intervention] = {}
    for spoke in copies:
        other = kept.get(spoke.id)
        if other is None or _spoke_rank(spoke) > _spoke_rank(other):
            kept[spoke.id] = spoke
    return tuple(sorted(kept.values(), key=lambda s: (_when_key(s.started_at), s.id)))


def _spoke_rank(spoke: Intervention) -> tuple[object, ...]:
    """Which copy of an intervention is kept: the latest end, then the most time given; the rest breaks ties."""
    return (_when_key(spoke.ended_at), spoke.allowed + spoke.extended, _when_key(spoke.started_at), spoke.group,
            spoke.allowed)


def _merge_floor(runs: Sequence[RunState], ended: set[str]) -> Floor | None:
    """The floor given last in any input, unless it was yielded in another (its intervention ended)."""
    floors = [r.floor for r in runs if r.floor is not None and r.floor.intervention_id not in ended]
    if not floors:
        return None
    return max(floors, key=lambda f: (_when_key(f.started_at), f.intervention_id, f.extended, f.allowed, f.group,
                                      f.session_id))


def _merge_attendance(runs: Sequence[RunState]) -> tuple[Presence, ...]:
    """Every mark once, by time; marks of one second in the order the inputs made them (the last mark
    of a group decides, so "present" then "left" in one second must not swap)."""
    def name(mark: Presence) -> str:
        return f"{mark.at.isoformat()}|{mark.present}|{mark.session_id}|{mark.group}"

    marks = {name(m): m for r in runs for m in r.attendance}
    orders = [[name(m) for m in r.attendance] for r in runs]
    return tuple(marks[n] for n in _ordered({n: _when_key(m.at) for n, m in marks.items()}, orders))


# ------------------------------------------------------------------ run state


def _merge_timings(runs: Sequence[RunState]) -> dict[str, Timing]:
    starts: dict[str, list[dt.datetime]] = defaultdict(list)
    ends: dict[str, list[dt.datetime]] = defaultdict(list)
    for run in runs:
        for session_id, timing in run.timings.items():
            starts[session_id] += [timing.started_at] if timing.started_at is not None else []
            ends[session_id] += [timing.ended_at] if timing.ended_at is not None else []
    return {
        session_id: Timing(
            min(starts[session_id], key=_when_key, default=None),
            max(ends[session_id], key=_when_key, default=None),
        )
        for session_id in sorted(set(starts) | set(ends))
    }


def _merge_run(programme_id: str, runs: Sequence[RunState], ended: set[str]) -> RunState:
    timings = _merge_timings(runs)

    def furthest(position: tuple[str, str]) -> tuple[object, ...]:
        timing = timings.get(position[0], Timing())
        return (_when_key(timing.started_at), *position)

    positions = {(r.session_id, r.prompt_id) for r in runs if r.session_id}
    session_id, prompt_id = max(positions, key=furthest, default=("", ""))
    # The speakers' list of the input furthest along (the list itself breaks a tie).
    at_position = [r for r in runs if (r.session_id, r.prompt_id) == (session_id, prompt_id)] or list(runs)
    speakers = max((r.speakers for r in at_position), default=())
    # The prompt shown to the room: the one of the run whose running item started last.
    rooms = {(r.running, r.room_prompt_id) for r in runs if r.running}
    room = max(rooms, key=furthest, default=("", ""))[1]
    # The agenda's changes on the day: every one made on any laptop, once, in the order made.
    changes = sorted({c for r in runs for c in r.changes}, key=lambda c: (_when_key(c.made_at), repr(c)))
    # A rehearsal's clock: kept when every folder was the same rehearsal (mixing is refused before).
    rehearsals = {r.rehearsal for r in runs}
    rehearsal = rehearsals.pop() if len(rehearsals) == 1 else None
    return RunState(programme_id, session_id, prompt_id, MappingProxyType(timings), room, tuple(changes), rehearsal,
                    _merge_floor(runs, ended), speakers, _merge_attendance(runs))


# ------------------------------------------------------------------ notes


def merge_notes(notes: Sequence[Notes]) -> Notes:
    """Combine the notes of several rapporteurs of one programme (rules: see the module).

    Pure: reads and writes nothing. Raises `NotesError` for no notes or notes
    of different programmes. Answers come in the order the item's file lists them
    (by prompt, then group, each in order of capture: `_file_order`),
    items in the order of their first answer, as `store.load_notes` gives them.
    """
    if not notes:
        raise NotesError("nothing to merge")
    programmes = sorted({n.programme_id for n in notes})
    if len(programmes) > 1:
        raise NotesError(f"notes of different programmes cannot be merged: {', '.join(programmes)}")

    copies: dict[str, list[tuple[str, Answer]]] = defaultdict(list)
    theme_copies: dict[str, list[Theme]] = defaultdict(list)
    spoke_copies: dict[str, list[Intervention]] = defaultdict(list)
    layouts: dict[str, list[_Layout]] = defaultdict(list)  # each input's files, by item
    for one in notes:
        for session_id, item in one.items.items():
            for answer in item.answers:
                copies[answer.id].append((session_id, answer))
            theme_copies[session_id] += item.themes
            spoke_copies[session_id] += item.interventions
            layouts[session_id].append(grouped(item.answers))

    answers: dict[str, list[Answer]] = defaultdict(list)
    for same in copies.values():
        session_id, answer = _merge_answer(same)
        answers[session_id].append(answer)

    items = []
    for session_id in set(answers) | set(theme_copies) | set(spoke_copies):
        ordered = _file_order(answers.get(session_id, ()), layouts[session_id])
        item = ItemNotes(session_id, tuple(ordered), _merge_themes(theme_copies.get(session_id, ()), ordered),
                         _merge_interventions(spoke_copies.get(session_id, ())))
        if not item.is_empty:
            items.append(item)
    items.sort(key=first_answer_order)
    ended = {spoke.id for found in spoke_copies.values() for spoke in found}
    run = _merge_run(programmes[0], [n.run for n in notes], ended)
    return Notes(run, MappingProxyType({i.session_id: i for i in items}))


def conflict_count(notes: Notes) -> int:
    return sum(len(a.conflicts) for item in notes.items.values() for a in item.answers)
