"""Kill -9 at any moment: an acknowledged answer is never lost, a notes file is never half-written.

`_kill9_child.py` runs the capture path the run screen uses (`Meeting`
operations, `AutoSaver.submit`, `AutoSaver.flush`, `NotesFolder.save`,
`store.write_atomic`) in a subprocess and reports each version of the notes
before submitting it and each completed save. These tests kill it with SIGKILL,
then check the notes folder the way the next start would read it:

- every ``*.toml`` file parses and `load_notes` reads the folder without a problem;
- every agenda item (and the run state) on disk is exactly the version last
  reported saved, or a version submitted after it (a save under way may have
  replaced some files): an answer reported saved is never missing or altered;
- the next child (a new process) takes over the stale lock of the killed one,
  so the notes accumulate across every kill.

`test_sigkill_at_random_moments` kills at random moments: during start-up and
the lock take-over, at random delays, and right after the child announces the
write of a file. It kills 200 times by default; the full run is

    FACILITATOR_KILLS=1000 python -m pytest tests/test_kill9.py

`test_sigkill_before_every_file_operation` kills a fixed session before each of
its file operations in turn (open, write, halfway through a write, fsync,
close, rename, unlink, mkdir, link), so every step of taking the lock, saving
and releasing the lock is a place it has died at least once.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from facilitator.notes import RunState
from facilitator.store import NotesFolder, load_notes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kill9_child import canonical_item, canonical_run  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "_kill9_child.py"
PROG = "parallel-programme-2012-05-22"
KILLS = int(os.environ.get("FACILITATOR_KILLS", "200"))

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and select() on pipes are POSIX")


class Ledger:
    """What the child reported: the versions saved, and those submitted since the last save."""

    def __init__(self) -> None:
        self.saved: dict[str, dict | None] = {}
        self.saved_run = canonical_run(RunState(PROG))  # a folder with no run.toml reads as this
        self.submitted: dict[str, list[dict | None]] = {}
        self.submitted_run: list[list] = []
        self.acknowledgements = 0

    def feed(self, line: str) -> None:
        if line.startswith("P "):
            try:
                message = json.loads(line[2:])
            except json.JSONDecodeError:
                return  # cut short by the kill: written before its submit, so never submitted
            for sid, item in message["items"].items():
                self.submitted.setdefault(sid, []).append(item)
            if "run" in message:
                self.submitted_run.append(message["run"])
        elif line == "A":
            self.acknowledgements += 1
            for sid, versions in self.submitted.items():
                self.saved[sid] = versions[-1]
            if self.submitted_run:
                self.saved_run = self.submitted_run[-1]
            self.submitted.clear()
            self.submitted_run.clear()

    def check(self, folder: Path) -> tuple[list[str], dict]:
        """Problems with the folder after a kill (none expected), and what it found; then start afresh from disk."""
        problems: list[str] = []
        for path in sorted(folder.glob("*.toml")):
            try:
                tomllib.loads(path.read_text("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                problems.append(f"{path.name} does not parse: {exc}")
        notes = load_notes(folder, PROG)  # raises StoreError, listing every problem, if a file is wrong
        on_disk = {sid: canonical_item(item) for sid, item in notes.items.items()}
        newer = 0
        kept = 0
        for sid in sorted(set(self.saved) | set(self.submitted) | set(on_disk)):
            found = on_disk.get(sid)
            saved = self.saved.get(sid)
            if found == saved:
                kept += len(saved["answers"]) if saved else 0
                continue
            if found in self.submitted.get(sid, []):
                newer += 1
                continue
            problems.append(f"{sid}.toml is neither the version reported saved nor one submitted after it:\n"
                            f"  on disk: {json.dumps(found)[:600]}\n  saved:   {json.dumps(saved)[:600]}")
            lost = set(saved["answers"]) - set(found["answers"] if found else ()) if saved else set()
            if lost:
                problems.append(f"  answers reported saved and now missing: {sorted(lost)}")
        run = canonical_run(notes.run)
        if run != self.saved_run and run not in self.submitted_run:
            problems.append(f"run.toml is {run}, reported saved {self.saved_run}")
        # A temporary file of write_atomic left behind: the kill landed inside the write of a notes file.
        leftovers = [n for n in os.listdir(folder) if n.endswith(".tmp") and ".toml." in n] if folder.exists() else []
        self.saved, self.saved_run = on_disk, run
        self.submitted.clear()
        self.submitted_run.clear()
        return problems, {"newer": newer, "kept": kept, "mid_write": bool(leftovers), "answers": notes.answer_count()}


def spawn(folder: Path, seed: int, point: int = 0) -> subprocess.Popen:
    args = [sys.executable, str(CHILD), str(folder), str(seed)] + ([str(point)] if point else [])
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


class Lines:
    """Complete lines from a child's stdout, read without blocking past a deadline."""

    def __init__(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.buffer = b""
        self.lines: list[str] = []
        self.eof = False

    def read(self, until: float) -> list[str]:
        """Lines that arrive before `until` (a time.monotonic() value); returns the new ones."""
        new: list[str] = []
        while not self.eof:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                break
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                self.eof = True
                break
            self.buffer += chunk
            *complete, self.buffer = self.buffer.split(b"\n")
            new += [line.decode("utf-8", "replace") for line in complete]
            if new:
                break
        self.lines += new
        return new

    def rest(self) -> None:
        """Everything up to end of file (the child is dead, so it comes at once)."""
        deadline = time.monotonic() + 30
        while not self.eof:
            assert time.monotonic() < deadline, "the child's output never ended"
            self.read(deadline)


def kill(proc: subprocess.Popen, lines: Lines) -> str:
    """SIGKILL, reap, read what it wrote before dying; returns its stderr."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    lines.rest()
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    assert proc.returncode == -signal.SIGKILL, f"not killed ({proc.returncode}):\n{stderr[-3000:]}"
    return stderr


def one_random_kill(folder: Path, rng: random.Random, seed: int) -> tuple[str, Lines]:
    """Start a child on the folder and kill it at a random moment; returns how it was killed and its lines."""
    proc = spawn(folder, seed)
    lines = Lines(proc)
    mode = rng.choices(["start-up", "delay", "write"], weights=[15, 35, 50])[0]
    started = time.monotonic()
    if mode == "start-up":  # interpreter start, imports, taking over the stale lock, reading the notes
        time.sleep(rng.uniform(0.0, 0.15))
    else:
        while "R" not in lines.lines:
            assert time.monotonic() - started < 30 and not lines.eof, "the child never became ready"
            lines.read(time.monotonic() + 1)
        if mode == "delay":
            until = time.monotonic() + rng.uniform(0.0, 0.08)
            while time.monotonic() < until:
                lines.read(until)
        else:  # right after the child announces the k-th atomic write: inside write_atomic
            wanted = rng.randint(1, 12)
            while sum(line.startswith("W ") for line in lines.lines) < wanted:
                assert time.monotonic() - started < 30 and not lines.eof, "the child stopped writing"
                lines.read(time.monotonic() + 1)
            if rng.random() < 0.5:
                time.sleep(rng.uniform(0.0, 0.002))
    kill(proc, lines)
    return mode, lines


def final_check(folder: Path, ledger: Ledger) -> None:
    """A last start after the last kill: the stale lock is taken over, the leftovers go, the notes are all there."""
    with NotesFolder(folder, PROG) as last:
        notes = last.load()
        assert {sid: canonical_item(i) for sid, i in notes.items.items()} == ledger.saved
        assert not [n for n in os.listdir(folder) if n.endswith((".tmp", ".stale"))]
    assert not (folder / ".lock").exists()


def test_sigkill_at_random_moments(tmp_path):
    folder = tmp_path / "notes"
    rng = random.Random(int(os.environ.get("FACILITATOR_KILL_SEED", "2012")))
    ledger = Ledger()
    counts = {"kills": 0, "start-up": 0, "delay": 0, "write": 0, "mid_write": 0, "newer": 0, "reported_saved": 0,
              "answers_checked": 0}
    failures: list[str] = []
    started = time.monotonic()
    for round_ in range(KILLS):
        mode, lines = one_random_kill(folder, rng, rng.randrange(10**9))
        for line in lines.lines:
            ledger.feed(line)
        counts["reported_saved"] += lines.lines.count("A")
        problems, found = ledger.check(folder)
        counts["kills"] += 1
        counts[mode] += 1
        counts["mid_write"] += found["mid_write"]
        counts["newer"] += bool(found["newer"])
        counts["answers_checked"] += found["kept"]
        if problems:
            last = [line[:100] for line in lines.lines[-3:]]
            failures.append(f"kill {round_} ({mode}, last lines {last}):\n" + "\n".join(problems))
            break
    counts["answers_at_end"] = sum(len(i["answers"]) for i in ledger.saved.values() if i)
    counts["seconds"] = round(time.monotonic() - started, 1)
    print(f"\nkill -9 at random moments: {json.dumps(counts)}")
    assert not failures, failures[0]
    final_check(folder, ledger)
    assert counts["reported_saved"] > KILLS  # the children got far enough to save, many times
    assert counts["answers_at_end"] > 0


def test_sigkill_before_every_file_operation(tmp_path):
    folder = tmp_path / "notes"
    ledger = Ledger()
    killed_at: list[str] = []
    for point in range(1, 500):
        proc = spawn(folder, 7, point)
        out, err = proc.communicate(timeout=60)
        lines = [line.decode("utf-8", "replace") for line in out.split(b"\n")[:-1]]
        if proc.returncode == 0:
            assert "D" in lines
            break
        assert proc.returncode == -signal.SIGKILL, f"point {point}: {proc.returncode}\n{err.decode()[-3000:]}"
        killed_at += [line[2:] for line in lines if line.startswith("K ")]
        for line in lines:
            ledger.feed(line)
        problems, _ = ledger.check(folder)
        assert not problems, f"killed before file operation {point} ({killed_at[-1:]}):\n" + "\n".join(problems)
    else:
        pytest.fail("the fixed session never ran to its end")
    for line in lines:
        ledger.feed(line)
    assert ledger.check(folder)[0] == []
    final_check(folder, ledger)
    kinds = {what.split()[0] for what in killed_at}
    print(f"\nkill -9 before each of {len(killed_at)} file operations: {sorted(kinds)}")
    assert {"open", "write", "fsync", "close", "replace", "unlink"} <= kinds
    assert any(what.startswith("write after") for what in killed_at)  # halfway through writing a file
