"""Naming a delegation in a few letters: the completion the capture bar, the speakers' list and the
roll call share.

What is typed is matched against the meeting's groups (`Roster.complete`: any
word, accents and case ignored, initials, other names); the field's subtitle
shows the match Tab or Enter would take ("Tab: Democratic Republic of the
Congo 1/3 ↓"), ↓ and ↑ go through the matches, and a name that matches no
group says "new group". `GroupCompletion` is that behaviour for any field;
`GroupField` is a field of its own with it (Enter names the delegation).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content

from facilitator.groups import Roster
from facilitator.tui.widgets.typed_input import TypedInput


class GroupCompletion:
    """The matches for what is typed in `field`, and which one Tab or Enter takes."""

    def __init__(self, field: TypedInput, roster: Callable[[], Roster], idle: Callable[[str], str] | None = None):
        self.field = field
        self.roster = roster
        self.idle = idle  # the subtitle when nothing is being completed (the capture bar: "on the floor")
        self.matches: list[str] = []
        self.match = 0

    @property
    def active(self) -> bool:
        field = self.field
        return field.has_focus or field.screen.focused is field

    def update(self) -> None:
        """After a key: the matches for the text as it stands."""
        typed = self.field.value
        self.matches = self.roster().complete(typed) if typed.strip() and self.active else []
        self.match = 0
        self.show()

    def cycle(self, step: int) -> bool:
        """↓ (+1) or ↑ (-1): the next match; False when there is nothing to go through."""
        if not self.matches:
            return False
        self.match = (self.match + step) % len(self.matches)
        self.show()
        return True

    def show(self) -> None:
        field = self.field
        if not self.matches:
            typed = " ".join(field.value.split())
            if typed and self.active and typed not in self.roster():
                field.border_subtitle = Content("new group")
            else:
                field.border_subtitle = Content(self.idle(typed)) if self.idle and self.idle(typed) else None
            return
        name = self.matches[self.match]
        more = f" {self.match + 1}/{len(self.matches)} ↓" if len(self.matches) > 1 else ""
        field.border_subtitle = Content(f"Tab: {name}{more}")

    def take(self) -> None:
        """Tab or Enter: the match on show becomes the field's value."""
        if self.matches:
            self.field.value = self.matches[self.match]
            self.field.cursor_position = len(self.field.value)
        self.forget()

    def forget(self) -> None:
        """The field was left: no match on show."""
        self.matches = []
        self.show()


class GroupField(TypedInput):
    """A field naming one delegation: letters completed from the meeting's groups, Enter names it.

    Enter takes the match on show, empties the field and hands the name to
    `named` at once (not in a message: the keys typed after it name the next
    one). ↑ and ↓ go through the matches (with none, they go to the screen, as
    does Tab with nothing to complete), so a list beside the field is one key away.
    """

    DEFAULT_CSS = "GroupField { border-subtitle-color: $text-muted; }"

    def __init__(self, roster: Callable[[], Roster], named: Callable[[str], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.completion = GroupCompletion(self, roster)
        self.named = named

    def takes(self, event: events.Key) -> bool:
        return super().takes(event) or event.key in ("tab", "up", "down")

    def take_key(self, event: events.Key) -> str | None:
        key = event.key
        if key in ("up", "down"):
            return None if self.completion.cycle(1 if key == "down" else -1) else key
        if key == "tab":
            if not self.completion.matches:
                return key
            self.completion.take()
            return None
        if key == "enter":
            self.completion.take()
            name, self.value = self.value, ""
            self.named(name)
            return None
        super().take_key(event)
        self.completion.update()
        return None

    def take_paste(self, text: str) -> None:
        self.type_text(" ".join(text.split()))  # a name is one line
        self.completion.update()

    def on_blur(self) -> None:
        self.completion.forget()
