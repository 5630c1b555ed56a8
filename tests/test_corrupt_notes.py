"""Corrupt or foreign notes: every command refuses with one line per problem, exit 2, and touches nothing.

A realistic notes folder of the bundled 2012 programme is broken one way at a
time (a file cut short, invalid TOML, ``schema = 99``, a file of another
programme, a wrong type typed by hand, an empty file, Latin-1 text), then the
real command line runs in a subprocess on it: ``facilitator export``,
``facilitator summary`` and ``facilitator run --notes`` (the app: it shows the
run state at once and reads the answers in the background, so its refusal
comes from inside the running app). Each must exit with status 2, print
exactly the expected ``facilitator: FILE:LINE: KEY: message`` lines and no
traceback, and leave every file byte-identical, with the same inode and
modification time, and no new file (no lock, no temporary file, no export).

A file cut short at any line or any byte is refused (a notes file ends with the
line ``# end``; one that lost its end was cut). A file edited by hand with care
(a typo fixed, the text re-quoted, a comment added) is read as edited.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from facilitator.meeting import Meeting
from facilitator.notes import (
    MAX_VOTES,
    Notes,
    NotesError,
    Theme,
    add_answer,
    empty_notes,
    end_item,
    move_to,
    start_item,
)
from facilitator.store import NotesFolder, StoreError, load_notes
from facilitator.themes import vote_answer
from facilitator.tui.app import make_app

REPO = Path(__file__).resolve().parent.parent
PROG = "parallel-programme-2012-05-22"
DAY = dt.date(2012, 5, 22)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute))


def realistic() -> Notes:
    ids = iter(f"a-{n:010x}" for n in range(100))
    notes = start_item(empty_notes(PROG), "coordination", at(10, 16))
    for n, (prompt, group, text) in enumerate(
        [
            ("challenges", "Cambodia", "No single focal point"),
            ("challenges", "Chad", "Data scattered across ministries"),
            ("national-ownership", "Cambodia", "A national disability plan"),
        ]
    ):
        notes, _ = add_answer(notes, "coordination", prompt, group, text, at(10, 20 + n), make_id=lambda: next(ids))
    item = notes.item("coordination")
    answers = (replace(item.answers[0], votes=3, starred=True), *item.answers[1:])
    notes = notes.with_item(replace(item, answers=answers, themes=(Theme("t-1", "Focal point", ("a-0000000000",), 2),)))
    notes = end_item(notes, "coordination", at(13, 5))
    notes, _ = add_answer(
        notes, "monitoring-exercise", "indicators", "Peru", "Devices fitted", at(15, 40), category="Output",
        make_id=lambda: next(ids),
    )  # fmt: skip
    return move_to(notes, "monitoring-exercise", "indicators")


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    NotesFolder(folder, PROG).save(realistic())
    # What a crash in the middle of a save leaves: a refused folder keeps it too (it may hold the newest words).
    half = (folder / "coordination.toml").read_bytes()[:300]
    (folder / ".coordination.toml.0123abcd.tmp").write_bytes(half)
    (tmp_path / "out").mkdir()
    return folder


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under `root`: a file's bytes, inode and modification time; a folder's inode.

    (A folder's own time is left out: `run` takes the folder's lock and gives it
    back, which changes the folder's time but leaves its entries as they were.)"""
    out = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        key = path.relative_to(root).as_posix()
        out[key] = (path.read_bytes(), info.st_ino, info.st_mtime_ns) if path.is_file() else ("dir", info.st_ino)
    return out


def line_of(text: str, fragment: str) -> int:
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return number


# ------------------------------------------------------------------ the corruptions
# Each breaks the folder and returns the exact problem lines every command must print.


def edit(folder: Path, name: str, old: str, new: str) -> tuple[Path, str]:
    path = folder / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path, text


def cut_in_a_text(folder: Path) -> list[str]:
    path = folder / "coordination.toml"
    text = path.read_text("utf-8")
    kept = text[: text.index("Data scattered") + 4]  # a copy interrupted in the middle of an answer
    path.write_text(kept, encoding="utf-8")
    return [f"{path}:{len(kept.splitlines())}: {CUT}"]


def cut_at_a_line(folder: Path) -> list[str]:
    path = folder / "coordination.toml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    kept = lines[: line_of("".join(lines), 'group = "Chad"')]  # `head -n` ending where a group starts: valid TOML
    path.write_text("".join(kept), encoding="utf-8")
    return [f"{path}:{len(kept)}: {CUT}"]


def emptied(folder: Path) -> list[str]:
    path = folder / "monitoring-exercise.toml"
    path.write_bytes(b"")
    return [f"{path}: schema: is missing: every notes file starts with schema = 1"]


def invalid_toml(folder: Path) -> list[str]:
    path, text = edit(folder, "coordination.toml", 'text = "No single focal point"', "text = No single focal point")
    return [f"{path}:{line_of(text, 'text = No single')}: TOML syntax: Invalid value (column 8)"]


def future_schema(folder: Path) -> list[str]:
    path = folder / "coordination.toml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("schema = 99\n" + "".join(lines[1:]), encoding="utf-8")
    return [f"{path}:1: schema = 99: this version reads schema 1"]


def another_programme(folder: Path) -> list[str]:
    path, text = edit(folder, "monitoring-exercise.toml", f'programme = "{PROG}"', 'programme = "another-meeting"')
    return [f'{path}:2: programme: belongs to programme "another-meeting", not "{PROG}"']


def wrong_types(folder: Path) -> list[str]:
    path, text = edit(folder, "coordination.toml", "votes = 3", 'votes = "three"')
    path, text = edit(folder, "coordination.toml", "captured_at = 2012-05-22T10:21:00", 'captured_at = "10:21"')
    answers, captured = "prompts[0].groups[1].answers[0]", line_of(text, 'captured_at = "10:21"')
    votes = line_of(text, 'votes = "three"')
    return [
        f'{path}:{votes}: prompts[0].groups[0].answers[0].votes: must be a whole number, not the string "three"',
        f"{path}:{captured}: {answers}.captured_at: must be a date and time like "
        '2026-11-29T10:20:00, not the string "10:21"',
    ]


def latin1(folder: Path) -> list[str]:
    path = folder / "coordination.toml"
    text = path.read_text("utf-8").replace("A national disability plan", "Un plan national répété")
    path.write_bytes(text.encode("latin-1"))
    return [f"{path}:{line_of(text, 'Un plan national')}: is not UTF-8 text (byte 0xe9)"]


def run_file_broken(folder: Path) -> list[str]:
    path, text = edit(folder, "run.toml", 'session = "monitoring-exercise"', "session = monitoring-exercise")
    return [f"{path}:3: TOML syntax: Invalid value (column 11)"]


def offset_times(folder: Path) -> list[str]:
    """Issue 15, item 3: date-times with an offset loaded, then every export but csv failed with a TypeError."""
    path, text = edit(folder, "run.toml", "started_at = 2012-05-22T10:16:00", "started_at = 2012-05-22T10:16:00+02:00")
    path, text = edit(folder, "run.toml", "ended_at = 2012-05-22T13:05:00", "ended_at = 2012-05-22T11:05:00Z")
    where = "timings.coordination"
    offset = "must be a date and time like 2026-11-29T10:20:00, not a date and time with a time zone offset"
    return [
        f"{path}:7: {where}.started_at: {offset} (+02:00): notes keep local times, without one",
        f"{path}:8: {where}.ended_at: {offset} (+00:00): notes keep local times, without one",
    ]


def what_the_app_refuses(folder: Path) -> list[str]:
    """Issue 15, item 7: a blank group or text, negative votes, votes of 2^63-1: the app makes none of these."""
    path, _ = edit(folder, "coordination.toml", "votes = 3", "votes = -1")
    path, _ = edit(folder, "coordination.toml", 'group = "Chad"', 'group = ""')
    path, _ = edit(folder, "coordination.toml", 'text = "A national disability plan"', 'text = "  "')
    path, text = edit(folder, "coordination.toml", "votes = 2", "votes = 9223372036854775807")
    votes, group, answer, theme = (line_of(text, x) for x in ("votes = -1", 'group = ""', 'text = "  "', "votes = 92"))
    return [
        f"{path}:{votes}: prompts[0].groups[0].answers[0].votes: votes are counted from 0 to 1,000,000, not -1",
        f"{path}:{group}: prompts[0].groups[1].group: an answer needs a group: type the delegation or group name",
        f"{path}:{answer}: prompts[1].groups[0].answers[0].text: the answer is empty",
        f"{path}:{theme}: themes[0].votes: votes are counted from 0 to 1,000,000, not 9,223,372,036,854,775,807",
    ]


CUT = (
    'was cut short: its last line "# end" is missing (restore the file from a copy; '
    "if you edited it by hand, put that line back at its end)"
)
CORRUPTIONS = {
    "cut-in-a-text": cut_in_a_text,
    "cut-at-a-line": cut_at_a_line,
    "emptied": emptied,
    "invalid-toml": invalid_toml,
    "schema-99": future_schema,
    "another-programme": another_programme,
    "wrong-types": wrong_types,
    "latin-1": latin1,
    "run-file-broken": run_file_broken,
    "offset-times": offset_times,
    "what-the-app-refuses": what_the_app_refuses,
}

ANSI = re.compile(r"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>]")


def what_the_user_sees(stderr: str) -> str:
    """stderr as a terminal leaves it: the app's own screen (drawn on stderr, in the
    alternate screen) is gone once it exits; what was printed after stays."""
    if "\x1b[?1049h" in stderr:
        before, _, rest = stderr.partition("\x1b[?1049h")
        assert ANSI.sub("", before) == "", before  # nothing printed before the app started
        stderr = rest.rpartition("\x1b[?1049l")[2]
    return ANSI.sub("", stderr)


def facilitator(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        capture_output=True, text=True, timeout=30, cwd=cwd, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "LINES": "30"},
    )  # fmt: skip


COMMANDS = {
    "export": lambda notes, out: ["export", str(notes), "-f", "csv", "-o", str(out / "answers.csv")],
    "summary": lambda notes, out: ["summary", str(notes)],
    "run": lambda notes, out: ["run", "--notes", str(notes)],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_every_command_refuses_corrupt_notes_and_changes_nothing(tmp_path, notes_dir, corruption, command):
    expected = CORRUPTIONS[corruption](notes_dir)
    before = snapshot(tmp_path)
    result = facilitator(*COMMANDS[command](notes_dir, tmp_path / "out"), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr[-2000:]
    assert what_the_user_sees(result.stderr).splitlines() == [f"facilitator: {line}" for line in expected]
    if command != "run":
        assert result.stdout == ""
    assert snapshot(tmp_path) == before  # same bytes, same files: no lock, temporary file or export left


# ------------------------------------------------------------------ cut short anywhere


def test_a_file_cut_at_any_line_or_byte_is_refused_naming_it(notes_dir):
    """Truncation is the classic half-copied file: every cut of every file is refused, never read as fewer answers."""
    intact = load_notes(notes_dir)
    assert intact == realistic()
    for name in ("coordination.toml", "monitoring-exercise.toml", "run.toml"):
        path = notes_dir / name
        whole = path.read_bytes()
        lines = whole.splitlines(keepends=True)
        cuts = {len(b"".join(lines[:n])) for n in range(len(lines))} | set(range(0, len(whole), 7))
        for cut in sorted(cuts):
            path.write_bytes(whole[:cut])
            with pytest.raises(StoreError) as caught:
                load_notes(notes_dir)
            problems = caught.value.problems
            assert problems and all(p.file == str(path) for p in problems), (name, cut, str(caught.value))
            assert all("\n" not in str(p) for p in problems)
        path.write_bytes(whole[:-1])  # only the final line break lost: nothing is missing, it reads the same
        assert load_notes(notes_dir) == intact
        path.write_bytes(whole)
    assert load_notes(notes_dir) == intact


def test_the_end_line_is_what_the_check_needs_and_files_without_the_first_line_are_read_as_before(notes_dir):
    """Files written by hand (or by an earlier version) start with a bare `schema = 1`: they are not checked for
    the end line, so they read as they always did; the app's own files carry the promise on their first line."""
    path = notes_dir / "coordination.toml"
    text = path.read_text("utf-8")
    intact = load_notes(notes_dir, PROG).item("coordination")
    assert text.splitlines()[0] == 'schema = 1  # a complete notes file ends with the line "# end"'
    assert text.endswith("\n\n# end\n")
    bare = "schema = 1\n" + text.split("\n", 1)[1].removesuffix("# end\n")
    path.write_text(bare, encoding="utf-8")
    assert load_notes(notes_dir, PROG).item("coordination") == intact
    # The same file cut after its second group: read as it is, since nothing promised an end line.
    path.write_text(bare[: bare.index('[[prompts.groups]]\ngroup = "Chad"')], encoding="utf-8")
    assert len(load_notes(notes_dir, PROG).item("coordination").answers) == 1


@pytest.mark.parametrize(
    "args",
    [["export", "-f", fmt] for fmt in ("md", "json", "html", "csv")] + [["summary", "-f", f] for f in ("text", "md")],
)
def test_offset_times_are_refused_by_every_export(tmp_path, notes_dir, args):
    """The exports the issue found failing (docx too: the same summary figures) refuse the folder in one line each."""
    expected = offset_times(notes_dir)
    result = facilitator(args[0], str(notes_dir), *args[1:], cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"facilitator: {line}" for line in expected]


def test_an_offset_time_in_an_item_file_is_refused_too(notes_dir):
    """One rule for every notes file: the app writes local times only."""
    path, text = edit(notes_dir, "coordination.toml", "at = 2012-05-22T10:21:00", "at = 2012-05-22T10:21:00-05:30")
    with pytest.raises(StoreError) as caught:
        load_notes(notes_dir)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{line_of(text, '-05:30')}: prompts[0].groups[1].answers[0].captured_at: must be a date and time "
        "like 2026-11-29T10:20:00, not a date and time with a time zone offset (-05:30): notes keep local times, "
        "without one"
    ]


def test_the_loader_takes_what_the_app_makes_up_to_the_same_bound(tmp_path):
    """One rule for votes: `clean_votes`, in the app's vote operation and in the loader."""
    notes = realistic()
    item = notes.item("coordination")
    most = (replace(item.answers[0], votes=MAX_VOTES), *item.answers[1:])
    notes = notes.with_item(replace(item, answers=most))
    with pytest.raises(NotesError, match="from 0 to 1,000,000"):
        vote_answer(notes, "a-0000000000", 1)
    NotesFolder(tmp_path / "n", PROG).save(notes)
    assert load_notes(tmp_path / "n") == notes
    path, _ = edit(tmp_path / "n", "coordination.toml", f"votes = {MAX_VOTES}", f"votes = {MAX_VOTES + 1}")
    with pytest.raises(StoreError, match="votes are counted from 0 to 1,000,000, not 1,000,001"):
        load_notes(tmp_path / "n")


# ------------------------------------------------------------------ edited by hand, correctly


def hand_fix(notes_dir: Path) -> None:
    """What a rapporteur does in a text editor after the meeting: fix a typo, re-quote, comment, Windows line ends."""
    path = notes_dir / "coordination.toml"
    text = path.read_text("utf-8")
    text = text.replace('"Data scattered across ministries"', '"Data scattered across five ministries"')
    text = text.replace('text = "A national disability plan"', "text = '''A national\ndisability plan'''")
    text = text.replace('group = "Chad"', 'group = "Chad"  # checked with the delegation')
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


def test_a_file_edited_by_hand_correctly_is_read_as_edited_by_every_command(tmp_path, notes_dir):
    hand_fix(notes_dir)
    before = snapshot(tmp_path)
    result = facilitator("export", str(notes_dir), "-f", "json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    texts = {a["id"]: a["text"] for i in json.loads(result.stdout)["items"] for p in i["prompts"] for a in p["answers"]}
    assert texts["a-0000000001"] == "Data scattered across five ministries"
    assert texts["a-0000000002"] == "A national\ndisability plan"
    result = facilitator("export", str(notes_dir), "-f", "md", cwd=tmp_path)
    assert result.returncode == 0 and "Data scattered across five ministries" in result.stdout
    result = facilitator("summary", str(notes_dir), cwd=tmp_path)
    assert result.returncode == 0 and "Cambodia" in result.stdout
    assert snapshot(tmp_path) == before


async def test_the_app_shows_a_hand_edited_file_as_edited_and_does_not_rewrite_it(programme_2012, clock, notes_dir):
    hand_fix(notes_dir)
    before = snapshot(notes_dir)
    with NotesFolder(notes_dir, PROG) as folder:
        meeting = Meeting(programme_2012, Notes(folder.load_run_state()), clock)
        app = make_app(meeting, folder, load_in_background=True)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(200):
                await pilot.pause(0.02)
                if not app.loading:
                    break
            assert not app.loading and app.load_error is None
            meeting.go_to("coordination", "challenges")
            app.screen.refresh_all()
            await pilot.pause()
            shown = [row.answer.text for row in app.screen.board.rows if row.answer is not None]
            assert shown == ["No single focal point", "Data scattered across five ministries"]
            await pilot.press("ctrl+q")
    # Going to the item moved the run; the crash leftover goes once the folder is read and found good.
    leftover = ".coordination.toml.0123abcd.tmp"
    after = {k: v for k, v in snapshot(notes_dir).items() if k != "run.toml"}
    assert after == {k: v for k, v in before.items() if k not in ("run.toml", leftover)}
    assert load_notes(notes_dir, PROG).item("coordination").answer("a-0000000002").text == "A national\ndisability plan"
