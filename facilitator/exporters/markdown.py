"""Markdown: the notes (or the co-chairs' summary) as a document any Markdown viewer renders.

Captured text is data, never markup, and is escaped as little as keeps it
inert, so "Shared data & reporting" reads as typed:

- anywhere: ``\\`` before punctuation or at the end of a line, `````, ``*``,
  ``[``, ``]``, ``~``; ``_`` unless inside a word; ``<`` before a letter, ``/``,
  ``!`` or ``?`` (a tag or an autolink); ``&`` where it would spell an entity
  (``&amp;``); ``|`` in a text of several lines (two lines could make a table);
- at the start of a line: ``#``, ``>``, ``+``, ``-``, ``=`` and ``1.``/``1)``;
- at the end of a heading: ``#`` (it would be taken for a closing sequence).

``<script>`` shows as text and ``*x*`` stays asterisks. In tables ``|`` is
escaped too and a line break becomes ``<br>``.

An answer's line breaks are kept: each line ends with a hard break (a
backslash) and the next is indented under its list item; spaces leading a line
become no-break spaces, which Markdown keeps where it drops ordinary ones.

Direction: each line of a captured string that holds right-to-left letters is
isolated (U+2068 … U+2069), so "— 2 votes" after an Arabic answer stays where
it is. Answers are an ordered list numbered as in every format (see
`facilitator.summary`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from facilitator.exporters import _common as c
from facilitator.notes import Answer
from facilitator.problems import plural
from facilitator.summary import CategoryTable, ItemSummary, Section, Summary

_ANYWHERE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows, or break the line
    r"|[`*\[\]~]"
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore that is not inside a word
    r"|<(?=[A-Za-z/!?])"  # a tag, a comment or an autolink
    r"|&(?=#\d{1,7};|#[xX][\da-fA-F]{1,6};|[A-Za-z][A-Za-z\d]{1,31};)"  # an entity
)
_ANYWHERE_PIPE = re.compile(_ANYWHERE.pattern + r"|\|")
_MAYBE = re.compile(r"[\\`*\[\]~_<&|]")  # a character one of the patterns above may escape
_LINE_START = re.compile(r"[#>+\-=]|\d{1,9}(?=[.)])")
_LEADING = re.compile(r"^[ \t]+")
NBSP = "\u00a0"


def _escape_line(line: str, pattern: re.Pattern[str] = _ANYWHERE, *, block: bool = True) -> str:
    """One line made inert (see the module docstring); `block`: it starts a line of a block, not a table cell."""
    if _MAYBE.search(line):  # most lines hold none of these: the full pattern is 5x slower to run
        line = pattern.sub(r"\\\g<0>", line)
    if not block:
        return line
    lead = _LEADING.match(line)
    indent = lead.group().replace("\t", NBSP * 4).replace(" ", NBSP) if lead else ""
    rest = line[lead.end() :] if lead else line
    start = _LINE_START.match(rest)
    if start and start.group()[0].isdigit():  # "2024. A good year": the full stop would make a list item
        rest = start.group() + "\\" + rest[start.end() :]
    elif start:
        rest = "\\" + rest
    return indent + rest


def text(value: str, indent: int = 0) -> str:
    """Captured text as a block's content: inert, each line isolated, line breaks kept as hard breaks.

    `indent` is the width of the list marker the text follows, so continuation lines stay in its item.
    """
    lines = c.lines(value)
    pattern = _ANYWHERE_PIPE if len(lines) > 1 else _ANYWHERE
    out = [c.isolate(_escape_line(line, pattern)) for line in lines]
    # A block's first line loses even no-break spaces to the parser's trim; a character reference survives it.
    first = out[0].lstrip(NBSP)
    out[0] = "&#160;" * (len(out[0]) - len(first)) + first
    return ("\\\n" + " " * indent).join(out)


def inline(value: str) -> str:
    """Captured text on one line (a heading, a label): inert, isolated, line breaks as spaces."""
    return c.isolate(" ".join(_escape_line(line.strip()) for line in c.lines(value)))


def heading_text(parts: c.Parts) -> str:
    """A heading from (text, captured) parts; a closing ``#`` is escaped so it is not dropped."""
    out = "".join(inline(t) if captured else t for t, captured in parts)
    return out[:-1] + "\\#" if out.endswith("#") else out


def cell(value: str) -> str:
    """Text for a table cell: escaped, `|` escaped, isolated, line breaks as <br>."""
    cells = (c.isolate(_escape_line(line.strip(), _ANYWHERE_PIPE, block=False)) for line in c.lines(value))
    return "<br>".join(cells) or " "


def table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> list[str]:
    """A GFM table; cells are given already escaped; the `numeric` columns right-aligned."""
    right = set(numeric)
    out = ["| " + " | ".join(head) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]


def heading(summary: Summary, prefix: str = "") -> list[str]:
    programme = summary.programme
    out = [f"# {c.title_prefix(summary)}{prefix}{inline(programme.title)}", ""]
    if programme.subtitle:
        out += [f"*{inline(programme.subtitle)}*", ""]
    if summary.rehearsal is not None:
        out += [f"**{inline(c.rehearsal_note(summary))}**", ""]
    facts = [("Date", c.dates(programme)), ("Venue", programme.venue), ("Chairs", "; ".join(c.chairs(programme)))]
    out += [f"- **{label}:** {inline(value)}" for label, value in facts if value]
    return out + [""]


def exercise_table(exercise: CategoryTable) -> list[str]:
    head = ["Group", *map(cell, exercise.categories), "Total"]
    rows = [
        [cell(group), *map(str, counts), str(total)]
        for group, counts, total in zip(exercise.groups, exercise.counts, exercise.row_totals, strict=True)
    ]
    rows.append(["**Total**", *map(str, exercise.column_totals), f"**{exercise.total}**"])
    return table(head, rows, numeric=range(1, len(head)))


def _answer(number: int, answer: Answer) -> str:
    marker = f"{c.number(number)} "
    marks = c.marks(answer, category=False)
    if answer.category:  # the only mark that is captured text
        marks.append(inline(answer.category))
    line = marker + text(answer.text, len(marker))
    line += f" — *{' · '.join(marks)}*" if marks else ""
    pad = " " * len(marker)
    for conflict in answer.conflicts:
        line += f"\n{pad}- *{inline(c.other_version(answer, conflict))}:* {text(conflict.text, len(pad) + 2)}"
    return line


def _section(section: Section) -> list[str]:
    out = []
    if section.title:
        votes = c.section_votes(section)
        title = "Theme: " + inline(section.title) if section.theme_id is not None else section.title
        out += [f"#### {title}" + (f" — {votes}" if votes else ""), ""]
    for group in section.groups:
        out += [f"**{inline(group.group)}**", ""]
        out += [_answer(n, a) for n, a in group.numbered()]
        out.append("")
    return out


def _item(item: ItemSummary) -> list[str]:
    out = [f"## {heading_text(c.item_parts(item))}", ""]
    facts = [
        ("Planned", c.planned(item)),
        ("Actual", (c.actual(item) or "not recorded") if item.in_programme and not item.dropped else ""),
        ("On the day", item.agenda_note),
        ("Presenters", "; ".join(str(p) for p in item.presenters)),
        ("Location", item.location),
    ]
    out += [f"- **{label}:** {inline(value)}" for label, value in facts if value]
    out += [""] if out[-1] else []
    for prompt in item.prompts:
        out += [f"### {heading_text(c.prompt_parts(prompt))}", ""]
        for section in prompt.sections:
            out += _section(section)
    if item.exercise:
        out += ["### Exercise results", ""] + exercise_table(item.exercise)
    return out


def participation(summary: Summary) -> list[str]:
    refs = c.item_refs(summary)
    rows = [
        [cell(p.group), str(p.contributions), cell(", ".join(f"{refs[i]} ({n})" for i, n in p.items))]
        for p in summary.participation
    ]
    out = table(["Group", "Answers", "Items (answers)"], rows, numeric=[1])
    if summary.silent_groups:
        out += [f"Did not contribute: {', '.join(map(inline, summary.silent_groups))}", ""]
    return out


def render_notes(summary: Summary) -> str:
    """The rapporteur's notes: every answer, item by item."""
    out = heading(summary)
    out += [f"{c.how_many(summary)}.", ""]
    if summary.participation:
        out += ["## Participation", ""] + participation(summary)
    days = c.day_heads(summary)
    for item in summary.items:
        if item.id in days:
            out += [f"## {inline(days[item.id])}", ""]
        out += _item(item)
    return "\n".join(out).rstrip() + "\n"


def _key_points(summary: Summary) -> list[str]:
    out = ["## Key points", ""]
    for n, point in enumerate(summary.key_points, 1):
        marker = f"{n}. "
        where = f"{inline(point.item_title)} › {inline(point.prompt)}, {c.answer_ref(point)}"
        body = text(point.answer.text, len(marker))
        out.append(f"{marker}**{inline(point.group)}:** {body} — *{where}*")
    return out + [""]


def _themes(summary_item: ItemSummary) -> list[str]:
    out = []
    for prompt in summary_item.prompts:
        out += [f"### {heading_text(c.prompt_parts(prompt))}", ""]
        if prompt.themes:
            out += [f"Themes, {c.THEMES_NOTE}:", ""]
        for theme in prompt.themes:
            groups = ", ".join(map(inline, theme.groups))
            answers = plural(len(theme.answers), "answer")
            out.append(f"- **{inline(theme.name)}** — {c.votes(theme.votes)} · {answers} — {groups}")
        if prompt.themes:
            out.append("")
        by_group = " · ".join(f"{inline(g.group)} {len(g.answers)}" for g in prompt.by_group)
        out += [f"*Answers by group:* {by_group}", ""]
    return out


def render_summary(summary: Summary) -> str:
    """The co-chairs' summary: key points, participation, time, themes, exercise tables."""
    out = heading(summary, "Summary: ")
    line = c.how_many(summary)
    out += [line + c.ran(summary), ""]
    if summary.key_points:
        out += _key_points(summary)
    out += ["## Participation", ""] + participation(summary)
    rows = [
        [cell(c.item_heading(i) + (f" ({i.agenda_note})" if i.agenda_note else "")),
         cell(c.planned(i, summary.several_days)), cell(c.actual(i)), cell(c.delay(i.end_delay_minutes))]
        for i in summary.items
        if i.in_programme
    ]
    out += ["## Time", ""] + table(["Item", "Planned", "Actual", "End delay"], rows, numeric=[3])
    for item in summary.items:
        if not item.prompts:
            continue
        out += [f"## {heading_text(c.item_parts(item))}", ""] + _themes(item)
        if item.exercise:
            out += ["### Exercise results", ""] + exercise_table(item.exercise)
    return "\n".join(out).rstrip() + "\n"
