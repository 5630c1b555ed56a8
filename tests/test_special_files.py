"""Files that are not regular files, files far too large, and outputs that are no place for an export.

The notes loader reads only regular files (opened without waiting, checked on the
open file, at most `MAX_FILE_BYTES`), so a FIFO, a device or a link to /dev/zero
in a notes folder is one line and exit 2 for every command, never a hang or a
memory blow-up; so is a `.lock` that is a FIFO or a folder. An export's `-o` is a
regular file or nothing yet: never a device, a FIFO or a `/proc/self/fd` link
(even with `--force`), never a name ending in '/', never a file inside a notes
folder. Each command runs in a subprocess with a timeout and a memory limit, so
a regression fails here instead of hanging the suite or the machine.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_corrupt_notes import PROG, realistic, snapshot, what_the_user_sees

from facilitator.cli import main
from facilitator.notes import add_answer, empty_notes
from facilitator.notes_toml import MAX_FILE_BYTES, render_item
from facilitator.store import NotesFolder, StoreError, load_notes

REPO = Path(__file__).resolve().parent.parent
NOT_A_NOTES_FILE = "not a notes file: a notes file is a regular file"


def limited() -> None:
    # 2 GB of address space: a command reading /dev/zero fails with MemoryError instead of eating the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def facilitator(*args: object, cwd: Path, script: str | None = None) -> subprocess.CompletedProcess:
    command = ["-c", script, *map(str, args)] if script else ["-m", "facilitator", *map(str, args)]
    return subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, timeout=30, cwd=cwd, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "LINES": "30"}, preexec_fn=limited,
    )  # fmt: skip


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    NotesFolder(folder, PROG).save(realistic())
    (tmp_path / "out").mkdir()
    return folder


COMMANDS = {
    "export": lambda notes, tmp: ["export", notes, "-f", "md", "-o", tmp / "out" / "report.md"],
    "summary": lambda notes, tmp: ["summary", notes],
    "merge": lambda notes, tmp: ["merge", notes, "-o", tmp / "out" / "merged"],
    "run": lambda notes, tmp: ["run", "--notes", notes],
}


def make_special(path: Path, kind: str) -> str:
    """Replace `path` with a FIFO or a link to /dev/zero; what the loader says it is."""
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        return "a named pipe (FIFO)"
    path.symlink_to("/dev/zero")
    return "a character device"


def refused_alike(result: subprocess.CompletedProcess, command: str, expected: list[str]) -> None:
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 2, result.stderr[-2000:]
    assert what_the_user_sees(result.stderr).splitlines() == [f"facilitator: {line}" for line in expected]
    if command != "run":
        assert result.stdout == ""


# ------------------------------------------------------------------ the notes loader: regular files only


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("name", "kind"), [("coordination.toml", "fifo"), ("coordination.toml", "zero"),
                                            ("run.toml", "fifo")])  # fmt: skip
def test_a_fifo_or_device_in_the_notes_folder_is_refused_by_every_command(tmp_path, notes_dir, command, name, kind):
    """Issue 15, item 2: a FIFO hung every command (and `run` then ignored Ctrl+Q); /dev/zero filled memory."""
    path = notes_dir / name
    what = make_special(path, kind)
    before = snapshot(tmp_path)
    result = facilitator(*COMMANDS[command](notes_dir, tmp_path), cwd=tmp_path)
    refused_alike(result, command, [f"{path}: is {what}, {NOT_A_NOTES_FILE}"])
    assert snapshot(tmp_path) == before  # no lock, no export, no merged folder left


@pytest.mark.parametrize("command", ["run", "merge"])
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_lock_that_is_a_fifo_or_a_folder_is_refused_in_one_line(tmp_path, notes_dir, command, kind):
    """Issue 15, item 2: a FIFO .lock hung `run` and `merge`; a folder .lock gave an IsADirectoryError traceback."""
    folder = notes_dir if command == "run" else tmp_path / "out" / "merged"
    folder.mkdir(exist_ok=True)
    lock = folder / ".lock"
    os.mkfifo(lock) if kind == "fifo" else lock.mkdir()
    before = snapshot(tmp_path)
    result = facilitator(*COMMANDS[command](notes_dir, tmp_path), cwd=tmp_path)
    what = "a named pipe (FIFO)" if kind == "fifo" else "a folder"
    expected = f"{lock}: is {what}, not a lock file: if no facilitator is using {folder}, remove it"
    refused_alike(result, command, [expected])
    assert snapshot(tmp_path) == before


PRESENT = """
import sys
from pathlib import Path
from facilitator.cli.present import follower_for

follower = follower_for(Path(sys.argv[1]), None)
follower.poll()
print(follower.notice)
print(follower.view().waiting)
"""


def test_present_shows_a_run_file_that_is_a_fifo_as_unreadable(tmp_path, notes_dir):
    """Issue 15, item 2: `present` hung on a FIFO run.toml; it shows its small notice, as for any unreadable one."""
    make_special(notes_dir / "run.toml", "fifo")
    before = snapshot(tmp_path)
    result = facilitator(notes_dir, cwd=tmp_path, script=PRESENT)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"run.toml cannot be read (is a named pipe (FIFO), {NOT_A_NOTES_FILE})",
        f"Waiting for the run to start in {notes_dir}",
    ]
    assert snapshot(tmp_path) == before


def test_a_notes_file_larger_than_the_limit_is_refused_unread(tmp_path, notes_dir):
    path = notes_dir / "coordination.toml"
    before = path.read_bytes()
    os.truncate(path, MAX_FILE_BYTES + 1)  # sparse: the refusal comes from its size, before any byte is read
    with pytest.raises(StoreError) as caught:
        load_notes(notes_dir)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: is larger than 256 MB, far more than a notes file holds: is it a notes file?"
    ]
    path.write_bytes(before)
    assert load_notes(notes_dir) == realistic()


def test_the_size_limit_holds_a_hundred_thousand_answers():
    """The limit is generous: 100,000 answers of 1,000 two-byte characters each (a long day is a few thousand
    answers of a sentence or two)."""
    when = dt.datetime(2012, 5, 22, 10, 20)
    notes, _ = add_answer(empty_notes(PROG), "coordination", "challenges", "Bosnia and Herzegovina", "é" * 1000, when)
    one_answer = len(render_item(PROG, notes.item("coordination")).encode("utf-8"))
    assert 100_000 * one_answer < MAX_FILE_BYTES


# ------------------------------------------------------------------ outputs: regular files, never in a notes folder


def export_to(tmp_path: Path, notes_dir: Path, output: object, *more: str) -> subprocess.CompletedProcess:
    return facilitator("export", notes_dir, "-f", "md", "-o", output, *more, cwd=tmp_path)


def kinds_of_special_outputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Outputs that are no file to replace, each with what it is."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "to-pipe").symlink_to(fifo)
    (tmp_path / "to-null").symlink_to("/dev/null")  # what --force would have renamed over, as root, at /dev/null
    found = {
        "fifo": (fifo, "a named pipe (FIFO)"),
        "link to a fifo": (tmp_path / "to-pipe", "a named pipe (FIFO)"),
        "link to /dev/null": (tmp_path / "to-null", "a character device"),
    }
    try:
        os.mknod(tmp_path / "device", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a /dev/null of our own
        found["device"] = (tmp_path / "device", "a character device")
    except OSError:
        pass  # not root, or a file system without devices: the link to /dev/null covers it
    return found


def test_an_output_that_is_no_regular_file_is_refused_even_with_force(tmp_path, notes_dir):
    """Issue 15, item 8: --force renamed the export over device nodes, FIFOs and /proc/self/fd links."""
    for name, (output, what) in kinds_of_special_outputs(tmp_path).items():
        before = snapshot(tmp_path)
        result = export_to(tmp_path, notes_dir, output, "--force")
        assert "Traceback" not in result.stderr, name
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr == (
            f"facilitator: {output}: is {what}, not a regular file: exports are written to files only\n"
        ), name
        assert snapshot(tmp_path) == before, name
    # Standard output as a file name: a pipe to the test, never replaced.
    result = export_to(tmp_path, notes_dir, "/proc/self/fd/1", "--force")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        "facilitator: /proc/self/fd/1: is a named pipe (FIFO), not a regular file: exports are written to files only\n"
    )


def cli(capsys, *args: object) -> tuple[int, str, str]:
    """The command line in this process: these refusals come before anything is read or written."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_output_ending_in_a_slash_is_refused(tmp_path, notes_dir, capsys, monkeypatch):
    """Issue 15, item 8: `-o newdir/` wrote a file named `newdir`."""
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    for output in ("newdir/", f"{tmp_path / 'out'}/"):
        assert cli(capsys, "export", notes_dir, "-f", "md", "-o", output) == (2, "", (
            f"facilitator: {output}: ends with a '/', so names a folder: "
            "give a file name with -o (such as DIR/report.md)\n"
        ))  # fmt: skip
    assert snapshot(tmp_path) == before


def test_an_output_inside_a_notes_folder_is_refused(tmp_path, notes_dir, capsys):
    """Issue 15, item 9: `-o notes/lunch.toml` (Markdown) made every command refuse the folder;
    `-o notes/run.toml --force` replaced the run state."""
    other = tmp_path / "other-run"
    NotesFolder(other, PROG).save(realistic())
    (tmp_path / "link").symlink_to(notes_dir)
    exported = f"is inside the notes folder being exported ({notes_dir}): write the export elsewhere"
    cases = [
        (notes_dir / "lunch.toml", [], exported),
        (notes_dir / "run.toml", ["--force"], exported),
        (notes_dir / "report.md", [], exported),
        (tmp_path / "link" / "report.md", [], exported),
        (other / "report.md", [], f"is inside the notes folder {other}, where it would be read as notes: "
                                   "write the export elsewhere"),
    ]  # fmt: skip
    before = snapshot(tmp_path)
    for output, more, message in cases:
        for command in (["export", notes_dir, "-f", "md"], ["summary", notes_dir, "-f", "md"]):
            assert cli(capsys, *command, "-o", output, *more) == (2, "", f"facilitator: {output}: {message}\n")
    assert snapshot(tmp_path) == before
    assert load_notes(notes_dir) == realistic()


def test_an_output_beside_programme_files_is_fine(tmp_path, notes_dir):
    """Only a notes folder is refused: a folder of programmes (other .toml files) takes an export."""
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    (exercises / "my-programme.toml").write_text('schema = 1\nid = "mine"\n', encoding="utf-8")
    result = export_to(tmp_path, notes_dir, exercises / "report.md")
    assert (result.returncode, result.stderr) == (0, "")
    assert "No single focal point" in (exercises / "report.md").read_text("utf-8")


def test_merge_never_opens_a_fifo_given_as_a_folder(tmp_path, notes_dir):
    """`merge`'s inputs and output are folders: a FIFO given as either is named for what it is, never opened."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    result = facilitator("merge", notes_dir, "-o", fifo, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"facilitator: {fifo}: is a named pipe (FIFO), not a notes folder\n"
    result = facilitator("merge", fifo, "-o", tmp_path / "out" / "merged", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"facilitator: {fifo}: is a file, not a notes folder\n")
    assert snapshot(tmp_path) == before


def test_the_app_never_exports_into_a_notes_folder(tmp_path, notes_dir, programme_2012):
    """Exports made in the app go to `exports/` beside the notes folder: refused when that is a notes folder."""
    from facilitator.exporters.files import export_to_folder

    before = snapshot(tmp_path)
    with pytest.raises(OSError, match="it is a notes folder, where an export would be read as notes"):
        export_to_folder(programme_2012, realistic(), "md", notes_dir, now=dt.datetime(2012, 5, 22, 18, 0))
    assert snapshot(tmp_path) == before
    made = export_to_folder(programme_2012, realistic(), "md", tmp_path / "exports", now=dt.datetime(2012, 5, 22))
    assert made.parent == tmp_path / "exports" and "No single focal point" in made.read_text("utf-8")
