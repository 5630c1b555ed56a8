"""The lock on a notes folder: one facilitator writes a folder at a time.

``.lock`` in the folder says who has it open (host, pid, since when); the process
holding it also holds the system's lock on it (`flock`, where there is one), which
the system releases however the process ends, so a stale lock is told apart and
taken over safely.

`FolderLock` takes, keeps and releases that lock for one process. A lock only
ever appears complete (written aside, then hard-linked into place: see
`FolderLock._create`), and is removed only by a process holding its system lock
(see `FolderLock._check_holder`), so of several facilitators starting at once
exactly one wins, and no lock of a living one is ever removed.

`StoreError` and `LockedError` live here because the lock raises them too;
`facilitator.store` re-exports both, and the rest of the code imports them from there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path

from facilitator.notes_toml import INT, encode, file_kind, read_regular, toml_string
from facilitator.problems import Problem, StoreError, os_reason

try:
    import fcntl
except ImportError:  # Windows: the lock file alone says who has the folder
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"
LOCK_LEFTOVER = re.compile(r"^\.lock\.[0-9a-f]{8}\.(stale|tmp)$")  # the lock's own: gone as soon as it is taken
LOCK_FIRST_LINE = b"# A facilitator has these notes open. Remove this file only if that program is gone.\n"
_LOCK_LIMIT = 64 * 1024  # a lock is a few lines; more is no lock, and is not read whole


class LockedError(StoreError):
    """Another facilitator has the folder open (or its lock file cannot be read)."""

    def __init__(self, problem: Problem, host: str = "", pid: int = 0) -> None:
        super().__init__([problem])
        self.host = host
        self.pid = pid


class FolderLock:
    """The ``.lock`` file of one notes folder, as this process takes, keeps and releases it."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self._text: str | None = None  # what our lock file says, while we hold it
        self._fd: int | None = None  # the lock file, open, holding the system's lock on it

    @property
    def held(self) -> bool:
        return self._text is not None

    def acquire(self) -> None:
        """Take the folder (which must exist) for this process; `LockedError` if another facilitator has it."""
        if self._text is not None:
            return
        since = dt.datetime.now().replace(microsecond=0)
        text = (
            LOCK_FIRST_LINE.decode()
            + f'program = "facilitator"\nhost = {toml_string(socket.gethostname())}\npid = {os.getpid()}\n'
            + f"since = {since.isoformat()}\n"
        )
        for attempt in range(3):
            if not self._create(encode(text)):
                self._check_holder(take_over=attempt == 0)  # a stale lock is taken over once, not fought for
                continue
            self._text = text
            remove_leftovers(self.folder, is_lock_leftover)
            return
        message = "keeps changing while this facilitator tries to take it; try again"
        raise LockedError(Problem(str(self.path), "", message))  # pragma: no cover - a lock race

    def release(self) -> None:
        """Let go of the lock, removing the lock file only if it is still ours."""
        if self._text is None:
            return
        try:
            current = read_regular(self.path, _LOCK_LIMIT).decode("utf-8", "replace")
        except OSError:  # gone, or no longer a file we could have written (a pipe put there): not ours
            current = None
        if current == self._text:
            # A folder that became read-only keeps the lock: it is stale once this
            # process ends, and the next start takes it over.
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        self._text = None
        if self._fd is not None:
            os.close(self._fd)  # lets go of the system's lock
            self._fd = None

    def lost(self) -> bool:
        """Whether we hold the lock and its file is gone (deleted, with the folder say)."""
        return self._text is not None and not os.path.lexists(self.path)

    def keep(self) -> None:
        """Before writing, make sure the folder is still ours: put back our lock if it was
        deleted (with the folder, say); `LockedError` if another facilitator has it now.
        """
        if self._text is None:
            return
        ours = encode(self._text)
        for _ in range(2):
            if self._fd is not None and _same_file(self._fd, self.path):
                return
            try:
                current = read_regular(self.path, _LOCK_LIMIT)
            except FileNotFoundError:
                held, self._fd = self._fd, None
                created = self._create(ours)
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
        raise LockedError(Problem(str(self.path), "", "keeps changing while this facilitator saves; try again"))

    def _create(self, data: bytes) -> bool:
        """Create the lock file holding `data`; False if there is one already.

        The text is written to a temporary file, which this process locks with
        the system's lock (`flock`), then hard-links as the lock: the link either
        fails (a lock is there) or makes a complete lock appear at once, already
        held. So a crash never leaves an empty lock that would refuse every
        later start, and no other facilitator ever sees our lock unheld while we
        live. Where the file system has no hard links (FAT on a USB stick) the
        lock is created, then written.
        """
        tmp = self.folder / f".lock.{os.urandom(4).hex()}.tmp"
        fd = None
        try:
            fd = _write_new(tmp, data)
            held = _flock(fd)
            try:
                os.link(tmp, self.path)
            except (FileExistsError, FileNotFoundError):
                return False  # a lock is there (or its holder cleaned our temporary file away)
            except OSError:
                pass  # no hard links here: create it in place below
            else:
                fsync_dir(self.folder)
                if held:
                    self._fd, fd = fd, None
                return True
        except OSError as exc:
            raise StoreError([Problem(str(self.path), "", f"cannot be created: {os_reason(exc)}")]) from None
        finally:
            if fd is not None:
                os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise StoreError([Problem(str(self.path), "", f"cannot be created: {os_reason(exc)}")]) from None
        try:
            held = _flock(fd)
            os.write(fd, data)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise StoreError([Problem(str(self.path), "", f"cannot be written: {os_reason(exc)}")]) from None
        if held:
            self._fd = fd
        else:
            os.close(fd)
        return True

    def _check_holder(self, take_over: bool) -> None:
        """Raise `LockedError` unless the existing lock is stale; remove a stale one.

        A lock file is removed only by a process that holds its system lock
        (`flock`), after checking that it is still the folder's lock. A living
        facilitator holds the system lock of its own for as long as it runs, so of
        several facilitators starting at once on a stale lock, one removes it,
        one creates the next, and no lock of a living one is ever removed.
        """
        try:
            # Without waiting: a FIFO put there as .lock would block a plain open forever.
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return  # released meanwhile: try again
        except OSError:
            raise self._refusal(None) from None
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):  # a folder, a pipe, a device: no facilitator made it, none removes it
                raise self._not_a_lock(mode)
            seen = _read_all(fd)
            free = _flock(fd)  # False: a living process holds it; None: no such locks here
            holder = _lock_holder(seen)
            if free is False or holder is None or holder[0] != socket.gethostname():
                raise self._refusal(holder)
            # Where there are system locks, a free one means its holder is gone, whatever
            # its pid now names (after a reboot or a crash the pid may be another program's).
            # Only without them is the pid all there is to go on.
            if not take_over or (free is None and _alive(holder[1])):
                raise self._refusal(holder)
            if free:
                if _same_file(fd, self.path):  # still the folder's lock, and only we may remove it now
                    try:
                        os.unlink(self.path)
                    except FileNotFoundError:
                        pass
                    except OSError as exc:
                        problem = Problem(str(self.path), "", f"cannot be replaced: {os_reason(exc)}")
                        raise StoreError([problem]) from None
                return
        finally:
            os.close(fd)
        self._move_stale_aside(seen)

    def _move_stale_aside(self, seen: bytes) -> None:
        """Take a stale lock away where there is no `flock`: move it aside, then look at what moved."""
        aside = self.folder / f".lock.{os.urandom(4).hex()}.stale"
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError([Problem(str(self.path), "", f"cannot be replaced: {os_reason(exc)}")]) from None
        try:
            moved = read_regular(aside, _LOCK_LIMIT)
        except OSError:
            moved = b""
        if moved != seen:  # another facilitator took the lock between our look and our move: give it back
            with contextlib.suppress(OSError):
                os.link(aside, self.path)
            with contextlib.suppress(OSError):
                os.unlink(aside)
            raise self._refusal(_lock_holder(moved))
        with contextlib.suppress(OSError):
            os.unlink(aside)

    def _not_a_lock(self, mode: int) -> LockedError:
        kind = "a folder" if stat.S_ISDIR(mode) else file_kind(mode)
        message = f"is {kind}, not a lock file: if no facilitator is using {self.folder}, remove it"
        return LockedError(Problem(str(self.path), "", message))

    def _refusal(self, holder: tuple[str, int, dt.datetime] | None) -> LockedError:
        if holder is None:
            message = (
                f"cannot be read as a lock, so another facilitator may be using {self.folder}; "
                f"if none is, remove {self.path}"
            )
            return LockedError(Problem(str(self.path), "", message))
        host, pid, since = holder
        when = since.strftime("%H:%M") if since.date() == dt.date.today() else since.strftime("%Y-%m-%d %H:%M")
        message = (
            f"is in use by facilitator on host {host} (pid {pid}) since {when}; "
            f"close it there, or remove {self.path} if that program is gone"
        )
        return LockedError(Problem(str(self.folder), "", message), host, pid)


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
    """A lock file's bytes, at most `_LOCK_LIMIT` of them (more makes no lock anyway)."""
    chunks, total = [], 0
    while total < _LOCK_LIMIT and (chunk := os.read(fd, 1 << 16)):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)[:_LOCK_LIMIT]


# ------------------------------------------------------------------ folder helpers (store.py uses them too)


def fsync_dir(folder: Path) -> None:
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


def remove_leftovers(folder: Path, ours: Callable[[Path], bool]) -> None:
    """Temporary files of writes interrupted by a crash (only when we hold the lock).

    `ours` must prove a file is one this tool made (its name and its first bytes):
    a file of the user's that merely looks like one is never removed.
    """
    with contextlib.suppress(OSError):
        for entry in os.listdir(folder):
            path = folder / entry
            if ours(path):
                with contextlib.suppress(OSError):
                    os.unlink(path)


def starts_like(path: Path, head: bytes) -> bool:
    """Whether a regular file (not a link) holds `head`, or the start of it (a write cut short)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        start = os.read(fd, len(head))
    except OSError:
        return False
    finally:
        os.close(fd)
    return head.startswith(start)


def is_lock_leftover(path: Path) -> bool:
    """A lock's temporary or moved-aside file: its name, and its first line, are a lock's."""
    return bool(LOCK_LEFTOVER.match(path.name)) and starts_like(path, LOCK_FIRST_LINE)
