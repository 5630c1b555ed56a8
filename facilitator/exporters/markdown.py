"""Markdown: the notes (or the co-chairs' summary) as a document any Markdown viewer renders.

Captured text is data, never markup: every character Markdown would act on
(``* _ ` [ ] < > & | ~ \\`` anywhere; ``# + - =`` and ``1.`` at the start of a
line) is backslash-escaped, so ``<script>`` shows as text and ``*x*`` stays
asterisks. In tables a ``|`` is escaped and a line break becomes ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from facilitator.exporters import _common as c
from facilitator.summary import CategoryTable, ItemSummary, Summary

_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])")


def text(value: str) -> str:
    """Captured text as Markdown inline content: inert, line breaks kept as hard breaks."""
    lines = [_SPECIAL.sub(r"\\\1", line.strip()) for line in value.splitlines() or [""]]
    lines = [_LINE_START.sub(lambda m: m[1] + "\\" + m[2] if m[2][0] in "#+-=" else m[1] + _escape_number(m[2]), li)
             for li in lines]  # fmt: skip
    return "  \n".join(lines)


def inline(value: str) -> str:
    """Captured text on one line (a heading, a label): escaped, line breaks as spaces."""
    return " ".join(_SPECIAL.sub(r"\\\1", line.strip()) for line in value.splitlines())


def _escape_number(number: str) -> str:
    return number[:-1] + "\\" + number[-1]


def cell(value: str) -> str:
    """Text for a table cell: escaped, `|` escaped, line breaks as <br>."""
    return "<br>".join(_SPECIAL.sub(r"\\\1", line.strip()) for line in value.splitlines()) or " "


def table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> list[str]:
    """A GFM table; cells are given already escaped; the `numeric` columns right-aligned."""
    right = set(numeric)
    out = ["| " + " | ".join(head) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]


def _indent(block: str, spaces: int) -> str:
    return block.replace("\n", "\n" + " " * spaces)


def heading(summary: Summary, prefix: str = "") -> list[str]:
    programme = summary.programme
    out = [f"# {prefix}{inline(programme.title)}", ""]
    if programme.subtitle:
        out += [f"*{inline(programme.subtitle)}*", ""]
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


def _answer(answer) -> str:  # noqa: ANN001
    marks = c.marks(answer)
    line = "- " + _indent(text(answer.text), 2)
    line += f" — *{inline(' · '.join(marks))}*" if marks else ""
    for conflict in answer.conflicts:
        line += f"\n  - *{inline(c.other_version(answer, conflict))}:* {_indent(text(conflict.text), 4)}"
    return line


def _item(item: ItemSummary) -> list[str]:
    out = [f"## {inline(c.item_heading(item))}", ""]
    facts = [
        ("Planned", c.planned(item)),
        ("Actual", (c.actual(item) or "not recorded") if item.in_programme else ""),
        ("Presenters", "; ".join(str(p) for p in item.presenters)),
        ("Location", item.location),
    ]
    out += [f"- **{label}:** {inline(value)}" for label, value in facts if value] + [""]
    for prompt in item.prompts:
        out += [f"### {inline(c.prompt_heading(prompt))}", ""]
        for section in c.sections(prompt):
            if section.title:
                out += [f"#### {inline(section.title)}" + (f" — {c.votes(section.votes)}" if section.votes else ""), ""]
            for group in section.groups:
                out += [f"**{inline(group.group)}**", ""]
                out += [_answer(a) for a in group.answers]
                out.append("")
    if item.exercise:
        out += ["### Exercise results", ""] + exercise_table(item.exercise)
    return out


def participation(summary: Summary) -> list[str]:
    titles = {i.id: (str(i.number) if i.number else i.title) for i in summary.items}
    rows = [
        [cell(p.group), str(p.contributions), cell(", ".join(f"{titles[i]} ({n})" for i, n in p.items))]
        for p in summary.participation
    ]
    out = table(["Group", "Answers", "Items (answers)"], rows, numeric=[1])
    if summary.silent_groups:
        out += [f"Did not contribute: {inline(', '.join(summary.silent_groups))}", ""]
    return out


def render_notes(summary: Summary) -> str:
    """The rapporteur's notes: every answer, item by item."""
    out = heading(summary)
    groups = len(summary.participation)
    out += [f"{summary.answer_count} answers from {groups} group{'s' * (groups != 1)}.", ""]
    if summary.participation:
        out += ["## Participation", ""] + participation(summary)
    for item in summary.items:
        out += _item(item)
    return "\n".join(out).rstrip() + "\n"


def render_summary(summary: Summary) -> str:
    """The co-chairs' summary: key points, participation, time, themes, exercise tables."""
    out = heading(summary, "Summary: ")
    line = f"{summary.answer_count} answers from {len(summary.participation)} groups"
    out += [line + c.day_ran(summary.total_delay_minutes), ""]
    if summary.key_points:
        out += ["## Key points", ""]
        for n, point in enumerate(summary.key_points, 1):
            where = inline(f"{point.item_title} › {point.prompt}")
            out.append(f"{n}. **{inline(point.answer.group)}:** {_indent(text(point.answer.text), 3)} — *{where}*")
        out.append("")
    out += ["## Participation", ""] + participation(summary)
    rows = [
        [cell(c.item_heading(i)), cell(c.planned(i)), cell(c.actual(i)), cell(c.delay(i.end_delay_minutes))]
        for i in summary.items
        if i.in_programme
    ]
    out += ["## Time", ""] + table(["Item", "Planned", "Actual", "End delay"], rows)
    for item in summary.items:
        if not item.prompts:
            continue
        out += [f"## {inline(c.item_heading(item))}", ""]
        for prompt in item.prompts:
            out += [f"### {inline(c.prompt_heading(prompt))}", ""]
            for theme in prompt.themes:
                groups = ", ".join(theme.groups)
                out.append(f"- **{inline(theme.name)}** — {c.votes(theme.votes)} — {inline(groups)}")
            by_group = " · ".join(f"{g.group} {len(g.answers)}" for g in prompt.by_group)
            out += [f"- *Answers by group:* {inline(by_group)}", ""]
        if item.exercise:
            out += ["### Exercise results", ""] + exercise_table(item.exercise)
    return "\n".join(out).rstrip() + "\n"
