"""The exercise's brief (title, question, instructions, countdown) and its per-group table."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from facilitator.programme import Prompt, Session
from facilitator.tui.colours import muted, timebox_badge
from facilitator.tui.widgets.exercise_column import NOT_YET, ColumnSpec


class ExerciseBrief(Static):
    """What the room is asked to do. Compact (a few lines) on small screens; `i` shows it all."""

    DEFAULT_CSS = """
    ExerciseBrief { height: auto; max-height: 50%; padding: 0 1; border: round $primary;
                    border-subtitle-color: $text-muted; }
    ExerciseBrief.-compact { max-height: 6; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: Session | None = None
        self.prompt: Prompt | None = None
        self.timebox_label = ""
        self.timebox_state = ""

    def show(self, session: Session, prompt: Prompt | None) -> None:
        self.session, self.prompt = session, prompt
        self._draw()

    def show_timebox(self, label: str, state: str) -> None:
        if (label, state) != (self.timebox_label, self.timebox_state):
            self.timebox_label, self.timebox_state = label, state
            self._draw()

    @property
    def compact(self) -> bool:
        return self.has_class("-compact")

    def set_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        self._draw()

    def _draw(self) -> None:
        session = self.session
        if session is None:
            return
        app = self.app
        head = Table.grid(expand=True)
        head.add_column(ratio=1)
        head.add_column(no_wrap=True, justify="right")
        box = timebox_badge(app, self.timebox_label, self.timebox_state)
        title = Text(session.title, style="bold")
        if self.compact:
            title.no_wrap, title.overflow = True, "ellipsis"
        head.add_row(title, box)
        parts: list[object] = [head]
        if self.prompt is not None:
            parts.append(Text(self.prompt.text, style="italic"))
        instructions = session.exercise.instructions.strip() if session.exercise else ""
        if instructions:
            # Compact: one paragraph, so the few lines shown hold as much of it as they can.
            parts.append(Text(" ".join(instructions.split()) if self.compact else instructions, style=muted(app)))
        self.update(Group(*parts))
        self.border_subtitle = "i: all instructions" if self.compact else "i: fewer lines"


class GroupTable(Vertical):
    """Per group, how many cards are in each category, with totals: the picture the co-chairs want."""

    DEFAULT_CSS = """
    GroupTable { height: 1fr; border: round $primary; border-subtitle-color: $text-muted; padding: 0 1; }
    GroupTable > #group-picture { height: auto; margin-bottom: 1; }
    GroupTable > DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="group-picture")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="group-table")

    def on_mount(self) -> None:
        self.border_title = "Cards per group and category"
        self.border_subtitle = "g: back to the board"

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def show(self, counts: dict[str | None, dict[str | None, int]], columns: list[ColumnSpec]) -> None:
        """Draw `counts` as from `themes.per_group_categories`, columns in the board's order."""
        dim = muted(self.app)
        table = self.table
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column("Group", key="group")
        for spec in columns:
            label = "Not yet" if spec.category == "" else spec.category
            table.add_column(Text(label, justify="right", end=""), key=f"c:{spec.category}")
        table.add_column(Text("Total", justify="right", end=""), key="total")
        for group, row in counts.items():
            if group is None:
                continue
            cells = [_number(row.get(s.category, 0), "" if row.get(s.category) else dim) for s in columns]
            table.add_row(Text(group, end=""), *cells, _number(row[None], "bold"), key=group)
        totals = counts.get(None, {})
        table.add_row(
            Text("All groups", style="bold", end=""),
            *(_number(totals.get(s.category, 0), "bold") for s in columns),
            _number(totals.get(None, 0), "bold"),
            key="\0total",
        )
        if 0 <= cursor < table.row_count:
            table.move_cursor(row=cursor, animate=False)
        self.query_one("#group-picture", Static).update(picture(counts, columns))


def _number(value: int, style: str) -> Text:
    return Text(str(value), justify="right", style=style, end="")


def picture(counts: dict[str | None, dict[str | None, int]], columns: list[ColumnSpec]) -> Text:
    """How many groups have at least one card in each category, and how many cards wait."""
    groups = [row for g, row in counts.items() if g is not None]
    if not groups:
        return Text("No cards yet: the table fills as the room names its indicators.", style="italic")
    text = Text(f"Of {len(groups)} group{'s' if len(groups) != 1 else ''}, how many have a card in: ")
    parts = [
        f"{spec.category} {sum(1 for row in groups if row.get(spec.category, 0))}" for spec in columns if spec.category
    ]
    text.append(" · ".join(parts), style="bold")
    waiting = counts.get(None, {}).get("", 0)
    if waiting:
        text.append(f"\n{waiting} card{'s' if waiting != 1 else ''} {NOT_YET.lower()}", style="italic")
    return text
