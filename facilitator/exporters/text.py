"""The co-chairs' summary laid out for a terminal with Rich (`facilitator summary`).

`renderable(summary)` gives a Rich object to print; every captured string goes
in as `Text`, never as markup. `render_summary(summary)` is the same as plain
text (for ``-o FILE``).
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text as RichText

from facilitator.exporters import _common as c
from facilitator.problems import for_terminal
from facilitator.summary import CategoryTable, ItemSummary, Summary

BAR_WIDTH = 24


class Text(RichText):
    """Rich `Text` that shows captured text's control characters as symbols (␛), never sends them."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(for_terminal(text), *args, **kwargs)

    def append(self, text: str | RichText, style: Any = None) -> RichText:
        return super().append(for_terminal(text) if isinstance(text, str) else text, style)


def bar(count: int, top: int) -> Text:
    """A bar of block characters, `count` out of `top`."""
    cells = round(BAR_WIDTH * count / top) if top else 0
    return Text("█" * max(cells, 1 if count else 0), style="cyan")


def _chart(rows: list[tuple[str, int]]) -> Table:
    top = max((n for _, n in rows), default=0)
    table = Table.grid(padding=(0, 1))
    table.add_column(overflow="fold", max_width=36)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    for name, n in rows:
        table.add_row(Text(name), Text(str(n)), bar(n, top))
    return table


def _exercise(exercise: CategoryTable) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
    table.add_column("group", overflow="fold")
    for category in exercise.categories:
        table.add_column(Text(category), justify="right")
    table.add_column("total", justify="right", style="bold")
    for group, counts, total in zip(exercise.groups, exercise.counts, exercise.row_totals, strict=True):
        table.add_row(Text(group), *(Text(str(n)) for n in counts), Text(str(total)))
    table.add_row(Text("total", style="bold"), *(Text(str(n), style="bold") for n in exercise.column_totals),
                  Text(str(exercise.total)), end_section=True)  # fmt: skip
    return table


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def renderable(summary: Summary) -> Group:
    """The summary as one Rich renderable (each part on its own lines)."""
    return Group(*renderables(summary))


def overview_renderables(summary: Summary) -> list:
    """The day at a glance: heading, key points, participation, time."""
    programme = summary.programme
    head = Text(programme.title, style="bold")
    facts = [c.dates(programme), programme.venue, "Chairs: " + "; ".join(c.chairs(programme))]
    head.append("\n" + "\n".join(f for f in facts if f and f != "Chairs: "), style="dim")
    line = f"{summary.answer_count} answers from {len(summary.participation)} groups"
    out: list = [head, Text("\n" + line + c.day_ran(summary.total_delay_minutes))]

    if summary.key_points:
        out.append(_section("Key points ★"))
        points = Table.grid(padding=(0, 1))
        points.add_column(justify="right", no_wrap=True)
        points.add_column(overflow="fold")
        for n, point in enumerate(summary.key_points, 1):
            body = Text(point.answer.group + ": ", style="bold")
            body.append(point.answer.text)
            body.append(f"\n{point.item_title} › {point.prompt}", style="dim")
            points.add_row(Text(f"{n}."), body)
        out.append(Padding(points, (0, 0, 0, 1)))

    out.append(_section("Participation (answers per group)"))
    if summary.participation:
        out.append(Padding(_chart(c.bar_rows(summary)), (0, 0, 0, 1)))
    else:
        out.append(Text(" nothing captured yet", style="dim"))
    if summary.silent_groups:
        silent = Text(" Did not contribute: ", style="yellow")
        silent.append(", ".join(summary.silent_groups))
        out.append(silent)

    out.append(_section("Time"))
    times = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False)
    times.add_column("item", ratio=3, overflow="fold")
    times.add_column("planned", no_wrap=True)
    times.add_column("actual", ratio=2, overflow="fold")
    times.add_column("delay", justify="right", no_wrap=True)
    for item in summary.items:
        if item.in_programme:
            delay = item.end_delay_minutes
            style = "red" if delay and delay > 0 else "green" if delay is not None else ""
            times.add_row(Text(c.item_heading(item)), Text(c.planned(item)), Text(c.actual(item)),
                          Text(c.delay(delay), style=style))  # fmt: skip
    out.append(times)
    return out


def renderables(summary: Summary) -> list:
    """The summary as Rich renderables: the overview, then every item that has answers."""
    out = overview_renderables(summary)
    for item in summary.items:
        out.extend(item_renderables(item))
    return out


def item_renderables(item: ItemSummary) -> list:
    """One item's part of the summary: per prompt its themes and groups, then the exercise table."""
    if not item.prompts:
        return []
    out: list = [_section(c.item_heading(item))]
    for prompt in item.prompts:
        out.append(Text(" " + c.prompt_heading(prompt), style="bold"))
        rows = [(f"{t.name} · {c.votes(t.votes)} · {', '.join(t.groups)}", len(t.answers)) for t in prompt.themes]
        if rows:
            out.append(Padding(Group(Text("themes (answers)", style="dim"), _chart(rows)), (0, 0, 0, 3)))
        groups = [(g.group, len(g.answers)) for g in prompt.by_group]
        out.append(Padding(Group(Text("groups (answers)", style="dim"), _chart(groups)), (0, 0, 0, 3)))
    if item.exercise:
        out.append(Padding(Group(Text("exercise results", style="dim"), _exercise(item.exercise)), (0, 0, 0, 3)))
    return out


def render_summary(summary: Summary, width: int = 100) -> str:
    """The summary as plain text, `width` columns wide."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, markup=False, emoji=False)
    console.print(renderable(summary))
    return buffer.getvalue()
