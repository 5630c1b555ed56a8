"""The notes folder on disk: atomic TOML writes, a lock, and loading with clear errors.

A run's notes live in one folder (``notes/<programme-id>/`` by default):

- ``run.toml``: the run state (current item and prompt, actual start and end times);
- ``<session-id>.toml``: one per agenda item that captured something, answers grouped
  by prompt then group, then the item's themes;
- ``.lock``: who has the folder open (host, pid, since when); `facilitator.folder_lock`
  takes, keeps and releases it, and tells a stale one apart.

`load_notes` reads a folder without writing anything and reports every problem in
it at once, even while a facilitator writes it; it reads only regular files, of at
most `notes_toml.MAX_FILE_BYTES` (`notes_toml.read_regular`: a FIFO or a device
there is a problem like any other, never a wait). `NotesFolder` is the writer: it takes
the lock and saves only the items whose `ItemNotes` object changed since it last
saved or loaded them (or whose file was deleted since), each file written to a
temporary file, fsynced and moved over the old one, so a crash or a full disk never
leaves a half-written file where a good one was. Before writing it checks the lock
is still its own, and puts it back if the folder was deleted. Once it has the lock
and the folder is read, it removes what a crash left of a save, and only files
proven to be that (`is_save_leftover`).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path
from types import MappingProxyType

from facilitator.folder_lock import LOCK_FILE as LOCK_FILE  # re-exported: other modules import these from here
from facilitator.folder_lock import FolderLock, fsync_dir, is_lock_leftover, remove_leftovers, starts_like
from facilitator.folder_lock import LockedError as LockedError
from facilitator.notes import ItemNotes, Notes, RunState, empty_notes
from facilitator.notes_toml import (
    encode,
    first_answer_order,
    opening_bytes,
    parse_file,
    parse_item,
    parse_run,
    render_item,
    render_run,
)
from facilitator.problems import Problem, StoreError, os_reason, quote
from facilitator.programme import ID_PATTERN, is_valid_id

RUN_FILE = "run.toml"
_RUN_ID = RUN_FILE.removesuffix(".toml")  # an agenda item with this id would collide with run.toml


def _id_rule(name: str) -> str:
    """What a file name must be to name an agenda item."""
    if ID_PATTERN.fullmatch(name):
        return "con, prn, aux, nul, com0-9 and lpt0-9 are device names on Windows"
    return "use lower-case letters, digits, '-' or '_' (at most 64)"


def default_notes_dir(programme_id: str) -> Path:
    return Path("notes") / programme_id


def _load(folder: Path, programme_id: str | None) -> tuple[Notes, bool]:
    """The notes in a folder and whether run.toml was there; writes nothing."""
    name = str(folder)
    try:
        entries = sorted(os.listdir(folder))
    except FileNotFoundError:
        if programme_id is None:
            raise StoreError([Problem(name, "", "no such folder")]) from None
        return empty_notes(programme_id), False
    except NotADirectoryError:
        raise StoreError([Problem(name, "", "is a file, not a notes folder")]) from None
    except PermissionError:
        raise StoreError([Problem(name, "", "permission denied")]) from None
    except OSError as exc:
        raise StoreError([Problem(name, "", f"cannot be read ({os_reason(exc)})")]) from None
    files = [e for e in entries if e.endswith(".toml") and not e.startswith(".")]
    if not files:
        if programme_id is None:
            raise StoreError([Problem(name, "", f"no notes here: no {RUN_FILE} and no agenda item files")])
        return empty_notes(programme_id), False

    problems: list[Problem] = []
    expected = programme_id
    run: RunState | None = None
    if RUN_FILE in files:
        parsed = _parse_if_there(folder / RUN_FILE, problems)
        run = parse_run(*parsed, expected) if parsed else None
        if run is not None and expected is None and run.programme_id:
            expected = run.programme_id
    items: list[ItemNotes] = []
    seen: dict[str, str] = {}
    for file in files:
        session_id = file.removesuffix(".toml")
        if file == RUN_FILE:
            continue
        if not is_valid_id(session_id):  # the whole name, never a prefix: no '/', '..', NUL or device names
            problems.append(
                Problem(
                    str(folder / file) if file.isprintable() else str(folder),  # a name with a line break: quoted
                    "",
                    f"{quote(session_id)} is not a valid agenda item id for a file name: " + _id_rule(session_id),
                )
            )
            continue
        parsed = _parse_if_there(folder / file, problems)
        result = parse_item(*parsed, session_id, expected, seen) if parsed else None
        if result is None:
            continue
        item, programme = result
        expected = expected if expected is not None else programme
        if not item.is_empty:
            items.append(item)
    if problems:
        raise StoreError(problems)
    run = run or RunState(expected or "")
    items.sort(key=first_answer_order)
    return Notes(run, MappingProxyType({i.session_id: i for i in items})), RUN_FILE in files


def _parse_if_there(path: Path, problems: list[Problem]):
    """`parse_file`, for a folder another facilitator may be writing while we read it.

    A file removed since the folder was listed is no item (it was emptied), and
    one replaced while we read it is read again: each version is whole (written
    aside, then renamed), so a problem is only reported for a file that stayed put.
    """
    for attempt in range(5):
        before = file_identity(path)
        if before is None:
            return None
        mark = len(problems)  # (the parsed file keeps adding to `problems` later: pass the list itself)
        parsed = parse_file(path, problems)
        if len(problems) == mark or file_identity(path) == before or attempt == 4:
            return parsed
        del problems[mark:]
    return None  # pragma: no cover - the loop always returns


def read_run_state(path: Path, programme_id: str | None = None) -> RunState:
    """run.toml alone, read without locking or writing anything; StoreError names every problem."""
    problems: list[Problem] = []
    parsed = parse_file(path, problems)
    run = parse_run(*parsed, programme_id) if parsed else None
    if problems or run is None:
        raise StoreError(problems or [Problem(str(path), "", "cannot be read")])
    return run


def file_identity(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or rewritten; None when it is not there."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return ()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def load_notes(folder: Path, programme_id: str | None = None) -> Notes:
    """Read a notes folder without writing or locking anything.

    A missing or empty folder gives empty notes for `programme_id` (or a
    `StoreError` when no programme is given). Every problem in every file is
    reported at once in one `StoreError`, never as a traceback.
    """
    return _load(Path(folder), programme_id)[0]


# ------------------------------------------------------------------ writing files


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` so that a crash leaves either the old file or the new one."""
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def _remove(target: Path) -> bool:
    try:
        os.unlink(target)
    except FileNotFoundError:
        return False
    fsync_dir(target.parent)
    return True


def _is_empty(item: ItemNotes | None) -> bool:
    return item is None or item.is_empty


_SAVE_LEFTOVER = re.compile(r"^\.(.+)\.toml\.[0-9a-f]{8}\.tmp$")  # write_atomic's temporary name for <id>.toml


def is_save_leftover(path: Path, programme_id: str) -> bool:
    """Whether a file is what a save of ours into this folder left when it was cut short.

    Its name is `write_atomic`'s for a file this folder holds, and its bytes are the
    start of what `render_item` / `render_run` write for that very file and programme
    (a crash may leave any start, even none). A file of the user's named alike (say
    `.my-backup.toml.deadbeef.tmp`) holds other bytes, and is left alone.
    """
    match = _SAVE_LEFTOVER.match(path.name)
    if match is None or not is_valid_id(match[1]):
        return False
    return starts_like(path, opening_bytes(programme_id, None if match[1] == _RUN_ID else match[1]))


class NotesFolder:
    """The notes folder one running facilitator owns: lock, load, save what changed."""

    def __init__(self, path: Path, programme_id: str) -> None:
        self.path = Path(path)
        self.programme_id = programme_id
        self._saved_items: dict[str, ItemNotes] = {}  # the objects last saved or loaded, by session id
        self._saved_run: RunState | None = None
        self._lock = FolderLock(self.path)
        self._mutex = threading.Lock()  # one save at a time, from whichever thread

    @property
    def lock_path(self) -> Path:
        return self._lock.path

    @property
    def locked(self) -> bool:
        return self._lock.held

    def __enter__(self) -> NotesFolder:
        self.lock()
        return self

    def __exit__(self, *exc: object) -> None:
        self.unlock()

    # -- reading and saving ---------------------------------------------------

    def load(self) -> Notes:
        """The notes on disk (see `load_notes`); a save right after writes nothing."""
        notes, run_on_disk = _load(self.path, self.programme_id)
        with self._mutex:
            self._saved_items = dict(notes.items)
            self._saved_run = notes.run if run_on_disk else None
        if self.locked:  # only once the folder is read: one refused as corrupt keeps even its crash leftovers
            remove_leftovers(self.path, self._is_leftover)
        return notes

    def _is_leftover(self, path: Path) -> bool:
        return is_lock_leftover(path) or is_save_leftover(path, self.programme_id)

    def load_run_state(self) -> RunState:
        """Only run.toml: where the meeting was. Cheap, for showing the screen
        before the answers are read (`load` must still follow before any save).
        """
        target = self.path / RUN_FILE
        if not target.is_file():
            if self.path.exists() and not self.path.is_dir():
                raise StoreError([Problem(str(self.path), "", "is a file, not a notes folder")])
            return RunState(self.programme_id)
        return read_run_state(target, self.programme_id)

    def _changed(self, notes: Notes) -> list[tuple[str, ItemNotes | None]]:
        saved = self._saved_items
        changed: list[tuple[str, ItemNotes | None]] = [
            (sid, item) for sid, item in notes.items.items() if saved.get(sid) is not item
        ]
        return changed + [(sid, None) for sid in saved if sid not in notes.items]

    def _file(self, session_id: str) -> Path:
        return self.path / f"{session_id}.toml"

    def pending(self, notes: Notes) -> bool:
        """Whether `save(notes)` would write or remove anything.

        That includes writing again what was saved and is no longer on disk
        (the folder, a file or the lock was deleted): the saver asks this now
        and then, so a deleted folder comes back even when nobody types.
        """
        with self._mutex:
            self._forget_missing()
            if notes.run is not self._saved_run or self._lock.lost():
                return True
            for session_id, item in self._changed(notes):
                if not _is_empty(item) or not _is_empty(self._saved_items.get(session_id)):
                    return True
                if self._file(session_id).exists():
                    return True
            return False

    def missing(self) -> bool:
        """Whether something this folder saved or loaded is gone from disk: a file, our lock, the folder."""
        with self._mutex:
            if self._lock.lost() or (self._saved_run is not None and not (self.path / RUN_FILE).exists()):
                return True
            return any(not _is_empty(item) and not self._file(sid).exists() for sid, item in self._saved_items.items())

    def last_saved(self) -> Notes | None:
        """The notes as this folder last loaded or saved them (None before either)."""
        with self._mutex:
            if self._saved_run is None and not self._saved_items:
                return None
            run = self._saved_run or RunState(self.programme_id)
            return Notes(run, MappingProxyType(dict(self._saved_items)))

    def _forget_missing(self) -> None:
        """Forget having saved the items and run state whose file is gone, so they are written again."""
        for session_id, item in list(self._saved_items.items()):
            if not _is_empty(item) and not self._file(session_id).exists():
                del self._saved_items[session_id]
        if self._saved_run is not None and not (self.path / RUN_FILE).exists():
            self._saved_run = None

    def save(self, notes: Notes) -> list[Path]:
        """Write the files whose item or run state changed; returns the paths written or removed.

        Safe to call from a worker thread; never mutates `notes`. On a failure the
        other files are still saved, then a `StoreError` names each file not saved;
        those stay pending, so the next save retries them.
        """
        if notes.programme_id != self.programme_id:
            message = (
                f"the notes are for programme {quote(notes.programme_id)}, this folder for {quote(self.programme_id)}"
            )
            raise StoreError([Problem(str(self.path), "", message)])
        with self._mutex:
            self._forget_missing()  # a deleted file (or folder) is written again
            changed = self._changed(notes)
            run_changed = notes.run is not self._saved_run
            if not changed and not run_changed and not self._lock.lost():
                return []
            self._make_folder()
            self._lock.keep()
            done: list[Path] = []
            problems: list[Problem] = []
            for session_id, item in changed:
                target = self._file(session_id)
                refused = self._refuse(session_id, item)
                if refused:  # named by the folder: the id is quoted in the message, on one line
                    problems.append(Problem(str(self.path), "", f"not saved: {refused}"))
                    continue
                try:
                    if _is_empty(item):
                        if _remove(target):
                            done.append(target)
                    else:
                        assert item is not None
                        write_atomic(target, encode(render_item(self.programme_id, item)))
                        done.append(target)
                except OSError as exc:
                    problems.append(Problem(str(target), "", f"not saved: {os_reason(exc)}"))
                    continue
                if item is None:
                    self._saved_items.pop(session_id, None)
                else:
                    self._saved_items[session_id] = item
            if run_changed:
                target = self.path / RUN_FILE
                try:
                    write_atomic(target, encode(render_run(notes.run)))
                    done.append(target)
                    self._saved_run = notes.run
                except OSError as exc:
                    problems.append(Problem(str(target), "", f"not saved: {os_reason(exc)}"))
            if problems:
                raise StoreError(problems)
            return done

    def _refuse(self, session_id: str, item: ItemNotes | None) -> str:
        """Why an item cannot be a file here ("" if it can)."""
        if not is_valid_id(session_id):  # the whole id (a prefix check let 'sub/../../x' escape the folder)
            return f"{quote(session_id)} is not a valid agenda item id for a file name"
        if session_id == _RUN_ID:
            return f'an agenda item cannot be called "{_RUN_ID}": {RUN_FILE} holds the run state'
        if item is not None and item.session_id != session_id:
            return f"the item is filed as {quote(session_id)} but says it is {quote(item.session_id)}"
        return ""

    def _make_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreError([Problem(str(self.path), "", "is a file, not a notes folder")]) from None
        except OSError as exc:
            raise StoreError([Problem(str(self.path), "", f"cannot be created: {os_reason(exc)}")]) from None

    # -- the lock (facilitator.folder_lock) -----------------------------------

    def lock(self) -> None:
        """Take the folder for this process; `LockedError` if another facilitator has it."""
        if self._lock.held:
            return
        self._make_folder()
        self._lock.acquire()

    def unlock(self) -> None:
        """Release the lock, removing the lock file only if it is still ours."""
        self._lock.release()

    close = unlock
