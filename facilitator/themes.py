"""Making sense of the answers: themes, votes, stars, the exercise's categories, search.

Pure operations on `Notes`, like those in `notes.py`: each takes the notes and
returns new notes (the very same object when nothing changes, so a caller can
skip saving and undo), and refuses bad input with a `NotesError` that says what
to do instead.

The rules they keep (and `store` checks on load):

- A theme belongs to one agenda item and holds answers of that item only, any
  of its prompts. An answer is in at most one theme of its item: putting it in
  a theme takes it out of the one it was in.
- Theme names are one line, 1 to 200 characters, and unique within the item
  ignoring case. Creating a theme with the name of an existing one adds the
  answers to that theme instead: typing a name the item already has means
  "this one" (the name suggestions offer it), never a second "Funding".
- A theme that loses its last answer stays, empty, until it is deleted: it has
  a name someone chose and may be filled again. Deleting a theme keeps its
  answers (they become unthemed); deleting an answer removes it from its theme
  (`notes.delete_answer`).
- Votes are never below 0 nor above `notes.MAX_VOTES` (`notes.clean_votes`, which
  the notes loader applies too). A category is one of the exercise's categories in
  its canonical spelling, or "" for "not yet classified".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Protocol, TypeVar

from facilitator import notes as ops
from facilitator.notes import Answer, ItemNotes, Notes, NotesError, Theme
from facilitator.programme import Programme

MAX_THEME_NAME = 200
UNCLASSIFIED = ""  # the category of an answer not yet classified


class _Voted(Protocol):
    @property
    def votes(self) -> int: ...


V = TypeVar("V", bound=_Voted)


# ------------------------------------------------------------------ helpers


def clean_theme_name(name: str) -> str:
    """A theme name as stored: one line, spaces collapsed; refuses an empty or overlong name."""
    cleaned = " ".join(ops.storable(name).split())
    if not cleaned:
        raise NotesError("a theme needs a name")
    if len(cleaned) > MAX_THEME_NAME:
        raise NotesError(f"a theme name is at most {MAX_THEME_NAME} characters")
    return cleaned


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Text for matching: case and accents ignored ("Côte" and "cote" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _theme(item: ItemNotes, theme_id: str) -> Theme:
    found = next((t for t in item.themes if t.id == theme_id), None)
    if found is None:
        raise NotesError(f"agenda item '{item.session_id}' has no theme with id {theme_id}")
    return found


def _named(item: ItemNotes, name: str) -> Theme | None:
    key = name.casefold()
    return next((t for t in item.themes if t.name.casefold() == key), None)


def _members(item: ItemNotes, answer_ids: Iterable[str]) -> tuple[str, ...]:
    """The ids, without repeats, each checked to be an answer of this item."""
    if isinstance(answer_ids, str):
        answer_ids = (answer_ids,)  # one id passed bare: not its characters
    known = {a.id for a in item.answers}
    wanted = tuple(dict.fromkeys(answer_ids))
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise NotesError(f"agenda item '{item.session_id}' has no answer with id {', '.join(unknown)}")
    return wanted


def _with_themes(notes: Notes, item: ItemNotes, themes: Iterable[Theme]) -> Notes:
    themes = tuple(themes)
    if themes == item.themes:
        return notes
    return notes.with_item(replace(item, themes=themes))


def _gather(item: ItemNotes, theme_id: str, answer_ids: tuple[str, ...]) -> tuple[Theme, ...]:
    """The item's themes with `answer_ids` appended to one theme and out of every other."""
    moving = set(answer_ids)
    themes = []
    for t in item.themes:
        if t.id == theme_id:
            added = tuple(i for i in answer_ids if i not in t.answer_ids)
            themes.append(replace(t, answer_ids=t.answer_ids + added) if added else t)
        elif moving.intersection(t.answer_ids):
            themes.append(replace(t, answer_ids=tuple(i for i in t.answer_ids if i not in moving)))
        else:
            themes.append(t)
    return tuple(themes)


# ------------------------------------------------------------------ themes


def create_theme(
    notes: Notes,
    session_id: str,
    name: str,
    answer_ids: Iterable[str] = (),
    make_id: Callable[[], str] | None = None,
) -> tuple[Notes, Theme]:
    """A new theme in an agenda item holding `answer_ids` (taken out of any other theme).

    When the item already has a theme of that name (ignoring case), the answers
    are added to it and it is returned, keeping its name, id and votes. A theme
    may start empty. Returns the new notes and the theme as it is in them.
    """
    cleaned = clean_theme_name(name)
    item = notes.item(session_id)
    members = _members(item, answer_ids)
    existing = _named(item, cleaned)
    if existing is not None:
        notes = add_to_theme(notes, session_id, existing.id, members)
        return notes, _theme(notes.item(session_id), existing.id)
    theme = Theme(id=make_id() if make_id else ops.new_id("t"), name=cleaned, answer_ids=members)
    if any(t.id == theme.id for t in item.themes):
        raise NotesError(f"theme id {theme.id} is already used in agenda item '{session_id}'")
    themes = _gather(item, "", members) + (theme,)
    return notes.with_item(replace(item, themes=themes)), theme


def add_to_theme(notes: Notes, session_id: str, theme_id: str, answer_ids: Iterable[str]) -> Notes:
    """Put answers in a theme, after those it has, taking them out of any other theme.

    Answers already in this theme keep their place.
    """
    item = notes.item(session_id)
    _theme(item, theme_id)
    return _with_themes(notes, item, _gather(item, theme_id, _members(item, answer_ids)))


def remove_from_theme(notes: Notes, session_id: str, answer_id: str) -> Notes:
    """Take an answer out of its theme (it becomes unthemed); unchanged if it had none."""
    item = notes.item(session_id)
    _members(item, (answer_id,))
    return _with_themes(notes, item, _gather(item, "", (answer_id,)))


def rename_theme(notes: Notes, session_id: str, theme_id: str, name: str) -> Notes:
    """Give a theme another name; refused if another theme of the item has it (merge them instead)."""
    cleaned = clean_theme_name(name)
    item = notes.item(session_id)
    theme = _theme(item, theme_id)
    other = _named(item, cleaned)
    if other is not None and other.id != theme_id:
        raise NotesError(f"this item already has a theme '{other.name}': merge the two themes instead")
    return _with_themes(notes, item, (replace(t, name=cleaned) if t is theme else t for t in item.themes))


def merge_themes(notes: Notes, session_id: str, keep_id: str, merge_id: str) -> Notes:
    """Fold theme `merge_id` into `keep_id`: its answers follow the kept theme's, votes add up,
    the kept theme keeps its name and place, and the merged theme is gone.
    """
    if keep_id == merge_id:
        raise NotesError("choose two different themes to merge")
    item = notes.item(session_id)
    keep, gone = _theme(item, keep_id), _theme(item, merge_id)
    added = tuple(i for i in gone.answer_ids if i not in keep.answer_ids)
    merged = replace(keep, answer_ids=keep.answer_ids + added, votes=ops.clean_votes(keep.votes + gone.votes))
    themes = (merged if t is keep else t for t in item.themes if t is not gone)
    return _with_themes(notes, item, themes)


def delete_theme(notes: Notes, session_id: str, theme_id: str) -> Notes:
    """Remove a theme; its answers stay in the notes, unthemed."""
    item = notes.item(session_id)
    _theme(item, theme_id)
    return _with_themes(notes, item, (t for t in item.themes if t.id != theme_id))


# ------------------------------------------------------------------ votes, stars, categories


def _check_delta(delta: int) -> None:
    if isinstance(delta, bool) or not isinstance(delta, int):
        raise NotesError(f"a vote change is a whole number, not {delta!r}")


def _answer(notes: Notes, answer_id: str) -> Answer:
    found = notes.find(answer_id)
    if not found:
        raise NotesError(f"no answer with id {answer_id}")
    return found[1]


def _change(notes: Notes, answer_id: str, **changes: object) -> Notes:
    """The notes with one answer's fields changed (the same notes when they already had those values)."""
    found = notes.find(answer_id)
    if not found:
        raise NotesError(f"no answer with id {answer_id}")
    session_id, answer = found
    changed = replace(answer, **changes)
    if changed == answer:
        return notes
    item = notes.item(session_id)
    return notes.with_item(replace(item, answers=tuple(changed if a is answer else a for a in item.answers)))


def vote_answer(notes: Notes, answer_id: str, delta: int = 1) -> Notes:
    """Add (or, with a negative delta, take away) votes on an answer; never below 0."""
    _check_delta(delta)
    return _change(notes, answer_id, votes=ops.clean_votes(max(0, _answer(notes, answer_id).votes + delta)))


def vote_theme(notes: Notes, session_id: str, theme_id: str, delta: int = 1) -> Notes:
    """Add (or take away) votes on a theme; never below 0."""
    _check_delta(delta)
    item = notes.item(session_id)
    theme = _theme(item, theme_id)
    votes = ops.clean_votes(max(0, theme.votes + delta))
    return _with_themes(notes, item, (replace(t, votes=votes) if t is theme else t for t in item.themes))


def star_answer(notes: Notes, answer_id: str, starred: bool | None = None) -> Notes:
    """Mark an answer as a key point for the co-chairs (`starred=None` toggles)."""
    current = _answer(notes, answer_id).starred
    wanted = (not current) if starred is None else bool(starred)
    return _change(notes, answer_id, starred=wanted)


def canonical_category(category: str, categories: Sequence[str]) -> str:
    """The exercise's spelling of `category` (matched ignoring case and outer spaces), or "" for none."""
    wanted = " ".join(category.split())
    if not wanted:
        return UNCLASSIFIED
    for known in categories:
        if known.casefold() == wanted.casefold():
            return known
    if not categories:
        raise NotesError("this agenda item is not an exercise: its answers have no categories")
    raise NotesError(f"'{wanted}' is not a category of this exercise: choose {', '.join(categories)}")


def classify(notes: Notes, answer_id: str, category: str, categories: Sequence[str]) -> Notes:
    """Put an answer in one of the exercise's `categories`, or back in "not yet classified" ("")."""
    return _change(notes, answer_id, category=canonical_category(category, categories))


# ------------------------------------------------------------------ queries


def theme_names_suggestions(notes: Notes, session_id: str, prefix: str = "") -> list[str]:
    """Theme names to offer while a name is typed, ignoring case and accents.

    This item's themes come first, then names used in other items (so the same
    theme can be named alike across the day); names starting with `prefix`
    before names merely containing it; no name twice (ignoring case).
    """
    wanted = fold(" ".join(prefix.split()))
    own = [t.name for t in notes.item(session_id).themes]
    others = [t.name for sid, item in notes.items.items() if sid != session_id for t in item.themes]
    starts, contains = [], []
    seen: set[str] = set()
    for name in own + others:
        key = name.casefold()
        if key in seen:
            continue
        folded = fold(name)
        if folded.startswith(wanted):
            starts.append(name)
            seen.add(key)
        elif wanted in folded:
            contains.append(name)
            seen.add(key)
    return starts + contains


def themes_by_answer(item: ItemNotes) -> dict[str, Theme]:
    """The theme of each themed answer, by answer id."""
    return {answer_id: t for t in item.themes for answer_id in t.answer_ids}


def unthemed(item: ItemNotes, prompt_id: str | None = None) -> list[Answer]:
    """Answers in no theme, in capture order (only those of `prompt_id` when given)."""
    themed = themes_by_answer(item)
    return [a for a in item.answers if a.id not in themed and (prompt_id is None or a.prompt_id == prompt_id)]


def answers_by_theme(item: ItemNotes, prompt_id: str | None = None) -> list[tuple[Theme | None, list[Answer]]]:
    """The theme view: each theme with its answers (in the theme's order), then
    `(None, unthemed answers)` last, always present even when empty.

    With `prompt_id`, only answers to that prompt are listed and themes holding
    none of them are left out (an empty theme is kept: it is waiting for answers).
    """
    by_id = {a.id: a for a in item.answers}
    view: list[tuple[Theme | None, list[Answer]]] = []
    for theme in item.themes:
        answers = [by_id[i] for i in theme.answer_ids if i in by_id]
        if prompt_id is not None:
            answers = [a for a in answers if a.prompt_id == prompt_id]
            if not answers and theme.answer_ids:
                continue
        view.append((theme, answers))
    view.append((None, unthemed(item, prompt_id)))
    return view


def sort_by_votes(things: Iterable[V]) -> list[V]:
    """Answers or themes, most votes first; equal votes keep their order."""
    return sorted(things, key=lambda t: -t.votes)


def _haystack(answer: Answer, theme: Theme | None) -> str:
    return "\n".join((fold(answer.text), fold(answer.group), fold(theme.name) if theme else ""))


def _matcher(query: str) -> Callable[[Answer, Theme | None], bool]:
    words = fold(query).split()
    return lambda answer, theme: all(w in _haystack(answer, theme) for w in words)


def filter_answers(
    answers: Iterable[Answer], text: str, themes_by_answer: Mapping[str, Theme] | None = None
) -> list[Answer]:
    """The answers matching every word of `text` in their text, group or theme name.

    Case and accents are ignored ("cote" finds "Côte"); an empty `text` keeps
    all. `themes_by_answer` (see `themes_by_answer()`) lets theme names match.
    """
    themes = themes_by_answer or {}
    match = _matcher(text)
    return [a for a in answers if match(a, themes.get(a.id))]


def search_day(
    notes: Notes, programme: Programme, query: str, limit: int | None = None
) -> list[tuple[str, str, Answer]]:
    """Answers anywhere in the day matching `query` (as `filter_answers`), for the palette.

    Returns (session id, prompt id, answer) in agenda order, then capture order
    (items the programme does not have come last); nothing for a blank query.
    """
    if not query.strip():
        return []
    order = {s.id: i for i, s in enumerate(programme.sessions)}
    items = sorted(notes.items.values(), key=lambda i: order.get(i.session_id, len(order)))
    match = _matcher(query)
    found: list[tuple[str, str, Answer]] = []
    for item in items:
        themes = themes_by_answer(item)
        for answer in item.answers:
            if match(answer, themes.get(answer.id)):
                found.append((item.session_id, answer.prompt_id, answer))
                if limit is not None and len(found) >= limit:
                    return found
    return found


def _column(answer: Answer, categories: Sequence[str]) -> str:
    try:
        return canonical_category(answer.category, categories)
    except NotesError:
        return answer.category  # not one of today's categories: kept under its own name, never dropped


def answers_by_category(item: ItemNotes, categories: Sequence[str]) -> list[tuple[str, list[Answer]]]:
    """The exercise board: one column per category in the exercise's order, then
    any other category found in the notes, then "" (not yet classified), last.
    """
    columns: dict[str, list[Answer]] = {c: [] for c in categories}
    unclassified: list[Answer] = []
    for answer in item.answers:
        column = _column(answer, categories)
        (unclassified if column == UNCLASSIFIED else columns.setdefault(column, [])).append(answer)
    return [*columns.items(), (UNCLASSIFIED, unclassified)]


def per_group_categories(item: ItemNotes, categories: Sequence[str]) -> dict[str | None, dict[str | None, int]]:
    """How many of each group's answers are in each category: {group: {category: count}}.

    Each group's row has every category (0 when none), any other category found,
    "" for not yet classified and `None` for the group's total. Groups come in
    first-answer order; the `None` row last holds the totals of all groups.
    """
    columns = [c for c, _ in answers_by_category(item, categories)]
    table: dict[str | None, dict[str | None, int]] = {}
    for answer in item.answers:
        for group in (answer.group, None):
            row = table.setdefault(group, dict.fromkeys([*columns, None], 0))
            row[_column(answer, categories)] += 1
            row[None] += 1
    total = table.pop(None, dict.fromkeys([*columns, None], 0))
    table[None] = total
    return table
