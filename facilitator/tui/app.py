"""FacilitatorApp: holds the meeting, saves it in the background, hosts the screens."""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from facilitator.autosave import AutoSaver, SaveStatus
from facilitator.meeting import Meeting
from facilitator.notes import Notes, NotesError
from facilitator.problems import Problem
from facilitator.store import NotesFolder, StoreError
from facilitator.tui.screens.run import CommandArea, RunScreen
from facilitator.tui.widgets.capture_bar import CaptureBar


def _meeting_commands():
    # Imported when the palette first opens, not at start-up.
    from facilitator.tui.commands import MeetingCommands

    return MeetingCommands


class SaveStatusChanged(Message):
    """Posted from the saving thread; the screen shows it."""

    def __init__(self, status: SaveStatus) -> None:
        self.status = status
        super().__init__()


class NotesLoaded(Message):
    """The notes folder has been read (or could not be) by the loading thread."""

    def __init__(self, notes: Notes | None, error: StoreError | None = None) -> None:
        self.notes = notes
        self.error = error
        super().__init__()


class FacilitatorApp(App[None]):
    """The whole tool in a terminal: run a programme, capture answers, never lose them."""

    CSS_PATH = "facilitator.tcss"
    TITLE = "facilitator"
    COMMANDS = App.COMMANDS | {_meeting_commands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="List every key"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Save and quit"),
    ]

    def __init__(
        self,
        meeting: Meeting,
        folder: NotesFolder | None = None,
        retry_seconds: float = 3.0,
        load_in_background: bool = False,
    ) -> None:
        super().__init__()
        self.meeting = meeting
        self.folder = folder
        self.retry_seconds = retry_seconds
        self.saver: AutoSaver | None = None
        self.unsaved_on_exit = False
        self.rescued_to: Path | None = None  # where the notes went when the folder refused them
        self.last_export: Path | None = None
        self._failing = False  # saving has failed since the last good save
        # True until the answers are read: the screen shows at once (a day of
        # 5,000 answers takes a few hundred ms to parse) but nothing changes
        # or saves until they are in, so nothing on disk can be overwritten.
        self.loading = load_in_background and folder is not None
        self.load_error: StoreError | None = None

    @property
    def notes_label(self) -> str:
        if self.folder is None:
            return "not saving (no notes folder)"
        path = self.folder.path
        try:
            return str(Path(os.path.relpath(path)))
        except ValueError:
            return str(path)

    def on_mount(self) -> None:
        if self.folder is not None:
            self.saver = AutoSaver(self.folder, lambda s: self.post_message(SaveStatusChanged(s)), self.retry_seconds)
        self.push_screen(RunScreen())
        if self.loading:
            self.call_after_refresh(self._start_loading)

    def _start_loading(self) -> None:
        self.run_worker(self._load_notes, thread=True, exclusive=True, group="load")

    def _load_notes(self) -> None:
        assert self.folder is not None
        try:
            self.post_message(NotesLoaded(self.folder.load()))
        except StoreError as exc:
            self.post_message(NotesLoaded(None, exc))

    def on_notes_loaded(self, message: NotesLoaded) -> None:
        if message.notes is None:
            # A corrupt or foreign file: leave without touching anything;
            # `facilitator run` prints the problems and exits with status 2.
            self.load_error = message.error
            self.exit(return_code=2)
            return
        self.meeting.resume(message.notes)
        gc.freeze()  # see make_app
        self.loading = False
        for screen in self.screen_stack:
            if hasattr(screen, "refresh_all"):
                screen.refresh_all()

    def still_loading(self) -> bool:
        """True, with a notice, while the answers are being read: changes must wait."""
        if self.loading:
            self.notify("Reading the notes folder… one moment (what you typed is kept)", severity="warning", timeout=2)
        return self.loading

    def apply(self, action, *args) -> bool:
        """Run a meeting operation for a screen: refused while loading, a NotesError becomes a notice."""
        if self.still_loading():
            return False
        try:
            action(*args)
        except NotesError as exc:
            self.notify(str(exc), severity="error")
            return False
        return True

    def undo(self) -> bool:
        """Undo the last change to the answers, save, and say what was undone."""
        if self.still_loading():
            return False
        before = self.meeting.notes
        undone = self.meeting.undo()
        if undone is None:
            self.notify("Nothing to undo", severity="warning")
            return False
        if self.meeting.notes is not before:
            self.notes_changed()
        self.notify(f"Undone: {undone}", timeout=3)
        return True

    def notes_changed(self) -> None:
        """The meeting's notes changed: hand them to the saver (never blocks)."""
        if self.saver is not None and not self.loading:
            self.saver.submit(self.meeting.notes)

    def on_save_status_changed(self, message: SaveStatusChanged) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "show_saved"):  # the run screen and the exercise board
                screen.show_saved(message.status.state, message.status.message)
        # One notice when saving starts to fail, not one per retry (each names the
        # file it tried): the red status line stays up, with the latest reason.
        failing = message.status.state == "failed"
        if failing and not self._failing:
            self.notify(f"NOT SAVED — {message.status.message}. Retrying; nothing is lost while the app is open.",
                        severity="error", timeout=6)
        self._failing = failing

    @property
    def exports_folder(self) -> Path:
        """Where exports made from the app go: `exports/` beside the notes folder."""
        base = self.folder.path.parent if self.folder is not None else Path.cwd()
        return base / "exports"

    def export(self, fmt: str, summary: bool = False) -> None:
        """Export the notes (or the co-chairs' summary) in a worker; a notice names the file."""
        if self.loading:
            self.notify("Reading the notes folder… export in a moment", severity="warning")
            return
        notes, now = self.meeting.notes, self.meeting.clock.now()
        self.notify(f"Exporting the {'summary' if summary else 'notes'} ({fmt})…", timeout=2)
        self.run_worker(lambda: self._export(fmt, summary, notes, now), thread=True, group="export")

    def _export(self, fmt: str, summary: bool, notes, now) -> None:
        from facilitator.exporters.files import export_to_folder

        try:
            path = export_to_folder(self.meeting.programme, notes, fmt, self.exports_folder, summary=summary, now=now)
        except OSError as exc:
            self.call_from_thread(self.notify, f"Export NOT written: {self.exports_folder}: {exc.strerror or exc}",
                                  severity="error", timeout=10)
            return
        self.last_export = path
        self.call_from_thread(self.notify, f"Exported to {path}", title="Export", timeout=8)

    def action_help(self) -> None:
        from facilitator.tui.screens.help import HelpScreen
        from facilitator.tui.screens.present import PresentScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen([
            ("everywhere", list(self.BINDINGS) + list(RunScreen.BINDINGS)),
            ("capture bar", [*CaptureBar.BINDINGS]),
            ("answer board", list(CommandArea.BINDINGS)),
            ("projector (F5)", list(PresentScreen.BINDINGS)),
        ]))

    async def action_quit(self) -> None:
        if self.saver is None or not self.saver.pending():
            self.exit()
            return
        if await asyncio.to_thread(self.saver.flush, 3.0):
            self.exit()
            return
        from facilitator.tui.screens.dialogs import UnsavedDialog

        self.push_screen(UnsavedDialog(self.saver.status.message), self._unsaved_choice)

    async def _unsaved_choice(self, choice: str | None) -> None:
        if choice == "retry":
            assert self.saver is not None
            self.saver.retry_now()
            await self.action_quit()
        elif choice == "elsewhere":
            from facilitator.tui.screens.dialogs import TextDialog

            self.push_screen(
                TextDialog("Write the notes to this folder (it must be new or empty):",
                           str(Path.home() / f"facilitator-rescue-{self.meeting.programme.id}")),
                self._save_elsewhere,
            )
        elif choice == "lose":
            self.unsaved_on_exit = True
            self.exit()

    def _save_elsewhere(self, folder: str | None) -> None:
        if not folder:
            return
        path = Path(folder).expanduser()
        try:
            if path.exists() and any(path.glob("*.toml")):
                raise StoreError([Problem(str(path), "", "already holds notes: choose a new or empty folder")])
            NotesFolder(path, self.meeting.programme.id).save(self.meeting.notes)
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.rescued_to = path
        self.exit()

    def on_unmount(self) -> None:
        if self.saver is not None:
            saved = self.saver.close(timeout=5.0)
            self.unsaved_on_exit = self.unsaved_on_exit or not saved


def make_app(
    meeting: Meeting, folder: NotesFolder | None = None, retry_seconds: float = 3.0, load_in_background: bool = False
) -> FacilitatorApp:
    """Build the app from loaded domain objects (the CLI and the tests use this)."""
    # The notes just loaded live as long as the app: move them out of the
    # garbage collector's sight, or every full collection walks thousands of
    # answers and a keystroke now and then takes 100 ms. The boards' wrapped
    # rows (tens of thousands of small objects, freed by reference counting,
    # never cyclic) made full collections of 0.3–1 s frequent: they now run
    # only after far more allocations. Young cycles are still collected as usual.
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, 1000)
    return FacilitatorApp(meeting, folder, retry_seconds, load_in_background)
