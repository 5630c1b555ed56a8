"""The agenda on the day: insert, drop, move, retime an item, add a prompt, from the keyboard.

A speaker is absent, a discussion runs on, a question comes from the floor.
Each change is a `Meeting` operation (kept in run.toml as the agenda as run,
never in the programme file), says what it did and is undone by `u`, like
every change to the answers. The list shows the agenda as it runs, with
the dropped items at their place, dimmed, and what changed for each.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.notes import NotesError
from facilitator.programme import Session
from facilitator.tui.screens.capture import FacilitatorScreen
from facilitator.tui.widgets.key_footer import KeyFooter

HELP = (
    "The agenda as it runs today: the programme file never changes. Each change says what it did; u undoes it. "
    "Enter shows the item on the run screen."
)
_LENGTH = re.compile(r"^(?P<title>.*?)[\s,;]+(?P<minutes>\d{1,3})\s*(?:min|mins|minutes|')?\s*$", re.IGNORECASE)
_TIMING = re.compile(
    r"^\s*(?:(?P<h>\d{1,2})[:.h](?P<m>\d{2}))?"  # a start, 15:30
    r"\s*(?:[,;\s]\s*)?(?P<minutes>\d{1,3})?\s*(?:min\w*)?\s*$"  # a length in minutes, 45
)


def parse_new_item(text: str) -> tuple[str, int | None]:
    """ "Questions from the floor, 20 min" -> ("Questions from the floor", 20); a title alone -> (title, None)."""
    found = _LENGTH.match(text.strip())
    if found and found["title"].strip():
        return found["title"].strip(), int(found["minutes"])
    return text.strip(), None


def parse_timing(text: str) -> tuple[dt.time | None, int | None]:
    """ "15:30 45" -> (15:30, 45 min); "15:30" -> (15:30, None); "45" -> (None, 45); "" -> (None, None).

    No start: the item follows the one before it; no length: it shares the time to the next start.
    """
    found = _TIMING.match(text)
    if not found:
        raise NotesError(f"'{text.strip()}' is not a time and length like 15:30 45 (or 15:30, or 45)")
    start = None
    if found["h"] is not None:
        hours, minutes = int(found["h"]), int(found["m"])
        if hours > 23 or minutes > 59:
            raise NotesError(f"'{found['h']}:{found['m']}' is not a time of day")
        start = dt.time(hours, minutes)
    return start, int(found["minutes"]) if found["minutes"] is not None else None


class AgendaScreen(FacilitatorScreen):
    """Every item of the agenda as run; keys change it."""

    BINDINGS = [
        Binding("i", "insert", "Insert", id="agenda.insert",
                tooltip="Insert an item after the selected one (a title, and its minutes: 'Questions, 20')"),
        Binding("d", "drop", "Drop/restore", id="agenda.drop",
                tooltip="Take the selected item off the agenda (its notes stay), or put a dropped one back"),
        Binding("K,shift+up", "move(-1)", "Move up", id="agenda.up", key_display="⇧↑",
                tooltip="Move the selected item one place earlier"),
        Binding("J,shift+down", "move(1)", "Move down", id="agenda.down", key_display="⇧↓",
                tooltip="Move the selected item one place later"),
        Binding("t", "retime", "Time", id="agenda.retime",
                tooltip="Change when the selected item starts and how long it lasts ('15:30 45', '45', '')"),
        Binding("q", "prompt", "Add prompt", id="agenda.prompt",
                tooltip="Add a question (from the floor) to the selected item"),
        Binding("u", "undo", "Undo", id="agenda.undo", tooltip="Undo the last change"),
        Binding("enter", "show", "Show", id="agenda.show", show=False, tooltip="Show the item on the run screen"),
        Binding("escape,A", "back", "Back", id="agenda.back", tooltip="Back to the run screen"),
    ]
    DEFAULT_CSS = """
    AgendaScreen #agenda-help { color: $text-muted; padding: 0 1; height: auto; }
    AgendaScreen #agenda-items { height: 1fr; border: round $primary; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text(HELP), id="agenda-help")
        yield OptionList(id="agenda-items")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list(select=self.meeting.session.id)
        self.set_focus(self.items)

    @property
    def items(self) -> OptionList:
        return self.query_one("#agenda-items", OptionList)

    # -- the list ------------------------------------------------------------------------

    def _rows(self) -> list[tuple[str, Session, bool]]:
        """(id, item, dropped) in the order of the day as run, each dropped item where the programme had it."""
        agenda = self.meeting.agenda
        rows = [(s.id, s, False) for s in agenda.programme.sessions]
        for dropped in agenda.dropped:
            planned_ids = [s.id for s in agenda.planned.sessions]
            before = planned_ids[: planned_ids.index(dropped.id)] if dropped.id in planned_ids else []
            at = max((i + 1 for i, (sid, _, _) in enumerate(rows) if sid in before), default=0)
            rows.insert(at, (dropped.id, dropped, True))
        return rows

    def refresh_list(self, select: str | None = None) -> None:
        meeting = self.meeting
        projection = meeting.projection()
        running = meeting.running.id if meeting.running else ""
        options = []
        for session_id, session, dropped in self._rows():
            line = Text()
            if dropped:
                line.append("  ✗ ", style="bold")
                line.append(f"{session.title}", style="strike dim")
            else:
                slot = projection.slot(session_id)
                line.append("▶ " if session_id == running else "  ", style="bold")
                line.append(f"{slot.projected_start:%H:%M}–{slot.projected_end:%H:%M} ", style="bold")
                line.append(session.title)
                if session.prompts:
                    line.append(f"  {len(session.prompts)}?", style="dim")
            note = meeting.agenda.note(session_id)
            if note:
                line.append(f"  · {note}", style="italic dim")
            options.append(Option(line, id=f"{'x' if dropped else 'o'}:{session_id}"))
        highlighted = self.items.highlighted
        self.items.set_options(options)
        ids = [o.id for o in options]
        wanted = next((i for i, o in enumerate(ids) if o and o[2:] == select), None) if select else None
        if wanted is None and highlighted is not None:
            wanted = min(highlighted, len(options) - 1)
        self.items.highlighted = wanted if wanted is not None else 0

    def _selected(self) -> tuple[str, bool]:
        option = self.items.highlighted_option
        if option is None or option.id is None:
            return "", False
        return option.id[2:], option.id.startswith("x:")

    def _change(self, action, *args, select: str | None = None) -> bool:
        if not self.facilitator.apply(action, *args):
            return False
        self.refresh_list(select)
        return True

    # -- keys --------------------------------------------------------------------------

    def action_insert(self) -> None:
        session_id, dropped = self._selected()
        if dropped:
            self.notify("Restore the dropped item first (d), or insert after another item", severity="warning")
            return
        from facilitator.tui.screens.dialogs import TextDialog

        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            title, minutes = parse_new_item(text)
            kind = "break" if re.search(r"\b(break|lunch|coffee|pause)\b", title, re.IGNORECASE) else "discussion"
            before = {s.id for s in self.meeting.programme.sessions}
            if self._change(self.meeting.add_item, title, kind, session_id, None, minutes or 15):
                added = [s.id for s in self.meeting.programme.sessions if s.id not in before]
                self.refresh_list(added[0] if added else None)

        after = self.meeting.programme.session(session_id)
        self.app.push_screen(
            TextDialog(
                f"New item after “{after.title if after else 'the start'}”",
                hint="Its title, and its minutes if not 15: 'Questions from the floor, 20'. A title with "
                "'break', 'lunch' or 'coffee' is a break. Enter to add · Esc to cancel",
            ),
            done,
        )

    def action_drop(self) -> None:
        session_id, dropped = self._selected()
        if not session_id:
            return
        if dropped:
            self._change(self.meeting.restore_item, session_id, select=session_id)
        else:
            self._change(self.meeting.drop_item, session_id, select=session_id)

    def action_move(self, step: int) -> None:
        session_id, dropped = self._selected()
        if not session_id or dropped:
            return
        ids = [s.id for s in self.meeting.programme.sessions]
        at = ids.index(session_id)
        target = at + step
        if not 0 <= target < len(ids):
            self.notify("No place further that way", severity="warning", timeout=2)
            return
        rest = [i for i in ids if i != session_id]
        after = rest[target - 1] if target > 0 else ""
        self._change(self.meeting.move_item, session_id, after, select=session_id)

    def action_retime(self) -> None:
        session_id, dropped = self._selected()
        session = self.meeting.programme.session(session_id) if not dropped else None
        if session is None:
            return
        from facilitator.tui.screens.dialogs import TextDialog

        now = (f"{session.start:%H:%M} " if session.start else "") + (f"{session.duration}" if session.duration else "")

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                start, minutes = parse_timing(text)
            except NotesError as exc:
                self.notify(str(exc), severity="error")
                return
            self._change(self.meeting.retime_item, session_id, start, minutes, select=session_id)

        self.app.push_screen(
            TextDialog(
                f"When “{session.title}” starts and how long it lasts",
                now.strip(),
                hint="'15:30 45': starts 15:30, 45 minutes · '45': follows the item before · '15:30': shares "
                "the time to the next start · empty: follows, shares. Enter · Esc cancels",
            ),
            done,
        )

    def action_prompt(self) -> None:
        session_id, dropped = self._selected()
        session = self.meeting.programme.session(session_id) if not dropped else None
        if session is None:
            return
        from facilitator.tui.screens.dialogs import TextDialog

        def done(text: str | None) -> None:
            if text and text.strip():
                self._change(self.meeting.add_prompt, text, session_id, select=session_id)

        self.app.push_screen(TextDialog(f"A new prompt for “{session.title}”"), done)

    def action_undo(self) -> None:
        if self.facilitator.undo():
            self.refresh_list(self._selected()[0])

    def action_show(self) -> None:
        session_id, dropped = self._selected()
        if dropped:
            self.notify("A dropped item is off the agenda: d puts it back", severity="warning")
            return
        if self.facilitator.apply(self.meeting.go_to, session_id):
            self.dismiss()

    def action_back(self) -> None:
        self.dismiss()

    @on(OptionList.OptionSelected, "#agenda-items")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_show()
