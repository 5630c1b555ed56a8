"""`facilitator export` and `facilitator summary`: files written, stdout, and bad input refused.

Bad input (a missing or corrupt notes folder, an output that exists) gives one
line per problem on stderr, exit 2, no traceback, and leaves files as they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from test_export_fixture import ANSWERS, build

from facilitator.cli import main
from facilitator.notes import add_answer, empty_notes, end_item, start_item
from facilitator.store import NotesFolder


@pytest.fixture
def run(tmp_path: Path):
    programme, _, folder = build(tmp_path)
    return programme.source, folder


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_text_formats_go_to_stdout(capsys, run, fmt: str) -> None:
    programme, folder = run
    code, out, err = cli(capsys, "export", folder, "--format", fmt, "--programme", programme)
    assert (code, err) == (0, "")
    assert "No single focal point" in out
    if fmt == "json":
        assert len({a["id"] for i in json.loads(out)["items"] for p in i["prompts"] for a in p["answers"]}) == 17


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "docx"])
def test_every_format_to_a_file(capsys, run, tmp_path: Path, fmt: str) -> None:
    programme, folder = run
    target = tmp_path / f"out.{fmt}"
    code, out, err = cli(capsys, "export", folder, "-f", fmt, "-o", target, "--programme", programme)
    assert (code, err) == (0, "")
    assert str(target) in out
    data = target.read_bytes()
    if fmt == "docx":
        texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert "1.\tNo single focal point — ★ key point · 2 votes" in texts
    elif fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert sorted(r["answer id"] for r in rows) == sorted(ANSWERS)
    else:
        assert "لا توجد خطة" in data.decode("utf-8")


def test_docx_needs_a_file(capsys, run) -> None:
    programme, folder = run
    code, out, err = cli(capsys, "export", folder, "-f", "docx", "--programme", programme)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "-o FILE" in err


def test_never_overwrites_without_force(capsys, run, tmp_path: Path) -> None:
    programme, folder = run
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = cli(capsys, "export", folder, "-f", "html", "-o", target, "--programme", programme)
    assert code == 2 and out == ""
    assert err == f"facilitator: {target}: already exists: use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _, err = cli(capsys, "summary", folder, "-f", "md", "-o", target, "--programme", programme)
    assert code == 2 and target.read_text(encoding="utf-8") == "keep me"

    code, _, err = cli(capsys, "export", folder, "-f", "html", "-o", target, "--programme", programme, "--force")
    assert (code, err) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_missing_notes_folder(capsys, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "export", tmp_path / "nowhere", "-f", "csv")
    assert code == 2 and out == ""
    assert err == f"facilitator: {tmp_path / 'nowhere'}: no such folder\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli(capsys, "summary", empty)
    assert code == 2 and err.count("\n") == 1 and "no notes here" in err


def test_corrupt_notes_folder(capsys, run, tmp_path: Path) -> None:
    programme, folder = run
    (folder / "coordination.toml").write_text('schema = 1\nprogramme = "x\n', encoding="utf-8")
    (folder / "exercise.toml").write_text("schema = 7\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    code, out, err = cli(capsys, "export", folder, "-f", "csv", "-o", target, "--programme", programme)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("facilitator: ") for line in lines)
    assert "coordination.toml:2: TOML syntax" in err and "exercise.toml" in err and "schema" in err
    assert not target.exists()


def test_a_programme_that_is_not_bundled_must_be_given(capsys, run) -> None:
    _, folder = run
    code, out, err = cli(capsys, "summary", folder)
    assert code == 2 and err.count("\n") == 1 and "--programme" in err


def test_the_wrong_programme_is_refused(capsys, run) -> None:
    _, folder = run
    code, _, err = cli(capsys, "export", folder, "--programme", "parallel-programme-2012-05-22")
    assert code == 2
    assert err.count("\n") == 1 and "'export-demo', not 'parallel-programme-2012-05-22'" in err


def test_summary_prints_in_the_terminal(capsys, run) -> None:
    programme, folder = run
    code, out, err = cli(capsys, "summary", folder, "--programme", programme)
    assert (code, err) == (0, "")
    for expected in ("Key points", "Participation", "Did not contribute: Yemen", "Time", "exercise results"):
        assert expected in out


@pytest.mark.parametrize("fmt", ["text", "md", "html", "docx"])
def test_summary_to_a_file(capsys, run, tmp_path: Path, fmt: str) -> None:
    programme, folder = run
    target = tmp_path / f"summary.{fmt}"
    code, _, err = cli(capsys, "summary", folder, "-f", fmt, "-o", target, "--programme", programme)
    assert (code, err) == (0, "")
    assert target.stat().st_size > 0


def test_a_rehearsed_2012_run_finds_its_bundled_programme(programme_2012, tmp_path: Path) -> None:
    """The real entry point on the bundled programme: one command per file, no --programme."""
    day = dt.date(2012, 5, 22)
    notes = start_item(empty_notes(programme_2012.id), "coordination", dt.datetime.combine(day, dt.time(10, 20)))
    for n, group in enumerate(["Cambodia", "Chad", "Yemen", "Cambodia"]):
        when = dt.datetime.combine(day, dt.time(10, 30 + n))
        notes, _ = add_answer(notes, "coordination", "challenges", group, f"Point {n} from {group}", when)
    notes = end_item(notes, "coordination", dt.datetime.combine(day, dt.time(13, 5)))
    folder = tmp_path / "notes"
    NotesFolder(folder, programme_2012.id).save(notes)
    for fmt in ("docx", "html", "csv"):
        target = tmp_path / f"report.{fmt}"
        done = subprocess.run(
            [sys.executable, "-m", "facilitator", "export", str(folder), "-f", fmt, "-o", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert target.stat().st_size > 0
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "summary", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "Cambodia" in done.stdout and "Did not contribute" in done.stdout
