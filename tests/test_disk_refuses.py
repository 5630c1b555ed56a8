"""The disk refuses: the app keeps the answers, says NOT SAVED and why, retries, and saves everything later.

The real app (headless, driven by Pilot) saves through the real store; the
refusal is made where a real one comes from, in the `os` calls the store makes
for paths in the notes folder (`Disk`), so it works the same when the tests run
as root, where chmod stops nothing. A real chmod is tried too where it works.

- a full disk (ENOSPC: files are created, writing them fails), a read-only file
  system (EROFS) and a folder the user may not write (EACCES);
- the notes folder deleted while the app runs: it is made again and everything
  written again, including the items saved before and not changed since;
- the folder deleted and impossible to make again (a USB stick pulled out);
- quitting while unsaved: the app asks; "Save to another folder" writes the
  complete notes there; "Retry" quits once the disk accepts; "Stay" stays.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from facilitator.meeting import Meeting
from facilitator.notes import Notes
from facilitator.store import NotesFolder, load_notes
from facilitator.tui.app import make_app
from facilitator.tui.screens.dialogs import TextDialog, UnsavedDialog
from facilitator.tui.widgets.status_bar import StatusBar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kill9_child import canonical_item, canonical_run  # noqa: E402

REASONS = {
    errno.ENOSPC: "No space left on device",
    errno.EROFS: "Read-only file system",
    errno.EACCES: "Permission denied",
}


class Disk:
    """The disk under `root`, as the store reaches it through `os`: accepting, or refusing with an errno.

    ENOSPC lets files be created and fails writing them (after a few bytes);
    (a full disk still renames and removes); EROFS and EACCES refuse to create,
    rename or remove anything. Reading works.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.root = str(root)
        self.error = 0
        self.refused = 0  # calls refused so far: grows while the app retries
        self.fds: set[int] = set()
        real = {name: getattr(os, name) for name in ("open", "write", "mkdir", "replace", "rename", "unlink", "link")}
        self.real = real

        def inside(path: object) -> bool:
            return isinstance(path, str | os.PathLike) and os.path.abspath(os.fspath(path)).startswith(self.root)

        def refuse() -> None:
            self.refused += 1
            raise OSError(self.error, os.strerror(self.error))

        def open_(path, flags, *args, **kwargs):
            writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if inside(path) and writing and self.error in (errno.EROFS, errno.EACCES):
                refuse()
            fd = real["open"](path, flags, *args, **kwargs)
            (self.fds.add if inside(path) and writing else self.fds.discard)(fd)
            return fd

        def write(fd, data):
            if fd in self.fds and self.error == errno.ENOSPC:
                real["write"](fd, memoryview(data)[:7])  # the disk fills up partway through the file
                refuse()
            return real["write"](fd, data)

        def on_path(name):
            def call(*args, **kwargs):
                # A full disk still renames and removes files (which frees space); it cannot make a folder.
                full = self.error == errno.ENOSPC
                if self.error and (not full or name == "mkdir") and any(inside(a) for a in args[:2]):
                    refuse()
                return real[name](*args, **kwargs)

            return call

        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "write", write)
        for name in ("mkdir", "replace", "rename", "unlink", "link"):
            monkeypatch.setattr(os, name, on_path(name))

    def fail(self, error: int) -> None:
        self.error = error

    def heal(self) -> None:
        self.error = 0


def snapshot(notes: Notes) -> tuple[dict, list]:
    """Everything the notes hold, comparable with what is read back from disk."""
    items = {sid: canonical_item(item) for sid, item in notes.items.items()}
    return {sid: item for sid, item in items.items() if item is not None}, canonical_run(notes.run)


def on_disk(folder: Path, programme_id: str) -> tuple[dict, list]:
    return snapshot(load_notes(folder, programme_id))


def remove_folder(path: Path) -> None:
    """`rm -rf` as a person runs it while the app is open: the app may write the folder
    again while it is being removed (that is what is being tested), so try until it is gone once."""
    for _ in range(50):
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            continue
    raise AssertionError(f"could not remove {path}")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".toml"}


async def until(pilot, condition, timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await pilot.pause(0.02)


def open_app(programme, notes_dir: Path, clock, retry_seconds: float = 0.05):
    folder = NotesFolder(notes_dir, programme.id)
    folder.lock()
    meeting = Meeting(programme, folder.load(), clock)
    return make_app(meeting, folder, retry_seconds=retry_seconds), folder, meeting


async def capture(pilot, group: str, text: str) -> None:
    bar = pilot.app.screen.capture_bar
    bar.group_input.value = group
    bar.text_input.value = text
    bar.text_input.focus()
    await pilot.press("enter")


def bar(app) -> StatusBar:
    return app.screen.query_one(StatusBar)


def saved(app) -> bool:
    return app.saver.status.state == "saved" and not app.saver.pending()


async def a_morning(pilot, meeting: Meeting) -> None:
    """Answers in two agenda items and a start time, all saved."""
    await pilot.press("escape", "n", "s")  # coordination, started
    await capture(pilot, "Peru", "Ministry of Health leads")
    await capture(pilot, "Jordan", "No survivor in the committee")
    await pilot.press("escape", "n", "n")  # monitoring
    await capture(pilot, "Iraq", 'Data "not shared" between provinces')
    await pilot.pause()  # the screen hands the notes to the saver once the frame is drawn
    assert await asyncio.to_thread(pilot.app.saver.flush, 5)
    await until(pilot, lambda: saved(pilot.app), what="the morning to be saved")
    assert meeting.notes.answer_count() == 3


async def an_afternoon(pilot, meeting: Meeting) -> None:
    """More of every kind of change: new answers, an edit in an item saved before, a theme, a start time."""
    await capture(pilot, "Chad", "Kept in memory while the disk refuses")
    first = meeting.notes.item("coordination").answers[0]
    screen = pilot.app.screen
    assert screen.change(meeting.edit, first.id, "Ministry of Health leads, with survivors")
    iraq = meeting.notes.item("monitoring").answers[0]
    assert screen.change(meeting.create_theme, "Data", [iraq.id])
    await pilot.press("escape", "n", "s")  # monitoring-exercise, started
    await capture(pilot, "Group 3", "Number of survivors employed")


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES], ids=["full", "read-only", "denied"])
async def test_the_disk_refuses_then_accepts_again(programme_2012, clock, tmp_path, monkeypatch, error):
    notes_dir = tmp_path / "notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    disk = Disk(monkeypatch, notes_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await a_morning(pilot, meeting)
        before = files(notes_dir)
        shown: list[str] = []  # every state the saver reports to the screen
        report = app.saver.on_status
        app.saver.on_status = lambda status: (shown.append(status.state), report(status))

        disk.fail(error)
        await an_afternoon(pilot, meeting)
        await until(pilot, lambda: bar(app).save_state == "failed", what="NOT SAVED")
        label = bar(app).saved_label
        assert "NOT SAVED" in label and REASONS[error] in label
        # The top line at 120 columns shows the reason itself, before any path (the full text is in the
        # notice and the tooltip): it used to show "NOT SAVED: /tmp/…/opening.toml: not saved:…".
        assert f"✖ NOT SAVED: {REASONS[error]}" in bar(app).render().plain
        await pilot.press("f1")  # the help says it in full, with the file
        notice = str(app.screen.query_one("#help-notice", Static).content)
        assert REASONS[error] in notice and str(notes_dir) in notice
        await pilot.press("escape")
        assert meeting.notes.answer_count() == 5  # kept in memory
        refused = disk.refused
        await until(pilot, lambda: disk.refused > refused + 2, what="retries")  # it keeps trying
        assert bar(app).save_state == "failed"
        # While it retries the screen keeps saying NOT SAVED: never "saving…" as if all were well.
        assert shown[shown.index("failed"):] == ["failed"] * len(shown[shown.index("failed"):])
        assert len(shown) - shown.index("failed") >= 3
        # One notice for the failure, not one per retry: the red status line stays.
        notices = [n.message for n in app._notifications if "NOT SAVED" in n.message]
        assert len(notices) == 1, notices
        assert files(notes_dir) == before  # nothing half-written: the files are the morning's
        # No temporary file left behind (one exists for an instant while a retry tries to write it).
        await until(pilot, lambda: not [n for n in os.listdir(notes_dir) if n.endswith(".tmp")], what="no .tmp")

        disk.heal()
        await until(pilot, lambda: saved(app) and bar(app).save_state == "saved", what="the save after the disk heals")
        assert bar(app).saved_label == "● saved"
        assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
    folder.unlock()
    assert not app.unsaved_on_exit


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod does not stop root (or Windows)")
async def test_a_folder_made_read_only_with_chmod(programme_2012, clock, tmp_path):
    notes_dir = tmp_path / "notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await a_morning(pilot, meeting)
        notes_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            await an_afternoon(pilot, meeting)
            await until(pilot, lambda: bar(app).save_state == "failed", what="NOT SAVED")
            assert "NOT SAVED" in bar(app).saved_label and "Permission denied" in bar(app).saved_label
        finally:
            notes_dir.chmod(stat.S_IRWXU)
        await until(pilot, lambda: saved(app), what="the save after chmod u+w")
        assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
    folder.unlock()


async def test_the_folder_deleted_while_running_is_written_again(programme_2012, clock, tmp_path):
    notes_dir = tmp_path / "notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await a_morning(pilot, meeting)
        remove_folder(notes_dir)
        # Nothing typed since: the saver notices on its own and writes it all again.
        await until(pilot, lambda: (notes_dir / "run.toml").exists() and saved(app), what="the folder to come back")
        assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
        assert f"pid = {os.getpid()}" in (notes_dir / ".lock").read_text()  # the folder is ours again

        remove_folder(notes_dir)
        await an_afternoon(pilot, meeting)  # typing on: items saved before and unchanged come back too
        await until(pilot, lambda: saved(app) and (notes_dir / "monitoring.toml").exists(), what="everything")
        assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
        assert sorted(files(notes_dir)) == ["coordination.toml", "monitoring-exercise.toml", "monitoring.toml",
                                            "run.toml"]
    folder.unlock()
    assert not (notes_dir / ".lock").exists()


async def test_a_folder_deleted_before_anything_is_typed_comes_back(programme_2012, clock, tmp_path):
    notes_dir = tmp_path / "notes"
    earlier = Meeting(programme_2012, NotesFolder(notes_dir, programme_2012.id).load(), clock)
    earlier.go_to("monitoring", "actors-involved")
    earlier.capture("Peru", "Ministry of Health leads")
    earlier.start_item()
    NotesFolder(notes_dir, programme_2012.id).save(earlier.notes)  # a morning saved by an earlier run
    before = files(notes_dir)
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        remove_folder(notes_dir)  # nothing typed yet: nothing was ever submitted to the saver
        await until(pilot, lambda: (notes_dir / "monitoring.toml").exists() and saved(app), what="the folder back")
        assert files(notes_dir) == before  # the very bytes the app read at start
    folder.unlock()
    assert not app.unsaved_on_exit


async def test_the_folder_gone_and_impossible_to_make_again(programme_2012, clock, tmp_path, monkeypatch):
    stick = tmp_path / "usb-stick"
    notes_dir = stick / "notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    disk = Disk(monkeypatch, stick)
    async with app.run_test(size=(120, 36)) as pilot:
        await a_morning(pilot, meeting)
        remove_folder(stick)
        disk.fail(errno.EACCES)  # the stick is pulled out: its mount point cannot be written
        await an_afternoon(pilot, meeting)
        await until(pilot, lambda: bar(app).save_state == "failed", what="NOT SAVED")
        assert "NOT SAVED" in bar(app).saved_label and "Permission denied" in bar(app).saved_label
        assert str(notes_dir) in app.saver.status.message
        assert not stick.exists()

        disk.heal()  # plugged in again
        await until(pilot, lambda: saved(app), what="the save once the folder can be made")
        assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
        assert f"pid = {os.getpid()}" in (notes_dir / ".lock").read_text()
    folder.unlock()


async def quit_while_refused(pilot, app, meeting, disk: Disk, error: int) -> None:
    await a_morning(pilot, meeting)
    disk.fail(error)
    await an_afternoon(pilot, meeting)
    await until(pilot, lambda: bar(app).save_state == "failed", what="NOT SAVED")
    await pilot.press("ctrl+q")
    await until(pilot, lambda: isinstance(app.screen, UnsavedDialog), what="the unsaved dialog")
    text = " ".join(str(label.render()) for label in app.screen.query("Label"))
    assert "NOT SAVED" in text and REASONS[error] in text


async def test_quitting_unsaved_can_write_the_whole_notes_to_another_folder(programme_2012, clock, tmp_path,
                                                                            monkeypatch):
    notes_dir = tmp_path / "notes"
    rescue = tmp_path / "elsewhere" / "rescued notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    disk = Disk(monkeypatch, notes_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await quit_while_refused(pilot, app, meeting, disk, errno.EROFS)
        await pilot.click("#elsewhere")
        await until(pilot, lambda: isinstance(app.screen, TextDialog), what="the folder question")
        app.screen.query_one("#dialog-input").value = str(rescue)
        await pilot.press("enter")
        await until(pilot, lambda: app.rescued_to is not None, what="the rescue")
    folder.unlock()  # as `facilitator run` does on the way out: the read-only folder keeps its lock, no traceback
    assert (notes_dir / ".lock").exists()
    assert app.rescued_to == rescue
    # Everything, not only what the notes folder missed: the morning, the afternoon, the run state.
    assert on_disk(rescue, programme_2012.id) == snapshot(meeting.notes)
    assert meeting.notes.answer_count() == 5


async def test_quitting_unsaved_retry_quits_once_the_disk_accepts(programme_2012, clock, tmp_path, monkeypatch):
    notes_dir = tmp_path / "notes"
    app, folder, meeting = open_app(programme_2012, notes_dir, clock)
    disk = Disk(monkeypatch, notes_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await quit_while_refused(pilot, app, meeting, disk, errno.ENOSPC)
        await pilot.click("#stay")
        await until(pilot, lambda: not isinstance(app.screen, UnsavedDialog), what="staying")
        assert app.is_running and bar(app).save_state == "failed"

        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedDialog), what="the dialog again")
        first = app.screen
        await pilot.click("#retry")  # the disk is still full: asked again, nothing lost
        await until(pilot, lambda: isinstance(app.screen, UnsavedDialog) and app.screen is not first,
                    what="the dialog after a failed retry")
        disk.heal()
        await pilot.click("#retry")
        for _ in range(200):
            if not app.is_running:
                break
            await asyncio.sleep(0.02)
    folder.unlock()
    assert not app.unsaved_on_exit and app.rescued_to is None
    assert on_disk(notes_dir, programme_2012.id) == snapshot(meeting.notes)
