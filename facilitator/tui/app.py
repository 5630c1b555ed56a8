"""FacilitatorApp: holds the meeting, saves it in the background, hosts the screens."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import signal
from pathlib import Path

from textual import events, work
from textual._time import get_time
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from facilitator.autosave import AutoSaver, SaveStatus
from facilitator.meeting import Meeting
from facilitator.notes import Notes, NotesError
from facilitator.problems import Problem, os_reason, plural
from facilitator.store import NotesFolder, StoreError
from facilitator.tui import keyboard
from facilitator.tui.screens.capture import CaptureScreen, FacilitatorScreen
from facilitator.tui.screens.run import CommandArea, RunScreen
from facilitator.tui.widgets.capture_bar import CaptureBar
from facilitator.tui.widgets.typed_input import TypedInput


def _meeting_commands():
    # Imported when the palette first opens, not at start-up.
    from facilitator.tui.commands import MeetingCommands

    return MeetingCommands


class SaveStatusChanged(Message):
    """Posted from the saving thread; the app decides what the status line shows."""

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

    # The one owner of "are the notes on disk": status lines watch it. "saving…"
    # from the moment of a change until the save of that very change returns.
    save_status: reactive[SaveStatus] = reactive(SaveStatus("saved"), always_update=True)

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
        self._kept: list[tuple[str, str, dt.datetime]] = []  # answers typed while loading, in order
        self._submitted: Notes | None = None  # the notes of the last change handed to the saver
        self.ended_by_signal: int | None = None
        # Keys typed ahead across a focus change are never commands (see on_event).
        self._key_target: object = None
        self._key_done_at = 0.0
        self._guarding = False
        self._explicit_leave = False
        self._unrun: list[str] = []
        # Keys and pastes typed while a screen of ours was being built, replayed in order once it is.
        self._held: list[events.Key | events.Paste] = []
        self._replaying = False

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
        self.meeting.on_change = self.notes_changed  # every change to the meeting's notes is saved, here
        if self.folder is not None:
            self.saver = AutoSaver(self.folder, lambda s: self.post_message(SaveStatusChanged(s)), self.retry_seconds)
        self.push_screen(RunScreen())
        if self.loading:
            self.call_after_refresh(self._start_loading)
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            # Closing the terminal window, a logout, a shutdown: save and let go of the folder, then end.
            loop.add_signal_handler(number, self._ended_by_signal, number)

    def _ended_by_signal(self, number: int) -> None:
        self.ended_by_signal = number
        if self.saver is not None:
            saved = self.saver.close(timeout=5.0)
            self.unsaved_on_exit = self.unsaved_on_exit or not saved
        if self.folder is not None:
            self.folder.unlock()  # now: the terminal may be gone, and Textual's teardown with it
        self.exit(return_code=128 + number)

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
        if self.meeting.notes is not message.notes:  # marked as this run is (a rehearsal, or live): saved
            self.notes_changed()
        kept, self._kept = self._kept, []
        for group, text, typed_at in kept:
            try:
                self.meeting.capture(group, text, at=typed_at)
            except NotesError as exc:  # cannot happen: checked when typed; said rather than lost
                self.notify(f"Not recorded: {group}: {text} ({exc})", severity="error", timeout=30)
        for screen in self.screen_stack:
            if isinstance(screen, CaptureScreen):
                screen.refresh_all()
        if kept:
            self.notify(f"Recorded the {plural(len(kept), 'answer')} typed while the notes were read", timeout=4)

    def keep_until_loaded(self, group: str, text: str) -> None:
        """An answer typed before the notes folder is read: recorded, in order, once it is."""
        self._kept.append((group, text, self.meeting.clock.now()))
        self.notify("Reading the notes folder… the answer is kept and recorded in a moment", timeout=2)

    def still_loading(self) -> bool:
        """True, with a notice, while the answers are being read: changes must wait."""
        if self.loading:
            self.notify("Reading the notes folder… one moment (what you typed is kept)", severity="warning", timeout=2)
        return self.loading

    def apply(self, action, *args, quiet: bool = False) -> bool:
        """Run a meeting operation for a screen: refused while loading, a NotesError becomes a notice.

        A change to the answers says what it did and that `u` undoes it: a key
        pressed by mistake (or typed where the rapporteur thought was the
        capture bar) is seen at once and taken back with one key. `quiet` for
        a screen that shows each change where it was made (the roll call's marks).
        """
        if self.still_loading():
            return False
        before = self.meeting.changes
        try:
            action(*args)
        except NotesError as exc:
            self.notify(str(exc), severity="error")
            return False
        if self.meeting.changes != before and not quiet:
            done = self.meeting.last_change
            self.notify(f"{done[:1].upper()}{done[1:]} — u undoes", timeout=3)
        return True

    def undo(self) -> bool:
        """Undo the last change to the answers, save, and say what was undone."""
        if self.still_loading():
            return False
        undone = self.meeting.undo()
        if undone is None:
            self.notify("Nothing to undo", severity="warning")
            return False
        self.notify(f"Undone: {undone}", timeout=3)
        return True

    def notes_changed(self) -> None:
        """The one place a change is saved: "saving…" now, the write once this frame is drawn.

        The status says "saving…" in the very frame that shows the change, and
        says "saved" again only when the save of this change has returned from
        fsync, so nothing is ever shown as saved before it is on disk.
        """
        if self.saver is None or self.loading:
            return
        notes = self._submitted = self.meeting.notes
        if self.save_status.state != "failed":  # NOT SAVED stays until a save succeeds
            self.save_status = SaveStatus("saving")
        # After the frame, not before: the answer shows first, then the disk (about a millisecond).
        self.call_after_refresh(self.saver.submit, notes)

    def on_save_status_changed(self, message: SaveStatusChanged) -> None:
        status = message.status
        if status.state == "saving":
            return  # said already, by notes_changed
        if status.state == "saved" and status.notes is not None and status.notes is not self._submitted:
            return  # an earlier change is on disk; the latest is still on its way
        self.save_status = status
        # One notice when saving starts to fail, not one per retry (each names the
        # file it tried): the red status line stays up, with the latest reason.
        failing = status.state == "failed"
        if failing and not self._failing:
            self.notify(f"NOT SAVED — {status.message}. Retrying; nothing is lost while the app is open.",
                        severity="error", timeout=6)
        self._failing = failing

    # -- keys ----------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """A notice. Never markup: notices quote group names, answers and titles ("UNDP [/b]")."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Keys are handled here, in the order typed, before Textual queues them for a widget.

        Textual hands each key to the focused widget's queue and moves the focus
        later, so in a burst (a fast typist, a laggy link, a browser) keys landed
        in the field or board the focus had left. Here every key is routed and
        handled before the next one: text in any field (`TypedInput.take_key`: the
        capture bar, the dialogs, the filter), the board's single-key commands
        (their binding runs now), and the rest as Textual does.
        """
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if self._must_wait():
                self._held.append(event)
                return
            await self._typed(event)
            return
        await super().on_event(event)

    async def _typed(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Key):
            await self._key(event)
            self._key_done_at = get_time()
        elif isinstance(self.focused, TypedInput):
            self.focused.take_paste(event.text)
        else:
            await super().on_event(event)

    def _must_wait(self) -> bool:
        """Whether a key must wait: the screen it is for is being built, or keys before it wait."""
        if self._replaying:
            return False
        screen = self.screen
        return bool(self._held) or (isinstance(screen, FacilitatorScreen) and not screen.ready)

    async def screen_ready(self) -> None:
        """A screen of ours is drawn, its focus set: the keys typed meanwhile, in order (until one of
        them opens another screen, which takes the rest when it is ready)."""
        self._replaying = True
        try:
            while self._held and getattr(self.screen, "ready", True):
                await self._typed(self._held.pop(0))
        finally:
            self._replaying = False

    async def _key(self, event: events.Key) -> None:
        focused = self.focused
        if isinstance(focused, TypedInput) and focused.takes(event):
            self._note_target(event)
            then = focused.take_key(event)
            if then is not None:
                await self.run_key_now(then)
            return
        if event.key.startswith("alt+") and event.character and len(event.character) == 1 and not self._typing():
            # Esc typed together with a letter arrives as Alt+letter; no key here uses Alt.
            event = events.Key(event.character, event.character)
        if self._guard(event):
            return
        # On the app's screens a command runs before the next key is routed, also a key that a field
        # of ours leaves to its screen (F6 gives the floor, Esc closes the speakers' list: the keys
        # typed next are for what follows).
        here = isinstance(self.screen, FacilitatorScreen)
        ours = not self._typing() or isinstance(focused, TypedInput)
        if here and ours and await self.run_key_now(event.key):
            return
        await super().on_event(event)

    def _typing(self) -> bool:
        return isinstance(self.focused, (Input, TextArea))

    def _note_target(self, event: events.Key) -> bool:
        """Whether the focus moved since the last key while this key was already typed (typed ahead)."""
        target = (self.screen, self.focused)
        ahead = event.time < self._key_done_at
        moved = target != self._key_target
        self._key_target = target
        if moved:
            self._guarding = ahead and not self._explicit_leave
            self._explicit_leave = False
        elif not ahead:
            self._guarding = False
        return moved

    def _guard(self, event: events.Key) -> bool:
        """Keys typed ahead across a focus change (a dialog closing, a screen changing) are
        never run as commands: text typed at speed must not delete, move or start anything.
        Explicit leaving (Esc) is not guarded. True when the key was held back (and said)."""
        self._note_target(event)
        if not self._guarding or self._typing() or not (event.is_printable or event.key in _GUARDED_KEYS):
            return False
        if not self._unrun:
            self.call_later(self._say_unrun)
        self._unrun.append(event.character if event.is_printable and event.character else event.key)
        return True

    def _say_unrun(self) -> None:
        keys, self._unrun = "".join(k if len(k) == 1 else f" {k} " for k in self._unrun), []
        self.notify(f"Not run as commands, typed as the screen changed: “{keys.strip()}”. Press a key again to use it.",
                    severity="warning", timeout=5)

    def left_capture_explicitly(self) -> None:
        """Esc in the capture bar: the keys typed right after it are meant as commands."""
        self._explicit_leave = True

    async def run_key_now(self, key: str) -> bool:
        """Run the binding of `key` for the focused widget and its screen now, as a key press would.

        Now, not queued behind keys already typed: a command that moves the focus
        (`a` back to the capture bar) takes effect before the next key is routed.
        """
        # Textual's own binding walk (priority bindings, then from the focused widget
        # up, skipping actions that do not apply): the same result as a key press,
        # without the queue. Private, so textual is pinned and the keyboard tests cover it.
        return await self._check_bindings(key, priority=True) or await self._check_bindings(key)

    def action_help_quit(self) -> None:
        """Ctrl+C outside a text field: say how to quit (Textual's own notice is markup)."""
        self.notify("Press Ctrl+Q to quit", title="Do you want to quit?")

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
        self._export(fmt, summary, notes, now)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, fmt: str, summary: bool, notes: Notes, now: dt.datetime) -> Path:
        """In a thread: the meeting goes on while a large document is built. A failure of any kind
        is said in a notice (`on_worker_state_changed`), never the end of the app."""
        from facilitator.exporters.files import export_to_folder

        # The programme file's agenda: the export applies the day's changes kept in the notes.
        return export_to_folder(self.meeting.planned, notes, fmt, self.exports_folder, summary=summary, now=now)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's outcome is said: an export written, or why it was not."""
        worker = event.worker
        if worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self.last_export = worker.result
            self.notify(f"Exported to {worker.result}", title="Export", timeout=8)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            reason = os_reason(error) if isinstance(error, OSError) else f"{type(error).__name__}: {error}"
            self.notify(f"Export NOT written: {self.exports_folder}: {reason}", severity="error", timeout=10)

    def action_help(self) -> None:
        from facilitator.tui.screens.help import HelpScreen
        from facilitator.tui.screens.present import PresentScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        failing = self.save_status.message if self.save_status.state == "failed" else ""
        from facilitator.tui.screens.roll_call import RollCallScreen, RollList
        from facilitator.tui.screens.speakers import SpeakerList, SpeakersScreen

        self.push_screen(HelpScreen([
            ("everywhere", list(self.BINDINGS) + list(RunScreen.BINDINGS)),
            ("capture bar", [*CaptureBar.BINDINGS]),
            ("answer board", list(CommandArea.BINDINGS)),
            ("speakers' list (F4)", [*SpeakersScreen.BINDINGS, *SpeakerList.BINDINGS]),
            ("roll call (P)", [*RollCallScreen.BINDINGS, *RollList.BINDINGS]),
            ("projector (F5)", list(PresentScreen.BINDINGS)),
        ], notice=failing))

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


_GUARDED_KEYS = {"enter", "delete", "backspace", "space"}


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
    keyboard.install()  # an Esc typed together with the next keys stays an Esc
    gc.freeze()
    first, second, _ = gc.get_threshold()
    gc.set_threshold(first, second, 1000)
    return FacilitatorApp(meeting, folder, retry_seconds, load_in_background)
