"""A text field whose keys are handled as they arrive, in the order typed.

Textual queues each key for the focused widget and moves the focus later, so
keys typed in a burst (a fast typist, a laggy ssh link, a browser tab) could
land after Enter in a field that was closing, or before a Tab in the field
being left. The app hands every key meant for a `TypedInput` to `take_key`
the moment it receives it (`FacilitatorApp.on_event`), so Enter takes the
text exactly as it stood at that key, and a field that moves the focus does
so before the next key is routed.

It edits exactly as Textual's Input (its own editing keys and actions) and
keeps what is pasted, every line: a line break shows as ⏎ in the one-line field.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.expand_tabs import expand_tabs_inline
from textual.widgets import Input
from textual.widgets._input import Selection

LINE_BREAK = "⏎"  # how a line break shows in the one-line field


def _editing_keys() -> dict[str, tuple[str, tuple[object, ...]]]:
    """Input's own editing keys (cursor, selection, deletion, clipboard) and their actions.

    Taken from Input's bindings so the fields edit exactly as any Textual input
    does; Enter is each field's own.
    """
    keys: dict[str, tuple[str, tuple[object, ...]]] = {}
    for binding in Input.BINDINGS:
        assert isinstance(binding, Binding)
        _, name, parameters = parse_action(binding.action)
        for key in binding.key.split(","):
            if key.strip() != "enter":
                keys[key.strip()] = (name, parameters)
    return keys


EDITING_KEYS = _editing_keys()


class TypedInput(Input, inherit_bindings=False):
    """An Input whose keys the app hands to `take_key` as they arrive."""

    # Input's editing keys only: not the scrolling keys it inherits, which the
    # screens bind (PageUp and PageDown change prompt from the capture bar).
    BINDINGS = Input.BINDINGS

    class Entered(Input.Submitted):
        """Enter, with the value as it stood at that key."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("select_on_focus", False)  # selection is set when focus moves, not a frame later
        super().__init__(*args, **kwargs)

    # -- drawing a value with line breaks ---------------------------------------------

    @property
    def _value(self) -> Text:
        return Text(self.value.replace("\n", LINE_BREAK), no_wrap=True, overflow="ignore", end="")

    def _position_to_cell(self, position: int) -> int:
        return cell_len(expand_tabs_inline(self.value[:position].replace("\n", LINE_BREAK), 4))

    # -- keys, in the order typed -------------------------------------------------------

    def takes(self, event: events.Key) -> bool:
        """Whether this field handles the key itself (text and editing keys, Enter)."""
        return event.is_printable or event.key in EDITING_KEYS or event.key == "enter"

    def take_key(self, event: events.Key) -> str | None:
        """Handle one key now. Returns a key for the screen to run at once as a command, or None."""
        if event.key == "enter":
            self.enter(self.value)
        elif event.is_printable and event.character:
            self.type_text(event.character)
        elif event.key in EDITING_KEYS:
            name, parameters = EDITING_KEYS[event.key]
            getattr(self, f"action_{name}")(*parameters)
        return None

    def take_paste(self, text: str) -> None:
        """A paste, every line kept (CR LF and CR read as line breaks)."""
        self.type_text(text.replace("\r\n", "\n").replace("\r", "\n"))

    def enter(self, value: str) -> None:
        """Enter: by default announce the value as it stood at that key."""
        self.post_message(self.Entered(self, value))

    # -- editing --------------------------------------------------------------------

    def type_text(self, text: str) -> None:
        """Insert `text` at the cursor, over the selection if there is one."""
        start, end = self.selection
        if start != end:
            self.replace(text, *sorted((start, end)))
        else:
            self.insert_text_at_cursor(text)

    def select_everything(self) -> None:
        """Select the whole value, so the next letter typed replaces it."""
        self.selection = Selection(0, len(self.value))
