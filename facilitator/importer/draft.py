"""The programme as the importer pieces it together, before it is written as TOML.

Mutable on purpose: the reading passes fill it in as they go (the agenda, then
what the background says about each item). Every value the importer guessed
rather than read from a label carries the reason in `guesses`, which becomes a
`# guessed: ...` comment in the file; every piece of text it could not place is
kept in `comments` and reported in `notes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from facilitator.importer.recognise import Dates, id_words
from facilitator.programme import Person, is_valid_id


@dataclass(frozen=True)
class Note:
    """Something about the source a person should look at: text not placed, a date without a year."""

    line: int  # 0 when the source gives no line (a Word page header)
    message: str


@dataclass
class TextBlocks:
    """Paragraphs of text, each run of list items kept together one item a line.

    Joined only when written: a list of ten thousand items is not copied once per item.
    """

    parts: list[tuple[str, bool]] = field(default_factory=list)

    def add(self, text: str, listed: bool = False) -> None:
        self.parts.append((f"- {text}" if listed else text, listed))

    def __bool__(self) -> bool:
        return bool(self.parts)

    def join(self) -> str:
        out = []
        for index, (text, listed) in enumerate(self.parts):
            if index:
                out.append("\n" if listed and self.parts[index - 1][1] else "\n\n")
            out.append(text)
        return "".join(out)


@dataclass
class DraftPrompt:
    text: str
    line: int
    guess: str = ""
    id: str = ""


@dataclass
class DraftItem:
    """One agenda item as read so far."""

    line: int
    title: str = ""
    start: dt.time | None = None
    end: dt.time | None = None
    twelve_hour: bool = False
    day: Dates | None = None  # the day heading it is under, as written
    day_line: int = 0  # where that heading is
    day_number: int | None = None  # "Day 2" without a date
    date: dt.date | None = None
    kind: str = "discussion"
    presenters: list[Person] = field(default_factory=list)
    location: str = ""
    purpose: str = ""
    description: TextBlocks = field(default_factory=TextBlocks)
    references: list[str] = field(default_factory=list)
    prompts: list[DraftPrompt] = field(default_factory=list)
    guesses: dict[str, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)  # text kept, not placed, inside the item
    headings: list[str] = field(default_factory=list)  # day and agenda headings just before it
    question_list: bool = False  # the item's text announced questions ("... the following questions:")
    id: str = ""

    def has_content(self) -> bool:
        return bool(self.presenters or self.location or self.description or self.prompts or self.references)

    def add_reference(self, reference: str, guess: str = "") -> None:
        if reference not in self.references:
            self.references.append(reference)
            self.guessed("references", guess)

    def add_presenter(self, person: Person, guess: str = "") -> None:
        if person.name.casefold() not in {p.name.casefold() for p in self.presenters}:
            self.presenters.append(person)
            self.guessed("presenters", guess)

    def guessed(self, key: str, why: str) -> None:
        """Add a reason to the key's guess (a list may hold entries guessed from several places)."""
        if why and why not in self.guesses.get(key, ""):
            self.guesses[key] = f"{self.guesses[key]}; {why}" if key in self.guesses else why


@dataclass
class DraftSection:
    """A background section: its heading and its paragraphs."""

    title: str
    line: int
    paragraphs: TextBlocks = field(default_factory=TextBlocks)
    guess: str = ""

    @property
    def text(self) -> str:
        return self.paragraphs.join()


@dataclass
class DraftProgramme:
    title: str = ""
    subtitle: str = ""
    dates: list[dt.date] = field(default_factory=list)
    venue: str = ""
    organiser: str = ""
    contact: str = ""
    chairs: list[Person] = field(default_factory=list)
    background: list[DraftSection] = field(default_factory=list)
    items: list[DraftItem] = field(default_factory=list)
    guesses: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key -> the source line it came from
    comments: list[str] = field(default_factory=list)  # text kept, not placed, at the top
    notes: list[Note] = field(default_factory=list)
    year: int | None = None  # for day headings without one
    id: str = ""

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def keep(self, line: int, text: str, why: str, where: list[str] | None = None) -> None:
        """Text the importer cannot place: kept as a comment (in `where`, else at the top) and reported."""
        (self.comments if where is None else where).append(f"not placed (line {line}): {text}" if line else text)
        self.note(line, f"{why}: kept as a comment: {_clip(text)}")


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ------------------------------------------------------------------ ids

MAX_ID_WORDS = 2


def unique_id(words: list[str], taken: set[str], fallback: str, preferred: str = "") -> str:
    """A short id from the first significant words, longer only when it must be to stay unique."""
    words = words[:12]  # an id longer than this many words is no help to anyone
    candidates = [preferred] if preferred else []
    candidates += ["-".join(words[:n]) for n in range(min(MAX_ID_WORDS, len(words)), len(words) + 1)]
    candidates = [c for c in map(_fit, [*candidates, fallback]) if c and is_valid_id(c) and c != "run"]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    base = _fit(candidates[0], room=5) if candidates else fallback
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    taken.add(f"{base}-{number}")
    return f"{base}-{number}"


def _fit(candidate: str, room: int = 0) -> str:
    """At most 64 characters (the id pattern's limit), cut at a word."""
    limit = 64 - room
    if len(candidate) > limit:
        candidate = candidate[:limit].rsplit("-", 1)[0] if "-" in candidate[:limit] else candidate[:limit]
    return candidate.strip("-_")


def programme_id(title: str, dates: list[dt.date]) -> str:
    words = id_words(title)[:MAX_ID_WORDS] or ["imported", "programme"]
    if dates:
        words.append(dates[0].isoformat())
    return _fit("-".join(words)) or "imported-programme"


_KIND_IDS = {"opening": "opening", "closing": "closing"}


def assign_ids(draft: DraftProgramme) -> None:
    """Ids for the programme, every agenda item and every prompt: short, unique, safe as file names."""
    draft.id = programme_id(draft.title, draft.dates)
    taken: set[str] = set()
    for number, item in enumerate(draft.items, 1):
        item.id = unique_id(id_words(item.title), taken, f"item-{number}", _preferred_item_id(item))
        asked: set[str] = set()
        for n, prompt in enumerate(item.prompts, 1):
            prompt.id = unique_id(id_words(prompt.text), asked, f"prompt-{n}")


def _preferred_item_id(item: DraftItem) -> str:
    if item.kind in _KIND_IDS:
        return _KIND_IDS[item.kind]
    if item.kind == "break":
        words = id_words(item.title)
        for meal in ("lunch", "coffee", "tea", "dinner", "reception"):
            if meal in words:
                return meal
    return ""
