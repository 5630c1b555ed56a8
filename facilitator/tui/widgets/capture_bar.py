"""Where the rapporteur types: a group, an answer, Enter.

Every key typed in the bar is handled the moment the app receives it, in the
order it was typed, by `CaptureBar.take_key` (the app hands it over before
Textual would queue it for a widget: see `FacilitatorApp.on_event`). Textual
queues each key for the focused widget and moves the focus later, so a burst
of keys (a fast typist, a laggy ssh link, a browser tab) used to land partly
in the wrong field, and Enter read an answer after the next keys had arrived.
Here a Tab moves the focus before the next key is routed, and Enter takes the
text as it stood at that key and clears the field at once.

Tab goes between the two fields and never leaves the bar; Shift+Tab goes to
the group field from either, its name selected, so the next letters name
another group. Leaving the bar is explicit (Esc). In the group field the letters typed are completed from the
meeting's groups (`Roster.complete`: any word, accents ignored, initials);
↓ and ↑ go through the matches, Tab or Enter takes the one shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from facilitator.groups import Roster, group_key
from facilitator.tui.widgets.group_field import GroupCompletion
from facilitator.tui.widgets.typed_input import EDITING_KEYS, TypedInput


class CaptureHost(Protocol):
    """What the screen holding a capture bar does with its keys (see `CaptureScreen`)."""

    def capture(self, group: str, text: str) -> bool: ...

    def leave_capture(self) -> None: ...


class CaptureField(TypedInput):
    """One field of the capture bar: its keys go to the bar (Tab, Enter and completion are the bar's)."""

    @property
    def bar(self) -> CaptureBar:
        assert isinstance(self.parent, CaptureBar)
        return self.parent

    def takes(self, event: events.Key) -> bool:
        return self.bar.takes(event)

    def take_key(self, event: events.Key) -> str | None:
        return self.bar.take_key(self, event)

    def take_paste(self, text: str) -> None:
        self.bar.take_paste(self, text)


class CaptureBar(Horizontal):
    """Group field and answer field; Enter in the answer records it."""

    # Shown in the help screen and the footer; the keys themselves are handled by `take_key`.
    BINDINGS = [
        Binding("escape", "leave", "Commands", tooltip="Leave the capture bar to use single-key commands"),
        Binding("tab", "noop", "Next field", show=False, tooltip="Group ⇄ answer (never leaves the bar)"),
        Binding("shift+tab", "noop", "Group", show=False,
                tooltip="To the group field, its name selected: type the next group"),
        Binding("down", "noop", "Next match", key_display="↓", show=False,
                tooltip="In the group field: the next group matching what you typed (↑ the previous)"),
        Binding("enter", "noop", "Record", show=False, tooltip="In the answer field: record the answer"),
    ]
    # One column of padding, not Input's two: in the 22 to 24 columns an 80-column screen
    # gives the group field, a name keeps 18 to 20 ("Democratic Republic ").
    DEFAULT_CSS = """
    CaptureBar { height: auto; background: $panel; }
    CaptureBar > #capture-group { width: 30; }
    CaptureBar > #capture-text { width: 1fr; }
    CaptureBar > CaptureField { border-subtitle-color: $text-muted; padding: 0 1; }
    """

    def __init__(self, roster: Callable[[], Roster], **kwargs) -> None:
        super().__init__(**kwargs)
        self.roster = roster
        self.on_floor = ""  # the delegation speaking: the group of every answer, unless another is typed
        self.completion: GroupCompletion | None = None

    def compose(self) -> ComposeResult:
        yield CaptureField(placeholder="Group or delegation", id="capture-group", select_on_focus=False)
        yield CaptureField(placeholder="Answer — Enter records it", id="capture-text", select_on_focus=False)

    def on_mount(self) -> None:
        self.completion = GroupCompletion(self.group_input, self.roster, idle=self._idle_hint)

    def _idle_hint(self, typed: str) -> str:
        return "on the floor" if self.on_floor and typed and group_key(typed) == group_key(self.on_floor) else ""

    def give_floor(self, group: str) -> None:
        """A delegation has the floor: it is the group of the answers typed next (0 keys for it).

        From the group field, the focus moves to the answer: what is typed next is what it says."""
        self.on_floor = group
        self.group_input.value = group
        self.group_input.cursor_position = len(group)
        if self.screen.focused is self.group_input:
            self.screen.set_focus(self.text_input)
        self._complete()

    def floor_yielded(self) -> None:
        """No one has the floor: the group field keeps its name, as any group typed."""
        self.on_floor = ""
        self._complete()

    def back_to_floor(self, recorded_for: str) -> None:
        """After an answer from another group than the one on the floor (a remark from elsewhere in
        the room), the next answer is the floor's again."""
        if self.on_floor and group_key(recorded_for) != group_key(self.on_floor):
            self.group_input.value = self.on_floor
            self.group_input.cursor_position = len(self.on_floor)
            self._complete()

    @property
    def group_input(self) -> CaptureField:
        return self.query_one("#capture-group", CaptureField)

    @property
    def text_input(self) -> CaptureField:
        return self.query_one("#capture-text", CaptureField)

    @property
    def host(self) -> CaptureHost:
        return self.screen  # type: ignore[return-value]  # a CaptureScreen

    # -- keys, in the order typed ------------------------------------------------

    def takes(self, event: events.Key) -> bool:
        """Whether the bar handles this key itself (all text and editing keys; not F-keys or Ctrl+Q)."""
        key = event.key
        return (
            event.is_printable
            or key in EDITING_KEYS
            or key in {"tab", "shift+tab", "enter", "escape", "up", "down", "pageup", "pagedown"}
            or (key.startswith("alt+") and event.is_printable)
        )

    def take_key(self, field: CaptureField, event: events.Key) -> str | None:
        """Handle one key typed in `field`, now (see the module's docstring).

        Returns a key for the screen to run as a command at once (PageUp, or the
        letter of an Esc typed together with it), or None.
        """
        key = event.key
        run: str | None = None
        if key.startswith("alt+") and event.is_printable and event.character:
            # Esc then a letter, typed together, reaches us as Alt+letter (the terminal
            # cannot tell them apart, and the app binds no Alt key): leave, then the command.
            self.host.leave_capture()
            return event.character
        elif key == "escape":
            self.host.leave_capture()
        elif key == "tab":
            self._switch(field)
        elif key == "shift+tab":
            # Always the group field, its name selected: the one key for "another group speaks".
            if field.id == "capture-group":
                field.select_everything()
            else:
                self._switch(field)
        elif key == "enter":
            if field.id == "capture-group":
                self._switch(field)
            else:
                self._record()
        elif key in ("up", "down") and field.id == "capture-group":
            self._cycle(1 if key == "down" else -1)
        elif key in ("pageup", "pagedown"):
            run = key
        else:
            TypedInput.take_key(field, event)  # text and editing, as any field
        if field.id == "capture-group" and key not in ("up", "down"):
            self._complete()
        return run

    def take_paste(self, field: CaptureField, text: str) -> None:
        """A paste: every line kept. In the answer field line breaks stay (one answer, shown ⏎);
        a group name is one line, so there they become spaces."""
        if field.id == "capture-group":
            field.type_text(" ".join(text.split()))
            self._complete()
        else:
            TypedInput.take_paste(field, text)

    # -- what the keys do ---------------------------------------------------------

    def _switch(self, field: CaptureField) -> None:
        """Tab: from the group (taking the match on show) to the answer, or back."""
        if field.id == "capture-group":
            self._take_match()
            target = self.text_input
        else:
            target = self.group_input
            target.select_everything()  # the next letters name another group
        self.screen.set_focus(target)  # now, not after the keys already typed
        self._complete()

    def _record(self) -> None:
        group, text = self.group_input.value, self.text_input.value
        self.text_input.value = ""  # before the next key is handled: it starts the next answer
        if not self.host.capture(group, text):
            # Refused (no group, empty answer): the words come back, ahead of anything typed since.
            self.text_input.value = text + self.text_input.value
            self.text_input.cursor_position = len(text)

    @property
    def matches(self) -> list[str]:
        return self.completion.matches if self.completion else []

    def _complete(self) -> None:
        if self.completion is not None:
            self.completion.update()

    def _cycle(self, step: int) -> None:
        if self.completion is not None:
            self.completion.cycle(step)

    def _take_match(self) -> None:
        if self.completion is not None:
            self.completion.take()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # The match hint belongs to typing in the group field: gone when the field is left.
        if event.widget is self.group_input:
            if self.completion is not None:
                self.completion.forget()
            # A name longer than the field was left scrolled to its end ("ic of the Congo"):
            # show its start, which is how the rapporteur reads it.
            self.group_input.scroll_to(x=0, animate=False, force=True, immediate=True)

    def action_leave(self) -> None:
        self.host.leave_capture()

    def action_noop(self) -> None:
        """Keys listed for the help screen only."""
