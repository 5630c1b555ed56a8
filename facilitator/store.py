"""The notes folder on disk: atomic TOML writes, a lock, and loading with clear errors.

A run's notes live in one folder (``notes/<programme-id>/`` by default):

- ``run.toml``: the run state (current item and prompt, actual start and end times);
- ``<session-id>.toml``: one per agenda item that captured something, answers grouped
  by prompt then group, then the item's themes;
- ``.lock``: who has the folder open (host, pid, since when); the process holding it
  also holds the system's lock on it (`flock`, where there is one), which the system
  releases however the process ends, so a stale lock is told apart and taken over safely.

`load_notes` reads a folder without writing anything and reports every problem in
it at once, even while a facilitator writes it. `NotesFolder` is the writer: it takes
the lock and saves only the items whose `ItemNotes` object changed since it last
saved or loaded them (or whose file was deleted since), each file written to a
temporary file, fsynced and moved over the old one, so a crash or a full disk never
leaves a half-written file where a good one was. Before writing it checks the lock
is still its own, and puts it back if the folder was deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import threading
import tomllib
from pathlib import Path
from types import MappingProxyType

from facilitator.notes import ItemNotes, Notes, RunState, empty_notes
from facilitator.notes_toml import (
    INT,
    encode,
    first_answer_order,
    os_reason,
    parse_file,
    parse_item,
    parse_run,
    quote,
    render_item,
    render_run,
    toml_string,
)
from facilitator.problems import Problem
from facilitator.programme import ID_PATTERN, is_valid_id

try:
    import fcntl
except ImportError:  # Windows: the lock file alone says who has the folder
    fcntl = None  # type: ignore[assignment]

RUN_FILE = "run.toml"
LOCK_FILE = ".lock"
_RUN_ID = RUN_FILE.removesuffix(".toml")  # an agenda item with this id would collide with run.toml


class StoreError(Exception):
    """The notes folder cannot be read or written; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LockedError(StoreError):
    """Another facilitator has the folder open (or its lock file cannot be read)."""

    def __init__(self, problem: Problem, host: str = "", pid: int = 0) -> None:
        super().__init__([problem])
        self.host = host
        self.pid = pid


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
        if item.answers or item.themes:
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
        before = _identity(path)
        if before is None:
            return None
        mark = len(problems)  # (the parsed file keeps adding to `problems` later: pass the list itself)
        parsed = parse_file(path, problems)
        if len(problems) == mark or _identity(path) == before or attempt == 4:
            return parsed
        del problems[mark:]
    return None  # pragma: no cover - the loop always returns


def _identity(path: Path) -> tuple[int, ...] | None:
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


def _fsync_dir(folder: Path) -> None:
    """Make a rename or removal in `folder` durable (a no-op where directories cannot be opened)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_new(target: Path, data: bytes) -> int:
    """Create `target` (FileExistsError if it exists) holding `data`, fsynced; returns it open."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _flock(fd: int) -> bool | None:
    """Take the system's exclusive lock on an open file, without waiting: True if taken,
    False if another process holds it, None where there are no such locks (Windows, some
    network file systems). The system lets go of it when the process ends, however it ends.
    """
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


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
    _fsync_dir(target.parent)


def _remove(target: Path) -> bool:
    try:
        os.unlink(target)
    except FileNotFoundError:
        return False
    _fsync_dir(target.parent)
    return True


def _is_empty(item: ItemNotes | None) -> bool:
    return item is None or not (item.answers or item.themes)


_LEFTOVER = re.compile(r"^\..+\.toml\.[0-9a-f]{8}\.tmp$|^\.lock\.[0-9a-f]{8}\.(stale|tmp)$")
_LOCK_LEFTOVER = re.compile(r"^\.lock\.[0-9a-f]{8}\.(stale|tmp)$")  # the lock's own: gone as soon as it is taken


class NotesFolder:
    """The notes folder one running facilitator owns: lock, load, save what changed."""

    def __init__(self, path: Path, programme_id: str) -> None:
        self.path = Path(path)
        self.programme_id = programme_id
        self._saved_items: dict[str, ItemNotes] = {}  # the objects last saved or loaded, by session id
        self._saved_run: RunState | None = None
        self._lock_text: str | None = None
        self._lock_fd: int | None = None  # the lock file, open, holding the system's lock on it
        self._mutex = threading.Lock()  # one save at a time, from whichever thread

    @property
    def lock_path(self) -> Path:
        return self.path / LOCK_FILE

    @property
    def locked(self) -> bool:
        return self._lock_text is not None

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
            self._remove_leftovers(_LEFTOVER)
        return notes

    def load_run_state(self) -> RunState:
        """Only run.toml: where the meeting was. Cheap, for showing the screen
        before the answers are read (`load` must still follow before any save).
        """
        target = self.path / RUN_FILE
        if not target.is_file():
            if self.path.exists() and not self.path.is_dir():
                raise StoreError([Problem(str(self.path), "", "is a file, not a notes folder")])
            return RunState(self.programme_id)
        problems: list[Problem] = []
        parsed = parse_file(target, problems)
        run = parse_run(*parsed, self.programme_id) if parsed else None
        if problems or run is None:
            raise StoreError(problems or [Problem(str(target), "", "cannot be read")])
        return run

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
            if notes.run is not self._saved_run or self._lock_lost():
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
            if self._lock_lost() or (self._saved_run is not None and not (self.path / RUN_FILE).exists()):
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

    def _lock_lost(self) -> bool:
        return self._lock_text is not None and not os.path.lexists(self.lock_path)

    def _keep_lock(self) -> None:
        """Before writing, make sure the folder is still ours: put back our lock if it was
        deleted (with the folder, say); `LockedError` if another facilitator has it now.
        """
        if self._lock_text is None:
            return
        ours = encode(self._lock_text)
        for _ in range(2):
            if self._lock_fd is not None and _same_file(self._lock_fd, self.lock_path):
                return
            try:
                current = self.lock_path.read_bytes()
            except FileNotFoundError:
                held, self._lock_fd = self._lock_fd, None
                created = self._create_lock(ours)
                if held is not None:
                    os.close(held)
                if created:
                    return
                continue  # someone else made one meanwhile: read it
            except OSError:
                return  # unreadable just now: the writes will tell whether the disk works
            if current == ours:
                return
            raise self._refusal(_lock_holder(current))
        raise LockedError(Problem(str(self.lock_path), "", "keeps changing while this facilitator saves; try again"))

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
            if not changed and not run_changed and not self._lock_lost():
                return []
            self._make_folder()
            self._keep_lock()
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

    # -- the lock -------------------------------------------------------------

    def lock(self) -> None:
        """Take the folder for this process; `LockedError` if another facilitator has it."""
        if self._lock_text is not None:
            return
        self._make_folder()
        since = dt.datetime.now().replace(microsecond=0)
        text = (
            "# A facilitator has these notes open. Remove this file only if that program is gone.\n"
            f'program = "facilitator"\nhost = {toml_string(socket.gethostname())}\npid = {os.getpid()}\n'
            f"since = {since.isoformat()}\n"
        )
        for attempt in range(3):
            if not self._create_lock(encode(text)):
                self._check_holder(take_over=attempt == 0)  # a stale lock is taken over once, not fought for
                continue
            self._lock_text = text
            self._remove_leftovers(_LOCK_LEFTOVER)
            return
        message = "keeps changing while this facilitator tries to take it; try again"
        raise LockedError(Problem(str(self.lock_path), "", message))  # pragma: no cover - a lock race

    def _create_lock(self, data: bytes) -> bool:
        """Create the lock file holding `data`; False if there is one already.

        The text is written to a temporary file, which this process locks with
        the system's lock (`flock`), then hard-links as the lock: the link either
        fails (a lock is there) or makes a complete lock appear at once, already
        held. So a crash never leaves an empty lock that would refuse every
        later start, and no other facilitator ever sees our lock unheld while we
        live. Where the file system has no hard links (FAT on a USB stick) the
        lock is created, then written.
        """
        tmp = self.path / f".lock.{os.urandom(4).hex()}.tmp"
        fd = None
        try:
            fd = _write_new(tmp, data)
            held = _flock(fd)
            try:
                os.link(tmp, self.lock_path)
            except (FileExistsError, FileNotFoundError):
                return False  # a lock is there (or its holder cleaned our temporary file away)
            except OSError:
                pass  # no hard links here: create it in place below
            else:
                _fsync_dir(self.path)
                if held:
                    self._lock_fd, fd = fd, None
                return True
        except OSError as exc:
            raise StoreError([Problem(str(self.lock_path), "", f"cannot be created: {os_reason(exc)}")]) from None
        finally:
            if fd is not None:
                os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        try:
            fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise StoreError([Problem(str(self.lock_path), "", f"cannot be created: {os_reason(exc)}")]) from None
        try:
            held = _flock(fd)
            os.write(fd, data)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
            raise StoreError([Problem(str(self.lock_path), "", f"cannot be written: {os_reason(exc)}")]) from None
        if held:
            self._lock_fd = fd
        else:
            os.close(fd)
        return True

    def unlock(self) -> None:
        """Release the lock, removing the lock file only if it is still ours."""
        if self._lock_text is None:
            return
        try:
            current = self.lock_path.read_bytes().decode("utf-8", "replace")
        except OSError:
            current = None
        if current == self._lock_text:
            # A folder that became read-only keeps the lock: it is stale once this
            # process ends, and the next start takes it over.
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
        self._lock_text = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # lets go of the system's lock
            self._lock_fd = None

    close = unlock

    def _check_holder(self, take_over: bool) -> None:
        """Raise `LockedError` unless the existing lock is stale; remove a stale one.

        A lock file is removed only by a process that holds its system lock
        (`flock`), after checking that it is still the folder's lock. A living
        facilitator holds the system lock of its own for as long as it runs, so of
        several facilitators starting at once on a stale lock, one removes it,
        one creates the next, and no lock of a living one is ever removed.
        """
        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except FileNotFoundError:
            return  # released meanwhile: try again
        except OSError:
            raise self._refusal(None) from None
        try:
            seen = _read_all(fd)
            free = _flock(fd)  # False: a living process holds it; None: no such locks here
            holder = _lock_holder(seen)
            if free is False or holder is None or holder[0] != socket.gethostname() or _alive(holder[1]):
                raise self._refusal(holder)
            if not take_over:
                raise self._refusal(holder)
            if free:
                if _same_file(fd, self.lock_path):  # still the folder's lock, and only we may remove it now
                    try:
                        os.unlink(self.lock_path)
                    except FileNotFoundError:
                        pass
                    except OSError as exc:
                        problem = Problem(str(self.lock_path), "", f"cannot be replaced: {os_reason(exc)}")
                        raise StoreError([problem]) from None
                return
        finally:
            os.close(fd)
        self._move_stale_aside(seen)

    def _move_stale_aside(self, seen: bytes) -> None:
        """Take a stale lock away where there is no `flock`: move it aside, then look at what moved."""
        aside = self.path / f".lock.{os.urandom(4).hex()}.stale"
        try:
            os.rename(self.lock_path, aside)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError([Problem(str(self.lock_path), "", f"cannot be replaced: {os_reason(exc)}")]) from None
        try:
            moved = aside.read_bytes()
        except OSError:
            moved = b""
        if moved != seen:  # another facilitator took the lock between our look and our move: give it back
            with contextlib.suppress(OSError):
                os.link(aside, self.lock_path)
            with contextlib.suppress(OSError):
                os.unlink(aside)
            raise self._refusal(_lock_holder(moved))
        with contextlib.suppress(OSError):
            os.unlink(aside)

    def _refusal(self, holder: tuple[str, int, dt.datetime] | None) -> LockedError:
        if holder is None:
            message = (
                f"cannot be read as a lock, so another facilitator may be using {self.path}; "
                f"if none is, remove {self.lock_path}"
            )
            return LockedError(Problem(str(self.lock_path), "", message))
        host, pid, since = holder
        when = since.strftime("%H:%M") if since.date() == dt.date.today() else since.strftime("%Y-%m-%d %H:%M")
        message = (
            f"is in use by facilitator on host {host} (pid {pid}) since {when}; "
            f"close it there, or remove {self.lock_path} if that program is gone"
        )
        return LockedError(Problem(str(self.path), "", message), host, pid)

    def _remove_leftovers(self, pattern: re.Pattern[str]) -> None:
        """Temporary files of writes interrupted by a crash (only when we hold the lock)."""
        with contextlib.suppress(OSError):
            for entry in os.listdir(self.path):
                if pattern.match(entry):
                    with contextlib.suppress(OSError):
                        os.unlink(self.path / entry)


def _lock_holder(raw: bytes) -> tuple[str, int, dt.datetime] | None:
    """(host, pid, since) from a lock file, or None if it is not a readable lock."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    host, pid, since = data.get("host"), data.get("pid"), data.get("since")
    if not isinstance(host, str) or not INT[1](pid) or pid <= 0 or not isinstance(since, dt.datetime):
        return None
    return host, pid, since


def _alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (unsure counts as alive)."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate it on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. PermissionError: it exists, owned by someone else
    return True
