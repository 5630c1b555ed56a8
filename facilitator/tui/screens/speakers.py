"""The speakers' list: delegations asking for the floor, in order, and who has it now.

Hands go up several at once, so the screen opens on a field: type a few
letters of each delegation (completed as in the capture bar), Enter puts it at
the end of the list, the next one can be typed at once. On the list: Enter
gives the floor to the delegation highlighted, d takes it off, ⇧↑/⇧↓ move it,
i types a delegation in before it. F6 gives the floor to the first on the
list, F7 gives the speaker a minute more, F8 ends the intervention. Every
change is a `Meeting` operation, said in a notice and undone by u.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitator.floor import clock_text
from facilitator.groups import group_key
from facilitator.problems import plural
from facilitator.tui.screens.capture import FacilitatorScreen
from facilitator.tui.screens.floor_keys import FLOOR_BINDINGS, FloorKeys
from facilitator.tui.widgets.group_field import GroupField
from facilitator.tui.widgets.key_footer import KeyFooter


class SpeakerList(OptionList):
    """The list itself: single-key commands on the delegation highlighted."""

    BINDINGS = [
        Binding("d,delete", "screen.remove", "Remove", id="speakers.remove",
                tooltip="Take the delegation highlighted off the list"),
        Binding("K,shift+up", "screen.move(-1)", "Move up", id="speakers.up", key_display="⇧↑"),
        Binding("J,shift+down", "screen.move(1)", "Move down", id="speakers.down", key_display="⇧↓"),
        Binding("i", "screen.insert", "Insert", id="speakers.insert",
                tooltip="Type a delegation to put before the one highlighted"),
        Binding("a", "screen.add", "Add", id="speakers.add", tooltip="Type a delegation to put at the end"),
        Binding("u", "screen.undo", "Undo", id="speakers.undo", tooltip="Undo the last change"),
    ]


class SpeakersScreen(FloorKeys, FacilitatorScreen):
    """Who has the floor, and the delegations waiting for it."""

    BINDINGS = [
        *FLOOR_BINDINGS,
        Binding("escape,f4", "back", "Back", id="speakers.back", tooltip="Back (Esc first empties the field)"),
        # From the field (with no match to go through): to the list. On the list these are its own.
        Binding("down,up", "focus_list", "List", id="speakers.focus_list", show=False),
    ]
    DEFAULT_CSS = """
    SpeakersScreen #speakers-now { height: auto; padding: 0 1; background: $panel; }
    SpeakersScreen #speakers-list { height: 1fr; border: round $primary; }
    SpeakersScreen #speakers-list:focus { border: round $accent; }
    SpeakersScreen #speakers-name { border: tall $panel-lighten-2; }
    SpeakersScreen #speakers-name:focus { border: tall $accent; }
    SpeakersScreen #speakers-help { color: $text-muted; padding: 0 1; height: auto; }
    """
    HELP = (
        "Type a delegation asking for the floor: Tab completes, Enter puts it on the list. "
        "↓ or Tab goes to the list: Enter gives the floor to the one highlighted, d takes it off, "
        "⇧↑ ⇧↓ move it, i types one in before it. F6 gives the floor to the first on the list. u undoes."
    )

    def __init__(self) -> None:
        super().__init__()
        self.insert_at: int | None = None  # where the names typed next go (None: at the end)

    def compose(self) -> ComposeResult:
        yield Static(id="speakers-now")
        yield SpeakerList(id="speakers-list")
        yield GroupField(lambda: self.meeting.roster(), self._named, id="speakers-name",
                         placeholder="Delegation asking for the floor — Enter puts it on the list")
        yield Static(Text(self.HELP), id="speakers-help")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        self._show_where()
        self.set_focus(self.name_field)
        self.set_interval(1.0, self._show_floor)

    @property
    def name_field(self) -> GroupField:
        return self.query_one("#speakers-name", GroupField)

    @property
    def speaker_list(self) -> SpeakerList:
        return self.query_one(SpeakerList)

    # -- drawing ------------------------------------------------------------------------

    def floor_changed(self) -> None:
        self.refresh_list()

    def _show_floor(self) -> None:
        meeting = self.meeting
        held, timer = meeting.floor, meeting.speaking()
        line = Text()
        if held is not None and timer is not None:
            line.append("On the floor: ", style="dim")
            line.append(held.group, style="bold")
            style = {"warning": "bold reverse yellow", "overrun": "bold reverse red"}.get(timer.state, "bold")
            line.append("  ")
            line.append(f" {timer.label()} ", style=style)
            line.append(f" {timer.given}", style="dim")
        else:
            line.append("No one has the floor", style="dim")
        line.append(f"   ·   {plural(len(meeting.speakers), 'delegation')} waiting", style="dim")
        self.query_one("#speakers-now", Static).update(line)

    def refresh_list(self, select: int | None = None) -> None:
        meeting = self.meeting
        spoken = self._spoken()
        options = []
        for place, name in enumerate(meeting.speakers, 1):
            line = Text(f"{place:>2}. ")
            line.append(name)  # text, never markup
            before = spoken.get(group_key(name))
            if before:
                count, seconds = before
                times = "once" if count == 1 else "twice" if count == 2 else f"{count} times"
                line.append(f"   spoke {times} today, {clock_text(seconds)}", style="dim")
            options.append(Option(line))
        listing = self.speaker_list
        highlighted = listing.highlighted
        listing.set_options(options)
        if options:
            wanted = select if select is not None else highlighted if highlighted is not None else 0
            listing.highlighted = max(0, min(wanted, len(options) - 1))
        listing.border_title = Content(f"Speakers' list · {plural(len(options), 'delegation')}")
        self._show_floor()
        self._show_where()

    def _spoken(self) -> dict[str, tuple[int, int]]:
        """Group key -> (interventions, seconds) so far in the run: who has spoken already, and how long."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.meeting.notes.items.values():
            for spoke in item.interventions:
                count, seconds = out.get(group_key(spoke.group), (0, 0))
                out[group_key(spoke.group)] = (count + 1, seconds + spoke.seconds)
        return out

    def _show_where(self) -> None:
        """The field's title says where the next name goes."""
        speakers = self.meeting.speakers
        if self.insert_at is not None and self.insert_at < len(speakers):
            where = f"Insert before {self.insert_at + 1}. {speakers[self.insert_at]}"
        else:
            where = "Add at the end of the list"
        self.name_field.border_title = Content(where)

    # -- the field ------------------------------------------------------------------------

    def _named(self, name: str) -> None:
        """Enter in the field: the delegation goes on the list, where the field's title says."""
        if not name.strip():
            return
        at = self.insert_at if self.insert_at is not None and self.insert_at < len(self.meeting.speakers) else None
        if self.facilitator.apply(self.meeting.ask_for_floor, name, at):
            place = at if at is not None else len(self.meeting.speakers) - 1
            if self.insert_at is not None:
                self.insert_at += 1  # several typed in a row keep their order
            self.refresh_list(select=place)

    # -- keys ---------------------------------------------------------------------------

    def _highlighted(self) -> int | None:
        listing = self.speaker_list
        if listing.highlighted is None or not self.meeting.speakers:
            self.notify("The speakers' list is empty", severity="warning")
            return None
        return listing.highlighted

    @on(OptionList.OptionSelected, "#speakers-list")
    def _give(self, event: OptionList.OptionSelected) -> None:
        """Enter on the list: the delegation highlighted takes the floor."""
        event.stop()
        self._floor(self.meeting.give_floor, None, event.option_index)

    def action_remove(self) -> None:
        index = self._highlighted()
        if index is not None and self.facilitator.apply(self.meeting.remove_speaker, index):
            self.refresh_list(select=index)

    def action_move(self, step: int) -> None:
        index = self._highlighted()
        if index is None:
            return
        target = index + step
        if not 0 <= target < len(self.meeting.speakers):
            self.notify("No place further that way", severity="warning", timeout=2)
            return
        if self.facilitator.apply(self.meeting.move_speaker, index, target):
            self.refresh_list(select=target)

    def action_insert(self) -> None:
        self.insert_at = self.speaker_list.highlighted if self.meeting.speakers else None
        self._show_where()
        self.set_focus(self.name_field)  # now: the letters typed next are the name

    def action_add(self) -> None:
        self.insert_at = None
        self._show_where()
        self.set_focus(self.name_field)

    def action_undo(self) -> None:
        if self.facilitator.undo():
            self.refresh_list()

    def action_focus_list(self) -> None:
        """From the field to the list, the delegation last put on it highlighted."""
        self.set_focus(self.speaker_list)

    def action_back(self) -> None:
        field = self.name_field
        if self.focused is field and field.value:
            field.value = ""  # first Esc: the name half typed goes, the screen stays
            field.completion.update()
            return
        if self.insert_at is not None:
            self.insert_at = None
            self._show_where()
            return
        self.dismiss()

    def on_descendant_focus(self) -> None:
        self._show_where()
