"""Saving in the background, so typing never waits for the disk.

`AutoSaver` owns one thread. The screen hands it every new `Notes` value with
`submit` (which never blocks); the thread saves the newest value it has been
given, skipping any it was handed in between, and reports each outcome through
a callback. A failed save (read-only folder, full disk, folder removed) keeps
the notes in memory and is retried until the disk accepts them again. While
idle it checks now and then that the disk still holds what it saved: a notes
folder deleted while the app runs is written again, whole, even if nobody types.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from facilitator.notes import Notes
from facilitator.store import NotesFolder, StoreError


@dataclass(frozen=True)
class SaveStatus:
    """What the save indicator shows."""

    state: str  # "saved" | "saving" | "failed"
    message: str = ""  # why it failed, in full: every file and reason
    notes: Notes | None = field(default=None, compare=False, repr=False)  # what is on disk, once "saved"
    short: str = ""  # why it failed, reason first, for one line of the screen

    @property
    def line(self) -> str:
        """The failure as the status line shows it: the reason before the path, which is long."""
        return self.short or self.message

    @property
    def ok(self) -> bool:
        return self.state == "saved"


class AutoSaver:
    """Saves the latest submitted `Notes` to a `NotesFolder` on its own thread."""

    def __init__(
        self,
        folder: NotesFolder,
        on_status: Callable[[SaveStatus], None] = lambda status: None,
        retry_seconds: float = 3.0,
        settle_seconds: float = 0.0,
        check_seconds: float | None = None,
    ) -> None:
        self.folder = folder
        self.on_status = on_status
        self.retry_seconds = retry_seconds
        # While idle, look this often (default: retry_seconds) whether what was saved is still on disk.
        self.check_seconds = retry_seconds if check_seconds is None else check_seconds
        # Wait this long after a change before writing. None by default: the app
        # hands a change over once its frame is drawn, a save of an item takes
        # about a millisecond, and every moment of waiting is a moment in which
        # a crash loses what the screen shows. Changes that arrive during a
        # save are written together by the next one.
        self.settle_seconds = settle_seconds
        self.status = SaveStatus("saved")
        self._wanted: Notes | None = None  # newest value not yet on disk
        self._saved: Notes | None = None  # the value last saved
        self._generation = 0  # bumped by every submit
        self._saved_generation = 0
        self._closed = False
        self._attempts = 0  # saves tried so far, so flush can wait for a fresh one
        self._retry = False  # skip the pause after a failure
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="facilitator-autosave", daemon=True)
        self._thread.start()

    def submit(self, notes: Notes) -> None:
        """Ask for these notes to be saved; returns at once."""
        with self._cond:
            self._wanted = notes
            self._generation += 1
            self._cond.notify_all()

    def pending(self) -> bool:
        """True while something submitted is not yet safely on disk."""
        with self._cond:
            return self._saved_generation != self._generation

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted is saved; False if it could not be.

        After an earlier failure this retries at once and waits for that
        fresh attempt, rather than reporting the old failure.
        """
        with self._cond:
            tried = self._attempts
            if self._saved_generation != self._generation:
                self._retry = True  # save now, without the settling pause
                self._cond.notify_all()
            self._cond.wait_for(
                lambda: self._saved_generation == self._generation
                or (self.status.state == "failed" and self._attempts > tried),
                timeout,
            )
            return self._saved_generation == self._generation

    def retry_now(self) -> None:
        """Stop waiting out the retry delay (after the user fixed the disk)."""
        with self._cond:
            self._retry = True
            self._cond.notify_all()

    def close(self, timeout: float = 10.0) -> bool:
        """Save what is pending, then stop the thread. True if all was saved."""
        saved = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=1.0)
        return saved

    def _gone_from_disk(self) -> bool:
        """Whether a file (or the whole folder) saved or loaded is no longer on disk."""
        try:
            return self.folder.missing()
        except Exception:  # noqa: BLE001 - cannot even look: let a save try, and say why it fails
            return True

    def _set_status(self, status: SaveStatus) -> None:
        self.status = status
        self.on_status(status)

    def _loop(self) -> None:
        while True:
            with self._cond:
                busy = self._cond.wait_for(
                    lambda: self._closed or self._saved_generation != self._generation, self.check_seconds
                )
                if self._closed:
                    return
                saved = self._saved
            if not busy:
                if self._gone_from_disk():
                    # What was saved (or loaded, before any change) is written again, whole.
                    again = saved if saved is not None else self.folder.last_saved()
                    with self._cond:
                        if again is not None and self._saved_generation == self._generation:  # nothing newer came
                            self._wanted = again
                            self._generation += 1
                continue
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._retry, self.settle_seconds)
                self._retry = False
                notes, generation = self._wanted, self._generation
            assert notes is not None
            if self.status.state == "saved":  # after a failure it stays NOT SAVED until a save succeeds
                self._set_status(SaveStatus("saving"))
            try:
                self.folder.save(notes)
            except Exception as exc:  # noqa: BLE001 - whatever went wrong, keep the notes and retry
                self._set_status(_failure(exc))
                with self._cond:
                    self._attempts += 1
                    self._retry = False
                    self._cond.notify_all()
                    # Retry after a pause, or sooner when new notes arrive, a flush asks, or we close.
                    self._cond.wait_for(
                        lambda g=generation: self._closed or self._retry or self._generation != g, self.retry_seconds
                    )
                continue
            with self._cond:
                self._attempts += 1
                self._saved_generation = generation
                self._saved = notes
                done = self._saved_generation == self._generation
                if done:
                    self.status = SaveStatus("saved", notes=notes)
                    # A flush that asked for this save to hurry is answered: left set, it
                    # would skip the settling pause of the next change and write while
                    # the screen draws it.
                    self._retry = False
                self._cond.notify_all()
            if done:
                self.on_status(self.status)


def _failure(exc: Exception) -> SaveStatus:
    """A failed save: the full reason, and a short one with the reason before the file's name."""
    if not isinstance(exc, StoreError):
        return SaveStatus("failed", f"{type(exc).__name__}: {exc}")
    first = exc.problems[0]
    reason = first.message.removeprefix("not saved: ")
    short = f"{reason} ({Path(first.file).name})" if first.file else reason
    if len(exc.problems) > 1:
        short += f" and {len(exc.problems) - 1} more"
    return SaveStatus("failed", str(exc), short=short)
