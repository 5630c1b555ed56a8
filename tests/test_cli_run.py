"""`facilitator run` refuses notes folders it must not touch, before any screen."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from facilitator.store import NotesFolder

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        capture_output=True, text=True, timeout=60, cwd=cwd, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_folder_in_use_is_refused_naming_host_and_pid(tmp_path, programme_2012):
    notes = tmp_path / "notes"
    holder = NotesFolder(notes, programme_2012.id)
    holder.lock()
    try:
        before = snapshot(notes)
        result = run("run", "--notes", str(notes), cwd=tmp_path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert socket.gethostname() in lines[0] and str(os.getpid()) in lines[0] and "in use" in lines[0]
        assert snapshot(notes) == before
    finally:
        holder.unlock()


def test_a_folder_of_another_programme_is_refused(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "run.toml").write_text('schema = 1\nprogramme = "another-meeting"\nsession = ""\nprompt = ""\n')
    before = snapshot(notes)
    result = run("run", "--notes", str(notes), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "run.toml" in result.stderr and "another-meeting" in result.stderr
    assert snapshot(notes) == before


def test_a_corrupt_run_file_is_refused_with_its_line(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "run.toml").write_text('schema = 1\nprogramme = "parallel-programme-2012-05-22"\nsession = \n')
    before = snapshot(notes)
    result = run("run", "--notes", str(notes), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{notes / 'run.toml'}:3" in result.stderr
    assert snapshot(notes) == before


def test_bad_rehearsal_options_are_refused(tmp_path):
    for args in (["--clock", "25:00"], ["--clock", "soon"], ["--speed", "0"], ["--speed", "fast"]):
        result = run("run", "--notes", str(tmp_path / "n"), *args, cwd=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr, args
        assert not (tmp_path / "n").exists()


def test_a_programme_planned_past_9999_is_refused_before_the_app(tmp_path):
    """Issue 15, item 10: the app crashed on it, and `run` still exited 0 with "Notes saved"."""
    from test_validation import LAST_DAY

    (tmp_path / "late.toml").write_text(LAST_DAY, encoding="utf-8")
    result = run("run", "late.toml", "--notes", str(tmp_path / "notes"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("facilitator: late.toml:9: sessions[0].duration: the item cannot be planned")
    assert not (tmp_path / "notes").exists()


CRASH = """
import sys
from facilitator.tui.app import FacilitatorApp


def crash(self, message):  # a bug in the app, on purpose, once the notes are read
    raise RuntimeError("a bug on purpose")


FacilitatorApp.on_notes_loaded = crash
from facilitator.cli import main

sys.exit(main(["run", "--notes", sys.argv[1]]))
"""


def test_an_app_that_stops_on_an_error_exits_non_zero_and_says_so(tmp_path):
    """Issue 15, item 10: whatever crashed the app, `run` exited 0 and printed "Notes saved"."""
    notes = tmp_path / "notes"
    result = subprocess.run(
        [sys.executable, "-c", CRASH, str(notes)], capture_output=True, text=True, timeout=60, cwd=tmp_path,
        stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "LINES": "30"},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Notes saved" not in result.stdout + result.stderr
    assert "a bug on purpose" in result.stderr  # Textual's report of the error, then ours
    assert result.stderr.rstrip().endswith(
        f"facilitator: the app stopped on an error (shown above); what was saved before it is in {notes}/"
    )
    assert not (notes / ".lock").exists()  # the lock is given back all the same
