"""Small modal dialogs: edit an answer, move it, confirm quitting with unsaved notes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from facilitator.groups import Roster, group_key
from facilitator.tui.widgets.typed_input import TypedInput

# Every text in a dialog may quote a group, an answer or a title: shown as
# Content, never parsed as markup ("UNDP [/b]" is a group name, not a tag).


class RosterSuggester(Suggester):
    """Completes a name in a dialog: a group from the meeting's groups (and their other names), or a theme.

    Only names that start with what is typed: the input shows the rest of the
    suggestion after the typed text, so a match on a later word would be drawn
    as garbage ("herz" + "zia and Herze"). The capture bar shows every match.
    """

    def __init__(self, roster: Roster) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.roster = roster

    async def get_suggestion(self, value: str) -> str | None:
        completed = self.complete_now(value)
        return completed if completed != value else None

    def complete_now(self, value: str) -> str:
        """`value` completed by the first name that starts with it (ignoring case and accents), or as typed."""
        typed = group_key(value)
        if not typed:
            return value
        for name in self.roster.complete(value):
            if group_key(name[: len(value)]) == typed:
                return value + name[len(value) :]
        return value

DIALOG_CSS = """
.dialog { width: 80%; max-width: 100; height: auto; padding: 1 2; border: thick $primary; background: $surface; }
.dialog > Label { width: 1fr; margin-bottom: 1; }
.dialog .hint { color: $text-muted; margin-top: 1; margin-bottom: 0; }
.dialog OptionList { height: auto; max-height: 16; }
.dialog Horizontal { height: auto; margin-top: 1; }
.dialog Button { margin-right: 2; }
"""


class TextDialog(ModalScreen[str | None]):
    """Ask for one line of text (edit an answer, name a group); Esc cancels."""

    DEFAULT_CSS = "TextDialog { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", hint: str = "", suggest: Roster | list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.suggest = suggest

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text))
            names = self.suggest
            roster = names if isinstance(names, Roster) or names is None else Roster(names)
            suggester = RosterSuggester(roster) if roster is not None else None
            yield DialogInput(value=self.value, suggester=suggester, id="dialog-input")
            yield Label(Content(self.hint or "Enter to confirm · Esc to cancel"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(DialogInput))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DialogInput(TypedInput):
    """The dialog's field: Enter closes the dialog at that key with the text as it stood (and the
    suggestion on show), so keys typed on after it go to the screen below, not into a closing dialog."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._select_all = True

    def on_focus(self) -> None:
        if self._select_all:  # the value is offered to be replaced as a whole, or edited
            self._select_all = False
            self.select_everything()

    def enter(self, value: str) -> None:
        if isinstance(self.suggester, RosterSuggester) and self.cursor_at_end:
            value = self.suggester.complete_now(value)  # "Camb" + Enter means Cambodia, typed fast or not
        self.screen.dismiss(value)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of a few options (a prompt to move an answer to); Esc cancels."""

    DEFAULT_CSS = "ChoiceDialog { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.title_text))
            yield OptionList(*(Option(Content(label), id=key) for key, label in self.choices))
            yield Label("↑↓ choose · Enter to confirm · Esc to cancel", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class UnsavedDialog(ModalScreen[str]):
    """Quitting while notes are not on disk: retry, save elsewhere, or really quit."""

    DEFAULT_CSS = "UnsavedDialog { align: center middle; }" + DIALOG_CSS
    BINDINGS = [Binding("escape", "dismiss('stay')", "Stay")]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content.assemble(("Some notes are NOT SAVED.", "bold"), "\n", self.reason))
            yield Label("Quitting now would lose them. Fix the disk and retry, or write them to another folder.")
            with Horizontal():
                yield Button("Retry saving", id="retry", variant="primary")
                yield Button("Save to another folder…", id="elsewhere")
                yield Button("Stay", id="stay")
                yield Button("Quit and lose them", id="lose", variant="error")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")
