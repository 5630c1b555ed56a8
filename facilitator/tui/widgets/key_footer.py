"""KeyFooter: the screen's keys on one line, drawn by one widget.

Textual's Footer mounts one widget per key and rebuilds them all on every
"bindings updated" signal (each focus change). The run screen shows some
fifteen keys: that was twenty-one widgets, more than the rest of the screen
together, and seven rebuilds before the first frame (about a third of the
start-up time over a bare app). This footer draws the same keys as one line of
text and redraws only when what it shows changes.

It also keeps the two keys that lead to every other one, Help and the command
palette, pinned on the right, so a narrow terminal drops the least used keys
rather than the way to find them.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

GAP = 1  # columns between two keys


class Key(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what to simulate when clicked
    display: str  # "a", "→", "^p"
    description: str
    enabled: bool
    tooltip: str
    pinned: bool  # kept on the right at any width


class Span(NamedTuple):
    start: int
    end: int
    key: Key


class KeyFooter(Widget):
    """Every shown binding of the screen, as `key description` pairs on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    hovered: reactive[int] = reactive(-1)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.keys: tuple[Key, ...] = ()
        self.spans: list[Span] = []  # where each drawn key is, for the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen) -> None:
        keys = shown_keys(screen)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        hover = Style(reverse=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        self.spans = []
        left, right = fit(self.keys, self.size.width)
        for placed in (left, right):
            for start, key in placed:
                if start > len(line):
                    line.append(" " * (start - len(line)))
                piece = Text.assemble((key.display, key_style), (" " + key.description, description_style))
                if not key.enabled:
                    piece.stylize(Style(dim=True))
                if len(self.spans) == self.hovered:
                    piece.stylize(hover)
                self.spans.append(Span(start, start + piece.cell_len, key))
                line.append_text(piece)
        return line

    def _span_at(self, x: int) -> int:
        return next((i for i, span in enumerate(self.spans) if span.start <= x < span.end), -1)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._span_at(event.x)
        self.tooltip = (self.spans[self.hovered].key.tooltip or None) if self.hovered >= 0 else None

    def on_leave(self, _event: events.Leave) -> None:
        self.hovered = -1
        self.tooltip = None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        found = self._span_at(event.x)
        if found < 0:
            return
        key = self.spans[found].key
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def watch_hovered(self) -> None:
        self.refresh()


def shown_keys(screen: Screen) -> tuple[Key, ...]:
    """The screen's shown bindings, one per action, in binding order; help and palette pinned."""
    app = screen.app
    keys: dict[str, Key] = {}
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        palette = binding.key == app.COMMAND_PALETTE_BINDING
        # F1 and ? both open help: one slot, shown as F1 when there is one.
        action = "help" if binding.action in ("help", "app.help") else binding.action
        pinned = palette or action == "help"
        if not (binding.show or pinned):
            continue
        if action in keys and not (action == "help" and binding.key == "f1"):
            continue
        description = binding.description or ("palette" if palette else "")
        display = app.get_key_display(binding)
        if display[:1] == "f" and display[1:].isdigit():
            display = display.upper()  # F1, as printed on the keyboard
        keys[action] = Key(binding.key, display, description, enabled,
                           tooltip or binding.tooltip or description, pinned)
    return tuple(keys.values())


def fit(keys: tuple[Key, ...], width: int) -> tuple[list[tuple[int, Key]], list[tuple[int, Key]]]:
    """Where each key goes: the unpinned ones from the left while they fit, pinned ones at the right."""

    def size(key: Key) -> int:
        return cell_len(key.display) + 1 + cell_len(key.description)

    pinned = [k for k in keys if k.pinned]
    right_width = sum(size(k) + GAP for k in pinned)
    right: list[tuple[int, Key]] = []
    x = max(0, width - right_width)
    for key in pinned:
        right.append((x + GAP, key))
        x += size(key) + GAP
    left: list[tuple[int, Key]] = []
    x = GAP
    for key in (k for k in keys if not k.pinned):
        if x + size(key) > width - right_width:
            break
        left.append((x, key))
        x += size(key) + GAP
    return left, right
