"""The answers of the current prompt, grouped, drawn line by line.

One widget per answer does not scale (2,000 ListItems took 16 s: docs/architecture.md),
and even OptionList measures every option again when its options are set. This
board is a line-API `ScrollView`: it keeps a list of rows, wraps each row once
per width (answers are immutable, so a wrapped answer is cached by value) and
draws only the lines on screen. Setting 5,000 rows after one capture costs a
list rebuild, not 5,000 wraps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import NamedTuple

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitator.notes import Answer

_CACHE_LIMIT = 20_000


class Row(NamedTuple):
    """One row of the board: a heading (group or theme) or an answer.

    A named tuple rather than a frozen dataclass: a board of thousands of
    answers is rebuilt from new rows on every view switch, and a tuple is
    several times cheaper to make and compare.
    """

    heading: str = ""
    answer: Answer | None = None
    count: int = 0  # answers under a heading
    note: str = ""  # shown dimmed after the text (an answer's theme, a theme's groups)
    marked: bool = False  # picked (space) to be gathered into a theme

    @property
    def key(self) -> str:
        return self.answer.id if self.answer else ""


class AnswerBoard(ScrollView, can_focus=True):
    """Scrollable, selectable list of grouped answers."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]
    COMPONENT_CLASSES = {
        "answer-board--heading",
        "answer-board--cursor",
        "answer-board--note",
        "answer-board--empty",
    }
    DEFAULT_CSS = """
    /* The scrollbar's room is kept: rows are wrapped to one width that does not
       change when the board fills up and a scrollbar appears. */
    AnswerBoard { background: $surface; scrollbar-gutter: stable; overflow-x: hidden; }
    AnswerBoard > .answer-board--heading { color: $accent; text-style: bold; }
    AnswerBoard > .answer-board--cursor { background: $boost; text-style: bold; }
    AnswerBoard:focus > .answer-board--cursor { background: $accent 30%; }
    AnswerBoard > .answer-board--note { color: $text-muted; }
    AnswerBoard > .answer-board--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(-1, always_update=True)

    def __init__(self, empty_text: str = "No answers yet.", **kwargs) -> None:
        super().__init__(**kwargs)
        self.empty_text = empty_text
        self.rows: list[Row] = []
        # Kept up to date row by row, so the screen's "N answers · M groups"
        # never walks thousands of rows on a capture.
        self.answer_count = 0
        self.headings: Counter[str] = Counter()
        self._heights: list[int] = []  # lines of each row at the current width
        self._row_top: list[int] = []  # first line of each row (prefix sums of heights)
        self._line_count = 0
        # Wrapped rows by (answer id or heading, width, selected) -> (row, strips);
        # a hit counts only when the row is still equal (the answer was not edited).
        self._cache: dict[tuple[str, str, bool, int, bool], tuple[Row, list[Strip]]] = {}
        self._width = 0
        # Measured layouts of recent row lists: id -> (the list, width, heights, tops, lines).
        self._layouts: dict[int, tuple[list[Row], int, list[int], list[int], int]] = {}
        self._restyled = True
        self._looks: tuple[object, ...] = ()
        self._cursor_look: object = None

    # -- data -------------------------------------------------------------------

    def set_rows(self, rows: list[Row], select: str | None = None) -> None:
        """Show these rows, keeping the selection on `select` or the same answer.

        The board works on its own copy (a capture inserts into it). When the
        very same list comes back (the screen switching back to a view it built
        before), its measured layout is reused instead of measuring every row.
        """
        keep = select if select is not None else self.selected_id
        self.rows = list(rows)
        self.headings = Counter(r.heading for r in rows if r.answer is None)
        self.answer_count = len(rows) - sum(self.headings.values())
        index = next((i for i, r in enumerate(rows) if r.answer and r.key == keep), -1) if keep else -1
        if index < 0:
            index = self._nearest_answer(min(max(self.cursor, 0), len(rows) - 1)) if rows else -1
        width = self.scrollable_content_region.width or self.size.width
        known = self._layouts.get(id(rows))
        if known is not None and known[0] is rows and known[1] == width and width > 0:
            _, _, heights, tops, total = known
            self._width, self._heights, self._row_top, self._line_count = width, list(heights), list(tops), total
            self._sized()
        else:
            self._relayout()
            if len(self._layouts) >= 4:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[id(rows)] = (rows, self._width, list(self._heights), list(self._row_top), self._line_count)
        self.cursor = index

    def insert_row(self, index: int, row: Row) -> None:
        """Insert one row without measuring the others again (a capture)."""
        self.rows.insert(index, row)
        self._count(row, 1)
        if self._width:
            height = len(self._strips(row, self._width, False))
            top = self._row_top[index] if index < len(self._row_top) else self._line_count
            self._heights.insert(index, height)
            self._row_top.insert(index, top)
            self._shift(index + 1, height)
        if self.cursor >= index:
            self.cursor += 1  # keep the selection on the same answer
        self._sized()

    def insert_answer(self, row: Row) -> int:
        """Put one new answer row at the end of its group (a new group goes last), select it.

        Used by a capture on the run screen and on the exercise board: the hot
        path, so nothing else is measured again. Returns the row's index.
        """
        assert row.answer is not None
        group = row.answer.group
        rows = self.rows
        heading = next((i for i, r in enumerate(rows) if r.answer is None and r.heading == group), -1)
        if heading < 0:
            self.insert_row(len(rows), Row(heading=group, count=1))
            at = len(rows)
        else:
            at = next((i for i in range(heading + 1, len(rows)) if rows[i].answer is None), len(rows))
            self.replace_row(heading, Row(heading=group, count=rows[heading].count + 1))
        self.insert_row(at, row)
        self.cursor = at
        return at

    def replace_row(self, index: int, row: Row) -> None:
        """Replace one row (a heading whose count changed)."""
        self._count(self.rows[index], -1)
        self.rows[index] = row
        self._count(row, 1)
        if self._width:
            height = len(self._strips(row, self._width, False))
            self._shift(index + 1, height - self._heights[index])
            self._heights[index] = height
        self._sized()

    def _shift(self, start: int, lines: int) -> None:
        if lines:
            tops = self._row_top
            tops[start:] = [top + lines for top in tops[start:]]
            self._line_count += lines

    def _count(self, row: Row, change: int) -> None:
        if row.answer is not None:
            self.answer_count += change
        else:
            self.headings[row.heading] += change
            if not self.headings[row.heading]:
                del self.headings[row.heading]

    @property
    def selected(self) -> Answer | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].answer
        return None

    @property
    def selected_id(self) -> str:
        answer = self.selected
        return answer.id if answer else ""

    def _nearest_answer(self, index: int) -> int:
        for i in range(index, len(self.rows)):
            if self.rows[i].answer:
                return i
        for i in range(min(index, len(self.rows) - 1), -1, -1):
            if self.rows[i].answer:
                return i
        return -1

    # -- layout and drawing --------------------------------------------------------

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        self._width = width
        heights: list[int] = []
        tops: list[int] = []
        total = 0
        if width > 0:
            for row in self.rows:
                height = len(self._strips(row, width, False))
                tops.append(total)
                heights.append(height)
                total += height
        self._heights, self._row_top, self._line_count = heights, tops, total
        self._sized()

    def _sized(self) -> None:
        self.virtual_size = Size(self._width, max(self._line_count, 1))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if (self.scrollable_content_region.width or self.size.width) != self._width:
            self._relayout()
            self.scroll_to_cursor()

    def _strips(self, row: Row, width: int, selected: bool) -> list[Strip]:
        if self._restyled:
            self._check_styles()
        # The note and the mark are in the key: an answer shows a different note in
        # each view, and toggling views must find both wrappings still cached.
        key = (row.key or f"\0{row.heading}", row.note, row.marked, width, selected)
        hit = self._cache.get(key)
        if hit is not None and (hit[0] is row or hit[0] == row):
            return hit[1]
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        strips = self._render_row(row, width, selected)
        self._cache[key] = (row, strips)
        return strips

    def _render_row(self, row: Row, width: int, selected: bool) -> list[Strip]:
        # Styles as resolved by _check_styles: computing them per row was a
        # sixth of the cost of wrapping thousands of rows.
        plain, heading, note, _empty = self._looks
        base = plain + self._cursor_look if selected else plain
        indent = 0
        if row.answer is None:
            text = Text(row.heading, style=heading, end="")
            if row.count:
                text.append(f"  {row.count}", style=note)
            if row.note:
                text.append(f"  {row.note}", style=note)
        else:
            answer = row.answer
            indent = 4
            text = Text(answer.text.replace("\t", "    "), end="")
            marks = []
            if answer.starred:
                marks.append("★")
            if answer.votes:
                marks.append(f"+{answer.votes}")
            if answer.category:
                marks.append(f"[{answer.category}]")
            if row.note:
                marks.append(row.note)
            if answer.edited_at:
                marks.append("edited")
            if marks:
                text.append("  " + " · ".join(marks), style=note)
        console = self.app.console
        inner = max(width - indent, 1)
        options = console.options.update(width=inner, height=None, no_wrap=False, overflow="fold")
        lines = console.render_lines(text, options, style=base, pad=True, new_lines=False)
        if indent:
            # Hanging indent: continuation lines start under the text, not the bullet.
            bullet = "  ☑ " if row.marked else "  • "
            lines = [[Segment(bullet if n == 0 else "    ", base), *line] for n, line in enumerate(lines)]
        return [Strip(line).crop_extend(0, width, base) for line in lines] or [Strip.blank(width, base)]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        if self._restyled:
            self._check_styles()
        # The widget's style as resolved by _check_styles: `rich_style` walks up
        # the parents on every call, and an empty board asked for it on every line.
        plain, _heading, _note, empty = self._looks
        if not self.rows:
            if y == 0:
                return Strip([Segment(f"  {self.empty_text}", plain + empty)]).crop_extend(0, width, plain)
            return Strip.blank(width, plain)
        if number >= self._line_count:
            return Strip.blank(width, plain)
        index = bisect_right(self._row_top, number) - 1
        line = number - self._row_top[index]
        strips = self._strips(self.rows[index], self._width, index == self.cursor)
        strip = strips[line] if line < len(strips) else Strip.blank(width, plain)
        return strip.crop_extend(scroll_x, scroll_x + width, plain)

    def notify_style_update(self) -> None:
        # Textual announces a style update on every focus or class change, not
        # only a theme change; dropping every wrapped row each time made moving
        # focus on a board of thousands of answers cost a full re-wrap. The
        # styles are compared when next drawn, and only what changed is dropped.
        super().notify_style_update()
        self._restyled = True
        self.refresh()

    _PLAIN_STYLES = ("answer-board--heading", "answer-board--note", "answer-board--empty")

    def _check_styles(self) -> None:
        self._restyled = False
        looks = (self.rich_style, *(self.get_component_rich_style(c) for c in self._PLAIN_STYLES))
        cursor = self.get_component_rich_style("answer-board--cursor")
        if looks != self._looks:
            self._cache.clear()
        elif cursor != self._cursor_look:
            self._cache = {key: hit for key, hit in self._cache.items() if not key[-1]}
        self._looks, self._cursor_look = looks, cursor

    # -- selection ------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        if not (0 <= self.cursor < len(self._row_top)):
            return
        top = self._row_top[self.cursor]
        bottom = self._row_top[self.cursor] + self._heights[self.cursor]
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            # Show the heading above the first answer of a group too.
            self.scroll_to(y=max(top - (1 if self.cursor > 0 and not self.rows[self.cursor - 1].answer else 0), 0),
                           animate=False)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False)

    def action_cursor(self, step: int) -> None:
        index = self.cursor
        while 0 <= index + step < len(self.rows):
            index += step
            if self.rows[index].answer:
                self.cursor = index
                return

    def action_cursor_to(self, where: int) -> None:
        if not self.rows:
            return
        self.cursor = self._nearest_answer(0) if where == 0 else self._last_answer()

    def _last_answer(self) -> int:
        return next((i for i in range(len(self.rows) - 1, -1, -1) if self.rows[i].answer), -1)

    def action_page(self, direction: int) -> None:
        height = max(self.scrollable_content_region.height - 1, 1)
        if not self._row_top or self.cursor < 0:
            return
        target_line = min(max(self._row_top[self.cursor] + direction * height, 0), self._line_count - 1)
        index = bisect_right(self._row_top, target_line) - 1
        found = self._nearest_answer(index) if direction > 0 else index
        while found >= 0 and not self.rows[found].answer:
            found -= 1
        if found >= 0:
            self.cursor = found

    def on_click(self, event: events.Click) -> None:
        number = self.scroll_offset.y + event.y
        if 0 <= number < self._line_count:
            index = bisect_right(self._row_top, number) - 1
            if self.rows[index].answer:
                self.cursor = index
