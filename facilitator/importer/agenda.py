"""The agenda: day headings, times, and what each agenda item holds.

A time at the start of a paragraph (or in a table's first column) starts an
agenda item; its title is the rest of that line, or the next paragraph. What
follows belongs to the item until the next time: a "Location:" line, a
presenter ("Scene-setting presentation: ICBL", "Moderator: ..."), references,
questions (the prompts), and the rest as its description. A short heading after
an item's content, with no time of its own ("Participatory exercise on ..."), is
an item that follows the previous one.
"""

from __future__ import annotations

import re

from facilitator.importer.draft import DraftItem, DraftProgramme, DraftPrompt
from facilitator.importer.layout import is_day_heading, place_furniture
from facilitator.importer.paragraphs import Paragraph
from facilitator.importer.recognise import (
    Dates,
    Label,
    Times,
    asks,
    column_roles,
    day_heading,
    ends_a_sentence,
    is_agenda_heading,
    is_heading_like,
    is_title_cased,
    label_of,
    looks_like_place,
    names_an_item,
    people,
    purpose_in,
    questions_in,
    reference_line,
    references_in,
    sentences,
    singular,
    times_at_start,
    word_count,
)
from facilitator.programme import Person

_BY_ROLE_NAMES = re.compile(
    r"\b(?:opened|chaired|co-chaired|moderated|introduced|closed|presented|facilitated|led)\s+by\s+(?:the\s+)?"
    r"(?P<role>[A-Z][^()]{2,100}?)\s*\((?P<names>[^()]{2,80})\)"
)
_PARTICIPATION = re.compile(r"\bparticipation of\s+(?:the\s+)?(?P<role>[A-Z][^,]{2,120}?),\s+(?P<name>[^,;]+?)\.?$")
_QUESTIONS = re.compile(r"\bquestions?\b", re.I)


def read_agenda(paragraphs: list[Paragraph], draft: DraftProgramme, short: dict[str, str]) -> None:
    """Add the agenda items the paragraphs describe to `draft.items`."""
    reader = _Agenda(draft, short)
    for paragraph in paragraphs:
        reader.read(paragraph)
    for line, heading in reader.headings:  # a heading with no item after it ("End of programme")
        draft.keep(line, heading, "a heading with no agenda item after it", draft.comments)


class _Agenda:
    def __init__(self, draft: DraftProgramme, short: dict[str, str]) -> None:
        self.draft = draft
        self.short = short
        self.item: DraftItem | None = None
        self.day: Dates | None = None
        self.day_number: int | None = None
        self.day_line = 0
        self.headings: list[tuple[int, str]] = []  # (line, text), shown as comments before the next item
        self.columns: dict[int, str] = {}  # a table's column -> what it holds, from its header row
        self.column_names: dict[int, str] = {}

    # -- paragraphs ---------------------------------------------------------

    def read(self, paragraph: Paragraph) -> None:
        if paragraph.furniture:
            # A Word page header (line 0) is about the whole programme, not the item it happens to follow.
            item = self.item if paragraph.line else None
            place_furniture(self.draft, paragraph, item.comments if item else self.draft.comments)
        elif paragraph.cells:
            self.row(paragraph)
        else:
            self.paragraph(paragraph)

    def paragraph(self, paragraph: Paragraph, in_table: bool = False) -> None:
        text = paragraph.text
        times = times_at_start(text)
        if times is not None:
            self.start_item(paragraph, times)
        elif is_day_heading(text) and not paragraph.list_item:
            self.day_heading(paragraph)
        elif is_agenda_heading(text) and not paragraph.list_item:
            self.headings.append((paragraph.line, text))
        elif self.item is None:
            if names_an_item(text) and is_heading_like(text):  # "Registration and coffee" before the first time
                self.untimed_item(paragraph)
            else:
                self.draft.keep(paragraph.line, text, "under no agenda item (no time above it)", self.draft.comments)
        elif not self.item.title and _could_be_title(paragraph):
            self.item.title = text
        else:
            self.content(paragraph, in_table)

    def start_item(self, paragraph: Paragraph, times: Times) -> None:
        item = DraftItem(paragraph.line, title=times.rest, start=times.start, end=times.end)
        item.twelve_hour = times.twelve_hour
        self.add(item)

    def untimed_item(self, paragraph: Paragraph) -> None:
        self.add(DraftItem(paragraph.line, title=paragraph.text))

    def add(self, item: DraftItem) -> None:
        item.day, item.day_number, item.day_line = self.day, self.day_number, self.day_line
        item.headings, self.headings = [text for _, text in self.headings], []
        self.draft.items.append(item)
        self.item = item

    def day_heading(self, paragraph: Paragraph) -> None:
        heading = day_heading(paragraph.text)
        assert heading is not None
        self.headings.append((paragraph.line, paragraph.text))
        self.item = None  # what follows a day heading belongs to the next time, not the day before's last item
        if heading.dates is not None and len(heading.dates.days) > 1:
            self.programme_dates(heading.dates, paragraph.line)  # "5–6 December 2012": the meeting's days
            return
        self.day = heading.dates or None
        self.day_number = heading.day_number
        self.day_line = paragraph.line
        if self.day is not None and self.day.year and not self.draft.year:
            self.draft.year = self.day.year  # for the headings after it that give no year

    def programme_dates(self, dates: Dates, line: int) -> None:
        if self.draft.dates:
            return
        self.draft.year = self.draft.year or dates.year
        self.draft.dates = list(dates.resolve(self.draft.year))
        self.draft.lines["dates"] = self.draft.lines["date"] = line

    # -- what an item holds ---------------------------------------------------

    def content(self, paragraph: Paragraph, in_table: bool = False) -> None:
        item = self.item
        assert item is not None
        text = paragraph.text
        label = label_of(text)
        if label is not None:
            self.labelled(label, paragraph)
            return
        found = reference_line(text, self.short)
        if found:
            for reference in found:
                item.add_reference(reference)
            return
        if paragraph.list_item:
            self.list_item(paragraph)
            return
        if not in_table and _names_next_item(text, item):
            self.untimed_item(paragraph)
            return
        self.prose(paragraph)

    def labelled(self, label: Label, paragraph: Paragraph) -> None:
        item = self.item
        assert item is not None
        if label.kind in ("location", "venue"):
            item.location = f"{item.location}; {label.value}" if item.location else label.value
        elif label.kind in ("presenters", "chairs"):  # "Chair: X" inside an item is who chairs that item
            for person in people(label.label, label.value):
                item.add_presenter(person)
        elif label.kind == "references":
            found = [r for r, _ in references_in(label.value, self.short)]
            for reference in found or [r.strip() for r in label.value.split(";") if r.strip()]:
                item.add_reference(reference)
        elif label.kind == "purpose" and not item.purpose:
            item.purpose = label.value
        elif label.kind == "description":
            item.description.add(label.value)
        else:
            item.description.add(paragraph.text)

    def list_item(self, paragraph: Paragraph) -> None:
        item = self.item
        assert item is not None
        if asks(paragraph.text) or item.question_list:
            item.prompts.append(DraftPrompt(paragraph.text, paragraph.line))
        else:
            item.description.add(paragraph.text, listed=True)

    def prose(self, paragraph: Paragraph) -> None:
        """A paragraph of text: its questions become prompts, the rest the description."""
        item = self.item
        assert item is not None
        text, line = paragraph.text, paragraph.line
        asked, other = questions_in(text)
        whole = not other  # a paragraph that is nothing but questions: no guess that they are prompts
        for question in asked:
            item.prompts.append(DraftPrompt(question, line, "" if whole else f"a question in the text of line {line}"))
        kept = []
        for sentence in other:
            purpose = purpose_in(sentence)
            if purpose and not item.purpose:
                item.purpose = purpose
                item.guesses["purpose"] = f'from "{_clip(sentence)}" (line {line})'
            else:
                kept.append(sentence)
        for person in _people_in(text):
            item.add_presenter(person, f'from "{_clip(text)}" (line {line})')
        for reference, _ in references_in(text, self.short):
            item.add_reference(reference, f"named in the text of line {line}")
        if kept:
            item.description.add(" ".join(kept))
        if text.endswith(":") and _QUESTIONS.search(text):  # "... the following questions:"
            item.question_list = True

    # -- tables ---------------------------------------------------------------

    def row(self, paragraph: Paragraph) -> None:
        cells = paragraph.cells
        texts = [" ".join(p.text for p in cell) for cell in cells]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled:
            return
        if self.header_row(texts):
            self.headings.append((paragraph.line, " | ".join(t for t in texts if t)))
            return
        first = filled[0]
        times = times_at_start(cells[first][0].text)
        if times is not None:
            self.start_item(paragraph, times)
            self.row_cells(cells, first, skip_first=True)
        elif len({texts[i] for i in filled}) == 1:  # one cell across the table: a day, a break
            for part in cells[first]:
                self.paragraph(part)
        elif first > 0 and self.item is not None:  # no time: more about the item above
            self.row_cells(cells, first, skip_first=False)
        else:
            self.untimed_item(cells[first][0])
            self.row_cells(cells, first, skip_first=True)

    def header_row(self, texts: list[str]) -> bool:
        roles = column_roles(texts)
        if roles is None:
            return False
        self.columns = roles
        self.column_names = {column: texts[column].strip(" :") for column in roles}
        return True

    def row_cells(self, cells: tuple[tuple[Paragraph, ...], ...], first: int, skip_first: bool) -> None:
        """The cells of a row that started (or continues) an item: its title, presenters, location, text."""
        item = self.item
        assert item is not None
        title_column = None
        for column, cell in enumerate(cells):
            parts = cell[1:] if skip_first and column == first else cell
            role = self.columns.get(column)
            for part in parts:
                if (column == first and skip_first and self.end_time(part)) or role == "time":
                    continue
                if not item.title and role in (None, "title") and label_of(part.text) is None:
                    item.title = part.text
                    title_column = column
                elif role == "presenters":
                    self.presenter_cell(part, column)
                elif role == "location" and not label_of(part.text):
                    item.location = f"{item.location}; {part.text}" if item.location else part.text
                elif role is None and column != title_column and self.bare_name(part, column):
                    continue
                else:
                    self.content(part, in_table=True)

    def end_time(self, part: Paragraph) -> bool:
        """A second time under the first in the time column: when the item ends."""
        assert self.item is not None
        times = times_at_start(part.text)
        if times is None or times.rest or self.item.end is not None:
            return False
        self.item.end = times.start
        return True

    def presenter_cell(self, part: Paragraph, column: int) -> None:
        assert self.item is not None
        label = label_of(part.text)
        if label is not None:
            self.labelled(label, part)
            return
        role = singular(self.column_names.get(column, ""))
        for name in re.split(r"\s*;\s*", part.text):
            if name:
                self.item.add_presenter(Person(name, role))

    def bare_name(self, part: Paragraph, column: int) -> bool:
        """A few words alone in a column with no heading: the presenter (or, by its words, the place)."""
        item = self.item
        assert item is not None
        text = part.text
        if not is_heading_like(text) or word_count(text) > 8 or label_of(text) or reference_line(text, self.short):
            return False
        if looks_like_place(text) and not item.location:
            item.location = text
            item.guesses["location"] = f"alone in column {column + 1} of the table (line {part.line})"
        else:
            item.add_presenter(Person(text), f"alone in column {column + 1} of the table (line {part.line})")
        return True


def _names_next_item(text: str, item: DraftItem) -> bool:
    """A heading after an item's text, with no time of its own: the next item ("Participatory exercise on ...").

    Not a sentence that introduces what follows ("... the following questions:").
    """
    if not is_heading_like(text) or text.endswith(":"):
        return False
    if names_an_item(text):
        return True
    return item.has_content() and is_title_cased(text)


def _could_be_title(paragraph: Paragraph) -> bool:
    """What follows a time on its own: a title unless it is a label, a list item or a paragraph of text."""
    text = paragraph.text
    if paragraph.list_item or label_of(text) is not None:
        return False
    return word_count(text) <= 20 and not (ends_a_sentence(text) and word_count(text) > 12)


def _people_in(text: str) -> list[Person]:
    """Presenters a sentence names: "opened by the Co-Chairs of X (Algeria and Croatia)", "the participation
    of the President of Y, H.E. Z"."""
    found: list[tuple[int, Person]] = []
    for match in _BY_ROLE_NAMES.finditer(text):
        found.append((match.start(), Person(match["names"].strip(), match["role"].strip())))
    offset = 0
    for sentence in sentences(text):
        match = _PARTICIPATION.search(sentence)
        if match:
            found.append((offset + match.start(), Person(match["name"].strip(), match["role"].strip())))
        offset += len(sentence) + 1
    return [person for _, person in sorted(found, key=lambda f: f[0])]


def _clip(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
