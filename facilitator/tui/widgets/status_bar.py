"""The top line: clock, programme and current item, how late the day runs, save state."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class StatusBar(Horizontal):
    """Always-visible facts: the time, where we are, delay, and whether notes are safe."""

    DEFAULT_CSS = """
    StatusBar { height: 1; dock: top; background: $panel; }
    StatusBar > Static { width: auto; padding: 0 1; }
    StatusBar > #status-clock { text-style: bold; background: $primary; color: $text; }
    StatusBar > #status-where { width: 1fr; color: $text-muted; }
    StatusBar > #status-delay.-late { background: $warning; color: $text; text-style: bold; }
    StatusBar > #status-delay.-early { color: $success; }
    StatusBar > #status-saved { color: $success; }
    StatusBar > #status-saved.-saving { color: $text-muted; }
    StatusBar > #status-saved.-failed { background: $error; color: $text; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="status-clock")
        yield Static(id="status-where")
        yield Static(id="status-delay")
        yield Static("● saved", id="status-saved")

    def show_time(self, now: dt.datetime, where: str, delay_minutes: int, summary: str) -> None:
        self.query_one("#status-clock", Static).update(f"{now:%H:%M:%S}")
        self.query_one("#status-where", Static).update(where)
        delay = self.query_one("#status-delay", Static)
        delay.update(summary)
        delay.set_class(delay_minutes > 0, "-late")
        delay.set_class(delay_minutes < 0, "-early")

    def show_saved(self, state: str, message: str = "") -> None:
        saved = self.query_one("#status-saved", Static)
        label = {"saved": "● saved", "saving": "◌ saving…"}.get(state, f"✖ NOT SAVED: {message}")
        saved.update(label)
        saved.set_class(state == "saving", "-saving")
        saved.set_class(state == "failed", "-failed")
        saved.tooltip = message or None
