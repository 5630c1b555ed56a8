"""The co-chairs' summary laid out for a terminal (`facilitator summary`) and the review screen.

`renderable(summary)` gives a Rich object to print; `render_summary(summary)`
is the same as plain text (for ``-o FILE``). Each part is a `Block` that lays
itself out at the width Rich gives it: words wrapped, a wrapped line indented
under the start of its text (never back at column 0), tables sized to their
content. Rich's own `Table` measures every cell several times; with a key
point per starred answer it took most of the time of the whole command.

Captured text is never markup (it goes in as plain strings, with its control
characters shown as symbols, ␛ for ESC) and each line of it that holds
right-to-left letters is isolated (U+2068 … U+2069), so a count or a "·" after
an Arabic name stays where it belongs on a terminal that orders
bidirectional text.
"""

from __future__ import annotations

import bisect
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group
from rich.segment import Segment
from rich.style import Style

from facilitator.exporters import _common as c
from facilitator.problems import for_terminal, plural
from facilitator.summary import CategoryTable, ItemSummary, Summary

BAR_WIDTH = 24
MIN_BAR = 12  # a chart's names wrap rather than leave its bars less room than this

# A styled piece of text: (text, style, captured?). A line is a list of spans.
Span = tuple[str, str, bool]
Line = list[Span]


@lru_cache(maxsize=64)
def _style(name: str) -> Style:
    return Style.parse(name) if name else Style()


def _isolated(span: Span) -> str:
    text, _, captured = span
    return c.isolate(text) if captured else text


class Block:
    """Lines made for a given width by `layout(width)`, printed as Rich segments."""

    def __init__(self, layout: Callable[[int], list[Line]]) -> None:
        self.layout = layout

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for line in self.layout(max(options.max_width, 20)):
            for span in line:
                yield Segment(_isolated(span), _style(span[1]))
            yield Segment.line()


def _breaks(line: str, first: int, rest: int) -> list[tuple[int, int]]:
    """Where one line of text is cut to fit `first` cells, then `rest` cells a line: (start, end) index pairs.

    Cut at the last space that fits (the spaces there are dropped), or inside
    a word wider than the line. ASCII text is measured by its length; other
    text by the cells each character takes (a CJK character takes two).
    """
    if line.isascii():
        cells = None
        size = len(line)
    else:
        cells = list(itertools.accumulate((cell_len(ch) for ch in line), initial=0))
        size = cells[-1]
    out, start, room = [], 0, first
    while (cells[-1] - cells[start] if cells else size - start) > room:
        fits = start + room if cells is None else bisect.bisect_right(cells, cells[start] + room) - 1
        cut = line.rfind(" ", start + 1, fits + 1)
        if cut <= start:  # no space: cut the word (at least one character a line)
            cut = max(fits, start + 1)
            out.append((start, cut))
            start = cut
        else:
            end = cut
            while end > start and line[end - 1] == " ":
                end -= 1
            out.append((start, end))
            start = cut
            while start < len(line) and line[start] == " ":
                start += 1
        room = rest
    out.append((start, len(line)))
    return out


def wrap(spans: Iterable[Span], width: int, indent: int = 0, hang: int | None = None) -> list[Line]:
    """`spans` wrapped at `width`: the first line starts `indent` cells in, the others `hang` (default: the same).

    A line break in the text starts a new line (its leading spaces kept); a word wider than the line is cut.
    """
    hang = indent if hang is None else hang
    # A tab would jump to the terminal's next tab stop, wherever that falls: four spaces keep the layout.
    pieces = [(for_terminal(text).replace("\t", "    "), style, captured) for text, style, captured in spans]
    whole = "".join(text for text, _, _ in pieces)
    ends = list(itertools.accumulate(len(text) for text, _, _ in pieces))
    lines: list[Line] = []
    offset = 0
    for row in c.lines(whole):
        first = not lines
        for a, b in _breaks(row, max(width - (indent if first else hang), 1), max(width - hang, 1)):
            margin = indent if not lines else hang
            line: Line = [(" " * margin, "", False)] if margin else []
            line += _slice(pieces, ends, offset + a, offset + b)
            lines.append(line)
        offset += len(row) + _break_length(whole, offset + len(row))
    return lines or [[]]


def _break_length(text: str, at: int) -> int:
    return 2 if text.startswith("\r\n", at) else 1


def _append(line: Line, span: Span) -> None:
    """`span` at the end of `line`, joined to the last span when styled alike (one isolate per run of text)."""
    if line and line[-1][1:] == span[1:]:
        line[-1] = (line[-1][0] + span[0], *span[1:])
    else:
        line.append(span)


def _slice(pieces: list[Span], ends: list[int], a: int, b: int) -> Line:
    """The parts of `pieces` (ending at `ends` in their joined text) between `a` and `b`."""
    out: Line = []
    k = bisect.bisect_right(ends, a)
    start = ends[k - 1] if k else 0
    while k < len(pieces) and start < b:
        text, style, captured = pieces[k]
        part = text[max(a - start, 0) : b - start]
        if part:
            _append(out, (part, style, captured))
        start = ends[k]
        k += 1
    return out


def _text(spans: list[Span], indent: int = 0, hang: int | None = None) -> Block:
    return Block(lambda width: wrap(spans, width, indent, hang))


def _section(title: str, hang: int = 0) -> Block:
    """A blank line, then `title` (its wrapped lines `hang` cells in: under the text after an item's number)."""
    if not title:
        return _text([("", "", False)])
    return Block(lambda width: [[], *wrap([(title, "bold underline", False)], width, 0, hang)])


# ------------------------------------------------------------------ charts


def _bar(count: int, top: int, width: int) -> str:
    cells = round(width * count / top) if top else 0
    return "█" * max(cells, 1 if count else 0)


def _chart(rows: list[tuple[list[Span], int]], indent: int) -> Block:
    """One row per (name, count): the name (wrapped in its column), the count right-aligned, a bar."""

    def layout(width: int) -> list[Line]:
        if not rows:
            return []
        top = max(n for _, n in rows)
        digits = len(str(top))
        names = max(min(max(_cells(name) for name, _ in rows), width - indent - digits - 2 - MIN_BAR), 6)
        bar = max(min(BAR_WIDTH, width - indent - names - digits - 2), 1)
        out: list[Line] = []
        for name, n in rows:
            lines = wrap(name, names)
            first = lines[0]
            pad = names - sum(cell_len(t) for t, _, _ in first)
            out.append([(" " * indent, "", False), *first, (" " * pad + " " + str(n).rjust(digits) + " ", "", False),
                        (_bar(n, top, bar), "cyan", False)])  # fmt: skip
            out += [[(" " * indent, "", False), *rest] for rest in lines[1:]]
        return out

    return Block(layout)


def _named(name: str, style: str = "") -> list[Span]:
    return [(name, style, True)]


# ------------------------------------------------------------------ tables


def _cells(spans: list[Span]) -> int:
    return sum(cell_len(t) for t, _, _ in spans)


def _longest_word(spans: list[Span]) -> int:
    return max((cell_len(word) for t, _, _ in spans for word in for_terminal(t).split()), default=0)


def _cell_lines(cell: list[Span], width: int, right: bool) -> list[Line]:
    lines = wrap(cell, width)
    if right:
        return [[(" " * (width - sum(cell_len(t) for t, _, _ in line)), "", False), *line] for line in lines]
    return lines


def _table(head: list[str], rows: list[list[list[Span]]], right: set[int], indent: int, total: bool = False) -> Block:
    """A table sized to its content: columns at their widest cell, the widest ones wrapped when it does not fit."""

    def layout(width: int) -> list[Line]:
        grid = [[[(h, "bold", False)] for h in head], *rows]
        most = [max(_cells(row[i]) for row in grid) for i in range(len(head))]
        least = [max(_longest_word(row[i]) for row in grid) for i in range(len(head))]
        room = width - indent - 2 * (len(head) - 1)
        widths = c.share_widths(least, most, room)
        out: list[Line] = []
        for n, row in enumerate(grid):
            if n == 1 or (total and n == len(grid) - 1):
                out.append([(" " * indent + "─" * min(sum(widths) + 2 * (len(head) - 1), room), "dim", False)])
            cells = [_cell_lines(cell, w, i in right) for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
            for k in range(max(len(lines) for lines in cells)):
                line: Line = [(" " * indent, "", False)]
                for i, lines in enumerate(cells):
                    part = lines[k] if k < len(lines) else []
                    pad = widths[i] - sum(cell_len(t) for t, _, _ in part)
                    line += [*part, (" " * pad + ("  " if i < len(cells) - 1 else ""), "", False)]
                out.append(line)
        return out

    return Block(layout)


def _exercise(exercise: CategoryTable, indent: int) -> Block:
    rows = [
        [_named(group), *([(str(n), "", False)] for n in counts), [(str(total), "bold", False)]]
        for group, counts, total in zip(exercise.groups, exercise.counts, exercise.row_totals, strict=True)
    ]
    rows.append([[("total", "bold", False)], *([(str(n), "bold", False)] for n in exercise.column_totals),
                 [(str(exercise.total), "bold", False)]])  # fmt: skip
    head = ["group", *exercise.categories, "total"]
    return _table(head, rows, set(range(1, len(head))), indent, total=True)


# ------------------------------------------------------------------ the summary


def renderable(summary: Summary) -> Group:
    """The summary as one Rich renderable (each part on its own lines)."""
    return Group(*renderables(summary))


def _key_points(summary: Summary) -> list[Any]:
    out: list[Any] = [_section("Key points ★")]
    width = len(str(len(summary.key_points))) + 2
    for n, point in enumerate(summary.key_points, 1):
        spans: list[Span] = [(f"{n}.".rjust(width - 1) + " ", "", False), (point.group, "bold", True),
                             (": ", "bold", False), (point.answer.text, "", True)]  # fmt: skip
        out.append(_text(spans, 1, width + 1))
        where = [(point.item_title, "dim", True), (" › ", "dim", False), (point.prompt, "dim", True),
                 (f", {c.answer_ref(point)}", "dim", False)]  # fmt: skip
        out.append(_text(where, width + 1))
    return out


def _participation(summary: Summary) -> list[Any]:
    out: list[Any] = [_section("Participation (answers per group)")]
    if summary.participation:
        out.append(_chart([(_named(group), n) for group, n in c.bar_rows(summary)], 1))
    else:
        out.append(_text([("nothing captured yet", "dim", False)], 1))
    if summary.silent_groups:
        spans: list[Span] = [("Did not contribute: ", "yellow", False)]
        for k, group in enumerate(summary.silent_groups):
            spans += [(", ", "", False)] if k else []
            spans.append((group, "", True))
        out.append(_text(spans, 1, 3))
    return out


def _times(summary: Summary) -> Block:
    rows = []
    for item in summary.items:
        if item.in_programme:
            delay = item.end_delay_minutes
            style = "red" if delay and delay > 0 else "green" if delay is not None else ""
            heading = [(text, "", captured) for text, captured in c.item_parts(item)]
            if item.agenda_note:
                heading.append((f" ({item.agenda_note})", "dim", False))
            rows.append([heading, [(c.planned(item, summary.several_days), "", False)], [(c.actual(item), "", False)],
                         [(c.delay(delay), style, False)]])  # fmt: skip
    return _table(["item", "planned", "actual", "delay"], rows, {3}, 1)


def overview_renderables(summary: Summary) -> list:
    """The day at a glance: heading, key points, participation, time."""
    programme = summary.programme
    out: list[Any] = [_text([(c.title_prefix(summary), "bold yellow", False), (programme.title, "bold", True)])]
    if summary.rehearsal is not None:
        out.append(_text([(c.rehearsal_note(summary), "yellow", False)]))
    facts = [c.dates(programme), programme.venue, "Chairs: " + "; ".join(c.chairs(programme))]
    out += [_text([(fact, "dim", True)]) for fact in facts if fact and fact != "Chairs: "]
    line = c.how_many(summary)
    out += [_section(""), _text([(line + c.ran(summary), "", False)])]
    if summary.key_points:
        out += _key_points(summary)
    out += _participation(summary)
    out += [_section("Time"), _times(summary)]
    return out


def renderables(summary: Summary) -> list:
    """The summary as Rich renderables: the overview, then every item that has answers."""
    out = overview_renderables(summary)
    days = c.day_heads(summary)
    for item in summary.items:
        if item.id in days and any(i.prompts for i in summary.items if i.date == item.date):
            out.append(_section(days[item.id]))
        out.extend(item_renderables(item))
    return out


def item_renderables(item: ItemSummary) -> list:
    """One item's part of the summary: per prompt its themes and groups, then the exercise table."""
    if not item.prompts:
        return []
    number = f"{item.number}. " if item.number else ""
    out: list[Any] = [_section(c.item_heading(item), len(number))]
    for prompt in item.prompts:
        parts = c.prompt_parts(prompt)
        number = parts[0][0] if prompt.number else ""
        spans = [(text, "bold", captured) for text, captured in parts]
        out.append(_text(spans, 1, 1 + len(number)))
        if prompt.themes:
            out.append(_text([(f"themes, {c.THEMES_NOTE} (bars: votes)", "dim", False)], 3))
            rows = []
            for theme in prompt.themes:
                name: list[Span] = [
                    (theme.name, "", True),
                    (f" · {plural(len(theme.answers), 'answer')} · ", "", False),
                ]
                for k, group in enumerate(theme.groups):
                    name += [(", ", "", False)] if k else []
                    name.append((group, "", True))
                rows.append((name, theme.votes))
            out.append(_chart(rows, 5))
        out.append(_text([("groups (answers)", "dim", False)], 3))
        out.append(_chart([(_named(g.group), len(g.answers)) for g in prompt.by_group], 5))
    if item.exercise:
        out += [_text([("exercise results", "dim", False)], 3), _exercise(item.exercise, 3)]
    return out


def render_summary(summary: Summary, width: int = 100) -> str:
    """The summary as plain text, `width` columns wide."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, markup=False, emoji=False)
    console.print(renderable(summary))
    return buffer.getvalue()
