"""Every figure of the co-chairs' summary and of the exports, from one place (pure).

`summarize(programme, notes)` turns a run's notes into a frozen `Summary`:

- **items**, in agenda order, each with its planned times (`schedule.plan`) and
  actual times (``run.timings``), its presenters, each prompt's answers grouped
  by group and by theme, its starred answers and, for an exercise, the table of
  groups x categories with totals. Items the notes hold but the programme does
  not know (a renamed item) come last, marked ``in_programme=False``;
- answers to a prompt the programme does not know come after the known prompts,
  marked ``in_programme=False``: nothing a group said is ever dropped;
- **groups by identity**: "Sénégal", "senegal" and the programme's "Senegal"
  are one group (`facilitator.groups`): every grouping here (a prompt's
  groups, a theme's, an exercise table's rows, participation) uses the
  roster's name for it, so every export shows and counts it once;
- **numbers**: every answer has one number, 1, 2, 3... in the order every
  format shows them (items in agenda order, prompts in programme order, then
  per prompt its themes, most votes first, then the answers in no theme, each
  by group in first-answer order, then in capture order): "answer 37" is the
  same answer in Markdown, HTML, Word, CSV and JSON;
- **participation**: every group that spoke, how often, on which items; and the
  programme's groups that did not contribute;
- **time**: per item the planned and actual length and the delay; per day
  how late or early it ran (`Summary.days`). Planned times are always on the
  programme's dates, actual times are when things happened; a delay compares
  times of day, so a rehearsal on another day reads as the day it rehearses;
- **the floor** (`facilitator.floor`): per item its interventions in the
  order given (who, when, how long, of how much time, the answers said in
  each, by number); per delegation its speaking time (total, number of
  interventions, longest); an intervention still on the floor is listed,
  marked ongoing, and counted nowhere;
- **attendance**, for every day the roll was called and each item of it that
  ran: "present and spoke" (took the floor or gave an answer there),
  "present, did not speak", "not present" (the programme's groups and every
  delegation marked at some time). Speaking proves presence, so a delegation
  that spoke is present even if the roll call missed it;
- **the agenda as run** (`facilitator.agenda`): items in the order they ran,
  an item added on the day among them, a dropped one where the programme had
  it, each with a note of what changed ("added on the day (11:02)",
  "dropped (10:16)", "moved from 15:00 (12:40)"); a rehearsal says so.

The TUI review screen, `facilitator summary` and every exporter read these
figures, so they always agree. Nothing here reads a clock or a file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from facilitator import agenda, floor
from facilitator.groups import group_key
from facilitator.notes import Answer, Floor, Intervention, ItemNotes, Notes, Presence, Rehearsal, Theme
from facilitator.programme import Person, Programme, Session
from facilitator.schedule import minutes, plan

NOT_YET_CLASSIFIED = "Not yet classified"  # the exercise column of answers with category ""


@dataclass(frozen=True)
class GroupAnswers:
    """One group's answers (to a prompt, a theme or an item), in capture order.

    `group` is the roster's name for the group (the programme's spelling), so
    answers typed "Sénégal" and "Senegal" are one `GroupAnswers`; each answer
    keeps the spelling it was captured with. In a `Section`, `first` is the
    number of the first answer (the next ones follow on); elsewhere it is 0.
    """

    group: str
    answers: tuple[Answer, ...]
    first: int = 0

    def numbered(self) -> Iterator[tuple[int, Answer]]:
        """(number, answer) for each answer, in order."""
        return zip(itertools.count(self.first), self.answers)


@dataclass(frozen=True)
class ThemeSummary:
    """A theme as seen from a prompt (or a whole item): its votes and its answers there."""

    id: str
    name: str
    votes: int
    answers: tuple[Answer, ...]
    by_group: tuple[GroupAnswers, ...] = ()

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups whose answers are in the theme, in first-answer order."""
        return tuple(g.group for g in self.by_group)


@dataclass(frozen=True)
class Section:
    """A block of a prompt's answers as every format shows it.

    One per theme holding answers to the prompt (most votes first), then one
    for the answers in no theme ("Not in a theme"); a prompt without themes
    has a single section with no title.
    """

    title: str  # the theme's name, "Not in a theme", or "" when the prompt has no themes
    theme_id: str | None  # None for the answers in no theme
    votes: int | None  # the theme's votes; None for the answers in no theme
    groups: tuple[GroupAnswers, ...]  # numbered: see `GroupAnswers.first`

    def numbered(self) -> Iterator[tuple[int, Answer]]:
        for group in self.groups:
            yield from group.numbered()


NOT_IN_A_THEME = "Not in a theme"


@dataclass(frozen=True)
class PromptSummary:
    """One prompt of an item and every answer given to it."""

    id: str
    number: int  # 1-based position among the item's prompts; 0 when not in the programme
    text: str
    in_programme: bool
    answers: tuple[Answer, ...]
    by_group: tuple[GroupAnswers, ...]
    themes: tuple[ThemeSummary, ...]  # the item's themes holding answers to this prompt, most votes first
    unthemed: tuple[GroupAnswers, ...]  # answers in no theme, by group
    sections: tuple[Section, ...] = ()  # every answer once, numbered, in the order every format shows them

    def numbered(self) -> Iterator[tuple[int, Answer, Section]]:
        """(number, answer, its section) in document order."""
        for section in self.sections:
            for number, answer in section.numbered():
                yield number, answer, section

    @property
    def label(self) -> str:
        """How the prompt is shown: its text, or what it is when it has none."""
        if self.in_programme and self.text:
            return self.text
        if not self.id:
            return "Answers"
        return f"Prompt “{self.id}” (not in the programme)"


@dataclass(frozen=True)
class CategoryTable:
    """An exercise's answers counted by group (rows) and category (columns)."""

    categories: tuple[str, ...]
    groups: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[row][column]

    @property
    def row_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.counts)

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[c] for row in self.counts) for c in range(len(self.categories)))

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def count(self, group: str, category: str) -> int:
        """Answers of `group` classified in `category` (0 for either unknown)."""
        if group not in self.groups or category not in self.categories:
            return 0
        return self.counts[self.groups.index(group)][self.categories.index(category)]


@dataclass(frozen=True)
class InterventionSummary:
    """One delegation's turn on the floor in an item, with the answers said in it."""

    id: str
    number: int  # 1-based, in the order given, within its item
    group: str  # the roster's name
    started_at: dt.datetime
    ended_at: dt.datetime | None  # None: still on the floor when the notes were read
    allowed: int  # seconds given, extensions not included
    extended: int  # seconds added
    answers: tuple[tuple[int, str], ...] = ()  # (number, id) of each answer said in it, in number order

    @property
    def ongoing(self) -> bool:
        return self.ended_at is None

    @property
    def seconds(self) -> int:
        """How long it spoke (0 while ongoing: the notes hold no end yet)."""
        return 0 if self.ended_at is None else max(0, int((self.ended_at - self.started_at).total_seconds()))

    @property
    def overran(self) -> bool:
        return not self.ongoing and self.seconds > self.allowed + self.extended

    @property
    def answer_numbers(self) -> tuple[int, ...]:
        return tuple(n for n, _ in self.answers)


@dataclass(frozen=True)
class Attendance:
    """Who was in the room (for an item, or a day), by the roll call; names as the roster spells them."""

    present_spoke: tuple[str, ...]  # present and took the floor or gave an answer
    present_silent: tuple[str, ...]  # present, did not speak
    absent: tuple[str, ...]  # known delegations not marked present

    @property
    def present(self) -> int:
        return len(self.present_spoke) + len(self.present_silent)


@dataclass(frozen=True)
class SpeakingTotal:
    """One delegation's time on the floor over the whole run."""

    group: str
    seconds: int
    interventions: int
    longest: int  # seconds of its longest intervention
    overruns: int = 0  # interventions that ran past the time given


@dataclass(frozen=True)
class ItemSummary:
    """One agenda item: times, presenters, prompts and answers, exercise table."""

    id: str
    number: int  # 1-based position in the agenda; 0 for an item not in the programme
    title: str
    kind: str
    in_programme: bool
    date: dt.date | None
    presenters: tuple[Person, ...]
    location: str
    references: tuple[str, ...]
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    prompts: tuple[PromptSummary, ...]  # only prompts with answers
    themes: tuple[ThemeSummary, ...]  # every theme of the item, most votes first
    starred: tuple[Answer, ...]
    by_group: tuple[GroupAnswers, ...]  # every answer of the item, by group
    exercise: CategoryTable | None  # only for an item of kind exercise that has answers
    agenda_note: str = ""  # what changed for it on the day ("added on the day (11:02)"; "" as planned)
    added: bool = False  # added on the day (not in the programme file)
    dropped: bool = False  # taken off the agenda on the day (its notes, if any, stay)
    interventions: tuple[InterventionSummary, ...] = ()  # in the order the floor was given
    attendance: Attendance | None = None  # None: no roll call that day, or the item did not run

    @property
    def answer_count(self) -> int:
        return sum(len(p.answers) for p in self.prompts)

    @property
    def planned_minutes(self) -> int | None:
        if self.planned_start is None or self.planned_end is None:
            return None
        return minutes(self.planned_end - self.planned_start)

    @property
    def actual_minutes(self) -> int | None:
        if self.actual_start is None or self.actual_end is None:
            return None
        return minutes(self.actual_end - self.actual_start)

    @property
    def start_delay_minutes(self) -> int | None:
        """How late (+) or early (-) the item started against the plan (times of day)."""
        if self.actual_start is None or self.planned_start is None:
            return None
        return minutes(self.actual_start - on_day_of(self.planned_start, self.actual_start, self.planned_start))

    @property
    def end_delay_minutes(self) -> int | None:
        """How late (+) or early (-) the item ended against the plan (times of day)."""
        if self.actual_end is None or self.planned_end is None or self.planned_start is None:
            return None
        return minutes(self.actual_end - on_day_of(self.planned_end, self.actual_start or self.actual_end,
                                                   self.planned_start))


def on_day_of(planned: dt.datetime, actual: dt.datetime, planned_day: dt.datetime) -> dt.datetime:
    """`planned` moved by whole days so that the planned day falls on the day it ran: a rehearsal on
    another date (or a re-run) compares times of day, as the run screen does."""
    return planned + (actual.date() - planned_day.date())


@dataclass(frozen=True)
class DaySummary:
    """One day of the programme: when it was planned and how it ran."""

    date: dt.date
    items: tuple[str, ...]  # the day's item ids, in agenda order
    planned_end: dt.datetime | None
    delay_minutes: int | None  # how late (+) or early (-) the day ran where it last stood; None: no time recorded
    ended: bool  # its last item has a recorded end
    attendance: Attendance | None = None  # None: no roll call that day


@dataclass(frozen=True)
class GroupParticipation:
    """One group that spoke: how often, and on which items (agenda order)."""

    group: str
    contributions: int
    items: tuple[tuple[str, int], ...]  # (item id, answers) for each item it spoke on
    expected: bool  # one of the programme's groups


@dataclass(frozen=True)
class KeyPoint:
    """A starred answer, with where it was said."""

    item_id: str
    item_title: str
    prompt: str  # the prompt's label
    answer: Answer
    group: str = ""  # the roster's name for the answer's group
    number: int = 0  # the answer's number in the notes


@dataclass(frozen=True)
class Summary:
    """Everything the co-chairs' summary and the exports show."""

    programme: Programme
    items: tuple[ItemSummary, ...]
    participation: tuple[GroupParticipation, ...]  # most contributions first
    silent_groups: tuple[str, ...]  # the programme's groups with no answer, programme order
    key_points: tuple[KeyPoint, ...]  # starred answers, agenda order
    current_item: str  # the item running ("" between items): where the room is
    current_prompt: str
    rehearsal: Rehearsal | None = None  # the run was a rehearsal, on this clock
    days: tuple[DaySummary, ...] = ()
    # answer id -> its number (see the module docstring)
    numbers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    speaking: tuple[SpeakingTotal, ...] = ()  # per delegation, most time on the floor first

    @property
    def interventions(self) -> tuple[tuple[ItemSummary, InterventionSummary], ...]:
        """Every intervention of the run, item by item, in order."""
        return tuple((item, spoke) for item in self.items for spoke in item.interventions)

    @property
    def roll_called(self) -> bool:
        """Whether the roll was called on any day."""
        return any(day.attendance is not None for day in self.days)

    def number(self, answer_id: str) -> int:
        """The answer's number in every export, 0 for an id the notes do not hold."""
        return self.numbers.get(answer_id, 0)

    @property
    def answer_count(self) -> int:
        return sum(item.answer_count for item in self.items)

    @property
    def total_delay_minutes(self) -> int | None:
        """How late (+) or early (-) the last day run ran where it last stood (see `day_delay`)."""
        return day_delay(self.items)

    @property
    def several_days(self) -> bool:
        return len(self.days) > 1

    def item(self, item_id: str) -> ItemSummary | None:
        return next((i for i in self.items if i.id == item_id), None)


def day_delay(items: Iterable[ItemSummary]) -> int | None:
    """How late (+) or early (-) a day ran where it last stood: the end delay of its last item with a
    recorded end; failing that, the start delay of its last started item; None when no time was recorded."""
    items = list(items)
    ended = [i.end_delay_minutes for i in items if i.end_delay_minutes is not None]
    if ended:
        return ended[-1]
    started = [i.start_delay_minutes for i in items if i.start_delay_minutes is not None]
    return started[-1] if started else None


# ----------------------------------------------------------------- building

Names = Callable[[str], str]  # a group as typed -> the roster's name for it


def _as_typed(group: str) -> str:
    return group


def by_group(answers: Iterable[Answer], name: Names = _as_typed) -> tuple[GroupAnswers, ...]:
    """Answers grouped by group (`name` says which group a spelling is), groups in first-answer order."""
    grouped: dict[str, list[Answer]] = {}
    for answer in answers:
        grouped.setdefault(name(answer.group), []).append(answer)
    return tuple(GroupAnswers(g, tuple(a)) for g, a in grouped.items())


def _ranked(themes: Iterable[ThemeSummary]) -> tuple[ThemeSummary, ...]:
    """Most votes first, then most answers, then the order they were made in."""
    indexed = list(enumerate(themes))
    indexed.sort(key=lambda entry: (-entry[1].votes, -len(entry[1].answers), entry[0]))
    return tuple(t for _, t in indexed)


def _theme_summaries(
    themes: tuple[Theme, ...], answers: Iterable[Answer], of: dict[str, Theme], name: Names
) -> tuple[ThemeSummary, ...]:
    held: dict[str, list[Answer]] = {}
    for answer in answers:
        theme = of.get(answer.id)
        if theme is not None:
            held.setdefault(theme.id, []).append(answer)
    return _ranked(
        ThemeSummary(t.id, t.name, t.votes, tuple(held[t.id]), by_group(held[t.id], name))
        for t in themes
        if t.id in held
    )


def _numbered(groups: tuple[GroupAnswers, ...], counter: Iterator[int]) -> tuple[GroupAnswers, ...]:
    """The groups with their numbers: each starts where the one before ended."""
    out = []
    for group in groups:
        first = next(counter)
        for _ in range(len(group.answers) - 1):
            next(counter)
        out.append(GroupAnswers(group.group, group.answers, first))
    return tuple(out)


def _sections(
    themes: tuple[ThemeSummary, ...], unthemed: tuple[GroupAnswers, ...], counter: Iterator[int]
) -> tuple[Section, ...]:
    if not themes:
        return (Section("", None, None, _numbered(unthemed, counter)),)
    out = [Section(t.name, t.id, t.votes, _numbered(t.by_group, counter)) for t in themes]
    if unthemed:
        out.append(Section(NOT_IN_A_THEME, None, None, _numbered(unthemed, counter)))
    return tuple(out)


def _prompts(
    session: Session | None, item: ItemNotes, of: dict[str, Theme], name: Names, counter: Iterator[int]
) -> tuple[PromptSummary, ...]:
    answers_by_prompt: dict[str, list[Answer]] = {}
    for answer in item.answers:
        answers_by_prompt.setdefault(answer.prompt_id, []).append(answer)
    known = {p.id: (n, p.text) for n, p in enumerate(session.prompts, 1)} if session else {}
    order = [p.id for p in session.prompts] if session else []
    if "" in answers_by_prompt and session is not None and not session.prompts:
        known[""] = (0, "")  # an item without prompts: its answers have prompt id ""
    order += list(answers_by_prompt)  # then prompts the programme does not know, in first-answer order
    out = []
    for prompt_id in dict.fromkeys(order):
        answers = tuple(answers_by_prompt.get(prompt_id, ()))
        if not answers:
            continue
        number, text = known.get(prompt_id, (0, ""))
        unthemed = by_group((a for a in answers if a.id not in of), name)
        themes = _theme_summaries(item.themes, answers, of, name)
        out.append(
            PromptSummary(
                id=prompt_id,
                number=number,
                text=text,
                in_programme=prompt_id in known,
                answers=answers,
                by_group=by_group(answers, name),
                themes=themes,
                unthemed=unthemed,
                sections=_sections(themes, unthemed, counter),
            )
        )
    return tuple(out)


def _category_table(session: Session | None, answers: tuple[Answer, ...], name: Names) -> CategoryTable | None:
    if session is None or session.exercise is None or not answers:
        return None
    categories = list(session.exercise.categories)
    extra = [a.category for a in answers if a.category and a.category not in categories]
    categories += list(dict.fromkeys(extra))  # classified under a category the programme no longer has
    if any(not a.category for a in answers):
        categories.append(NOT_YET_CLASSIFIED)
    groups = by_group(answers, name)
    column = {c: i for i, c in enumerate(categories)}
    counts = []
    for group in groups:
        row = [0] * len(categories)
        for answer in group.answers:
            row[column[answer.category or NOT_YET_CLASSIFIED]] += 1
        counts.append(tuple(row))
    return CategoryTable(tuple(categories), tuple(g.group for g in groups), tuple(counts))


def _item(
    number: int,
    item_id: str,
    session: Session | None,
    item: ItemNotes,
    planned: tuple,
    timing,  # noqa: ANN001 - a notes.Timing
    name: Names,
    counter: Iterator[int],
) -> ItemSummary:
    of = {answer_id: theme for theme in item.themes for answer_id in theme.answer_ids}
    prompts = _prompts(session, item, of, name, counter)
    answers = tuple(a for p in prompts for a in p.answers)
    return ItemSummary(
        id=item_id,
        number=number,
        title=session.title if session else item_id,
        kind=session.kind if session else "",
        in_programme=session is not None,
        date=session.date if session else None,
        presenters=session.presenters if session else (),
        location=session.location if session else "",
        references=session.references if session else (),
        planned_start=planned[0],
        planned_end=planned[1],
        actual_start=timing.started_at,
        actual_end=timing.ended_at,
        prompts=prompts,
        themes=_theme_summaries(item.themes, item.answers, of, name),
        starred=tuple(a for a in answers if a.starred),
        by_group=by_group(answers, name),
        exercise=_category_table(session, answers, name),
    )


def _participation(items: list[ItemSummary], named: Iterable[str]) -> tuple[GroupParticipation, ...]:
    spoke: dict[str, dict[str, int]] = {}
    for item in items:
        for group in item.by_group:  # already by identity: one entry per group
            per_item = spoke.setdefault(group.group, {})
            per_item[item.id] = per_item.get(item.id, 0) + len(group.answers)
    expected = set(named)
    participation = [
        GroupParticipation(group, sum(per_item.values()), tuple(per_item.items()), group in expected)
        for group, per_item in spoke.items()
    ]
    participation.sort(key=lambda p: -p.contributions)  # stable: ties keep first-spoke order
    return tuple(participation)


def summarize(programme: Programme, notes: Notes) -> Summary:
    """The summary of a run: see the module docstring for what it holds."""
    # One group whatever its spelling: "Sénégal" in the notes is the programme's "Senegal".
    floor_groups = _floor_groups(notes)
    roster = programme.roster([*notes.groups_used(), *floor_groups])
    name = {typed: roster.canonical(typed) for typed in [*notes.groups_used(), *floor_groups]}.__getitem__
    counter = itertools.count(1)
    as_run = agenda.as_run(programme, notes.run.changes)
    # Planned times: the programme's own plan; an item added on the day, as the agenda planned it then.
    slots = {slot.session_id: slot for slot in plan(as_run.programme)}
    slots.update({slot.session_id: slot for slot in plan(programme)})
    items: list[ItemSummary] = []
    number = 0
    for session, dropped in agenda.with_dropped(as_run):
        number += 0 if dropped else 1
        slot = slots[session.id]
        item = _item(number if not dropped else 0, session.id, session, notes.item(session.id),
                     (slot.planned_start, slot.planned_end), notes.run.timing(session.id), name, counter)
        items.append(replace(item, agenda_note=as_run.note(session.id), added=as_run.added(session.id),
                             dropped=dropped))
    known = {i.id for i in items}
    for item_id, item in notes.items.items():
        if item_id not in known and item.answers:
            items.append(_item(0, item_id, None, item, (None, None), notes.run.timing(item_id), name, counter))

    numbers = {
        answer.id: number for item in items for prompt in item.prompts for number, answer, _ in prompt.numbered()
    }
    said_in: dict[str, list[tuple[int, str]]] = {}
    for answer_id, number in sorted(numbers.items(), key=lambda entry: entry[1]):
        found = notes.find(answer_id)
        if found and found[1].intervention:
            said_in.setdefault(found[1].intervention, []).append((number, answer_id))
    items = [replace(i, interventions=_interventions(notes.item(i.id).interventions, notes.run.floor, i.id, name,
                                                     said_in)) for i in items]
    known_days = {s.id: s.date for s in [*as_run.programme.sessions, *programme.sessions]}

    def day_of(presence: Presence) -> dt.date:
        return known_days.get(presence.session_id) or presence.at.date()

    marks = notes.run.attendance
    # Who may be absent: the programme's delegations, then any other marked at some time.
    known = list(dict.fromkeys([*programme.groups, *(name(m.group) for m in marks)]))
    items = [replace(i, attendance=_item_attendance(i, marks, day_of, known)) for i in items]
    participation = _participation(items, programme.groups)
    spoke = {p.group for p in participation}
    key_points = tuple(  # in the order of their numbers
        KeyPoint(item.id, item.title, prompt.label, answer, group.group, number)
        for item in items
        for prompt in item.prompts
        for section in prompt.sections
        for group in section.groups
        for number, answer in group.numbered()
        if answer.starred
    )
    return Summary(
        programme=programme,
        items=tuple(items),
        participation=participation,
        silent_groups=tuple(g for g in programme.groups if g not in spoke),
        key_points=key_points,
        current_item=notes.run.running,
        current_prompt=notes.run.room_prompt_id if notes.run.running else "",
        numbers=MappingProxyType(numbers),
        rehearsal=notes.run.rehearsal,
        days=_days(items, marks, day_of, known),
        speaking=_speaking(items),
    )


def _floor_groups(notes: Notes) -> list[str]:
    """Every delegation the floor and the roll call name (answers name theirs)."""
    run = notes.run
    out = [*run.speakers, *(m.group for m in run.attendance)]
    out += [spoke.group for item in notes.items.values() for spoke in item.interventions]
    return out + ([run.floor.group] if run.floor else [])


def _interventions(
    closed: Iterable[Intervention], open_floor: Floor | None, item_id: str, name: Names,
    said_in: Mapping[str, list[tuple[int, str]]],
) -> tuple[InterventionSummary, ...]:
    spoken: list[tuple[str, str, dt.datetime, dt.datetime | None, int, int]] = [
        (s.id, s.group, s.started_at, s.ended_at, s.allowed, s.extended) for s in closed
    ]
    if open_floor is not None and open_floor.session_id == item_id and all(s[0] != open_floor.intervention_id
                                                                           for s in spoken):
        f = open_floor
        spoken.append((f.intervention_id, f.group, f.started_at, None, f.allowed, f.extended))
    spoken.sort(key=lambda s: (s[2], s[0]))
    return tuple(
        InterventionSummary(ident, n, name(group), started, ended, allowed, extended, tuple(said_in.get(ident, ())))
        for n, (ident, group, started, ended, allowed, extended) in enumerate(spoken, 1)
    )


def _speakers_of(items: Iterable[ItemSummary]) -> set[str]:
    """The groups (roster names) that took the floor or gave an answer in these items."""
    return {s.group for i in items for s in i.interventions} | {g.group for i in items for g in i.by_group}


def _attendance(present: set[str], spoke: set[str], known: list[str]) -> Attendance:
    """`present` (group keys, from the roll call) and `spoke` (roster names) as the three lists, in roster order."""
    keys = {group_key(g) for g in spoke} | present
    everyone = list(dict.fromkeys([*known, *sorted(spoke)]))
    here = [g for g in everyone if group_key(g) in keys]
    return Attendance(
        present_spoke=tuple(g for g in here if g in spoke),
        present_silent=tuple(g for g in here if g not in spoke),
        absent=tuple(g for g in everyone if group_key(g) not in keys),
    )


def _item_attendance(
    item: ItemSummary, marks: tuple[Presence, ...], day_of: floor.DayOf, known: list[str]
) -> Attendance | None:
    if item.actual_start is None or item.date is None or not floor.roll_taken(marks, item.date, day_of):
        return None
    present = floor.present_at(marks, item.id, item.actual_start, item.date, day_of)
    return _attendance(present, _speakers_of([item]), known)


def _speaking(items: Iterable[ItemSummary]) -> tuple[SpeakingTotal, ...]:
    spoken: dict[str, list[InterventionSummary]] = {}
    for item in items:
        for spoke in item.interventions:
            if not spoke.ongoing:
                spoken.setdefault(spoke.group, []).append(spoke)
    totals = [
        SpeakingTotal(group, sum(s.seconds for s in found), len(found), max(s.seconds for s in found),
                      sum(1 for s in found if s.overran))
        for group, found in spoken.items()
    ]
    totals.sort(key=lambda t: (-t.seconds, -t.interventions, t.group.casefold()))
    return tuple(totals)


def _days(
    items: list[ItemSummary], marks: tuple[Presence, ...], day_of: floor.DayOf, known: list[str]
) -> tuple[DaySummary, ...]:
    days: dict[dt.date, list[ItemSummary]] = {}
    for item in items:
        if item.date is not None and not item.dropped:
            days.setdefault(item.date, []).append(item)
    return tuple(
        DaySummary(
            date=day,
            items=tuple(i.id for i in found),
            planned_end=found[-1].planned_end,
            delay_minutes=day_delay(found),
            ended=found[-1].actual_end is not None,
            attendance=_attendance(floor.present_on(marks, day, day_of), _speakers_of(found), known)
            if floor.roll_taken(marks, day, day_of) else None,
        )
        for day, found in sorted(days.items())
    )
