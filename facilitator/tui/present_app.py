"""`facilitator present`: the projector view in a second terminal, following a run.

It reads the notes folder's run.toml (see `facilitator.present.RunFollower`)
and never writes anything, so it can run beside `facilitator run` on the same
folder, in a terminal moved to the projector.

The clock is this machine's: a run rehearsed with `--clock`/`--speed` keeps
its own time, which the projector cannot know.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from facilitator.present import RunFollower
from facilitator.tui.screens.present import PresentScreen


class PresentApp(App[None]):
    """The projector view on its own: `b` or `.` blanks it, `q` quits."""

    TITLE = "facilitator — projector"
    BINDINGS = [
        Binding("q,ctrl+q", "quit", "Quit", id="present.quit", priority=True, tooltip="Close the projector view"),
    ]

    def __init__(self, follower: RunFollower) -> None:
        super().__init__()
        self.follower = follower

    def on_mount(self) -> None:
        follower = self.follower
        follower.poll()
        self.push_screen(PresentScreen(follower.view, poll=follower.poll))
        self.notify("b or . blanks the screen · q quits", timeout=4)
