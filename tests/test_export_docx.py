"""Word export, read back with python-docx: headings per item and prompt, every answer once as a
numbered paragraph under its group, the exercise as a table."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from test_export_fixture import ANSWERS, FORMULA, SCRIPT, build

from facilitator.exporters import export, export_summary
from facilitator.exporters.docx_export import clean


@pytest.fixture
def document(tmp_path: Path):
    programme, notes, _ = build(tmp_path)
    data = export(programme, notes, "docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return docx.Document(io.BytesIO(data))


def placed(document) -> list[tuple[str, str, str, str]]:
    """(item heading, prompt heading, group, text) for each numbered paragraph."""
    out, item, prompt, group = [], "", "", ""
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style == "Heading 1":
            item, prompt, group = paragraph.text, "", ""
        elif style == "Heading 2":
            prompt, group = paragraph.text, ""
        elif style == "List Number":
            out.append((item, prompt, group, paragraph.runs[0].text))
        elif style == "Normal" and paragraph.runs and all(r.bold for r in paragraph.runs):
            group = paragraph.text
    return out


def test_every_answer_once_as_a_numbered_paragraph_in_its_place(document) -> None:
    entries = placed(document)
    assert len(entries) == len(ANSWERS)
    titles = {"coordination": "2. Coordination", "exercise": "4. Indicators", "side-event": "side-event"}
    prompts = {"challenges": "1. What are", "improve": "2. How can", "old-prompt": "Prompt “old-prompt”",
               "indicators": "1. Which", "": "Answers"}  # fmt: skip
    for answer_id, (item, prompt, group, text, *_) in ANSWERS.items():
        matches = [e for e in entries if e[3] == text]
        assert len(matches) == 1, answer_id
        where_item, where_prompt, where_group, _ = matches[0]
        assert where_item.startswith(titles[item]) and where_prompt.startswith(prompts[prompt]), answer_id
        assert where_group == group, answer_id


def test_hostile_text_is_plain_text(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert SCRIPT in texts and FORMULA + " — 1 vote" in texts
    assert "Leadership & focal points — 5 votes" in texts and "<i>Funding</i> — 7 votes" in texts
    assert clean("a\x00b\x1bc\td\ne") == "a\ufffdb\ufffdc\td\ne"


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


def test_summary_document(tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    document = docx.Document(io.BytesIO(export_summary(programme, notes, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Summary: Export demo: victims & survivors"
    assert any(t.startswith("Cambodia: No single focal point") for t in texts)
    assert "Did not contribute: Yemen" in texts
    assert "Leadership & focal points — 5 votes — Cambodia, Chad" in texts
    assert [c.text for c in document.tables[-1].rows[-1].cells] == ["Total", "3", "1", "1", "1", "6"]
