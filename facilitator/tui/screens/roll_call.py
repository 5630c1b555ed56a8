"""The roll call: who is in the room, one key per delegation.

The chair calls the delegations in order; the rapporteur presses p (or Space,
or Enter) for each one present and a (or x) for each one not there, and the
highlight moves on to the next name. A delegation arriving late is marked any
time, here or by typing its name in the field (completed as in the capture
bar; a delegation the programme does not list is added). Each mark is made
now, during the item running (or on screen), so the summary can tell who was
in the room for each item and for the day (`facilitator.floor`); u undoes the
last mark.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.groups import group_key
from facilitator.notes import Presence
from facilitator.problems import plural
from facilitator.tui.screens.capture import FacilitatorScreen
from facilitator.tui.widgets.group_field import GroupField
from facilitator.tui.widgets.key_footer import KeyFooter


class RollList(OptionList):
    """The delegations, each with its mark: one key marks the one highlighted and moves on."""

    BINDINGS = [
        Binding("p,space", "screen.mark(True)", "Present", id="roll.present", key_display="p",
                tooltip="The delegation highlighted is in the room (Space and Enter too); on to the next"),
        Binding("a,x", "screen.mark(False)", "Not present", id="roll.absent", key_display="a",
                tooltip="The delegation highlighted is not in the room, or has left; on to the next"),
        Binding("plus,slash", "screen.type_name", "Late arrival", id="roll.type", key_display="+",
                tooltip="Type the name of a delegation arriving (one not listed is added)"),
        Binding("u", "screen.undo", "Undo", id="roll.undo", tooltip="Undo the last mark"),
    ]


class RollCallScreen(FacilitatorScreen):
    """Every delegation of the meeting and whether it is in the room."""

    BINDINGS = [Binding("escape", "back", "Back", id="roll.back", tooltip="Back to the run screen")]
    DEFAULT_CSS = """
    RollCallScreen #roll-head { height: auto; padding: 0 1; background: $panel; }
    RollCallScreen #roll-list { height: 1fr; border: round $primary; }
    RollCallScreen #roll-list:focus { border: round $accent; }
    RollCallScreen #roll-name { border: tall $panel-lighten-2; }
    RollCallScreen #roll-name:focus { border: tall $accent; }
    RollCallScreen #roll-help { color: $text-muted; padding: 0 1; height: auto; }
    """
    HELP = (
        "Call the delegations in order: p (or Space, Enter) present, a not present; the next one is "
        "highlighted. A late arrival: + and its name (Tab completes). u undoes the last mark."
    )

    def compose(self) -> ComposeResult:
        yield Static(id="roll-head")
        yield RollList(id="roll-list")
        yield GroupField(lambda: self.meeting.roster(), self._named, id="roll-name",
                         placeholder="A delegation arriving — Enter marks it present")
        yield Static(Text(self.HELP), id="roll-help")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list(select=0)
        self.set_focus(self.roll_list)

    @property
    def roll_list(self) -> RollList:
        return self.query_one(RollList)

    @property
    def names(self) -> list[str]:
        """Every delegation the meeting knows: the programme's, then any other answering, speaking or marked."""
        return self.meeting.roster().names

    def _marks(self) -> dict[str, Presence]:
        """The last mark of each group (by identity) on the day of the item running (or on screen)."""
        meeting = self.meeting
        day = (meeting.running or meeting.session).date
        last: dict[str, Presence] = {}
        for mark in sorted(meeting.notes.run.attendance, key=lambda m: m.at):
            if meeting.day_of(mark) == day:
                last[group_key(mark.group)] = mark
        return last

    def refresh_list(self, select: int | None = None) -> None:
        marks = self._marks()
        options = []
        for name in self.names:
            mark = marks.get(group_key(name))
            line = Text()
            if mark is None:
                line.append("  · ", style="dim")
                line.append(name)  # text, never markup
                line.append("   not marked", style="dim")
            elif mark.present:
                line.append("  ✓ ", style="bold green")
                line.append(name, style="bold")
                line.append(f"   present since {mark.at:%H:%M}", style="dim")
            else:
                line.append("  ✗ ", style="bold red")
                line.append(name, style="strike dim")
                line.append(f"   not present ({mark.at:%H:%M})", style="dim")
            options.append(Option(line))
        listing = self.roll_list
        highlighted = listing.highlighted
        listing.set_options(options)
        if options:
            wanted = select if select is not None else highlighted or 0
            listing.highlighted = max(0, min(wanted, len(options) - 1))
        present = sum(1 for m in marks.values() if m.present)
        meeting = self.meeting
        where = meeting.running or meeting.session
        head = Text.assemble(
            ("Roll call", "bold"), f" · {where.date:%d %B %Y} · during “{where.title}” · ",
            (f"{plural(present, 'delegation')} present", "bold"), f" of {len(options)}",
        )
        self.query_one("#roll-head", Static).update(head)
        listing.border_title = Content(f"Delegations · {present} present")

    # -- keys -----------------------------------------------------------------------------

    def action_mark(self, present: bool) -> None:
        listing = self.roll_list
        index = listing.highlighted
        names = self.names
        if index is None or not 0 <= index < len(names):
            return
        if self.facilitator.apply(self.meeting.mark_present, names[index], present, quiet=True):
            self.refresh_list(select=min(index + 1, len(names) - 1))  # on to the next name called

    @on(OptionList.OptionSelected, "#roll-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_mark(True)

    def action_type_name(self) -> None:
        self.set_focus(self.query_one("#roll-name", GroupField))  # now: the letters typed next are the name

    def _named(self, name: str) -> None:
        """A late arrival named: marked present, and back to the list (arrivals come one at a time)."""
        self.set_focus(self.roll_list)
        if not name.strip():
            return
        if self.facilitator.apply(self.meeting.mark_present, name, True):
            canonical = self.meeting.roster().canonical(name)
            self.refresh_list(select=self.names.index(canonical) if canonical in self.names else None)

    def action_undo(self) -> None:
        if self.facilitator.undo():
            self.refresh_list()

    def action_back(self) -> None:
        field = self.query_one("#roll-name", GroupField)
        if self.focused is field:
            field.value = ""
            self.set_focus(self.roll_list)
            return
        self.dismiss()
