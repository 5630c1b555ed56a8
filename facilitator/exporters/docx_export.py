"""Word (.docx) via python-docx, in the form UN meeting reports take.

A title, the programme's facts, then a Heading 1 per agenda item with its
times and presenters, a Heading 2 per prompt (Heading 3 per theme), each
group's answers as numbered paragraphs (Word's "List Number" style, numbered
through the document as a report's paragraphs are), and the exercise results
as a table. Text is added as runs, never parsed; characters XML cannot hold
(control characters from a paste) become U+FFFD rather than failing the export.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Pt

from facilitator.exporters import _common as c
from facilitator.notes import Answer
from facilitator.summary import CategoryTable, ItemSummary, Summary

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """Text Word's XML can hold."""
    return _NOT_XML.sub("\ufffd", text)


def _new(summary: Summary, prefix: str = "") -> DocumentType:
    doc = Document()
    doc.core_properties.title = clean(prefix + summary.programme.title)
    doc.styles["Normal"].font.size = Pt(11)
    programme = summary.programme
    doc.add_heading(clean(prefix + programme.title), level=0)
    if programme.subtitle:
        doc.add_paragraph(clean(programme.subtitle), style="Subtitle")
    _facts(doc, [("Date", c.dates(programme)), ("Venue", programme.venue), ("Chairs", "; ".join(c.chairs(programme)))])
    return doc


def _facts(doc: DocumentType, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        if value:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(clean(value))


def _table(doc: DocumentType, head: list[str], rows: list[list[str]], bold_last: bool = False) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for n, row in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            run = cell.paragraphs[0].add_run(clean(text))
            run.bold = bold_last and n == len(rows)


def exercise_table(doc: DocumentType, table: CategoryTable) -> None:
    rows = [
        [group, *map(str, counts), str(total)]
        for group, counts, total in zip(table.groups, table.counts, table.row_totals, strict=True)
    ]
    rows.append(["Total", *map(str, table.column_totals), str(table.total)])
    _table(doc, ["Group", *table.categories, "Total"], rows, bold_last=True)


def _numbered(doc: DocumentType):  # noqa: ANN202 - a python-docx Paragraph
    """A new "List Number" paragraph.

    Setting the style by name costs python-docx a scan of every style (and of
    the default style) per paragraph: 10,000 answers took 12 s. The style id is
    looked up once per document and set on the paragraph's XML directly.
    """
    style_id = getattr(doc, "_facilitator_list_number", None)
    if style_id is None:
        style_id = doc.styles["List Number"].style_id
        doc._facilitator_list_number = style_id  # type: ignore[attr-defined]
    paragraph = doc.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


def _answer(doc: DocumentType, answer: Answer) -> None:
    paragraph = _numbered(doc)
    paragraph.add_run(clean(answer.text))
    marks = c.marks(answer)
    if marks:
        paragraph.add_run(" — " + clean(" · ".join(marks))).italic = True


def _item(doc: DocumentType, item: ItemSummary) -> None:
    doc.add_heading(clean(c.item_heading(item)), level=1)
    _facts(
        doc,
        [
            ("Planned", c.planned(item)),
            ("Actual", (c.actual(item) or "not recorded") if item.in_programme else ""),
            ("Presenters", "; ".join(str(p) for p in item.presenters)),
            ("Location", item.location),
        ],
    )
    for prompt in item.prompts:
        doc.add_heading(clean(c.prompt_heading(prompt)), level=2)
        for section in c.sections(prompt):
            if section.title:
                votes = f" — {c.votes(section.votes)}" if section.votes else ""
                doc.add_heading(clean(section.title + votes), level=3)
            for group in section.groups:
                doc.add_paragraph().add_run(clean(group.group)).bold = True
                for answer in group.answers:
                    _answer(doc, answer)
    if item.exercise:
        doc.add_heading("Exercise results", level=2)
        exercise_table(doc, item.exercise)


def _participation(doc: DocumentType, summary: Summary) -> None:
    if not summary.participation:
        return
    doc.add_heading("Participation", level=1)
    titles = {i.id: (str(i.number) if i.number else i.title) for i in summary.items}
    rows = [
        [p.group, str(p.contributions), ", ".join(f"{titles[i]} ({n})" for i, n in p.items)]
        for p in summary.participation
    ]
    _table(doc, ["Group", "Answers", "Items (answers)"], rows)
    if summary.silent_groups:
        _facts(doc, [("Did not contribute", ", ".join(summary.silent_groups))])


def _bytes(doc: DocumentType) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_notes(summary: Summary) -> bytes:
    """The rapporteur's notes as a .docx file's bytes."""
    doc = _new(summary)
    doc.add_paragraph(f"{summary.answer_count} answers from {len(summary.participation)} groups.")
    _participation(doc, summary)
    for item in summary.items:
        _item(doc, item)
    return _bytes(doc)


def render_summary(summary: Summary) -> bytes:
    """The co-chairs' summary as a .docx file's bytes."""
    doc = _new(summary, "Summary: ")
    line = f"{summary.answer_count} answers from {len(summary.participation)} groups"
    doc.add_paragraph(line + c.day_ran(summary.total_delay_minutes))
    if summary.key_points:
        doc.add_heading("Key points", level=1)
        for point in summary.key_points:
            paragraph = _numbered(doc)
            paragraph.add_run(clean(point.answer.group) + ": ").bold = True
            paragraph.add_run(clean(point.answer.text))
            paragraph.add_run(clean(f" — {point.item_title} › {point.prompt}")).italic = True
    _participation(doc, summary)
    doc.add_heading("Time", level=1)
    rows = [
        [c.item_heading(i), c.planned(i), c.actual(i), c.delay(i.end_delay_minutes)]
        for i in summary.items
        if i.in_programme
    ]
    _table(doc, ["Item", "Planned", "Actual", "End delay"], rows)
    for item in summary.items:
        if not item.prompts:
            continue
        doc.add_heading(clean(c.item_heading(item)), level=1)
        for prompt in item.prompts:
            doc.add_heading(clean(c.prompt_heading(prompt)), level=2)
            for theme in prompt.themes:
                doc.add_paragraph(
                    clean(f"{theme.name} — {c.votes(theme.votes)} — {', '.join(theme.groups)}"), style="List Bullet"
                )
            by_group = " · ".join(f"{g.group} {len(g.answers)}" for g in prompt.by_group)
            doc.add_paragraph(clean(f"Answers by group: {by_group}"))
        if item.exercise:
            doc.add_heading("Exercise results", level=2)
            exercise_table(doc, item.exercise)
    return _bytes(doc)
