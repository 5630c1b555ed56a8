"""Markdown export, rendered by a real CommonMark parser (markdown-it, raw HTML allowed)
and read back with html.parser: every answer once, under its item, prompt and group, inert."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from test_export_fixture import ANSWERS, PIPE_GROUP, build

from facilitator.exporters import export, export_summary
from facilitator.exporters.markdown import cell, text


def norm(value: str) -> str:
    return " ".join(value.split())


class Outline(HTMLParser):
    """Headings, bold group lines, list items and table cells, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.buffer: list[str] = []
        self.capture: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "li", "td", "th") or (tag == "p" and self.capture is None):
            self.capture, self.buffer = tag, []

    def handle_endtag(self, tag):
        if self.tags and self.tags[-1] == tag:
            self.tags.pop()
        if tag == self.capture:
            self.events.append((tag, norm("".join(self.buffer))))
            self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buffer.append(data)


def rendered(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    outline = Outline()
    outline.feed(html)
    return html, outline.events


@pytest.fixture
def md(tmp_path: Path) -> str:
    programme, notes, _ = build(tmp_path)
    return export(programme, notes, "md")


def placed(events: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(item heading, prompt heading, group, list item text) for each list item under a group."""
    out, item, prompt, group = [], "", "", ""
    for tag, value in events:
        if tag == "h2":
            item, prompt, group = value, "", ""
        elif tag == "h3":
            prompt, group = value, ""
        elif tag == "p" and group is not None:
            group = value
        elif tag == "li" and prompt:
            out.append((item, prompt, group, value))
    return out


def test_every_answer_once_under_its_item_prompt_and_group(md: str) -> None:
    _, events = rendered(md)
    items = placed(events)
    titles = {"coordination": "2. Coordination", "exercise": "4. Indicators", "side-event": "side-event"}
    prompts = {"challenges": "1. What are", "improve": "2. How can", "old-prompt": "Prompt “old-prompt”",
               "indicators": "1. Which", "": "Answers"}  # fmt: skip
    for answer_id, (item, prompt, group, answer_text, *_) in ANSWERS.items():
        matches = [entry for entry in items if entry[3].startswith(norm(answer_text))]
        assert len(matches) == 1, (answer_id, matches)
        where_item, where_prompt, where_group, _ = matches[0]
        assert where_item.startswith(titles[item]), answer_id
        assert where_prompt.startswith(prompts[prompt]), answer_id
        assert where_group == group, answer_id
    assert len(items) == len(ANSWERS)


def test_hostile_text_is_inert(md: str) -> None:
    html, events = rendered(md)
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    texts = [value for _, value in events]
    assert "<i>Funding</i> — 7 votes" in texts  # a theme's name shows as typed, not as markup
    assert any(value.startswith("-5% budget, *not* _enough_ [see](x)") for value in texts)
    assert "<em>" not in html.split("-5% budget")[1].split(" — ")[0]  # *not* and _enough_ stay as typed


def test_table_cells_escape_pipes_and_line_breaks(md: str) -> None:
    assert '| Group "A" \\| B | 1 |' in md
    _, events = rendered(md)
    assert ("td", PIPE_GROUP) in events
    assert cell("a | b\nc") == "a \\| b<br>c"
    rows = [line for line in md.splitlines() if line.startswith("| Group")]
    assert rows and all(line.count(" | ") >= 2 for line in rows)


def test_header_and_times(md: str) -> None:
    _, events = rendered(md)
    assert events[0] == ("h1", "Export demo: victims & survivors")
    texts = [value for _, value in events]
    assert "Date: Wednesday 22 May 2030" in texts and "Venue: Salle B, Geneva" in texts
    assert "Chairs: Algeria (Co-Chair); Croatia (Co-Chair)" in texts
    assert "Planned: 09:15–12:00 (165 min)" in texts
    assert "Actual: 09:20–12:10 (170 min, ended +10 min)" in texts
    assert "Presenters: Scene-setting presentation: ICBL" in texts


def test_line_starts_that_markdown_would_take_for_structure() -> None:
    for raw in ("# not a heading", "- not a list", "1. not a list", "+ plus", "> quote", "=== line"):
        _, events = rendered("- " + text(raw))
        assert events == [("li", raw)], raw


def test_summary_renders(tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    html, events = rendered(export_summary(programme, notes, "md"))
    texts = [value for _, value in events]
    assert "<script>" not in html
    assert any(v.startswith("Cambodia: No single focal point") for v in texts)
    assert "Leadership & focal points — 5 votes — Cambodia, Chad" in texts
    assert "Did not contribute: Yemen" in texts
    assert ("td", "Total") in events
