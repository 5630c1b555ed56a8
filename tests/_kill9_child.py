"""The process `test_kill9.py` kills: the run screen's capture path without a screen.

    python tests/_kill9_child.py NOTES_DIR SEED [KILL_AT]

It does what the run screen does on each key: a `Meeting` operation (capture,
edit, delete, move, theme, vote, star, classify, navigate, start/end an item,
undo), then `AutoSaver.submit` of the new notes, and now and then
`AutoSaver.flush`, which returns once those notes are on disk. It never imports
Textual, so a round costs a Python start-up and no more.

It tells the parent what it did, one line each, written with a single
`os.write` under a lock (the saving thread writes too):

- ``R``: the lock is taken (over the killed predecessor's stale lock) and the notes are read;
- ``P {json}``: the agenda items (and run state) about to be submitted, in `canonical` form,
  written *before* `submit`, so any of them may be on disk when it dies;
- ``W name``: `store.write_atomic` is about to replace this file;
- ``A``: `flush` returned True: everything announced so far is reported saved.

Without KILL_AT it runs random operations until it is killed. With KILL_AT=N
it runs a short fixed script (take the lock, capture, edit, theme, vote,
delete, flushing three times, release the lock), and kills itself with SIGKILL
right before its N-th file operation in the notes folder (an `os.write` counts
twice: once before it, once after writing half its bytes), printing
``K what`` first; it prints ``D`` if it reaches the end alive.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import threading
from pathlib import Path

from facilitator import store
from facilitator.autosave import AutoSaver
from facilitator.bundled import default_programme
from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import ItemNotes, NotesError, RunState
from facilitator.programme import load_programme

# Text a rapporteur might paste: quotes, TOML syntax, escapes, other scripts, control characters.
PIECES = [
    "Ministry of Health leads the national plan",
    'data "not shared" between provinces',
    "C:\\path\\to\\file and a \\n that is not a newline",
    "line one\nline two\r\nline three",
    "'''triple''' and \"\"\"triple\"\"\"",
    '[[prompts]]\nid = "injected"',
    "لا يوجد ناجون في اللجنة",
    "Überlebende, équipe, señal, 生存者, 🦺",
    "tab\there and a bell \x07 and NUL \x00 and DEL \x7f",
    "\u2028separator\u00a0nbsp\ufeffbom",
    "=HYPERLINK(\"http://x\")",
]
GROUPS = ["Afghanistan", "Peru", "Jordan", "Iraq", "Group 3", "ICBL / survivors' network", "Ārpus", "Chad"]


def canonical_item(item: ItemNotes | None) -> dict | None:
    """An agenda item as comparable JSON (None when it holds nothing, as on disk)."""
    if item is None or not (item.answers or item.themes):
        return None
    answers = {
        a.id: [a.prompt_id, a.group, a.text, a.captured_at.isoformat(),
               a.edited_at.isoformat() if a.edited_at else None, a.votes, a.starred, a.category]
        for a in item.answers
    }
    themes = [[t.id, t.name, list(t.answer_ids), t.votes] for t in item.themes]
    return json.loads(json.dumps({"answers": answers, "themes": themes}))


def canonical_run(run: RunState) -> list:
    timings = {
        sid: [t.started_at.isoformat() if t.started_at else None, t.ended_at.isoformat() if t.ended_at else None]
        for sid, t in run.timings.items()
    }
    return json.loads(json.dumps([run.session_id, run.prompt_id, timings]))


# ------------------------------------------------------------------ talking to the parent

_OUT = threading.Lock()


def emit(line: str) -> None:
    data = (line + "\n").encode("utf-8")
    with _OUT:
        view = memoryview(data)
        while view:
            view = view[os.write(1, view):]


def announce_writes() -> None:
    """Print ``W name`` before every atomic write of the store (instrumentation only)."""
    real = store.write_atomic

    def write_atomic(target: Path, data: bytes) -> None:
        emit(f"W {target.name}")
        real(target, data)

    store.write_atomic = write_atomic


class Announcer:
    """Prints each new version of the notes before it is submitted, and the acknowledgements."""

    def __init__(self, meeting: Meeting, saver: AutoSaver) -> None:
        self.meeting = meeting
        self.saver = saver
        self.items = dict(meeting.notes.items)
        self.run = None  # the run state on disk is not known to be this one: announce it first

    def submit(self) -> None:
        notes = self.meeting.notes
        changed = {
            sid: canonical_item(item) for sid, item in notes.items.items() if self.items.get(sid) is not item
        }
        changed.update({sid: None for sid in self.items if sid not in notes.items})
        message: dict = {"items": changed}
        if notes.run is not self.run:
            message["run"] = canonical_run(notes.run)
        if not changed and "run" not in message:
            return
        emit("P " + json.dumps(message, ensure_ascii=True))
        self.items, self.run = dict(notes.items), notes.run
        self.saver.submit(notes)

    def flush(self) -> None:
        if self.saver.flush(30):
            emit("A")


# ------------------------------------------------------------------ operations, as the screens call them


def text_of(rng: random.Random) -> str:
    parts = rng.sample(PIECES, rng.randint(1, 3))
    if rng.random() < 0.4:  # long answers make long writes: kills land inside them
        parts.append("padding " * rng.randint(20, 250))
    return f"{rng.randint(0, 10**6)} " + " ".join(parts)


def random_operation(meeting: Meeting, rng: random.Random) -> None:
    """One change, picked the way a busy rapporteur's keys would be."""
    notes = meeting.notes
    everywhere = [a for item in notes.items.values() for a in item.answers]
    here = list(meeting.item.answers)
    themes_here = list(meeting.item.themes)
    crowded = len(everywhere) > 150
    roll = rng.random()
    if roll < (0.15 if crowded else 0.40):
        exercise = meeting.session.exercise
        if exercise:
            meeting.capture_card(rng.choice(GROUPS), text_of(rng), rng.choice(("", *exercise.categories)))
        else:
            meeting.capture(rng.choice(GROUPS), text_of(rng))
    elif roll < 0.48 and everywhere:
        meeting.edit(rng.choice(everywhere).id, text_of(rng))
    elif roll < (0.70 if crowded else 0.54) and everywhere:
        meeting.delete(rng.choice(everywhere).id)
    elif roll < 0.72 and here:
        meeting.move_to_group(rng.choice(here).id, rng.choice(GROUPS))
    elif roll < 0.74 and here and meeting.session.prompts:
        meeting.move_to_prompt(rng.choice(here).id, rng.choice(meeting.session.prompts).id)
    elif roll < 0.78 and here:
        meeting.create_theme(f"Theme {rng.randint(1, 6)}", [a.id for a in rng.sample(here, min(len(here), 3))])
    elif roll < 0.80 and here and themes_here:
        meeting.add_to_theme(rng.choice(themes_here).id, [rng.choice(here).id])
    elif roll < 0.81 and themes_here:
        meeting.rename_theme(rng.choice(themes_here).id, f"Renamed {rng.randint(1, 10**6)}")
    elif roll < 0.82 and len(themes_here) > 1:
        keep, gone = rng.sample(themes_here, 2)
        meeting.merge_themes(keep.id, gone.id)
    elif roll < 0.83 and themes_here:
        meeting.delete_theme(rng.choice(themes_here).id)
    elif roll < 0.84 and here:
        meeting.remove_from_theme(rng.choice(here).id)
    elif roll < 0.88 and (here or themes_here):
        target = rng.choice([a.id for a in here] + [t.id for t in themes_here])
        meeting.vote(target, rng.choice((1, 1, -1)))
    elif roll < 0.90 and everywhere:
        meeting.star(rng.choice(everywhere).id)
    elif roll < 0.92 and here and meeting.session.exercise:
        meeting.classify(rng.choice(here).id, rng.choice(("", *meeting.session.exercise.categories)))
    elif roll < 0.95:
        session = rng.choice(meeting.programme.sessions)
        prompt = rng.choice(session.prompts).id if session.prompts else None
        meeting.go_to(session.id, prompt)
    elif roll < 0.97:
        rng.choice((meeting.start_item, meeting.end_item, meeting.next_prompt, meeting.previous_prompt))()
    else:
        meeting.undo()


def fixed_script(meeting: Meeting, announcer: Announcer) -> None:
    """A short, always identical session: every kind of write, three acknowledged saves."""
    meeting.go_to("coordination", "challenges")
    meeting.start_item()
    first = meeting.capture("Peru", 'Ministry of Health leads; data "not shared"')
    meeting.capture("Jordan", "لا يوجد ناجون في اللجنة")
    announcer.submit()
    announcer.flush()
    meeting.go_to("monitoring-exercise")
    card = meeting.capture_card("Iraq", "Number of survivors with a job", "Outcome")
    meeting.edit(first.id, "Ministry of Health leads, edited")
    meeting.create_theme("Leadership", [first.id], session_id="coordination")
    announcer.submit()
    announcer.flush()
    meeting.vote(card.id, 2)
    meeting.classify(card.id, "Impact")
    meeting.delete(first.id)
    announcer.submit()
    announcer.flush()


# ------------------------------------------------------------------ dying on cue


def die(what: str) -> None:
    emit(f"K {what}")
    os.kill(os.getpid(), signal.SIGKILL)


def kill_at(folder: Path, point: int) -> None:
    """SIGKILL this process right before its `point`-th file operation in `folder`."""
    root = str(folder.resolve())
    seen = [0]
    ours: set[int] = set()  # descriptors opened in the folder
    lock = threading.Lock()

    def inside(path: object) -> bool:
        return isinstance(path, str | os.PathLike) and os.path.abspath(os.fspath(path)).startswith(root)

    def tick(what: str) -> None:
        with lock:
            seen[0] += 1
            if seen[0] == point:
                die(what)

    def on_path(name: str, real):
        def call(*args, **kwargs):
            paths = [os.path.basename(os.fspath(a)) for a in args[:2] if inside(a)]
            if paths:
                tick(f"{name} {' -> '.join(paths)}")
            return real(*args, **kwargs)

        return call

    real_open, real_write, real_fsync, real_close = os.open, os.write, os.fsync, os.close

    def open_(path, *args, **kwargs):
        if inside(path):
            tick(f"open {os.path.basename(os.fspath(path))}")
            fd = real_open(path, *args, **kwargs)
            ours.add(fd)
            return fd
        fd = real_open(path, *args, **kwargs)
        ours.discard(fd)
        return fd

    def write(fd, data):
        if fd in ours:
            tick("write")
            half = memoryview(data)[: max(1, len(data) // 2)]
            with lock:
                seen[0] += 1
                if seen[0] == point:
                    real_write(fd, half)  # half the bytes reach the file, then the process dies
                    die(f"write after {len(half)} of {len(data)} bytes")
        return real_write(fd, data)

    def fsync(fd):
        if fd in ours:
            tick("fsync")
        return real_fsync(fd)

    def close(fd):
        if fd in ours:
            tick("close")
            ours.discard(fd)
        return real_close(fd)

    os.open, os.write, os.fsync, os.close = open_, write, fsync, close
    for name in ("replace", "rename", "unlink", "link", "mkdir"):
        setattr(os, name, on_path(name, getattr(os, name)))


def main() -> None:
    folder_path, seed = Path(sys.argv[1]), int(sys.argv[2])
    point = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    rng = random.Random(seed)
    programme = load_programme(default_programme())
    announce_writes()
    if point:
        kill_at(folder_path, point)
    folder = store.NotesFolder(folder_path, programme.id)
    folder.lock()
    clock = FakeClock(dt.datetime(2012, 5, 22, 9, 0) + dt.timedelta(minutes=seed % 600))
    meeting = Meeting(programme, folder.load(), clock)
    settle = 0.0 if point else rng.choice((0.0, 0.001, 0.01))
    saver = AutoSaver(folder, retry_seconds=0.05, settle_seconds=settle)
    announcer = Announcer(meeting, saver)
    emit("R")
    if point:
        fixed_script(meeting, announcer)
        saver.close()
        folder.unlock()
        emit("D")
        return
    while True:
        clock.advance(seconds=rng.randint(1, 90))
        try:
            random_operation(meeting, rng)
        except NotesError:
            continue
        announcer.submit()
        if rng.random() < 0.3:
            announcer.flush()


if __name__ == "__main__":
    main()
