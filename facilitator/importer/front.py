"""What comes before the agenda: the title block, then the background sections.

The title block is the first few short lines: the title, perhaps a subtitle, the
date, the venue, the chairs, a contact. It ends at the first heading that has
text under it ("Background:"), which starts the background sections; each runs
to the next such heading.
"""

from __future__ import annotations

from facilitator.importer.draft import DraftProgramme, DraftSection
from facilitator.importer.layout import is_day_heading, place_furniture
from facilitator.importer.paragraphs import Paragraph
from facilitator.importer.recognise import (
    Label,
    chair_names,
    day_heading,
    is_all_capitals,
    is_contact,
    is_heading_like,
    label_of,
    looks_like_place,
    singular,
    title_case,
    word_count,
)
from facilitator.programme import Person

_PROSE_WORDS = 8  # a paragraph of at least this many words (or ending a sentence) is text, not a heading


def read_front(paragraphs: list[Paragraph], draft: DraftProgramme, acronyms: set[str]) -> None:
    """Fill in the programme's title block and background from the paragraphs before the agenda."""
    start = _title_block(paragraphs, draft, acronyms)
    _background(paragraphs, start, draft)


# ------------------------------------------------------------------ the title block


def _title_block(paragraphs: list[Paragraph], draft: DraftProgramme, acronyms: set[str]) -> int:
    for index, paragraph in enumerate(paragraphs):
        if paragraph.furniture:
            place_furniture(draft, paragraph, draft.comments)
        elif not draft.title and _could_be_title(paragraph):
            _title_line(paragraph, draft, acronyms)  # a programme has a title, even with text right under it
        elif _starts_section(paragraphs, index) or _is_text(paragraph):
            return index
        else:
            _title_line(paragraph, draft, acronyms)
    return len(paragraphs)


def _title_line(paragraph: Paragraph, draft: DraftProgramme, acronyms: set[str]) -> None:
    text, line = paragraph.text, paragraph.line
    label = label_of(text)
    if label and _programme_label(label, line, draft):
        return
    if is_contact(text) and not draft.contact:
        _set(draft, "contact", text, line)
    elif is_day_heading(text):
        if not _dates(text, line, draft):
            draft.keep(line, text, "a date before the agenda that is not the programme's (no year?)", draft.comments)
    elif paragraph.style == "title" or not draft.title:
        if draft.title:  # a second "Title" style: the first one was a heading above it
            draft.keep(line, text, "a second title", draft.comments)
            return
        title = text.rstrip(":").strip()
        if is_all_capitals(title):
            title = title_case(title, acronyms)
            draft.guesses["title"] = f'written in capitals in the text: "{text}"'
        _set(draft, "title", title, line)
    elif looks_like_place(text) and not draft.venue:
        _set(draft, "venue", text, line, "a place named under the title")
    elif not draft.subtitle:
        _set(draft, "subtitle", text, line, "the line under the title" if paragraph.style != "subtitle" else "")
    else:
        draft.keep(line, text, "a line of the title block", draft.comments)


def _set(draft: DraftProgramme, key: str, value: str, line: int, guess: str = "") -> None:
    setattr(draft, key, value)
    draft.lines[key] = line
    if guess:
        draft.guesses[key] = guess


def _programme_label(label: Label, line: int, draft: DraftProgramme) -> bool:
    """A "Venue:", "Co-Chairs:", "Organised by", "Contact:" or "Date:" line about the whole programme."""
    if label.kind in ("venue", "location") and not draft.venue:
        _set(draft, "venue", label.value, line)
    elif label.kind == "chairs" and not draft.chairs:
        names = chair_names(label.value)
        role = singular(label.label) if len(names) > 1 else label.label
        draft.chairs = [Person(name, role) for name in names]
        draft.lines["chairs"] = line
        if len(names) > 1:
            draft.guesses["chairs"] = f'one chair for each name in "{label.value}"'
    elif label.kind == "organiser" and not draft.organiser:
        _set(draft, "organiser", label.value, line)
    elif label.kind == "contact":
        _set(draft, "contact", f"{draft.contact} | {label.value}" if draft.contact else label.value, line)
    elif label.kind == "date":
        return _dates(label.value, line, draft)
    else:
        return False
    return True


def _dates(text: str, line: int, draft: DraftProgramme) -> bool:
    """The programme's dates from a line that names them ("Tuesday, 22 May 2012", "5–6 December 2012")."""
    heading = day_heading(text)
    if heading is None or heading.dates is None or draft.dates:
        return False
    if heading.dates.year is None:
        return False  # "TUESDAY 22 MAY" without a year: the agenda's day heading, not the programme's dates
    draft.dates = list(heading.dates.resolve(None))
    if not draft.dates:
        draft.keep(line, text, "a date that is not a real day", draft.comments)
        return True
    draft.year = heading.dates.year
    draft.lines["date"] = draft.lines["dates"] = line
    place = heading.leftover
    if place and not draft.venue and (looks_like_place(place) or word_count(place) <= 3 and place[:1].isupper()):
        _set(draft, "venue", place, line, f'the place named with the date: "{text}"')
    return True


# ------------------------------------------------------------------ background sections


def _background(paragraphs: list[Paragraph], start: int, draft: DraftProgramme) -> None:
    section: DraftSection | None = None
    for index in range(start, len(paragraphs)):
        paragraph = paragraphs[index]
        text, line = paragraph.text, paragraph.line
        if paragraph.furniture:
            place_furniture(draft, paragraph, draft.comments)
            continue
        label = label_of(text)
        if label and label.kind in ("venue", "chairs", "organiser", "contact") and _programme_label(label, line, draft):
            continue
        if is_contact(text) and not draft.contact:
            _set(draft, "contact", text, line)
            continue
        if _starts_section(paragraphs, index):
            section = DraftSection(text.rstrip(":").strip(), line)
            draft.background.append(section)
            continue
        if _is_heading(paragraph) and not _is_text(paragraph):
            draft.keep(line, text, "a heading with no text under it", draft.comments)
            continue
        if section is None:
            section = DraftSection("Background", line, guess="the text before the agenda has no heading")
            draft.background.append(section)
        section.paragraphs.add(text, paragraph.list_item)


def _could_be_title(paragraph: Paragraph) -> bool:
    """The first heading of the document, unless it announces a section ("Background:") or is a date."""
    text = paragraph.text
    if not _is_heading(paragraph) or text.endswith(":") or label_of(text) or is_contact(text):
        return False
    return not is_day_heading(text)


def _is_heading(paragraph: Paragraph) -> bool:
    if paragraph.list_item or paragraph.cells:
        return False
    return paragraph.style in ("heading", "title", "subtitle") or paragraph.bold or is_heading_like(paragraph.text)


def _is_text(paragraph: Paragraph) -> bool:
    """Running text: a list item, or a paragraph long enough or ending like a sentence."""
    if paragraph.list_item:
        return True
    if paragraph.style or paragraph.bold or paragraph.cells:
        return False
    text = paragraph.text
    return not is_heading_like(text) and (word_count(text) >= _PROSE_WORDS or text.rstrip()[-1:] in ".!?;,")


def _starts_section(paragraphs: list[Paragraph], index: int) -> bool:
    """A heading with text under it: "Background:" followed by a paragraph."""
    paragraph = paragraphs[index]
    if not _is_heading(paragraph) or label_of(paragraph.text) or is_contact(paragraph.text):
        return False
    if is_day_heading(paragraph.text):
        return False
    following = next((paragraphs[i] for i in range(index + 1, len(paragraphs)) if not paragraphs[i].furniture), None)
    return following is not None and _is_text(following)
