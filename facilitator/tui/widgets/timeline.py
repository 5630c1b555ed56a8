"""The agenda down the side: every item, its times and where the meeting is."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.widgets import Static

from facilitator.programme import Programme
from facilitator.tui.colours import colour

MARKERS = {"done": "✓", "now": "▶", "next": "›", "later": " "}

# Words a shortened title never ends on ("Opening of…" says less than "Opening…").
SMALL_WORDS = frozenset((
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",  # English
    "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une",  # French
    "del", "el", "las", "los", "para", "por", "y",  # Spanish
))

# Under this many columns for titles the agenda keeps one time per item (the one
# that matters now), so the titles keep their room.
ROOMY_TITLES = 18


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole words while they fit, then "…".

    A cut never ends on a small word ("Coordination in the…" becomes
    "Coordination…"); a first word longer than the room is cut inside.
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    # Where each word ends, its trailing punctuation left out ("Coordination:" ends at the n).
    words = (m.start() + len(m[0].rstrip(",;:.–-")) for m in re.finditer(r"\S+", text) if m[0].strip(",;:.–-"))
    ends = [end for end in words if cell_len(text[:end]) < width]
    while len(ends) > 1 and text[ends[-2]: ends[-1]].split()[-1].lower() in SMALL_WORDS:
        ends.pop()
    # Whole words, unless they leave most of the room empty: then as many letters as fit.
    if ends and cell_len(text[: ends[-1]]) * 2 >= width:
        return text[: ends[-1]] + "…"
    return set_cell_size(text, width - 1).rstrip() + "…"


class Timeline(Static):
    """Planned times, projected times when the day has moved, actual times once run.

    Narrow (the 80-column screen) it keeps one time per item and shortens the
    titles on word boundaries, so "10:15 Coordination…" still says what is when.
    Wider, titles wrap under themselves while the panel has the rows, and are
    shortened when it has not.
    """

    # Lines laid out here, to the panel's width: never wrapped again by Textual.
    DEFAULT_CSS = """
    Timeline { padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn: tuple[Text, ...] = ()
        self._shown: tuple | None = None  # the last arguments of `show`, to redraw at a new width

    def on_resize(self, _event: events.Resize) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, programme: Programme, projection, current_id: str) -> None:
        """Redraw from a schedule projection; `current_id` is the item on screen."""
        self._shown = (programme, projection, current_id)
        late, early = colour(self.app, "warning", "yellow"), colour(self.app, "success", "green")
        several_days = len(programme.dates) > 1
        # (marker, one time, every time, title, style): "10:15", "10:15–10:55" or "13:00→13:05"
        rows: list[tuple[Text, Text, Text, str, str]] = []
        day = None
        for session in programme.sessions:
            if several_days and session.date != day:
                day = session.date
                rows.append((Text(""), Text(""), Text(""), f"{day:%a %d %b}", "bold underline"))
            slot = projection.slot(session.id)
            marker = MARKERS.get(slot.status, " ")
            if slot.actual_start:
                end = f"–{slot.actual_end:%H:%M}" if slot.actual_end else ""
                ran = "dim" if slot.actual_end else "bold"
                when = Text(f"{slot.actual_start:%H:%M}", style=ran)
                full = Text(f"{slot.actual_start:%H:%M}{end}", style=ran)
            else:
                full = Text(f"{slot.planned_start:%H:%M}", style="" if session.start else "dim")
                when = full.copy()
                moved = int((slot.projected_start - slot.planned_start).total_seconds() // 60)
                if moved:
                    moved_style = f"bold {late if moved > 0 else early}"
                    full.append(f"→{slot.projected_start:%H:%M}", style=moved_style)
                    # One time only: the one the room will keep to, in the colour that says it moved.
                    when = Text(f"{slot.projected_start:%H:%M}", style=moved_style)
            title = f"☕ {session.title}" if session.is_break else session.title
            style = "italic dim" if session.is_break else ("dim" if slot.status == "done" else "")
            if session.id == current_id:
                style += " bold reverse"
            rows.append((Text(marker, style="bold"), when, full, title, style))

        width = self.content_region.width
        full_width = max([5, *(full.cell_len for _, _, full, _, _ in rows)])
        narrow = bool(width) and width - full_width - 3 < ROOMY_TITLES
        when_width = 5 if narrow else full_width
        room = max(width - when_width - 3, 4) if width else 0
        indent = " " * (when_width + 3)
        # Whole titles, wrapped under themselves, when the panel has the rows for them
        # (and the columns: wrapped into a narrow agenda they read worse than shortened).
        wrapped = [Text(title).wrap(self.app.console, room) if room else [Text(title)] for *_, title, _ in rows]
        wrap = not narrow and sum(map(len, wrapped)) <= self.content_region.height
        lines = []
        for (marker, when, full, title, style), pieces in zip(rows, wrapped, strict=True):
            if not marker.plain:  # a day's heading, from the left edge
                lines.append(Text(shorten(title, width) if width else title, style=style))
                continue
            when = when if narrow else full
            first = pieces[0].plain.rstrip() if wrap else (shorten(title, room) if room else title)
            lines.append(Text.assemble(marker, " ", when, " " * (when_width - when.cell_len + 1), (first, style)))
            if wrap:
                lines.extend(Text.assemble(indent, (piece.plain.rstrip(), style)) for piece in pieces[1:])
        # Redrawn every second; most seconds nothing on it changes, and an
        # unchanged redraw would cost a layout of the whole screen.
        if tuple(lines) == self._drawn:
            return
        same_height = len(lines) == len(self._drawn)
        self._drawn = tuple(lines)
        # Columns laid out by hand, not with a Rich Table: the panel is drawn on
        # every frame, and measuring a table cost more than the rest of it.
        self.update(Text("\n").join(lines), layout=not same_height)
