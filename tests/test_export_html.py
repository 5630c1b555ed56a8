"""HTML export, read back with html.parser: every answer once and numbered in its item, prompt and group;
no captured text becomes markup, and every captured string is isolated in its own direction; one
self-contained file that prints well (its print rules are checked here, the printed PDF in
test_export_print.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_export_fixture import ANSWERS, ARABIC, MULTILINE, PIPE_GROUP, SCRIPT, THEMES, build, rehearsal

from facilitator.exporters import export, export_summary


class Reader(HTMLParser):
    """Collects each answer's text with the item, prompt and group it sits in, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.tags: list[str] = []
        self.answers: dict[str, list[tuple[str, str, str, str]]] = {}
        self.text: list[str] = []
        self.in_text: str | None = None
        self.numbers: list[tuple[str, int]] = []  # (answer id, number) of each answer, in order
        self.directions: dict[str, str] = {}  # answer id -> its list item's dir
        self.outside_bdi: list[str] = []  # text that is not in a <bdi>

    def context(self, key: str) -> str:
        return next((attrs[key] for _, attrs in reversed(self.stack) if key in attrs), "")

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag not in ("meta", "br"):
            self.stack.append((tag, attributes))
        if tag == "br" and self.in_text is not None:  # a line break of the answer
            self.text.append("\n")
        if attributes.get("class") == "answer-text":
            self.in_text, self.text = self.context("data-answer"), []
        if tag == "li" and "value" in attributes:
            self.numbers.append((attributes["data-answer"], int(attributes["value"])))
            self.directions[attributes["data-answer"]] = attributes.get("dir", "")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, attributes = self.stack.pop()
            if attributes.get("class") == "answer-text" and self.in_text is not None:
                where = (self.context("data-item"), self.context("data-prompt"), self.context("data-group"))
                self.answers.setdefault(self.in_text, []).append((*where, "".join(self.text)))
                self.in_text = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_text is not None:
            self.text.append(data)
        if not any(tag == "bdi" for tag, _ in self.stack) and not any(
            tag in ("style", "title") for tag, _ in self.stack
        ):
            self.outside_bdi.append(data)


@pytest.fixture
def page(tmp_path: Path) -> str:
    programme, notes, _ = build(tmp_path)
    return export(programme, notes, "html")


def read(page: str) -> Reader:
    reader = Reader()
    reader.feed(page)
    reader.close()
    return reader


def test_every_answer_once_in_its_place_verbatim(page: str) -> None:
    reader = read(page)
    assert set(reader.answers) == set(ANSWERS)
    for answer_id, (item, prompt, group, text, *_) in ANSWERS.items():
        assert reader.answers[answer_id] == [(item, prompt, group, text)], answer_id
    assert [n for _, n in reader.numbers] == list(range(1, 18))  # the numbers of every format
    assert '<ol class="answers" start="3">' in page  # a group's list starts at its first answer's number


def test_line_breaks_show(page: str) -> None:
    reader = read(page)
    assert reader.answers["a-05"][0][3] == MULTILINE  # exactly, leading spaces included
    assert "second line<br>  - third line, indented</bdi>" in page
    assert re.search(r"\.answer-text \{[^}]*white-space: pre-wrap", page)  # which keeps the leading spaces


def test_every_captured_string_is_isolated_and_right_to_left_answers_read_so(page: str) -> None:
    reader = read(page)
    outside = "\n".join(reader.outside_bdi)
    captured = [a[3] for a in ANSWERS.values()] + [a[2] for a in ANSWERS.values()]
    captured += [t.name for t in THEMES["coordination"]] + [
        "Export demo: victims",
        "Coordination in the implementation",
    ]
    for text in captured:
        assert text not in outside, text
    assert reader.directions["a-07"] == "rtl" and reader.directions["a-01"] == ""
    assert f'<bdi class="answer-text">{ARABIC}</bdi>' in page
    assert '<span class="marks">— <span dir="ltr">' in page  # our marks isolated left to right


def test_no_captured_text_becomes_markup(page: str) -> None:
    reader = read(page)
    assert "script" not in reader.tags and "i" not in reader.tags
    assert "<script" not in page.lower()
    assert escape_count(page, SCRIPT) == 1
    assert "&lt;i&gt;Funding&lt;/i&gt;" in page
    assert 'data-group="Group &quot;A&quot; | B"' in page and PIPE_GROUP not in page


def escape_count(page: str, text: str) -> int:
    from html import escape

    return page.count(escape(text))


def test_self_contained_printable_and_charted(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", page)
    assert "@page { size: A4" in page and "@media print" in page
    # Printed: numbered pages; headings, group names and facts kept with what follows; no orphan total row.
    assert 'content: "Page " counter(page) " of " counter(pages)' in page
    print_rules = page.split("@media print")[1]
    assert re.search(r"h2, h3, h4, \.group-name[^{]*\{[^}]*break-after: avoid", print_rules)
    assert re.search(r"tr\.total \{ break-before: avoid", print_rules)
    assert re.search(r"thead \{ display: table-header-group", print_rules)
    assert '<table class="exercise keep">' in page
    assert page.count('class="chart"') >= 2  # answers per group, answers per theme
    assert 'aria-label="answers per group"' in page and 'aria-label="answers per theme"' in page
    reader = read(page)
    assert {"h1", "h2", "h3", "table"} <= set(reader.tags)


def test_header_carries_programme_facts(page: str) -> None:
    assert "<h1><bdi>Export demo: victims &amp; survivors</bdi></h1>" in page
    assert "Wednesday 22 May 2030" in page and "Salle B, Geneva" in page
    assert "Algeria (Co-Chair); Croatia (Co-Chair)" in page
    assert "09:15–12:00 (165 min)" in page and "09:20–12:10 (170 min, ended +10 min)" in page
    assert "Scene-setting presentation: ICBL" in page


def test_exercise_table(page: str) -> None:
    table = page.split('<table class="exercise keep">')[1].split("</table>")[0]
    assert table.count("<tr") == 1 + 4 + 1  # head, four groups, totals
    assert '<tr class="total"><td>Total</td><td class="n">3</td><td class="n">1</td>' in table
    assert "<td><bdi>Peru</bdi></td>" in table


def test_summary_page(tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    summary = export_summary(programme, notes, "html")
    reader = read(summary)
    assert "script" not in reader.tags
    assert set(reader.answers) == {"a-01", "a-06"}  # the key points
    assert "Did not contribute:</b> <bdi>Yemen</bdi>" in summary
    assert "the day ran 5 min late" in summary
    assert "answer 1</span>" in summary and "answer 7</span>" in summary  # where each is in the notes
    assert "Themes, most votes first (bars: votes)" in summary


def test_summary_theme_bars_are_votes(tmp_path: Path) -> None:
    programme, notes, _ = rehearsal(tmp_path)
    summary = export_summary(programme, notes, "html")
    chart = summary.split('aria-label="votes per theme"')[1].split("</div>")[0]
    widths = re.findall(r'width:([\d.]+)%"></span></span>\s*<span class="n">(\d+)</span>', chart)
    assert [(float(w), int(n)) for w, n in widths] == [(100.0, 9), (66.7, 6), (44.4, 4)]


def test_bars_are_drawn_as_blocks_so_their_width_shows():
    """A CSS width on an inline <span> is ignored: the bars showed as empty tracks in a browser."""
    import re

    from facilitator.bundled import default_programme
    from facilitator.exporters import export
    from facilitator.notes import empty_notes
    from facilitator.programme import load_programme

    programme = load_programme(default_programme())
    page = export(programme, empty_notes(programme.id), "html")
    assert re.search(r"\.chart \.fill \{[^}]*display: block", page)
