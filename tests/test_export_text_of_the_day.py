"""One text of the day: Markdown, HTML, Word, CSV and JSON of the rehearsed 2012 notes, each read back
with its own parser, hold the same answers in the same order with the same numbers, under the same
items, prompts, themes and groups, with the same votes and stars, the same exercise table and the
same kept versions."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import docx
import pytest
from markdown_it import MarkdownIt
from test_export_fixture import rehearsal

from facilitator.exporters import export
from facilitator.exporters.csv_export import TRIGGERS

# (number, words, group, theme heading, votes, starred) for every answer, in document order
Entry = tuple[int, str, str, str, int, bool]
INVISIBLE = dict.fromkeys(map(ord, "\u2068\u2069\u200e\u200f"))
MARKS = re.compile(
    r"^(?P<text>.*?)(?: — (?P<marks>(?:★ key point|\d+ votes?|Output|Outcome|Impact)(?: · .*)?))?$", re.S
)


def clean(text: str) -> str:
    return text.translate(INVISIBLE).replace("\u00a0", " ").strip()


def split_marks(line: str) -> tuple[str, int, bool]:
    """An answer's words and, from the marks after them, its votes and star."""
    found = MARKS.match(clean(line))
    marks = found["marks"] or ""
    votes = re.search(r"(\d+) votes?", marks)
    return found["text"].strip(), int(votes[1]) if votes else 0, "★ key point" in marks


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    programme, notes, _ = rehearsal(tmp_path_factory.mktemp("day"))
    return {fmt: export(programme, notes, fmt) for fmt in ("md", "html", "docx", "csv", "json")}


def from_json(text: str) -> tuple[list[Entry], dict]:
    data = json.loads(text)
    out = []
    for item in data["items"]:
        names = {t["id"]: t["name"] for t in item["themes"]}
        for prompt in item["prompts"]:
            themed = any(a["theme"] for a in prompt["answers"])
            for a in prompt["answers"]:
                theme = f"Theme: {names[a['theme']]}" if a["theme"] else ("Not in a theme" if themed else "")
                out.append((a["number"], a["text"], a["counted_as"], theme, a["votes"], a["starred"]))
    return out, data


def from_csv(text: str) -> list[Entry]:
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    themed = {(r["item id"], r["prompt id"]) for r in rows if r["theme"]}

    def cell(value: str) -> str:  # the formula guard's apostrophe, taken off
        return value[1:] if value[:1] == "'" and value[1:2] in TRIGGERS else value

    def theme(row: dict[str, str]) -> str:  # the column is empty for an answer in no theme
        if row["theme"]:
            return f"Theme: {cell(row['theme'])}"
        return "Not in a theme" if (row["item id"], row["prompt id"]) in themed else ""

    return [
        (int(r["number"]), cell(r["text"]), cell(r["group"]), theme(r), int(r["votes"]), r["starred"] == "yes")
        for r in rows
    ]


class HtmlAnswers(HTMLParser):
    """Each answer list item: its number, words, group (the group name above it), theme (the h4 above it), marks."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[list] = []
        self.theme = self.group = ""
        self.capture: str | None = None
        self.buffer: list[str] = []
        self.in_conflicts = False
        self.in_answer = False
        self.spans = 0  # spans open inside the marks

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        kind = a.get("class")
        if tag == "br" and self.capture == "answer-text":
            self.buffer.append("\n")
        if tag in ("h2", "h3", "h4", "p"):
            self.in_answer = False
        if tag == "h3":
            self.theme = ""
        elif tag == "ul" and kind == "conflicts":
            self.in_conflicts = True
        elif tag == "li" and "value" in a:
            self.entries.append([int(a["value"]), "", self.group, self.theme, ""])
            self.in_answer = True
        if self.in_conflicts or (kind == "marks" and not self.in_answer):
            return
        if tag == "h4":
            self.capture, self.buffer = "theme", []
        elif kind in ("group-name", "answer-text", "marks") and self.capture is None:
            self.capture, self.buffer, self.spans = kind, [], 0
        if tag == "span" and self.capture == "marks":
            self.spans += 1

    def handle_endtag(self, tag):
        if tag == "ul" and self.in_conflicts:
            self.in_conflicts = False
            return
        ends = {"theme": "h4", "group-name": "p", "answer-text": "bdi", "marks": "span"}
        if self.capture is None or tag != ends[self.capture] or self.in_conflicts:
            return
        if self.capture == "marks":
            self.spans -= 1
            if self.spans:  # an inner span of the marks
                return
        text = "".join(self.buffer)
        if self.capture == "theme":
            self.theme = clean(text).split(" — ")[0]
        elif self.capture == "group-name":
            self.group = clean(text)
        elif self.capture == "answer-text":
            self.entries[-1][1] = text
        elif self.capture == "marks":
            self.entries[-1][4] = clean(text)
        self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buffer.append(data)


def from_html(text: str) -> list[Entry]:
    reader = HtmlAnswers()
    reader.feed(text)
    out = []
    for number, words, group, theme, marks in reader.entries:
        _, votes, starred = split_marks("x — " + marks.lstrip("— ")) if marks else ("", 0, False)
        out.append((number, words, group, theme, votes, starred))
    return out


class MdOutline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.theme = self.group = ""
        self.counter: list[int] = []
        self.capture: str | None = None
        self.buffer: list[str] = []
        self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self.theme = ""
        if tag == "ol":
            self.counter.append(int(dict(attrs).get("start") or 1))
        if tag == "ul" and self.capture == "li":
            self.nested += 1
        if self.capture is None and tag in ("h4", "p", "li"):
            self.capture, self.buffer = tag, []
        if tag == "br" and self.capture == "li" and not self.nested:
            self.buffer.append("\n")

    def handle_endtag(self, tag):
        if tag == "ul" and self.nested:
            self.nested -= 1
            return
        if tag == "ol":
            self.counter.pop()
        if tag != self.capture:
            return
        text = "".join(self.buffer)
        if tag == "h4":
            self.theme = clean(text).split(" — ")[0]
        elif tag == "p":
            self.group = clean(text)
        elif tag == "li" and self.counter:
            words, votes, starred = split_marks(text)
            self.entries.append((self.counter[-1], words, self.group, self.theme, votes, starred))
            self.counter[-1] += 1
        self.capture = None

    def handle_data(self, data):
        if self.capture and not self.nested:
            self.buffer.append(data.replace("\n", "") if self.capture == "li" else data)


def from_markdown(text: str) -> list[Entry]:
    outline = MdOutline()
    outline.feed(MarkdownIt("commonmark").enable("table").render(text))
    return outline.entries


def from_docx(data: bytes) -> tuple[list[Entry], object]:
    document = docx.Document(io.BytesIO(data))
    out, theme, group = [], "", ""
    for paragraph in document.paragraphs:
        style, text = paragraph.style.name, clean(paragraph.text)
        if style == "Heading 2":
            theme = ""
        elif style == "Heading 3":
            theme = text.split(" — ")[0]
        elif style == "Group":
            group = text
        elif style == "Answer":
            number, _, rest = text.partition("\t")
            words, votes, starred = split_marks(rest)
            out.append((int(number.rstrip(".")), words, group, theme, votes, starred))
    return out, document


def test_every_format_holds_the_same_answers_in_the_same_order_with_the_same_numbers(day) -> None:
    expected, _ = from_json(day["json"])
    assert [e[0] for e in expected] == list(range(1, 58))
    words = [(n, clean(text).replace("\n  ", "\n ").replace("\n", " "), *rest) for n, text, *rest in expected]

    def comparable(entries: list[Entry]) -> list[Entry]:
        return [(n, clean(text).replace("\n  ", "\n ").replace("\n", " "), *rest) for n, text, *rest in entries]

    assert from_csv(day["csv"]) == expected  # exact: line breaks and leading spaces included
    assert from_html(day["html"]) == expected  # exact too (pre-wrap text)
    assert comparable(from_markdown(day["md"])) == words
    assert comparable(from_docx(day["docx"])[0]) == words
    assert {"Senegal", "المغرب", "ประเทศไทย"} <= {e[2] for e in expected}  # by identity, Arabic, Thai


def test_multi_line_answers_keep_their_lines_in_every_format(day) -> None:
    text = "Provincial plans are not aligned with the national plan\n  - health\n  - education\n  - transport"
    expected, _ = from_json(day["json"])
    assert [e[1] for e in expected if e[0] == 4] == [text]
    assert text in day["csv"]
    assert f'<bdi class="answer-text">{text.replace(chr(10), "<br>")}</bdi>' in day["html"]
    assert "4. Provincial plans are not aligned with the national plan\\\n   \u00a0\u00a0\\- health\\\n" in day["md"]
    (paragraph,) = [p for p in docx.Document(io.BytesIO(day["docx"])).paragraphs if "Provincial plans" in p.text]
    assert clean(paragraph.text).endswith(text.replace("Provincial", "").split("\n", 1)[1] + " — 1 vote")


def test_items_prompts_exercise_and_kept_versions_agree(day) -> None:
    _, data = from_json(day["json"])
    titles = [f"{i['number']}. {i['title']}" for i in data["items"]]
    md_titles = re.findall(r"^## (\d+\. .*)$", day["md"], re.M)
    assert md_titles == titles
    html_titles = [clean(re.sub("<[^>]+>", "", t)) for t in re.findall(r"<h2>(\d+\. .*?)</h2>", day["html"])]
    assert html_titles == titles
    _, document = from_docx(day["docx"])
    assert [clean(p.text) for p in document.paragraphs if p.style.name == "Heading 1"][1:] == titles
    # The exercise table: the same grid in every format.
    exercise = next(i["exercise"] for i in data["items"] if i["exercise"])
    labels = [c or "Not yet classified" for c in exercise["categories"]]
    grid = [["Group", *labels, "Total"]]
    grid += [
        [g, *map(str, row), str(t)]
        for g, row, t in zip(exercise["groups"], exercise["counts"], exercise["row_totals"], strict=True)
    ]
    grid.append(["Total", *map(str, exercise["column_totals"]), str(exercise["total"])])
    assert [[clean(c.text) for c in row.cells] for row in document.tables[-1].rows] == grid
    md_rows = [line for line in day["md"].split("### Exercise results")[1].splitlines() if line.startswith("|")]
    md_grid = [[clean(c.strip().strip("*")) for c in row.strip("|").split("|")] for row in md_rows if "---" not in row]
    assert md_grid == grid
    html_table = day["html"].split('<table class="exercise')[1].split("</table>")[0]
    html_grid = [[clean(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
                 for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html_table)]  # fmt: skip
    assert html_grid == grid
    counted = {}
    for row in csv.DictReader(io.StringIO(day["csv"].removeprefix("\ufeff"), newline="")):
        if row["item id"] == "monitoring-exercise":
            key = (row["group"], row["category"] or "Not yet classified")
            counted[key] = counted.get(key, 0) + 1
    assert counted == {(row[0], labels[k]): int(n) for row in grid[1:-1] for k, n in enumerate(row[1:-1]) if n != "0"}
    # The version a merge kept, with the answer it belongs to, everywhere.
    other = "No focal point in government"
    first = data["items"][1]["prompts"][0]["answers"][0]
    assert first["number"] == 1 and first["conflicts"][0]["text"] == other
    assert "1. No single government focal point" in day["md"].split(other)[0].rsplit("\n\n", 1)[-1]
    assert day["html"].index(other) > day["html"].index('data-answer="r-01"')
    assert other in next(r["other versions"] for r in csv.DictReader(io.StringIO(day["csv"][1:])) if r["number"] == "1")
    paragraphs = [clean(p.text) for p in document.paragraphs]
    at = next(k for k, t in enumerate(paragraphs) if t.startswith("1.\tNo single government"))
    assert paragraphs[at + 1] == f"other version (as captured): {other}"
