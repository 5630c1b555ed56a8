"""The source's layout before its meaning: clean paragraphs, page furniture, where the agenda starts.

A programme copied out of a PDF or a web page carries the page's furniture: a
running header (the convention's name in bold), a footer with the e-mail
address, page numbers, sometimes in the middle of a sentence that runs on to
the next page. `prepare` marks that furniture and joins the two halves of the
sentence, so the rest of the importer reads paragraphs as the author wrote them.
"""

from __future__ import annotations

from dataclasses import replace

from facilitator.importer.draft import DraftProgramme
from facilitator.importer.paragraphs import LIST_MARKER, Paragraph, clean
from facilitator.importer.recognise import (
    column_roles,
    day_heading,
    ends_a_sentence,
    is_agenda_heading,
    is_contact,
    is_heading_like,
    is_page_number,
    is_title_cased,
    label_of,
    names_an_item,
    starts_lower,
    times_at_start,
    word_count,
)

# How far back a sentence cut by a page break is looked for, in paragraphs of furniture.
_MOST_FURNITURE = 4
_LEAST_PROSE_WORDS = 8
_LONGEST_JOINED = 20_000  # a paragraph is joined across a page break or two, not a thousand times


def prepare(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Clean paragraphs: list markers taken off, page numbers marked, sentences cut by a page joined."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        tidy = _tidy(paragraph)
        if tidy is None:
            continue
        if not tidy.cells and is_page_number(tidy.text):
            tidy = replace(tidy, furniture=True)
        anchor = _continued(out, tidy)
        if anchor is None or len(out[anchor].text) > _LONGEST_JOINED:
            out.append(tidy)
            continue
        out[anchor] = replace(out[anchor], text=f"{out[anchor].text} {tidy.text}")
        for index in range(anchor + 1, len(out)):
            out[index] = replace(out[index], furniture=True)
    return out


def _tidy(paragraph: Paragraph) -> Paragraph | None:
    if paragraph.cells:
        cells = tuple(tuple(t for p in cell if (t := _tidy(p)) is not None) for cell in paragraph.cells)
        if not any(cells):
            return None
        text = " | ".join(" ".join(p.text for p in cell) for cell in cells)
        return replace(paragraph, text=text, cells=cells)
    text = clean(paragraph.text)
    marker = LIST_MARKER.match(text)
    if marker and not times_at_start(text):
        return replace(paragraph, text=text[marker.end() :].strip(), list_item=True) if text[marker.end() :] else None
    return replace(paragraph, text=text) if text else None


def _continued(before: list[Paragraph], paragraph: Paragraph) -> int | None:
    """The paragraph whose sentence `paragraph` finishes (a page break fell in between), or None.

    It starts in lower case; what lies between is at most a few lines of furniture
    (bold, a heading, an address, a page number); and the paragraph it goes on
    from is prose whose last sentence is not finished.
    """
    if paragraph.cells or paragraph.list_item or paragraph.furniture or not starts_lower(paragraph.text):
        return None
    text = paragraph.text
    if times_at_start(text) or label_of(text) or is_contact(text) or is_page_number(text):
        return None
    index = len(before) - 1
    while index >= 0 and len(before) - 1 - index < _MOST_FURNITURE and _is_furniture_like(before[index]):
        index -= 1
    if index < 0 or _is_furniture_like(before[index]):
        return None
    anchor = before[index]
    if anchor.cells or anchor.list_item or word_count(anchor.text) < _LEAST_PROSE_WORDS:
        return None
    if ends_a_sentence(anchor.text) or times_at_start(anchor.text) or label_of(anchor.text):
        return None
    return index


def _is_furniture_like(paragraph: Paragraph) -> bool:
    text = paragraph.text
    if paragraph.cells or paragraph.list_item:
        return False
    if paragraph.furniture or paragraph.bold or paragraph.style or is_contact(text) or is_page_number(text):
        return True
    return word_count(text) <= 20 and is_heading_like(text) and is_title_cased(text)


# Items without a time that may come before the first time, under the agenda's heading ("Registration").
_MOST_UNTIMED_FIRST = 3


def agenda_start(paragraphs: list[Paragraph]) -> int:
    """Where the agenda begins: its heading ("PROGRAMME – TUESDAY 22 MAY"), else its first time."""
    first = next((i for i, p in enumerate(paragraphs) if _has_time(p)), None)
    if first is None:
        return len(paragraphs)
    start = first
    index = first - 1
    while index >= 0 and first - index <= _MOST_UNTIMED_FIRST + 2:
        paragraph = paragraphs[index]
        if _is_agenda_heading(paragraph):
            start = index
        elif not (start == first and _is_untimed_item(paragraph)):
            break  # an item without a time belongs to the agenda only under the agenda's heading
        index -= 1
    return start


def _is_untimed_item(paragraph: Paragraph) -> bool:
    text = paragraph.text
    return not paragraph.cells and not paragraph.furniture and is_heading_like(text) and names_an_item(text)


def _has_time(paragraph: Paragraph) -> bool:
    if paragraph.furniture:
        return False
    if paragraph.cells:
        cell = next((c for c in paragraph.cells if c), ())
        return bool(cell) and times_at_start(cell[0].text) is not None
    return times_at_start(paragraph.text) is not None


def _is_agenda_heading(paragraph: Paragraph) -> bool:
    if paragraph.cells:  # the header row of the agenda's table ("Time | Session | Speaker")
        return column_roles([" ".join(p.text for p in cell) for cell in paragraph.cells]) is not None
    if paragraph.list_item or paragraph.furniture:
        return False
    return is_agenda_heading(paragraph.text) or is_day_heading(paragraph.text)


def is_day_heading(text: str) -> bool:
    """A day on a line of its own ("Tuesday, 22 May 2012", "PROGRAMME – TUESDAY 22 MAY", "Day 2")."""
    heading = day_heading(text)
    return heading is not None and word_count(heading.leftover) <= 2 and word_count(text) <= 12


def place_furniture(draft: DraftProgramme, paragraph: Paragraph, where: list[str]) -> None:
    """A page header or footer: the programme's contact or subtitle when it has none, else a comment."""
    text = paragraph.text
    source = "the page header or footer" if paragraph.line == 0 else f"a page header or footer (line {paragraph.line})"
    if is_page_number(text):
        where.append(f"page number left out (line {paragraph.line}): {text}")
    elif is_contact(text) and not draft.contact:
        draft.contact = text
        draft.guesses["contact"] = f"from {source}"
        draft.lines["contact"] = paragraph.line
    elif (paragraph.bold or paragraph.style or is_title_cased(text)) and not draft.subtitle and text != draft.title:
        draft.subtitle = text
        draft.guesses["subtitle"] = f"from {source}"
        draft.lines["subtitle"] = paragraph.line
    elif text in (draft.title, draft.subtitle, draft.contact):  # a header repeated on every page: said once already
        where.append(f"repeated page header or footer left out (line {paragraph.line}): {text}")
    else:
        draft.keep(paragraph.line, text, "a page header or footer", where)
