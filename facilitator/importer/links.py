"""The last pass: what the parts of the text say about each other.

Day headings give the items their dates; a title gives an item its kind; a
background section titled like an agenda item gives it its purpose and the
references it names; a section that introduces several items ("A focus on
...") gives each of them the references no single item claims; the opening's
text names the chairs. Everything found this way is a guess and is marked so.
"""

from __future__ import annotations

import datetime as dt
import re

from facilitator.importer.draft import DraftItem, DraftProgramme, DraftSection, assign_ids
from facilitator.importer.paragraphs import Paragraph
from facilitator.importer.recognise import (
    WEEKDAYS,
    chair_names,
    guess_kind,
    id_words,
    is_all_capitals,
    purpose_in,
    references_in,
    sentences,
    singular,
    title_case,
)
from facilitator.programme import Person

_DAY_NAMES = {number: name.title() for name, number in WEEKDAYS.items() if len(name) > 4}
_CHAIRS_OF = re.compile(
    r"\b(?P<role>(?:Co-)?Chair(?:s|persons?|person)?\s+of\s+(?:the\s+)?[^().]{3,80}?)\s*\((?P<names>[^()]{2,80})\)"
)
# "1:30" after "11:00" is read as the afternoon; "9:00" after "12:30" is not (that is another day).
_AFTERNOON_HOURS = range(1, 9)


def finish(draft: DraftProgramme, paragraphs: list[Paragraph], short: dict[str, str], acronyms: set[str]) -> None:
    """Dates, times, kinds, what the background says about each item, chairs, venue, ids."""
    _dates(draft)
    _times(draft)
    _titles_and_kinds(draft, acronyms)
    _background_links(draft, short)
    _chairs_from_text(draft, paragraphs)
    _venue(draft)
    assign_ids(draft)


# ------------------------------------------------------------------ dates and times


def _dates(draft: DraftProgramme) -> None:
    year = draft.year or next((i.day.year for i in draft.items if i.day and i.day.year), None)
    given = list(draft.dates)
    previous = given[0] if given else None
    warned: set[int] = set()  # one note per day heading, not one per item under it
    for item in draft.items:
        date = None
        if item.day is not None:
            date = _heading_date(draft, item, year, warned)
        elif item.day_number and 0 < item.day_number <= len(given):
            date = given[item.day_number - 1]
        item.date = date or previous
        previous = item.date
    draft.dates = sorted(set(given) | {item.date for item in draft.items if item.date})
    if not draft.dates:
        draft.note(0, "no date found in the text: add the programme's date")


def _heading_date(draft: DraftProgramme, item: DraftItem, year: int | None, warned: set[int]) -> dt.date | None:
    """The date of the day heading an item is under, with a note when it has no year or the wrong weekday."""
    day = item.day
    assert day is not None
    resolved = day.resolve(year)
    date = resolved[0] if resolved else None
    if id(day) in warned:
        return date
    if date is None and day.year is None and year is None:
        warned.add(id(day))
        draft.note(item.day_line, "the day heading gives no year and neither does the title block: add the date")
    elif date is not None and day.weekday is not None and date.weekday() != day.weekday:
        warned.add(id(day))
        said = _DAY_NAMES[day.weekday]
        draft.note(item.day_line, f"the text says {said}, but {date.day} {date:%B %Y} is a {date:%A}")
    return date


def _times(draft: DraftProgramme) -> None:
    """Times that go backwards: "1:30" after "11:00" is the afternoon; "09:00" after "17:00" the next day."""
    last: dt.time | None = None
    day: dt.date | None = None
    for item in draft.items:
        if item.date != day:
            last, day = None, item.date
        if item.start is None:
            continue
        if last is not None and item.start < last:
            _move_forward(draft, item, last)
            if item.date != day:
                last, day = None, item.date
        last = item.start


def _move_forward(draft: DraftProgramme, item: DraftItem, last: dt.time) -> None:
    start = item.start
    assert start is not None
    written = f"{start:%H:%M}"
    if not item.twelve_hour and start.hour in _AFTERNOON_HOURS and start.replace(hour=start.hour + 12) >= last:
        item.start = start.replace(hour=start.hour + 12)
        if item.end is not None and item.end.hour < 12:
            item.end = item.end.replace(hour=item.end.hour + 12)
        item.guesses["start"] = f"the text's {written} comes after {last:%H:%M}: read as the afternoon"
        return
    later = [d for d in draft.dates if item.date is not None and d > item.date]
    if item.day is None and later:
        item.date = later[0]
        item.guesses["date"] = f"the text's {written} comes after {last:%H:%M}: read as the next day"


def _titles_and_kinds(draft: DraftProgramme, acronyms: set[str]) -> None:
    for item in draft.items:
        if not item.title:
            when = f" at {item.start:%H:%M}" if item.start else ""
            draft.note(item.line, f"the agenda item{when} has no title: add one")
            continue
        if is_all_capitals(item.title):
            written = item.title
            item.title = title_case(item.title, acronyms)
            item.guesses["title"] = f'written in capitals in the text: "{written}"'
        item.kind, word = guess_kind(item.title)
        item.guesses["kind"] = (
            f'from "{word}" in the title' if word else "the title names no opening, break, exercise or closing"
        )


# ------------------------------------------------------------------ the background and the items


def _background_links(draft: DraftProgramme, short: dict[str, str]) -> None:
    sections = draft.background
    titles = {id(s): _plain(s.title) for s in sections}
    topics = [s for s in sections if len(id_words(s.title)) >= 3]  # "Background" alone is the topic of nothing
    # A section titled like an item is its own; one whose title is the item's topic ("Monitoring the
    # Implementation of National Plans" for "Participatory exercise on monitoring the implementation ...") too.
    own: dict[int, list[DraftSection]] = {}
    for index, item in enumerate(draft.items):
        title = _plain(item.title)
        own[index] = [s for s in sections if title and titles[id(s)] == title]
        own[index] += [s for s in topics if s not in own[index] and f" {titles[id(s)]} " in f" {title} "]
    claimed = {i for found in own.values() for i in map(id, found)}
    for index, item in enumerate(draft.items):
        for section in own[index]:
            _take_from_section(item, section, short, purpose=_plain(section.title) == _plain(item.title))
    owned_references = {r for item in draft.items for r in item.references}
    for section in sections:
        if id(section) in claimed:
            continue
        words = set(id_words(section.text))
        named = [item for item in draft.items if _names(words, item)]
        if len(named) < 2:
            continue  # a section about one item would be titled like it; about none, it is general background
        shared = [r for r, _ in references_in(section.text, short) if r not in owned_references]
        where = f'named in the background section "{section.title}" (line {section.line})'
        for item in named:
            for reference in dict.fromkeys(shared):
                item.add_reference(reference, where)


def _take_from_section(item: DraftItem, section: DraftSection, short: dict[str, str], purpose: bool) -> None:
    where = f'from the background section "{section.title}" (line {section.line})'
    if purpose and not item.purpose:
        found = next((p for s in sentences(section.text) if (p := purpose_in(s))), "")
        if found:
            item.purpose = found
            item.guesses["purpose"] = where
    for reference, _ in references_in(section.text, short):
        item.add_reference(reference, where)


def _names(section_words: set[str], item: DraftItem) -> bool:
    """Whether a section's text uses every significant word of an item's title."""
    words = set(id_words(item.title))
    return len(words) >= 2 and words <= section_words


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


# ------------------------------------------------------------------ chairs and venue


def _chairs_from_text(draft: DraftProgramme, paragraphs: list[Paragraph]) -> None:
    """ "the Co-Chairs of the Standing Committee on Victim Assistance (Algeria and Croatia)"."""
    if draft.chairs:
        return
    for paragraph in paragraphs:
        texts = [paragraph.text] if not paragraph.cells else [p.text for cell in paragraph.cells for p in cell]
        for text in texts:
            found = _CHAIRS_OF.search(text)
            if found:
                role = singular(found["role"].strip())
                draft.chairs = [Person(name, role) for name in chair_names(found["names"])]
                draft.guesses["chairs"] = f'from "{_clip(found[0])}" (line {paragraph.line})'
                draft.lines["chairs"] = paragraph.line
                return


def _venue(draft: DraftProgramme) -> None:
    if draft.venue:
        return
    first = draft.items[0] if draft.items else None
    if first is not None and first.location:
        draft.venue = first.location
        draft.guesses["venue"] = f"the location of the first agenda item (line {first.line})"
        draft.lines["venue"] = first.line


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
