"""BigText: a text as large as its box allows, for the projector.

Block letters (`facilitator.tui.big_font`) at the largest scale whose lines
fit the box; when no scale fits (a long question, a small terminal, a
character the font lacks) the plain text, wrapped at a readable measure and
double-spaced when the box has the rows. Either way centred, or from the left.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from facilitator.tui import big_font


class BigText(Widget):
    """One text, drawn in block letters when they fit its box, else as plain lines."""

    DEFAULT_CSS = """
    BigText { height: 1fr; content-align: left middle; }  /* centred line by line in `render` */
    """

    def __init__(
        self,
        *,
        scales: tuple[int, ...] = (2, 1),
        max_lines: int = 4,
        measure: int = 72,
        centre: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`scales` to try, largest first; at most `max_lines` lines of block letters
        (more read worse than plain text); plain text wrapped at `measure` columns."""
        super().__init__(id=id, classes=classes)
        self.text = ""
        self.scales = scales
        self.max_lines = max_lines
        self.measure = measure
        self.centre = centre
        self.scale = 0  # the scale drawn last time; 0 for plain text

    def update(self, text: str) -> None:
        if text != self.text:
            # The countdown changes every second, mostly keeping its length (and so its width).
            same_size = len(text) == len(self.text) and big_font.can_draw(text) == big_font.can_draw(self.text)
            self.text = text
            self.refresh(layout=not same_size)

    def fit(self, width: int, height: int) -> tuple[int, list[str]] | None:
        """The scale and the lines of block letters that fit a box of this size, or None."""
        text = " ".join(self.text.split())
        if not text or not big_font.can_draw(text):
            return None
        for scale in self.scales:
            lines = big_font.wrap(text, width, scale)
            if lines is None or len(lines) > self.max_lines:
                continue
            if len(lines) * (big_font.line_rows(scale) + 1) - 1 <= height:
                return scale, lines
        return None

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # Used with `width: auto` (the countdown): as wide as what `render` will draw. The
        # container of an auto-width row has no width of its own yet (nor, at first, a height):
        # the screen's bounds them.
        found = self.fit(viewport.width, container.height or viewport.height)
        if found is None:
            return cell_len(self.text)
        scale, lines = found
        return big_font.drawn_width(lines, scale)

    def render(self) -> Text:
        width, height = self.content_size
        found = self.fit(width, height)
        self.scale = found[0] if found else 0
        rows: list[str] = []
        if found is not None:
            scale, lines = found
            for n, line in enumerate(lines):
                if n:
                    rows.append("")
                pad = " " * ((width - big_font.pixel_width(line) * scale) // 2) if self.centre else ""
                rows.extend(pad + row for row in big_font.draw(line, scale))
        else:
            # Text from a person: a Rich Text, never markup.
            measure = max(min(width, self.measure), 1)
            lines = [line.plain.rstrip() for line in Text(self.text).wrap(self.app.console, measure)]
            spaced = len(lines) * 2 - 1 <= height  # a blank line between lines, when there are rows for it
            for n, line in enumerate(lines):
                if n and spaced:
                    rows.append("")
                rows.append(" " * ((width - cell_len(line)) // 2) + line if self.centre else line)
        return Text("\n".join(rows), no_wrap=True, overflow="crop", end="")
