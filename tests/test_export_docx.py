"""Word export, read back with python-docx and its XML: headings per item and prompt, every answer once
as a numbered paragraph under its group; A4 with header, footer and page fields; tables sized to their
content with repeated header rows and rows that never split; right-to-left paragraphs and runs marked;
real document properties. These run everywhere: the PDF check is in test_export_print.py."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from test_export_fixture import ANSWERS, ARABIC, FORMULA, MULTILINE, SCRIPT, build, rehearsal

from facilitator.exporters import export, export_summary
from facilitator.exporters.docx_export import GENERATOR, clean, render_notes
from facilitator.programme import Programme
from facilitator.summary import summarize

LRM, RLM = "\u200e", "\u200f"


@pytest.fixture
def data(tmp_path: Path) -> bytes:
    programme, notes, _ = build(tmp_path)
    data = export(programme, notes, "docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return data


@pytest.fixture
def document(data: bytes):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory):
    programme, notes, _ = rehearsal(tmp_path_factory.mktemp("rehearsal"))
    return docx.Document(io.BytesIO(export(programme, notes, "docx")))


@pytest.fixture(scope="module")
def rehearsed_summary(tmp_path_factory):
    programme, notes, _ = rehearsal(tmp_path_factory.mktemp("rehearsal"))
    return docx.Document(io.BytesIO(export_summary(programme, notes, "docx")))


def bare(text: str) -> str:
    return text.replace(LRM, "").replace(RLM, "")


def answer_parts(paragraph) -> tuple[int, str]:
    """(number, the answer's words) of an "Answer" paragraph: the number, a tab, the words, then the marks."""
    number, _, rest = bare(paragraph.text).partition("\t")
    return int(number.rstrip(".")), rest


def placed(document) -> list[tuple[str, str, str, int, str]]:
    """(item heading, prompt heading, group, number, text with marks) for each answer paragraph."""
    out, item, prompt, group = [], "", "", ""
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style == "Heading 1":
            item, prompt, group = bare(paragraph.text), "", ""
        elif style == "Heading 2":
            prompt, group = bare(paragraph.text), ""
        elif style == "Group":
            group = bare(paragraph.text)
        elif style == "Answer":
            out.append((item, prompt, group, *answer_parts(paragraph)))
    return out


def test_every_answer_once_as_a_numbered_paragraph_in_its_place(document) -> None:
    entries = placed(document)
    assert len(entries) == len(ANSWERS)
    assert [number for *_, number, _ in entries] == list(range(1, 18))
    titles = {"coordination": "2. Coordination", "exercise": "4. Indicators", "side-event": "side-event"}
    prompts = {"challenges": "1. What are", "improve": "2. How can", "old-prompt": "Prompt “old-prompt”",
               "indicators": "1. Which", "": "Answers"}  # fmt: skip
    for answer_id, (item, prompt, group, text, *_) in ANSWERS.items():
        matches = [e for e in entries if e[4] == text or e[4].startswith(text + " — ")]
        assert len(matches) == 1, answer_id
        where_item, where_prompt, where_group, *_ = matches[0]
        assert where_item.startswith(titles[item]) and where_prompt.startswith(prompts[prompt]), answer_id
        assert where_group == group, answer_id


def test_hostile_text_is_plain_text(document) -> None:
    texts = [bare(p.text) for p in document.paragraphs]
    assert "3.\t" + SCRIPT in texts and "2.\t" + FORMULA + " — 1 vote" in texts
    assert "Theme: Leadership & focal points — 5 votes" in texts and "Theme: <i>Funding</i> — 7 votes" in texts
    assert clean("a\x00b\x1bc\td\ne") == "a\ufffdb\ufffdc\td\ne"


def test_line_breaks_are_breaks_within_the_answer_paragraph(document) -> None:
    (paragraph,) = [p for p in document.paragraphs if "second line" in p.text]
    assert paragraph.text == "4.\t" + MULTILINE  # python-docx reads w:br as "\n" and w:tab as "\t"
    assert len(paragraph._p.findall(".//" + qn("w:br"))) == 2  # noqa: SLF001 - the XML itself
    assert "  - third line" in paragraph._p.xml  # noqa: SLF001 - the leading spaces are kept (xml:space)


def test_title_facts_and_times(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert document.paragraphs[0].style.name == "Title"
    assert texts[0] == "Export demo: victims & survivors"
    assert "Date: Wednesday 22 May 2030" in texts and "Venue: Salle B, Geneva" in texts
    assert "Chairs: Algeria (Co-Chair); Croatia (Co-Chair)" in texts
    assert "Planned: 09:15–12:00 (165 min)" in texts
    assert "Actual: 09:20–12:10 (170 min, ended +10 min)" in texts
    assert "Presenters: Scene-setting presentation: ICBL" in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == ["1. Opening", "2. Coordination in the implementation of national plans", "3. Lunch",
                            "4. Indicators exercise", "5. End", "side-event (not in the programme)"]  # fmt: skip


def test_exercise_table(document) -> None:
    table = document.tables[-1]
    grid = [[cell.text for cell in row.cells] for row in table.rows]
    assert grid == [
        ["Group", "Output", "Outcome", "Impact", "Not yet classified", "Total"],
        ["Cambodia", "1", "1", "0", "0", "2"],
        ["Chad", "1", "0", "1", "0", "2"],
        ["Peru", "0", "0", "0", "1", "1"],
        ["UNDP", "1", "0", "0", "0", "1"],
        ["Total", "3", "1", "1", "1", "6"],
    ]


# ------------------------------------------------------------------ the page


def test_a4_with_margins(document) -> None:
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 20


def test_a_programme_may_ask_for_letter(tmp_path: Path) -> None:
    @dataclass(frozen=True)
    class Lettered(Programme):  # a programme format with `paper` (the key is the programme's business)
        paper: str = "letter"

    programme, notes, _ = build(tmp_path)
    lettered = Lettered(**{f.name: getattr(programme, f.name) for f in fields(Programme)})
    section = docx.Document(io.BytesIO(export(lettered, notes, "docx"))).sections[0]
    assert (round(section.page_width.inches, 1), round(section.page_height.inches, 1)) == (8.5, 11.0)


def test_header_has_title_and_date_and_footer_has_page_x_of_y(document) -> None:
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Export demo: victims & survivors\tWednesday 22 May 2030"
    footer = section.footer.paragraphs[0]
    instructions = [f.get(qn("w:instr")).strip() for f in footer._p.iter(qn("w:fldSimple"))]  # noqa: SLF001
    assert instructions == ["PAGE", "NUMPAGES"]
    # "Page 1 of 1" with the fields' cached results, which Word and LibreOffice recompute on every page.
    assert "".join(t.text for t in footer._p.iter(qn("w:t"))) == "Page 1 of 1"  # noqa: SLF001


def test_properties_are_the_meetings(data: bytes, tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Export demo: victims & survivors"
    assert props.subject == "Rapporteur's notes"
    assert props.author == props.last_modified_by == programme.organiser
    assert abs(props.created - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert props.created == props.modified and "python-docx" not in (props.comments + props.author)
    when = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    fixed = docx.Document(io.BytesIO(render_notes(summarize(programme, notes), now=when))).core_properties
    assert fixed.created == when
    package = zipfile.ZipFile(io.BytesIO(data))
    custom = package.read("docProps/custom.xml").decode()
    assert 'name="Generator"' in custom and f"<vt:lpwstr>{GENERATOR}</vt:lpwstr>" in custom
    assert f"<Application>{GENERATOR}</Application>" in package.read("docProps/app.xml").decode()
    assert "docProps/thumbnail.jpeg" not in package.namelist()
    content_types = package.read("[Content_Types].xml").decode()
    assert "custom-properties+xml" in content_types


def test_every_summary_table_sized_and_printed_as_a_report(rehearsed_summary) -> None:
    document = rehearsed_summary
    text_width = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    for table in document.tables:
        rows = table._tbl.tr_lst  # noqa: SLF001 - row properties have no python-docx API
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None  # the header row repeats on every page
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)  # no row splits
        widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]  # noqa: SLF001
        assert sum(widths) <= text_width and len(set(widths)) > 1  # sized to content, not equal columns
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))  # noqa: SLF001
        assert layout.get(qn("w:type")) == "fixed"
    participation, times, *_ = document.tables
    # The group column holds the longest name on one line; numbers are right-aligned.
    group_width = participation.columns[0].width
    assert group_width > participation.columns[1].width and group_width > docx.shared.Cm(6)
    assert participation.rows[1].cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert participation.rows[1].cells[0].paragraphs[0].alignment is None
    # The time table gives item titles the room: the longest title takes at most two lines.
    assert times.columns[0].width > times.columns[3].width * 2
    assert times.rows[0].cells[3].text == "End delay"


def test_a_short_table_is_kept_on_one_page_and_a_total_row_never_alone(document) -> None:
    table = document.tables[-1]  # the exercise: six rows
    keeps = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in table.rows]
    assert keeps == [True, True, True, True, True, False]


def test_headings_and_group_names_are_kept_with_what_follows(document) -> None:
    styles = document.styles
    for name in ("Heading 1", "Heading 2", "Heading 3", "Group"):
        assert styles[name].paragraph_format.keep_with_next, name
    group_style = styles["Group"].element.rPr
    assert group_style.find(qn("w:b")) is not None and group_style.find(qn("w:bCs")) is not None


# ------------------------------------------------------------------ direction


def _is_bidi(paragraph) -> bool:
    ppr = paragraph._p.pPr  # noqa: SLF001 - w:bidi has no python-docx API
    return ppr is not None and ppr.find(qn("w:bidi")) is not None


def _rtl_runs(paragraph) -> list[str]:
    return [r.text for r in paragraph.runs if r._r.rPr is not None and r._r.rPr.find(qn("w:rtl")) is not None]  # noqa: SLF001


def test_an_arabic_answer_is_a_right_to_left_paragraph_with_its_number_and_votes_in_place(rehearsed) -> None:
    (paragraph,) = [p for p in rehearsed.paragraphs if "لا توجد خطة وطنية" in p.text]
    assert _is_bidi(paragraph)
    assert [bare(t) for t in _rtl_runs(paragraph)] == ["لا توجد خطة وطنية موحدة للتنسيق بين الوزارات"]
    number, *_, marks = paragraph.runs
    # The number and the marks are left-to-right pieces held in place by marks on both sides, so the
    # number reads "2." (not ".2") and "2 votes" stays after the dash, whatever the Arabic around them.
    assert number.text == f"{LRM}2.{LRM}{RLM}"
    assert marks.text == f"{LRM}★ key point · 2 votes{LRM}{RLM}" and marks.italic
    latin = next(p for p in rehearsed.paragraphs if p.text.startswith("1.\tNo single government"))
    assert not _is_bidi(latin) and _rtl_runs(latin) == []


def test_arabic_and_thai_group_names_are_bold_for_their_scripts(rehearsed) -> None:
    groups = {bare(p.text): p for p in rehearsed.paragraphs if p.style.name == "Group"}
    assert _is_bidi(groups["المغرب"]) and _rtl_runs(groups["المغرب"]) == [groups["المغرب"].text]
    assert not _is_bidi(groups["ประเทศไทย"])  # Thai reads left to right, but is a complex script in Word:
    run = groups["ประเทศไทย"].runs[0]._r  # noqa: SLF001
    assert run.rPr.find(qn("w:b")) is not None and run.rPr.find(qn("w:bCs")) is not None


def test_an_arabic_name_in_a_latin_line_keeps_its_count_after_it(rehearsed_summary) -> None:
    line = next(p for p in rehearsed_summary.paragraphs if p.text.startswith("Answers by group") and "المغرب" in p.text)
    assert not _is_bidi(line)
    # Right-to-left name, then back to left to right before " 1": the count is not read into the name.
    assert f"{RLM}المغرب{RLM}{LRM} 1" in line.text


def test_the_fixture_arabic_answer_too(document) -> None:
    (paragraph,) = [p for p in document.paragraphs if ARABIC in p.text]
    assert _is_bidi(paragraph) and ARABIC in "".join(_rtl_runs(paragraph))


# ------------------------------------------------------------------ the summary


def test_summary_document(tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    document = docx.Document(io.BytesIO(export_summary(programme, notes, "docx")))
    texts = [bare(p.text) for p in document.paragraphs]
    assert texts[0] == "Summary: Export demo: victims & survivors"
    assert "1.\tCambodia: No single focal point" in texts
    assert any(t.endswith("What are the main challenges?, answer 1") for t in texts)
    assert "Did not contribute: Yemen" in texts
    assert "Leadership & focal points — 5 votes · 2 answers — Cambodia, Chad" in texts
    assert document.core_properties.subject == "Co-chairs' summary"
    assert [c.text for c in document.tables[-1].rows[-1].cells] == ["Total", "3", "1", "1", "1", "6"]


def test_a_very_long_title_or_organiser_does_not_fail_the_export(tmp_path: Path) -> None:
    """Word's core properties hold 255 characters (python-docx refuses more): they are cut, the text is not."""
    from dataclasses import replace

    programme, notes, _ = build(tmp_path)
    long = replace(programme, title="Title " * 80, organiser="Unit\x01 " * 80)
    document = docx.Document(io.BytesIO(export(long, notes, "docx")))
    assert len(document.core_properties.title) == 255 and "\x01" not in document.core_properties.author
    assert document.paragraphs[0].text == ("Title " * 80)  # the document itself shows it whole
