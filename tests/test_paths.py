"""Names never become paths: nothing is written outside the notes folder or the chosen export file.

Group names, theme names, categories and prompt ids are data: they go inside
files, never into a file name. Agenda item ids do name the item files, so the
store takes only ids the programme itself would accept (`is_valid_id`: a safe
alphabet, at most 64 characters, no name Windows reserves for a device) and
refuses the rest with a clear problem. Each test snapshots the whole temporary
tree before and after, so a file appearing anywhere else would fail it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from facilitator.cli import main
from facilitator.exporters import NOTES_FORMATS
from facilitator.exporters.files import export_to_folder
from facilitator.notes import ItemNotes, Theme, add_answer, empty_notes
from facilitator.programme import is_valid_id, parse_programme
from facilitator.store import LockedError, NotesFolder, StoreError, load_notes

PROG = "parallel-programme-2012-05-22"
T0 = dt.datetime(2012, 5, 22, 10, 30)

HOSTILE_NAMES = [
    "../escape", "../../escape", "/tmp/escape", "a/../../escape", "sub/../../escape", "..\\..\\escape",
    "C:\\Windows\\escape", "x\x00y", "NUL", "nul", "CON", "con", "aux", "aux.txt", "com1", "lpt9", "prn.toml",
    ".", "..", "", " ", ".hidden", "~", "a" * 300, "a\nb", "run", "run.toml", "Upper", "é",
]  # fmt: skip


def tree(root: Path) -> dict[str, bytes | str]:
    """Every file, folder and link under `root`, by relative path: contents, "<dir>" or "-> target"."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[key] = f"-> {os.readlink(path)}"
            elif path.is_dir():
                out[key] = "<dir>"
            else:
                out[key] = path.read_bytes()
    return out


def new_paths(before: dict, after: dict) -> list[str]:
    return sorted(set(after) - set(before))


@pytest.mark.parametrize("session_id", [*HOSTILE_NAMES, "sub/../escape", "a\n"])
def test_an_item_id_that_is_no_safe_file_name_is_refused_and_nothing_is_written(tmp_path: Path, session_id: str):
    notes_dir = tmp_path / "room" / "notes"
    (notes_dir / "sub").mkdir(parents=True)  # a folder inside: "sub/../../escape" would resolve through it
    folder = NotesFolder(notes_dir, PROG)
    notes, _ = add_answer(empty_notes(PROG), session_id, "p", "Chad", "hostile item id", T0)
    notes, _ = add_answer(notes, "coordination", "p", "Chad", "a good item is still saved", T0)
    before = tree(tmp_path)
    with pytest.raises(StoreError) as caught:
        folder.save(notes)
    [problem] = caught.value.problems
    assert problem.message.startswith("not saved: ") and "\n" not in str(problem)  # one line, the id quoted
    assert problem.file == str(notes_dir)
    assert new_paths(before, tree(tmp_path)) == ["room/notes/coordination.toml", "room/notes/run.toml"]
    assert not list(tmp_path.rglob("*escape*"))


def test_the_store_and_the_programme_agree_on_what_an_item_file_may_be_called(tmp_path: Path):
    """Every id the programme accepts is a file the store saves and loads; every id it refuses, the store refuses."""
    accepted = ["coordination", "a", "0", "x" * 64, "item_2-b", "con1", "aux-2", "nul_"]
    for name in HOSTILE_NAMES + accepted:
        folder = NotesFolder(tmp_path / "n", PROG)
        notes, _ = add_answer(empty_notes(PROG), name, "p", "G", "text", T0)
        ok = is_valid_id(name) and name != "run"
        try:
            folder.save(notes)
        except StoreError:
            assert not ok, name
        else:
            assert ok, name
            assert load_notes(tmp_path / "n", PROG).item(name).answers[0].text == "text"
        for path in (tmp_path / "n").iterdir():
            path.unlink()
    assert sorted(os.listdir(tmp_path)) == ["n"]


BAD_FILE_NAMES = ["con.toml", "NUL.toml", "coordination copy.toml", "a\n.toml", "x" * 65 + ".toml"]


@pytest.mark.parametrize("file_name", BAD_FILE_NAMES)
def test_a_file_whose_name_is_no_item_id_is_reported_when_loading(tmp_path: Path, file_name: str):
    good = f'schema = 1\nprogramme = "{PROG}"\nsession = "coordination"\n'
    (tmp_path / file_name).write_text(good, encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(StoreError) as caught:
        load_notes(tmp_path, PROG)
    [problem] = caught.value.problems
    assert "\n" not in str(problem)
    assert problem.file == (str(tmp_path / file_name) if file_name.isprintable() else str(tmp_path))
    assert "is not a valid agenda item id for a file name" in problem.message
    assert tree(tmp_path) == before


def hostile_notes():
    """Answers whose group, theme, category, prompt and text look like paths and device names."""
    notes, make = empty_notes(PROG), iter(range(1000))
    for i, name in enumerate(n[:200] for n in HOSTILE_NAMES if n.strip()):
        notes, _ = add_answer(
            notes, "coordination", name, name, f"{name} said {i}", T0, category=name, make_id=lambda: f"a-{next(make)}"
        )
    notes, _ = add_answer(notes, "monitoring-exercise", "indicators", "../../etc/passwd", "x", T0, category="../x")
    item = notes.item("coordination")
    pairs = zip(HOSTILE_NAMES, item.answers, strict=False)  # fewer answers than names: blank names gave none
    themes = tuple(Theme(f"t-{i}", name or "t", (a.id,)) for i, (name, a) in enumerate(pairs))
    return notes.with_item(ItemNotes("coordination", item.answers, themes))


def test_group_theme_category_and_prompt_names_never_become_paths(tmp_path: Path):
    notes_dir = tmp_path / "notes"
    (tmp_path / "out").mkdir()
    before = tree(tmp_path)
    notes = hostile_notes()
    NotesFolder(notes_dir, PROG).save(notes)
    assert new_paths(before, tree(tmp_path)) == [
        "notes", "notes/coordination.toml", "notes/monitoring-exercise.toml", "notes/run.toml"
    ]  # fmt: skip
    loaded = load_notes(notes_dir, PROG)
    assert [a.group for a in loaded.item("coordination").answers] == [
        a.group for a in notes.item("coordination").answers
    ]

    # Every export writes exactly the file chosen with -o, nothing beside it (no temporary file left).
    before = tree(tmp_path)
    written = []
    for fmt in NOTES_FORMATS:
        target = tmp_path / "out" / f"report.{fmt}"
        assert main(["export", str(notes_dir), "-f", fmt, "-o", str(target)]) == 0
        written.append(f"out/report.{fmt}")
    for fmt in ("md", "html", "docx", "text"):
        target = tmp_path / "out" / f"summary.{fmt}"
        assert main(["summary", str(notes_dir), "-f", fmt, "-o", str(target)]) == 0
        written.append(f"out/summary.{fmt}")
    after = tree(tmp_path)
    assert new_paths(before, after) == sorted(written)
    assert {k: v for k, v in after.items() if k.startswith("notes")} == {
        k: v for k, v in before.items() if k.startswith("notes")
    }


def test_exports_made_in_the_app_are_named_from_the_programme_id_only(tmp_path: Path):
    """The app's exports folder: the file name comes from the (validated) programme id and the time, never a title."""
    data = {
        "schema": 1, "id": "safe-id", "title": "../../../etc/passwd/ CON", "date": "2012-05-22",
        "groups": ["../g", "NUL"],
        "sessions": [{"id": "s", "start": "10:00", "title": "/tmp/x", "kind": "discussion",
                      "prompts": [{"id": "p", "text": "..\\..\\boot.ini"}]}],
    }  # fmt: skip
    programme = parse_programme(data)
    notes, _ = add_answer(empty_notes("safe-id"), "s", "p", "../g", "/etc/shadow", T0)
    exports = tmp_path / "exports"
    now = dt.datetime(2012, 5, 22, 18, 0)
    paths = [export_to_folder(programme, notes, fmt, exports, summary=False, now=now) for fmt in NOTES_FORMATS]
    paths.append(export_to_folder(programme, notes, "md", exports, summary=True, now=now))
    paths.append(export_to_folder(programme, notes, "md", exports, summary=True, now=now))  # never over an older one
    assert [p.name for p in paths] == [
        "safe-id-notes-20120522-180000.md",
        "safe-id-notes-20120522-180000.html",
        "safe-id-notes-20120522-180000.csv",
        "safe-id-notes-20120522-180000.json",
        "safe-id-notes-20120522-180000.docx",
        "safe-id-summary-20120522-180000.md",
        "safe-id-summary-20120522-180000-2.md",
    ]
    assert sorted(tree(tmp_path)) == ["exports", *sorted(f"exports/{p.name}" for p in paths)]


def test_a_programme_id_that_could_be_a_path_is_refused():
    for bad in ("../x", "a/b", "con", "Nul", "", "x" * 65):
        data = {"schema": 1, "id": bad, "title": "t", "date": "2012-05-22",
                "sessions": [{"id": "s", "start": "10:00", "title": "t", "kind": "discussion"}]}  # fmt: skip
        with pytest.raises(Exception) as caught:
            parse_programme(data)
        assert any(p.path == "id" for p in caught.value.problems), bad


def test_a_link_in_the_notes_folder_is_replaced_never_written_through(tmp_path: Path):
    outside = tmp_path / "outside.toml"
    outside.write_text("precious\n", encoding="utf-8")
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    (notes_dir / "coordination.toml").symlink_to(outside)
    (notes_dir / "opening.toml").symlink_to(tmp_path / "never-created.toml")  # dangling
    folder = NotesFolder(notes_dir, PROG)
    notes, _ = add_answer(empty_notes(PROG), "coordination", "p", "Chad", "saved in the folder", T0)
    notes, _ = add_answer(notes, "opening", "", "Chad", "this one too", T0)
    folder.save(notes)
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "never-created.toml").exists()
    assert not (notes_dir / "coordination.toml").is_symlink()
    assert load_notes(notes_dir, PROG).answer_count() == 2


def test_a_lock_file_that_is_a_link_is_never_written_through(tmp_path: Path):
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    target = tmp_path / "planted"
    (notes_dir / ".lock").symlink_to(target)  # dangling: creating the lock must not create `planted`
    with pytest.raises(LockedError):
        NotesFolder(notes_dir, PROG).lock()
    assert not target.exists()
    target.write_text("not a lock", encoding="utf-8")
    with pytest.raises(LockedError):
        NotesFolder(notes_dir, PROG).lock()
    assert target.read_text(encoding="utf-8") == "not a lock"


def test_an_export_over_a_link_replaces_the_link_not_its_target(tmp_path: Path, capsys):
    notes_dir = tmp_path / "notes"
    notes, _ = add_answer(empty_notes(PROG), "coordination", "challenges", "Chad", "text", T0)
    NotesFolder(notes_dir, PROG).save(notes)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(precious)
    assert main(["export", str(notes_dir), "-f", "md", "-o", str(link)]) == 2  # exists: refused without --force
    assert "already exists" in capsys.readouterr().err
    assert main(["export", str(notes_dir), "-f", "md", "-o", str(link), "--force"]) == 0
    assert precious.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and "text" in link.read_text(encoding="utf-8")
