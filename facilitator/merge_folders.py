"""Merging notes folders on disk: each folder read, NOTES_OUT checked, locked, written only where it changes.

`facilitator.merge` merges `Notes` values and touches no file; this is its edge:
it reads every input folder (every problem of every folder at once), refuses
folders of different programmes, or of a rehearsal and a live run together,
refuses a NOTES_OUT that is a file, another programme's notes or a folder of
other things, takes NOTES_OUT's lock (an app running on it would overwrite the
merge), merges what NOTES_OUT already holds too, and saves only the files that
change, so merging again leaves every file as it was.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from facilitator.merge import conflict_count, merge_notes
from facilitator.notes import Notes
from facilitator.notes_toml import file_kind, render_item, render_run
from facilitator.problems import Problem, os_reason, quote
from facilitator.store import NotesFolder, StoreError, load_notes


@dataclass(frozen=True)
class Merged:
    """What a merge did, for the command to say."""

    folders: int  # distinct input folders
    answers: int
    shared: int  # answers found in more than one input folder
    conflicts: int


def merge_folders(inputs: Iterable[Path], output: Path) -> Merged:
    """Merge the notes folders `inputs` into `output` (see the module); StoreError, as load and save raise."""
    folders = _distinct(Path(p) for p in inputs)
    loaded = _load_inputs(folders)
    programme_id = _one_programme(loaded)
    _one_kind_of_run(loaded)
    _check_notes_out(output, programme_id)
    folder = NotesFolder(output, programme_id)
    folder.lock()  # LockedError while an app runs on NOTES_OUT: it would overwrite what the merge writes
    try:
        current = folder.load()
        merged = merge_notes([n for _, n in loaded] + [current])
        folder.save(_unchanged_kept(merged, current))
    finally:
        folder.unlock()
    shared = sum(1 for count in _folders_per_answer(n for _, n in loaded).values() if count > 1)
    return Merged(len(folders), merged.answer_count(), shared, conflict_count(merged))


def _distinct(paths: Iterable[Path]) -> list[Path]:
    """Each folder once, however it was spelled (merging one twice would change nothing but the count)."""
    seen: set[Path] = set()
    out = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            out.append(path)
    return out


def _load_inputs(inputs: Sequence[Path]) -> list[tuple[Path, Notes]]:
    """Every input folder's notes; every problem of every folder reported at once."""
    loaded: list[tuple[Path, Notes]] = []
    problems: list[Problem] = []
    for folder in inputs:
        try:
            loaded.append((folder, load_notes(folder)))  # a folder with no notes at all is refused here
        except StoreError as exc:
            problems += exc.problems
    if problems:
        raise StoreError(problems)
    return loaded


def _one_kind_of_run(loaded: Sequence[tuple[Path, Notes]]) -> None:
    """A rehearsal's notes are not the meeting's: never merged with a live run's."""
    rehearsals = [folder for folder, notes in loaded if notes.run.rehearsal is not None]
    if rehearsals and len(rehearsals) < len(loaded):
        live = next(folder for folder, notes in loaded if notes.run.rehearsal is None)
        message = f"holds a rehearsal, but {live} holds a live run: a rehearsal's notes are never merged into the day's"
        raise StoreError([Problem(str(rehearsals[0]), "", message)])


def _one_programme(loaded: Sequence[tuple[Path, Notes]]) -> str:
    first, notes = loaded[0]
    problems = [
        Problem(
            str(folder),
            "",
            f"holds notes of programme {quote(other.programme_id)}, but {first} holds notes of "
            f"{quote(notes.programme_id)}: only notes of one programme can be merged",
        )
        for folder, other in loaded[1:]
        if other.programme_id != notes.programme_id
    ]
    if problems:
        raise StoreError(problems)
    return notes.programme_id


def _check_notes_out(output: Path, programme_id: str) -> None:
    """Refuse an output that is a file, another programme's notes, or a folder of other things."""
    try:
        mode = output.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError([Problem(str(output), "", f"cannot be read ({os_reason(exc)})")]) from None
    if not stat.S_ISDIR(mode):
        what = "a file" if stat.S_ISREG(mode) else file_kind(mode)  # a FIFO or a device: never opened
        raise StoreError([Problem(str(output), "", f"is {what}, not a notes folder")])
    try:
        visible = [e for e in os.listdir(output) if not e.startswith(".")]
    except OSError as exc:
        raise StoreError([Problem(str(output), "", f"cannot be read ({exc.strerror or exc})")]) from None
    if any(e.endswith(".toml") for e in visible):
        held = load_notes(output).programme_id  # StoreError for a corrupt folder, before anything is written
        if held != programme_id:
            message = (
                f"holds notes of programme {quote(held)}, not {quote(programme_id)}: "
                "merge into a new folder or one of the same programme"
            )
            raise StoreError([Problem(str(output), "", message)])
    elif visible:
        message = "is not empty and holds no notes: merge into a new folder, an empty one, or a notes folder"
        raise StoreError([Problem(str(output), "", message)])


def _unchanged_kept(merged: Notes, current: Notes) -> Notes:
    """`merged`, with the items and run state whose file would not change replaced by
    those loaded from disk, so `NotesFolder.save` rewrites only files that change:
    merging again leaves every file as it was, not merely with the same bytes.
    """
    pid = merged.programme_id
    items = {}
    for session_id, item in merged.items.items():
        old = current.items.get(session_id)
        same = old is not None and render_item(pid, old) == render_item(pid, item)
        items[session_id] = old if same and old is not None else item
    run = current.run if render_run(current.run) == render_run(merged.run) else merged.run
    return Notes(run, MappingProxyType(items))


def _folders_per_answer(notes: Iterable[Notes]) -> dict[str, int]:
    count: dict[str, int] = defaultdict(int)
    for one in notes:
        for answer_id in {a.id for item in one.items.values() for a in item.answers}:
            count[answer_id] += 1
    return count

