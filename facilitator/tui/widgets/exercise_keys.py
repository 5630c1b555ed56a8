"""The exercise board's keys: single-key commands that live on the board, never in the capture bar."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.containers import Vertical

MAX_CATEGORIES = 9  # keys 1..9 file a card; 0 is "not yet classified"
FILE_IN = Binding.Group("File", compact=True)
MOVE = Binding.Group("Move", compact=True)


class BoardArea(Vertical):
    """The columns and the per-group table: single-key commands live here, not in the capture bar."""

    BINDINGS = [
        Binding(
            "left,h",
            "screen.column(-1)",
            "Column",
            id="exercise.column_left",
            key_display="←",
            show=False,
            tooltip="Select the column to the left",
        ),
        Binding(
            "right,l",
            "screen.column(1)",
            "Column",
            id="exercise.column_right",
            key_display="→",
            show=False,
            tooltip="Select the column to the right",
        ),
        Binding("k", "screen.card(-1)", "Up", id="exercise.card_up", show=False, tooltip="Select the card above"),
        Binding("j", "screen.card(1)", "Down", id="exercise.card_down", show=False, tooltip="Select the card below"),
        Binding(
            "shift+left,less_than_sign",
            "screen.move(-1)",
            "Move",
            id="exercise.move_left",
            key_display="⇧←",
            group=MOVE,
            tooltip="Move the selected card to the column on the left",
        ),
        Binding(
            "shift+right,greater_than_sign",
            "screen.move(1)",
            "Move",
            id="exercise.move_right",
            key_display="⇧→",
            group=MOVE,
            tooltip="Move the selected card to the column on the right",
        ),
        *(
            Binding(
                str(n),
                f"screen.file_in({n})",
                "File",
                id=f"exercise.file_in_{n}",
                group=FILE_IN,
                tooltip="Put the selected card in " + (f"category {n}" if n else "Not yet classified"),
            )
            for n in range(MAX_CATEGORIES + 1)
        ),
        Binding("a", "screen.capture", "Add", id="exercise.capture", tooltip="Type a card in the capture bar"),
        Binding(
            "g",
            "screen.toggle_groups",
            "Groups",
            id="exercise.groups",
            tooltip="Show or hide the count of each group's cards per category",
        ),
        Binding("u", "screen.undo", "Undo", id="exercise.undo", tooltip="Undo the last change to the cards"),
        Binding("b", "screen.back", "Back", id="exercise.back", tooltip="Back to the run screen"),
        Binding("e,enter", "screen.edit", "Edit", id="exercise.edit", tooltip="Edit the selected card"),
        Binding(
            "d,delete", "screen.delete", "Delete", id="exercise.delete", tooltip="Delete the selected card (u undoes)"
        ),
        Binding(
            "i",
            "screen.toggle_instructions",
            "Instructions",
            id="exercise.instructions",
            show=False,
            tooltip="Show all the instructions, or fewer lines",
        ),
        Binding(
            "question_mark",
            "screen.help",
            "Help",
            id="exercise.help_key",
            key_display="?",
            show=False,
            tooltip="List every key",
        ),
    ]


_SPELLED_OUT = {
    "left,h": "← or h",
    "right,l": "→ or l",
    "shift+left,less_than_sign": "⇧← or <",
    "shift+right,greater_than_sign": "⇧→ or >",
    "e,enter": "e or Enter",
    "d,delete": "d or Delete",
}


def spelled_out(binding: Binding) -> Binding:
    """The binding as the help lists it: every key that does it, not the footer's short form."""
    keys = _SPELLED_OUT.get(binding.key)
    return replace(binding, key_display=keys) if keys else binding
