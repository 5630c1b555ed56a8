"""Two writers: one facilitator per notes folder; readers never block it or see half a file.

- a second `facilitator run` on a folder another process holds is refused (exit 2, one
  line naming the holder's host and pid) and changes no byte of the folder;
- a stale lock (its process was killed) is taken over, and when several facilitators
  start on it at the same moment, on a fast disk or a slow one, exactly one gets it;
- a lock deleted or taken from a running facilitator is put back, or its saves stop
  with NOT SAVED naming the new holder: never two writers;
- `facilitator export` and `summary` read a folder while a writer saves into it, over
  and over: never an error, never a torn answer, and the writer never waits or fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from facilitator.cli import main as cli
from facilitator.notes import add_answer, delete_answer, empty_notes
from facilitator.store import LockedError, NotesFolder, StoreError, load_notes

REPO = Path(__file__).resolve().parent.parent
PROG = "parallel-programme-2012-05-22"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

HOLDER = """
import sys
from pathlib import Path
from facilitator.store import NotesFolder
folder = NotesFolder(Path(sys.argv[1]), sys.argv[2])
folder.lock()
print("LOCKED", flush=True)
sys.stdin.readline()
folder.unlock()
"""

RACER = """
import os, random, sys, time
from pathlib import Path
from facilitator.store import LockedError, NotesFolder, StoreError
root, slow = sys.argv[1], float(sys.argv[2])
if slow:  # a slow (network) disk: every step of taking the lock takes a while, widening every race
    rng = random.Random(os.getpid())
    for name in ("open", "rename", "link", "unlink", "replace"):
        def slowed(*args, _real=getattr(os, name), **kwargs):
            if any(str(a).startswith(root) for a in args[:2]):
                time.sleep(rng.uniform(0, slow))
                try:
                    return _real(*args, **kwargs)
                finally:
                    time.sleep(rng.uniform(0, slow))
            return _real(*args, **kwargs)
        setattr(os, name, slowed)
folder = NotesFolder(Path(root), "prog")
print("READY", flush=True)
for line in sys.stdin:
    if line.strip() == "take":
        try:
            folder.lock()
            print("WON", os.getpid(), flush=True)
        except LockedError as exc:
            print("REFUSED", exc.pid, flush=True)
        except StoreError as exc:
            print("ERROR", str(exc).replace(chr(10), " "), flush=True)
    else:
        folder.unlock()
        print("RELEASED", flush=True)
"""


def python(script: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=ENV, **kwargs,
    )


def everything(folder: Path) -> dict[str, bytes]:
    """Every file in the folder, hidden ones (the lock) included."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def a_day(count: int = 12):
    notes = empty_notes(PROG)
    for n in range(count):
        notes, _ = add_answer(notes, ("coordination", "monitoring")[n % 2], "challenges", f"Group {n % 5}",
                              f"answer {n}", dt_at(n))
    return notes


def dt_at(n: int):
    import datetime as dt

    return dt.datetime(2012, 5, 22, 10, 0) + dt.timedelta(minutes=n)


def exited_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ------------------------------------------------------------------ a second facilitator run


def test_a_second_run_is_refused_naming_the_other_process(tmp_path):
    notes_dir = tmp_path / "notes"
    NotesFolder(notes_dir, PROG).save(a_day())
    holder = python(HOLDER, str(notes_dir), PROG)
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        before = everything(notes_dir)
        result = subprocess.run(
            [sys.executable, "-m", "facilitator", "run", "--notes", str(notes_dir)], capture_output=True, text=True,
            timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL, env=ENV,
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"on host {socket.gethostname()} (pid {holder.pid})" in lines[0]
        assert f"{notes_dir}: is in use by facilitator" in lines[0]
        assert everything(notes_dir) == before  # not a byte changed, the holder's lock included
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    assert ".lock" not in os.listdir(notes_dir)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_the_lock_of_a_killed_facilitator_is_taken_over_and_the_notes_kept(tmp_path):
    notes_dir = tmp_path / "notes"
    NotesFolder(notes_dir, PROG).save(a_day())
    holder = python(HOLDER, str(notes_dir), PROG)
    assert holder.stdout.readline().strip() == "LOCKED"
    with pytest.raises(LockedError):
        NotesFolder(notes_dir, PROG).lock()  # alive: refused
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=30)
    assert f"pid = {holder.pid}" in (notes_dir / ".lock").read_text()  # left behind
    with NotesFolder(notes_dir, PROG) as folder:
        assert f"pid = {os.getpid()}" in (notes_dir / ".lock").read_text()
        assert folder.load() == load_notes(notes_dir, PROG) and folder.load().answer_count() == 12
    assert sorted(os.listdir(notes_dir)) == ["coordination.toml", "monitoring.toml", "run.toml"]


@pytest.mark.parametrize("slow", [0.0, 0.003], ids=["fast-disk", "slow-disk"])
def test_several_starting_at_once_on_a_stale_lock_exactly_one_wins(tmp_path, slow):
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    dead = exited_pid()
    racers = [python(RACER, str(notes_dir), str(slow)) for _ in range(4)]
    try:
        for racer in racers:
            assert racer.stdout.readline().strip() == "READY", racer.stderr.read()
        for round_ in range(40 if slow else 60):
            stale = f'host = "{socket.gethostname()}"\npid = {dead}\nsince = 2012-05-22T09:00:00\n'
            (notes_dir / ".lock").write_text(stale)
            for racer in racers:  # all at once
                racer.stdin.write("take\n")
            for racer in racers:
                racer.stdin.flush()
            answers = [racer.stdout.readline().split() for racer in racers]
            winners = [racer for racer, answer in zip(racers, answers, strict=True) if answer[0] == "WON"]
            assert len(winners) == 1, f"round {round_}: {answers}"
            winner = winners[0]
            assert f"pid = {winner.pid}" in (notes_dir / ".lock").read_text(), f"round {round_}"
            for racer, answer in zip(racers, answers, strict=True):
                if racer is not winner:
                    assert answer[0] == "REFUSED", f"round {round_}: {answers}"
            for racer in racers:  # everyone lets go (only the winner held anything)
                racer.stdin.write("release\n")
                racer.stdin.flush()
                assert racer.stdout.readline().strip() == "RELEASED"
            assert not (notes_dir / ".lock").exists(), f"round {round_}"
            assert not [n for n in os.listdir(notes_dir) if n.endswith((".tmp", ".stale"))], f"round {round_}"
    finally:
        for racer in racers:
            racer.kill()
            racer.communicate(timeout=30)


def test_a_lock_deleted_under_a_running_facilitator_is_put_back(tmp_path):
    notes_dir = tmp_path / "notes"
    folder = NotesFolder(notes_dir, PROG)
    folder.lock()
    notes = a_day(4)
    folder.save(notes)
    ours = (notes_dir / ".lock").read_bytes()
    (notes_dir / ".lock").unlink()  # someone "cleaned up"
    assert folder.pending(notes)
    assert folder.save(notes) == []
    assert (notes_dir / ".lock").read_bytes() == ours
    with pytest.raises(LockedError):
        NotesFolder(notes_dir, PROG).lock()
    folder.unlock()


def test_a_facilitator_whose_folder_was_taken_stops_writing(tmp_path):
    notes_dir = tmp_path / "notes"
    first = NotesFolder(notes_dir, PROG)
    first.lock()
    notes = a_day(4)
    first.save(notes)
    (notes_dir / ".lock").unlink()  # removed by hand while the first still runs ...
    holder = python(HOLDER, str(notes_dir), PROG)  # ... and a second facilitator takes the folder
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        theirs = everything(notes_dir)
        more, _ = add_answer(notes, "coordination", "challenges", "Chad", "written by the first", dt_at(30))
        with pytest.raises(StoreError) as caught:
            first.save(more)
        assert f"(pid {holder.pid})" in str(caught.value) and "is in use by facilitator" in str(caught.value)
        assert everything(notes_dir) == theirs  # the first wrote nothing over the second's folder
    finally:
        holder.communicate("\n", timeout=30)
    first.unlock()


# ------------------------------------------------------------------ reading while it is written

WRITER = """
import datetime as dt, json, sys, time
from pathlib import Path
from facilitator.notes import add_answer, delete_answer, edit_answer
from facilitator.store import NotesFolder
folder = NotesFolder(Path(sys.argv[1]), sys.argv[2])
folder.lock()
notes = folder.load()
items = ["coordination", "monitoring", "monitoring-exercise", "end"]
saves, slowest, n = 0, 0.0, 0
print("READY", flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline and not Path(sys.argv[3]).exists():
    n += 1
    item = items[n % len(items)]
    notes, answer = add_answer(notes, item, "challenges", f"Group {n % 7}",
                               f"answer {n} " + "text " * (n % 50) + "end", dt.datetime(2012, 5, 22, 10, 0))
    if n % 3 == 0:
        notes = edit_answer(notes, answer.id, f"answer {n} edited end", dt.datetime(2012, 5, 22, 11, 0))
    if n % 5 == 0:  # now and then an item loses all its answers: its file is removed
        for a in notes.item("end").answers:
            notes = delete_answer(notes, a.id)
    started = time.monotonic()
    folder.save(notes)  # raises if a save fails: the reader made the writer fail
    slowest = max(slowest, time.monotonic() - started)
    saves += 1
folder.unlock()
print(json.dumps({"saves": saves, "slowest": slowest, "answers": notes.answer_count()}), flush=True)
"""


def cli_run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(args))
    return code, out.getvalue(), err.getvalue()


def test_export_and_summary_read_a_folder_being_written(tmp_path):
    notes_dir = tmp_path / "notes"
    stop = tmp_path / "stop"
    writer = python(WRITER, str(notes_dir), PROG, str(stop))
    try:
        assert writer.stdout.readline().strip() == "READY", writer.stderr.read()
        while not (notes_dir / "run.toml").exists():
            time.sleep(0.01)
        seen: list[int] = []
        for n in range(60):
            code, out, err = cli_run("export", str(notes_dir), "--format", "json")
            assert code == 0, err
            data = json.loads(out)  # a whole document: nothing torn
            texts = [a["text"] for item in data["items"] for p in item["prompts"] for a in p["answers"]]
            assert all(t.endswith("end") for t in texts), "an answer was read half-written"
            assert len(texts) == len(set(texts))
            seen.append(len(texts))
            fmt = ("text", "md", "html")[n % 3]
            code, out, err = cli_run("summary", str(notes_dir), "--format", fmt)
            assert code == 0 and out, err
            if n % 10 == 0:
                code, out, err = cli_run("export", str(notes_dir), "--format", "csv")
                assert code == 0 and out.count("\n") > 1, err
        stop.touch()
        out, err = writer.communicate(timeout=60)
    finally:
        stop.touch()
        if writer.poll() is None:
            writer.kill()
            writer.communicate()
    assert writer.returncode == 0, err  # every one of its saves succeeded
    report = json.loads(out.strip().splitlines()[-1])
    assert report["saves"] > 60
    assert len(set(seen)) > 10  # the reads really overlapped the writing: each saw the folder at another point
    final = load_notes(notes_dir, PROG)
    assert final.answer_count() == report["answers"]


def test_a_reader_never_holds_up_the_writer_in_the_same_process(tmp_path):
    """Readers in threads, loading in a loop, while saves go on: every save returns, every load succeeds."""
    notes_dir = tmp_path / "notes"
    folder = NotesFolder(notes_dir, PROG)
    folder.lock()
    notes = a_day(2)
    folder.save(notes)
    done = threading.Event()
    errors: list[BaseException] = []
    loads = [0]

    def read() -> None:
        while not done.is_set():
            try:
                load_notes(notes_dir, PROG)
                loads[0] += 1
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    try:
        for n in range(300):
            notes, answer = add_answer(notes, "end", "", "Chad", f"closing {n}", dt_at(n))
            folder.save(notes)
            if n % 4 == 3:  # the item is emptied: its file goes, while a reader may be about to open it
                for a in notes.item("end").answers:
                    notes = delete_answer(notes, a.id)
                folder.save(notes)
    finally:
        done.set()
        for thread in readers:
            thread.join()
        folder.unlock()
    assert not errors, errors[0]
    assert loads[0] > 0
