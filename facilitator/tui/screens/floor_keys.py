"""F6, F7 and F8: the floor from every screen that shows it (the run screen, the speakers' list).

A module of its own so the run screen has the keys without loading the
speakers' list screen at start-up.
"""

from __future__ import annotations

from textual.binding import Binding

# The keys that run the floor from every screen that shows it (the run screen, this list, the projector).
FLOOR_BINDINGS = [
    Binding("f6", "next_speaker", "Next speaker", id="floor.next",
            tooltip="The first delegation on the speakers' list takes the floor (the speaker's time ends)"),
    Binding("f7", "extend_floor", "+1 min", id="floor.extend", tooltip="One minute more for the speaker"),
    Binding("f8", "yield_floor", "End speech", id="floor.yield",
            tooltip="The speaker's intervention ends now (no one has the floor)"),
]


class FloorKeys:
    """F6, F7 and F8 for a screen that shows the floor; `floor_changed` redraws it."""

    def floor_changed(self) -> None:
        raise NotImplementedError

    def _floor(self, action, *args) -> None:
        if self.facilitator.apply(action, *args):  # type: ignore[attr-defined]
            self.floor_changed()

    def action_next_speaker(self) -> None:
        self._floor(self.meeting.next_speaker)  # type: ignore[attr-defined]

    def action_extend_floor(self) -> None:
        self._floor(self.meeting.extend_floor)  # type: ignore[attr-defined]

    def action_yield_floor(self) -> None:
        self._floor(self.meeting.yield_floor)  # type: ignore[attr-defined]
