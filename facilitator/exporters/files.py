"""Writing an export to disk, and where the app puts the ones it makes."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import Path

from facilitator.exporters import FORMATS, export, export_summary
from facilitator.notes import Notes
from facilitator.notes_toml import FIRST_LINE
from facilitator.programme import Programme
from facilitator.store import LOCK_FILE, RUN_FILE
from facilitator.store import write_atomic as write_file  # one atomic write for notes and exports

_NOTES_HEAD = FIRST_LINE.encode("utf-8")


def notes_folder_problem(target: Path, exported: Path | None = None) -> str:
    """Why an export must not be written to `target` ("" when it may): it would land in a notes
    folder, where every .toml file is read as notes (a Markdown lunch.toml would make every command
    refuse the folder) and run.toml holds the run. A notes folder is the one being exported, or any
    folder holding run.toml, a lock or a file this tool wrote as notes."""
    folder = target.parent
    here = os.path.realpath(folder)
    if exported is not None and here == os.path.realpath(exported):
        return f"is inside the notes folder being exported ({exported}): write the export elsewhere"
    if _is_notes_folder(Path(here)):
        return f"is inside the notes folder {folder}, where it would be read as notes: write the export elsewhere"
    return ""


def _is_notes_folder(folder: Path) -> bool:
    try:
        entries = os.listdir(folder)
    except OSError:
        return False  # missing or unreadable: the write itself will say so
    if RUN_FILE in entries or LOCK_FILE in entries:
        return True
    return any(e.endswith(".toml") and not e.startswith(".") and _written_as_notes(folder / e) for e in entries)


def _written_as_notes(path: Path) -> bool:
    """Whether a file starts with the first line of the notes files this tool writes (read without
    waiting: a FIFO there must not hang the export)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, len(_NOTES_HEAD)) == _NOTES_HEAD
    except OSError:
        return False
    finally:
        os.close(fd)


def export_to_folder(
    programme: Programme, notes: Notes, fmt: str, folder: Path, *, summary: bool = False, now: dt.datetime
) -> Path:
    """Export into `folder` under a new, dated file name (never over an older export)."""
    kind = "summary" if summary else "notes"
    if notes_folder_problem(folder / "export"):  # `run --notes exports`, say: never write among the notes
        raise OSError(errno.EINVAL, "it is a notes folder, where an export would be read as notes")
    data = (export_summary if summary else export)(programme, notes, fmt)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{programme.id}-{kind}-{now:%Y%m%d-%H%M%S}"
    target = folder / f"{stem}{FORMATS[fmt].extension}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}{FORMATS[fmt].extension}"
    write_file(target, raw)
    return target
