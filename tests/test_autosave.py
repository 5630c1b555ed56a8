"""Saving in the background: coalescing, failures kept in memory, retries, quitting."""

from __future__ import annotations

import asyncio
import threading

from facilitator.autosave import AutoSaver
from facilitator.meeting import Meeting
from facilitator.notes import empty_notes
from facilitator.problems import Problem
from facilitator.store import NotesFolder, StoreError, load_notes
from facilitator.tui.app import make_app
from facilitator.tui.screens.dialogs import TextDialog, UnsavedDialog
from facilitator.tui.widgets.status_bar import StatusBar


class FlakyFolder(NotesFolder):
    """A notes folder whose disk refuses writes while `broken` is set."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.broken = threading.Event()
        self.attempts = 0

    def save(self, notes):
        self.attempts += 1
        if self.broken.is_set():
            raise StoreError([Problem(str(self.path / "coordination.toml"), "", "not saved: No space left on device")])
        return super().save(notes)


def meeting_with_answers(programme, clock, count: int) -> Meeting:
    meeting = Meeting(programme, empty_notes(programme.id), clock)
    meeting.go_to("coordination")
    for n in range(count):
        meeting.capture("Chad", f"point {n}")
    return meeting


def test_saves_the_latest_notes(programme_2012, clock, tmp_path):
    statuses = []
    saver = AutoSaver(NotesFolder(tmp_path, programme_2012.id), statuses.append)
    meeting = meeting_with_answers(programme_2012, clock, 0)
    for n in range(30):
        meeting.capture("Chad", f"point {n}")
        saver.submit(meeting.notes)
    assert saver.flush(5)
    assert not saver.pending()
    assert load_notes(tmp_path, programme_2012.id).answer_count() == 30
    assert statuses[-1].state == "saved"
    saver.close()


def test_failure_keeps_notes_and_retries_until_the_disk_accepts(programme_2012, clock, tmp_path):
    folder = FlakyFolder(tmp_path, programme_2012.id)
    folder.broken.set()
    statuses = []
    saver = AutoSaver(folder, statuses.append, retry_seconds=0.01)
    meeting = meeting_with_answers(programme_2012, clock, 3)
    saver.submit(meeting.notes)
    assert not saver.flush(0.5)
    assert saver.status.state == "failed" and "No space left on device" in saver.status.message
    assert saver.pending()
    attempts = folder.attempts
    folder.broken.clear()
    assert saver.flush(2)
    assert folder.attempts > attempts
    assert saver.status.state == "saved"
    assert load_notes(tmp_path, programme_2012.id).answer_count() == 3
    saver.close()


async def test_screen_shows_not_saved_then_recovers(programme_2012, clock, tmp_path):
    folder = FlakyFolder(tmp_path / "notes", programme_2012.id)
    meeting = Meeting(programme_2012, folder.load(), clock)
    app = make_app(meeting, folder, retry_seconds=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        folder.broken.set()
        await pilot.press("escape", "n", "a")
        app.screen.capture_bar.group_input.value = "Chad"
        app.screen.capture_bar.text_input.focus()
        await pilot.press(*"Kept in memory", "enter")
        await pilot.pause(0.3)
        bar = app.screen.query_one(StatusBar)
        assert bar.save_state == "failed"
        assert "NOT SAVED" in bar.saved_label and "No space left" in bar.saved_label
        assert meeting.notes.answer_count() == 1

        folder.broken.clear()
        for _ in range(40):
            await pilot.pause(0.05)
            if bar.save_state == "saved" and not app.saver.pending():
                break
        assert bar.save_state == "saved" and bar.saved_label == "● saved"
    assert load_notes(tmp_path / "notes", programme_2012.id).answer_count() == 1


async def test_quitting_unsaved_asks_and_can_save_elsewhere(programme_2012, clock, tmp_path):
    folder = FlakyFolder(tmp_path / "notes", programme_2012.id)
    meeting = Meeting(programme_2012, folder.load(), clock)
    app = make_app(meeting, folder, retry_seconds=0.05)
    rescue = tmp_path / "rescue"
    async with app.run_test(size=(120, 36)) as pilot:
        folder.broken.set()
        await pilot.press("escape", "n", "a")
        app.screen.capture_bar.group_input.value = "Chad"
        app.screen.capture_bar.text_input.focus()
        await pilot.press(*"Do not lose me", "enter")
        await pilot.pause(0.2)
        await pilot.press("ctrl+q")
        await pilot.pause(3.5)  # quitting first waits for the saver to try
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.click("#elsewhere")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one("#dialog-input").value = str(rescue)
        await pilot.press("enter")
        await pilot.pause()
    rescued = load_notes(rescue, programme_2012.id)
    assert [a.text for a in rescued.item("coordination").answers] == ["Do not lose me"]
    assert app.rescued_to == rescue


async def test_quitting_with_everything_saved_just_quits(programme_2012, clock, tmp_path):
    folder = NotesFolder(tmp_path / "notes", programme_2012.id)
    meeting = Meeting(programme_2012, folder.load(), clock)
    app = make_app(meeting, folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n", "a")
        app.screen.capture_bar.group_input.value = "Chad"
        app.screen.capture_bar.text_input.focus()
        await pilot.press(*"Saved", "enter")
        await pilot.press("ctrl+q")
        await asyncio.sleep(0.1)
    assert not app.unsaved_on_exit
    assert load_notes(tmp_path / "notes", programme_2012.id).answer_count() == 1


class GatedFolder:
    """Stands in for a notes folder: each save announces itself and waits to be let through."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.go_on = threading.Semaphore(0)
        self.saved: list[object] = []

    def save(self, notes):
        self.started.release()
        assert self.go_on.acquire(timeout=10)
        self.saved.append(notes)
        return []


def test_a_flush_during_a_save_does_not_make_the_next_change_skip_its_settling_pause(programme_2012):
    # A flush asks the save under way to hurry; once that save is done the request
    # is answered. Left standing, it made the next capture's save start at once,
    # writing a large file while the screen drew the capture (the benchmark's tail).
    folder = GatedFolder()
    saver = AutoSaver(folder, settle_seconds=30)  # a pause no test would sit out
    first, second = empty_notes(programme_2012.id), empty_notes(programme_2012.id)
    saver.submit(first)
    flushed = threading.Thread(target=saver.flush)
    flushed.start()  # hurries the first save past its pause…
    assert folder.started.acquire(timeout=10)
    again = threading.Thread(target=saver.flush)
    again.start()  # …and asks again while it is being written
    again.join(0.2)
    folder.go_on.release()
    flushed.join(10)
    again.join(10)
    assert folder.saved == [first]

    saver.submit(second)
    assert not folder.started.acquire(timeout=0.5), "the next change was saved without its settling pause"
    folder.go_on.release()
    assert saver.close(10)  # quitting still saves it at once
    assert folder.saved == [first, second]
