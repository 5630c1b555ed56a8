"""The agenda down the side: every item, its times and where the meeting is."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.programme import Programme
from facilitator.tui.colours import colour

MARKERS = {"done": "✓", "now": "▶", "next": "›", "later": " "}


class Timeline(Static):
    """Planned times, projected times when the day has moved, actual times once run."""

    # One line per item, cut with "…" at the panel's edge (never wrapped).
    DEFAULT_CSS = """
    Timeline { padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn: tuple[tuple[Text, ...], ...] = ()

    def show(self, programme: Programme, projection, current_id: str) -> None:
        """Redraw from a schedule projection; `current_id` is the item on screen."""
        late, early = colour(self.app, "warning", "yellow"), colour(self.app, "success", "green")
        several_days = len(programme.dates) > 1
        rows: list[tuple[Text, ...]] = []
        day = None
        for session in programme.sessions:
            if several_days and session.date != day:
                day = session.date
                rows.append((Text(""), Text(f"{day:%a %d %b}", style="bold underline"), Text("")))
            slot = projection.slot(session.id)
            marker = MARKERS.get(slot.status, " ")
            if slot.actual_start:
                end = f"–{slot.actual_end:%H:%M}" if slot.actual_end else ""
                when = Text(f"{slot.actual_start:%H:%M}{end}", style="dim" if slot.actual_end else "bold")
            else:
                when = Text(f"{slot.planned_start:%H:%M}", style="" if session.start else "dim")
                moved = int((slot.projected_start - slot.planned_start).total_seconds() // 60)
                if moved:
                    when.append(f"→{slot.projected_start:%H:%M}", style=f"bold {late if moved > 0 else early}")
            title = Text(session.title)
            if session.is_break:
                title = Text(f"☕ {session.title}", style="italic dim")
            elif slot.status == "done":
                title.stylize("dim")
            if session.id == current_id:
                title.stylize("bold reverse")
            rows.append((Text(marker, style="bold"), when, title))
        # Redrawn every second; most seconds nothing on it changes, and an
        # unchanged redraw would cost a layout of the whole screen.
        if tuple(rows) == self._drawn:
            return
        same_height = len(rows) == len(self._drawn)
        self._drawn = tuple(rows)
        # Columns laid out by hand, not with a Rich Table: the panel is drawn on
        # every frame, and measuring a table cost more than the rest of it.
        when_width = max([5, *(when.cell_len for _, when, _ in rows)])
        lines = [Text.assemble(marker, " ", when, " " * (when_width - when.cell_len + 1), title)
                 for marker, when, title in rows]
        self.update(Text("\n").join(lines), layout=not same_height)
