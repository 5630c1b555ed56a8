"""Markdown export, rendered by a real CommonMark parser (markdown-it, raw HTML allowed)
and read back with html.parser: every answer once and numbered, under its item, prompt and group, inert,
escaped no more than needed, line breaks and leading spaces kept, right-to-left text isolated."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from test_export_fixture import ANSWERS, ARABIC, PIPE_GROUP, build, rehearsal

from facilitator.exporters import export, export_summary
from facilitator.exporters.markdown import cell, text

FSI, PDI = "\u2068", "\u2069"


def norm(value: str) -> str:
    return " ".join(value.replace(FSI, "").replace(PDI, "").split())


class Outline(HTMLParser):
    """Headings, paragraphs, list items (with their number) and table cells, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        self.numbers: list[int] = []
        self.counters: list[int] = []
        self.buffer: list[str] = []
        self.capture: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "ol":
            self.counters.append(int(dict(attrs).get("start") or 1))
        if tag == "li" and self.counters and self.capture is None:
            self.numbers.append(self.counters[-1])
            self.counters[-1] += 1
        if self.capture is None and tag in ("h1", "h2", "h3", "h4", "li", "td", "th", "p"):
            self.capture, self.buffer = tag, []

    def handle_endtag(self, tag):
        if tag == "ol":
            self.counters.pop()
        if tag == self.capture:
            self.events.append((tag, "".join(self.buffer)))
            self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buffer.append(data)


def rendered(markdown: str) -> tuple[str, Outline]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    outline = Outline()
    outline.feed(html)
    return html, outline


@pytest.fixture
def md(tmp_path: Path) -> str:
    programme, notes, _ = build(tmp_path)
    return export(programme, notes, "md")


def placed(events: list[tuple[str, str]]) -> list[tuple[str, str, str, str, str]]:
    """(item heading, prompt heading, theme heading, group, list item text) for each answer."""
    out, item, prompt, theme, group = [], "", "", "", ""
    for tag, raw in events:
        value = norm(raw)
        if tag == "h2":
            item, prompt, theme, group = value, "", "", ""
        elif tag == "h3":
            prompt, theme, group = value, "", ""
        elif tag == "h4":
            theme, group = value, ""
        elif tag == "p":
            group = value
        elif tag == "li" and prompt:
            out.append((item, prompt, theme, group, raw))
    return out


def test_every_answer_once_numbered_under_its_item_prompt_and_group(md: str) -> None:
    _, outline = rendered(md)
    items = placed(outline.events)
    titles = {"coordination": "2. Coordination", "exercise": "4. Indicators", "side-event": "side-event"}
    prompts = {"challenges": "1. What are", "improve": "2. How can", "old-prompt": "Prompt “old-prompt”",
               "indicators": "1. Which", "": "Answers"}  # fmt: skip
    for answer_id, (item, prompt, group, answer_text, *_) in ANSWERS.items():
        matches = [entry for entry in items if norm(entry[4]).startswith(norm(answer_text))]
        assert len(matches) == 1, (answer_id, matches)
        where_item, where_prompt, _, where_group, _ = matches[0]
        assert where_item.startswith(titles[item]), answer_id
        assert where_prompt.startswith(prompts[prompt]), answer_id
        assert where_group == group, answer_id
    assert len(items) == len(ANSWERS)
    assert outline.numbers[: len(ANSWERS)] == list(range(1, 18))  # the numbers of every format, as rendered


def test_groups_do_not_look_like_themes(md: str) -> None:
    """A theme is a heading that says "Theme:"; a group is a bold line above its numbered answers."""
    assert "#### Theme: Leadership & focal points — 5 votes" in md
    assert "\n**Cambodia**\n\n1. No single focal point" in md
    _, outline = rendered(md)
    assert ("h4", "Not in a theme") in outline.events


def test_hostile_text_is_inert(md: str) -> None:
    html, outline = rendered(md)
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    texts = [norm(value) for _, value in outline.events]
    assert "Theme: <i>Funding</i> — 7 votes" in texts  # a theme's name shows as typed, not as markup
    assert any(value.startswith("-5% budget, *not* _enough_ [see](x)") for value in texts)
    assert "<em>" not in html.split("-5% budget")[1].split(" — ")[0]  # *not* and _enough_ stay as typed


@pytest.mark.parametrize(
    "raw",
    ["# not a heading", "- not a list", "1. not a list", "2024) not a list", "+ plus", "> quote", "=== line",
     "***", "a *b* _c_ `d` [e](f) ![g](h) <b>i</b> <http://j> &amp; ~~k~~", "ends with a backslash \\",
     "snake_case_name stays", "x | y\n--|--\nnot a table"],
)  # fmt: skip
def test_what_markdown_would_take_for_structure_shows_as_typed(raw: str) -> None:
    html, outline = rendered("1. " + text(raw, 3))
    assert [(tag, value.replace("\n", "|")) for tag, value in outline.events] == [("li", raw.replace("\n", "|"))]
    assert "<table" not in html and "<em>" not in html and "<a " not in html and "<code>" not in html


def test_escapes_are_only_where_needed() -> None:
    """The issue's "Shared data \\& reporting": plain punctuation is not escaped."""
    assert text("Shared data & reporting") == "Shared data & reporting"
    assert (
        text("snake_case and 5 * 3, (a) 50% ! #1 costs $5; e-mail")
        == "snake_case and 5 \\* 3, (a) 50% ! #1 costs $5; e-mail"
    )
    assert text("&copy; <b>") == "\\&copy; \\<b>"


def test_line_breaks_stay_under_the_list_item_with_their_leading_spaces(md: str) -> None:
    assert "4. He said \"yes\" and 'no'\\\n   second line\\\n   \u00a0\u00a0\\- third line, indented" in md
    html, outline = rendered(md)
    (item,) = [v for tag, v in outline.events if tag == "li" and "second line" in v]
    assert item == "He said \"yes\" and 'no'\nsecond line\n\u00a0\u00a0- third line, indented"
    assert "<br />\nsecond line<br />" in html


def test_a_first_line_keeps_its_leading_spaces_too() -> None:
    _, outline = rendered("7. " + text("\tIndented", 3))
    assert outline.events == [("li", "\u00a0" * 4 + "Indented")]


def test_right_to_left_text_is_isolated_so_votes_stay_after_it(tmp_path: Path) -> None:
    programme, notes, _ = rehearsal(tmp_path)
    md = export(programme, notes, "md")
    assert f"2. {FSI}لا توجد خطة وطنية موحدة للتنسيق بين الوزارات{PDI} — *★ key point · 2 votes*" in md
    assert f"**{FSI}المغرب{PDI}**" in md
    assert "Bosnia and Herzegovina" in md and f"{FSI}Bosnia" not in md  # left-to-right text is left as it is
    (tmp_path / "fixture").mkdir()
    fixture_md = export(*build(tmp_path / "fixture")[:2], "md")
    assert f"{FSI}{ARABIC}{PDI}" in fixture_md


def test_table_cells_escape_pipes_and_line_breaks(md: str) -> None:
    assert '| Group "A" \\| B | 1 |' in md
    _, outline = rendered(md)
    assert ("td", PIPE_GROUP) in outline.events
    assert cell("a | b\nc") == "a \\| b<br>c"
    assert cell("1. Opening") == "1. Opening"  # a cell starts no block: nothing to escape
    rows = [line for line in md.splitlines() if line.startswith("| Group")]
    assert rows and all(line.count(" | ") >= 2 for line in rows)


def test_header_and_times(md: str) -> None:
    _, outline = rendered(md)
    assert outline.events[0] == ("h1", "Export demo: victims & survivors")
    texts = [norm(value) for _, value in outline.events]
    assert "Date: Wednesday 22 May 2030" in texts and "Venue: Salle B, Geneva" in texts
    assert "Chairs: Algeria (Co-Chair); Croatia (Co-Chair)" in texts
    assert "Planned: 09:15–12:00 (165 min)" in texts
    assert "Actual: 09:20–12:10 (170 min, ended +10 min)" in texts
    assert "Presenters: Scene-setting presentation: ICBL" in texts


def test_summary_renders(tmp_path: Path) -> None:
    programme, notes, _ = build(tmp_path)
    html, outline = rendered(export_summary(programme, notes, "md"))
    texts = [norm(value) for _, value in outline.events]
    assert "<script>" not in html
    assert any(v.startswith("Cambodia: No single focal point") and v.endswith("answer 1") for v in texts)
    assert "Leadership & focal points — 5 votes · 2 answers — Cambodia, Chad" in texts
    assert "Themes, most votes first:" in texts
    assert "Did not contribute: Yemen" in texts
    assert ("td", "Total") in outline.events
