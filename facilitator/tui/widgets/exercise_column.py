"""One column of the exercise board: a header (key, category, count) over an answer board of cards."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from facilitator.notes import Answer, groups_in
from facilitator.tui.widgets.answer_board import AnswerBoard, Row

NOT_YET = "Not yet classified"


@dataclass(frozen=True)
class ColumnSpec:
    """What a column holds: `category` as stored ("" = not yet classified) and the key that files a card in it.

    `number` is None for a category found in the notes that the exercise no
    longer has (the programme was edited): its cards are shown, never dropped,
    but nothing new can be filed there.
    """

    category: str
    number: int | None

    @property
    def label(self) -> str:
        return self.category or NOT_YET


def cards(answers: list[Answer]) -> list[Row]:
    """Group headings and cards, groups in first-card order.

    The column already says the category, so the card does not repeat it
    (the board would add "[Output]" after every card, eating a narrow column).
    """
    rows: list[Row] = []
    for group, items in groups_in(answers).items():
        rows.append(Row(heading=group, count=len(items)))
        rows.extend(Row(answer=_card(a)) for a in items)
    return rows


@lru_cache(maxsize=50_000)
def _card(answer: Answer) -> Answer:
    # Cached so a redraw of thousands of cards makes no new objects (and the board's wrap cache hits by identity).
    return replace(answer, category="") if answer.category else answer


class CardBoard(AnswerBoard):
    """The answer board of one exercise column (its column's CSS styles it)."""


class ExerciseColumn(Vertical):
    """A category's column. Holds no data of its own beyond the rows drawn from the notes."""

    DEFAULT_CSS = """
    ExerciseColumn { width: 1fr; height: 1fr; }
    ExerciseColumn > .exercise-column--header { height: 1; background: $panel; color: $text-muted; }
    ExerciseColumn.-selected > .exercise-column--header { background: $accent; color: $text; text-style: bold; }
    /* The scrollbar's room is kept even when not needed: the cards are wrapped to one width that never
       changes when a column fills up, and a narrow column loses one cell to it, not two. */
    ExerciseColumn > CardBoard { height: 1fr; scrollbar-gutter: stable; scrollbar-size-vertical: 1;
                                   overflow-x: hidden; }
    /* Only the selected column marks its selected card: one card is "the selected card" on screen. */
    ExerciseColumn > CardBoard > .answer-board--cursor { background: $surface; text-style: none; }
    ExerciseColumn.-selected > CardBoard > .answer-board--cursor { background: $boost; text-style: bold; }
    ExerciseColumn.-selected > CardBoard:focus > .answer-board--cursor { background: $accent 30%; }
    """

    def __init__(self, spec: ColumnSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="exercise-column--header")
        empty = "No cards yet: a adds one." if self.spec.category == "" else "No cards yet."
        yield CardBoard(empty_text=empty)

    @property
    def board(self) -> AnswerBoard:
        return self.query_one(AnswerBoard)

    def on_mount(self) -> None:
        self._draw_header()

    def show(self, answers: list[Answer], select: str | None = None) -> None:
        """Draw these cards, keeping the selection on `select` or on the same card (or the nearest one)."""
        self.board.set_rows(cards(answers), select=select)
        self.count = len(answers)
        self._draw_header()

    def add(self, answer: Answer) -> None:
        """Put one new card under its group without rebuilding the column (a capture is the hot path)."""
        self.board.insert_answer(Row(answer=_card(answer)))
        self.count += 1
        self._draw_header()

    def _draw_header(self) -> None:
        spec = self.spec
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right")
        key = f" {spec.number} " if spec.number is not None else " · "
        grid.add_row(Text(key + spec.label), Text(f"{self.count} "))
        self.query_one(".exercise-column--header", Static).update(grid)
