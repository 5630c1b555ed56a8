"""The notes folder: round trips, readable files, saving only what changed, failures, load errors, the lock."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from facilitator import notes_toml
from facilitator.notes import (
    Answer,
    ItemNotes,
    Notes,
    RunState,
    Theme,
    Timing,
    add_answer,
    delete_answer,
    edit_answer,
    empty_notes,
    end_item,
    move_to,
    start_item,
)
from facilitator.store import (
    LockedError,
    NotesFolder,
    StoreError,
    default_notes_dir,
    load_notes,
    render_item,
    render_run,
)

PROG = "parallel-programme-2012-05-22"
T0 = dt.datetime(2026, 11, 29, 10, 0, 0)


def at(minutes: int, seconds: int = 0) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes, seconds=seconds)


def counter(prefix: str = "a"):
    n = iter(range(10_000))
    return lambda: f"{prefix}-{next(n):010x}"


def realistic() -> Notes:
    """Two items with answers (several prompts, groups, every optional field), one with themes, timings."""
    make_id = counter()
    notes = empty_notes(PROG)
    notes = start_item(notes, "opening", at(1, 12))
    notes = end_item(notes, "opening", at(17, 40))
    notes = start_item(notes, "coordination", at(17, 41))
    notes = move_to(notes, "coordination", "challenges")
    # Entered the way a rapporteur types: prompts and groups interleaved.
    captured = [
        ("coordination", "challenges", "Cambodia", "No single focal point"),
        ("coordination", "challenges", "Afghanistan", "Data scattered across ministries"),
        ("coordination", "needs", "Cambodia", "A national disability plan"),
        ("coordination", "challenges", "Cambodia", "Budget lines end each year"),
        ("coordination", "needs", "Uganda", "Funding for rehabilitation"),
        ("opening", "", "Co-chairs", "Welcome; objectives of the day"),
        ("exercise", "outputs", "Group 1", "Survivors trained as peer counsellors"),
        ("exercise", "outputs", "Group 2", "Referral directory published"),
    ]
    for i, (session, prompt, group, text) in enumerate(captured):
        category = "Output" if session == "exercise" else ""
        notes, _ = add_answer(notes, session, prompt, group, text, at(20 + i), category=category, make_id=make_id)
    notes = edit_answer(notes, "a-0000000003", "Budget lines end every year", at(30, 5))
    item = notes.item("coordination")
    changes = {"a-0000000000": {"votes": 3, "starred": True}, "a-0000000004": {"votes": 1}}
    answers = tuple(replace(a, **changes.get(a.id, {})) for a in item.answers)
    themes = (
        Theme("t-0000000001", "Focal point", ("a-0000000000", "a-0000000003"), votes=2),
        Theme("t-0000000002", "Money", ("a-0000000004",)),
        Theme("t-0000000003", "Empty so far"),
    )
    return notes.with_item(replace(item, answers=answers, themes=themes))


def regrouped(notes: Notes) -> Notes:
    """The same notes with each item's answers in file order (by prompt, then group)."""
    for item in list(notes.items.values()):
        answers = tuple(a for groups in notes_toml._grouped(item.answers).values() for g in groups.values() for a in g)
        notes = notes.with_item(replace(item, answers=answers))
    return notes


def by_id(notes: Notes) -> dict[str, tuple[str, Answer]]:
    return {a.id: (sid, a) for sid, item in notes.items.items() for a in item.answers}


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in sorted(folder.iterdir())}


def saved(tmp_path: Path, notes: Notes, name: str = "notes") -> Path:
    folder = tmp_path / name
    NotesFolder(folder, notes.programme_id).save(notes)
    return folder


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(folder: Path, programme_id: str | None = PROG) -> list[str]:
    with pytest.raises(StoreError) as caught:
        load_notes(folder, programme_id)
    lines = str(caught.value).splitlines()
    assert lines == [str(p) for p in caught.value.problems]
    return lines


# ------------------------------------------------------------------ round trips


def test_round_trip_keeps_every_answer_field_and_is_byte_stable(tmp_path):
    notes = realistic()
    folder = saved(tmp_path, notes)
    assert sorted(files(folder)) == ["coordination.toml", "exercise.toml", "opening.toml", "run.toml"]

    loaded = load_notes(folder, PROG)
    assert by_id(loaded) == by_id(notes)
    assert len(by_id(loaded)) == 8
    assert loaded.run == notes.run
    assert loaded.item("coordination").themes == notes.item("coordination").themes
    assert loaded.item("coordination").answer("a-0000000003").edited_at == at(30, 5)

    again = saved(tmp_path, loaded, "again")
    assert files(again) == files(folder)
    assert files(saved(tmp_path, load_notes(again), "third")) == files(folder)


def test_answers_already_in_file_order_round_trip_exactly(tmp_path):
    notes = regrouped(realistic())
    assert load_notes(saved(tmp_path, notes), PROG) == notes
    # Items come back in the order of their first answer, as they were captured.
    assert list(load_notes(tmp_path / "notes").items) == ["coordination", "opening", "exercise"]


def test_the_file_reads_like_the_documented_format(tmp_path):
    folder = saved(tmp_path, realistic())
    text = (folder / "coordination.toml").read_text("utf-8")
    assert text.startswith(
        'schema = 1  # a complete notes file ends with the line "# end"\n'
        f'programme = "{PROG}"\nsession = "coordination"\n\n[[prompts]]\nid = "challenges"\n'
    )
    assert text.index('id = "challenges"') < text.index('id = "needs"')
    challenges = text[: text.index('id = "needs"')]
    assert challenges.index('group = "Cambodia"') < challenges.index('group = "Afghanistan"')
    # Cambodia's two answers sit together under one group although Afghanistan answered in between.
    assert challenges.count("[[prompts.groups]]") == 2
    assert challenges.index("No single focal point") < challenges.index("Budget lines end every year")
    assert challenges.index("Budget lines") < challenges.index('group = "Afghanistan"')
    assert (
        '[[prompts.groups.answers]]\nid = "a-0000000000"\ntext = "No single focal point"\n'
        "captured_at = 2026-11-29T10:20:00\nvotes = 3\nstarred = true\n\n" in text
    )
    assert (
        '[[prompts.groups.answers]]\nid = "a-0000000003"\ntext = "Budget lines end every year"\n'
        "captured_at = 2026-11-29T10:23:00\nedited_at = 2026-11-29T10:30:05\n\n" in text
    )
    assert (
        '[[themes]]\nid = "t-0000000001"\nname = "Focal point"\nanswers = ["a-0000000000", "a-0000000003"]\n'
        "votes = 2\n" in text
    )
    assert text.endswith('[[themes]]\nid = "t-0000000003"\nname = "Empty so far"\nanswers = []\n\n# end\n')
    assert "category" not in text and "starred = false" not in text and "votes = 0" not in text
    exercise = (folder / "exercise.toml").read_text("utf-8")
    assert 'category = "Output"' in exercise and "[[themes]]" not in exercise
    assert 'id = ""' in (folder / "opening.toml").read_text("utf-8")  # an item without prompts

    assert (folder / "run.toml").read_text("utf-8") == textwrap.dedent(f"""\
        schema = 1  # a complete notes file ends with the line "# end"
        programme = "{PROG}"
        session = "coordination"
        prompt = "challenges"

        [timings.opening]
        started_at = 2026-11-29T10:01:12
        ended_at = 2026-11-29T10:17:40

        [timings.coordination]
        started_at = 2026-11-29T10:17:41

        # end
        """)
    assert render_item(PROG, realistic().item("coordination")) == text


def test_timings_are_ordered_by_start_then_id_and_empty_run_is_minimal():
    run = RunState(
        PROG,
        timings=MappingProxyType(
            {"b": Timing(at(5)), "a": Timing(at(5)), "early": Timing(at(1), at(2)), "never": Timing()}
        ),
    )
    text = render_run(run)
    assert [line for line in text.splitlines() if line.startswith("[")] == [
        "[timings.early]",
        "[timings.a]",
        "[timings.b]",
        "[timings.never]",
    ]
    assert render_run(RunState(PROG)) == (
        f'schema = 1  # a complete notes file ends with the line "# end"\nprogramme = "{PROG}"\nsession = ""\n'
        'prompt = ""\n\n# end\n'
    )


HOSTILE = [
    "He said \"no\" and 'maybe'",
    "three quotes \"\"\" inside, and ''' too",
    "back\\slash \\n not a newline \\u0041",
    "line one\nline two\r\nline three\rend",
    "tab\there\tand\ttrailing\t",
    "emoji 🙂🇰🇭👩🏽‍🦽 and a zero-width joiner",
    "لا توجد خطة وطنية",
    "ផែនការជាតិ",
    "control \x01\x02\x1b[31m\x7f and \x00 NUL",
    "\ufeffa BOM first, \u2028line separator, \u00a0nbsp",
    '[[prompts]]\nid = "injected"\n',
    "  leading and trailing spaces  ",
]


def test_hostile_text_round_trips_exactly(tmp_path):
    notes = empty_notes(PROG)
    make_id = counter()
    for i in range(len(HOSTILE)):
        notes, _ = add_answer(notes, "coordination", "p", f"group {i}", "x", at(i), make_id=make_id)
    item = notes.item("coordination")
    answers = tuple(
        replace(a, text=text, group=text, category=text, prompt_id=text)
        for a, text in zip(item.answers, HOSTILE, strict=True)
    )
    themes = (Theme("t-1", "".join(HOSTILE), (answers[0].id,)),)
    notes = notes.with_item(ItemNotes("coordination", answers, themes))
    folder = saved(tmp_path, notes)
    for path in folder.iterdir():
        tomllib.loads(path.read_text("utf-8"))
    loaded = load_notes(folder, PROG)
    assert loaded == notes
    assert [a.text for a in loaded.item("coordination").answers] == HOSTILE
    assert files(saved(tmp_path, loaded, "again")) == files(folder)


def test_a_long_theme_lists_one_answer_per_line(tmp_path):
    notes, make_id = empty_notes(PROG), counter()
    for i in range(12):
        notes, _ = add_answer(notes, "coordination", "p", "G", f"answer {i}", at(i), make_id=make_id)
    item = notes.item("coordination")
    notes = notes.with_item(replace(item, themes=(Theme("t-1", "All", tuple(a.id for a in item.answers)),)))
    folder = saved(tmp_path, notes)
    assert 'answers = [\n    "a-0000000000",\n    "a-0000000001",\n' in (folder / "coordination.toml").read_text()
    assert load_notes(folder, PROG) == notes


def test_a_lone_surrogate_is_saved_as_a_replacement_character(tmp_path):
    notes, answer = add_answer(empty_notes(PROG), "coordination", "p", "G", "broken \ud83d paste", T0)
    loaded = load_notes(saved(tmp_path, notes), PROG)
    assert loaded.item("coordination").answer(answer.id).text == "broken \ufffd paste"


def test_default_notes_dir():
    assert default_notes_dir(PROG) == Path("notes") / PROG


# ------------------------------------------------------------------ saving only what changed


def test_save_writes_only_changed_items_and_removes_emptied_ones(tmp_path):
    folder = NotesFolder(tmp_path / "deep" / "notes", PROG)
    notes = realistic()
    assert folder.pending(notes)
    written = folder.save(notes)
    assert sorted(p.name for p in written) == ["coordination.toml", "exercise.toml", "opening.toml", "run.toml"]
    assert not folder.pending(notes)
    assert folder.save(notes) == []

    before = snapshot(folder.path)
    changed, _ = add_answer(notes, "exercise", "outputs", "Group 3", "A new answer", at(40))
    assert folder.pending(changed)
    assert folder.save(changed) == [folder.path / "exercise.toml"]
    after = snapshot(folder.path)
    assert [name for name in after if after[name] != before[name]] == ["exercise.toml"]

    moved = move_to(changed, "exercise", "outputs")
    assert folder.save(moved) == [folder.path / "run.toml"]

    emptied = delete_answer(moved, "a-0000000005")
    assert emptied.item("opening").answers == ()
    assert folder.save(emptied) == [folder.path / "opening.toml"]
    assert not (folder.path / "opening.toml").exists()
    assert not folder.pending(emptied)
    assert "opening" not in load_notes(folder.path, PROG).items


def test_undo_to_notes_without_an_item_removes_its_file(tmp_path):
    folder = NotesFolder(tmp_path, PROG)
    before = empty_notes(PROG)
    after, _ = add_answer(before, "coordination", "p", "G", "text", T0)
    folder.save(after)
    assert (tmp_path / "coordination.toml").exists()
    assert folder.pending(before)
    assert folder.save(before) == [tmp_path / "coordination.toml"]
    assert not (tmp_path / "coordination.toml").exists()


def test_an_empty_item_that_never_had_a_file_writes_nothing(tmp_path):
    folder = NotesFolder(tmp_path, PROG)
    notes = empty_notes(PROG)
    folder.save(notes)
    with_empty = notes.with_item(ItemNotes("coordination"))
    assert not folder.pending(with_empty)
    assert folder.save(with_empty) == []
    assert sorted(os.listdir(tmp_path)) == ["run.toml"]


def test_first_save_after_load_rewrites_nothing(tmp_path):
    saved(tmp_path, realistic())
    folder = NotesFolder(tmp_path / "notes", PROG)
    before = snapshot(folder.path)
    notes = folder.load()
    assert not folder.pending(notes)
    assert folder.save(notes) == []
    edited = edit_answer(notes, "a-0000000006", "Survivors trained", at(50))
    assert folder.save(edited) == [folder.path / "exercise.toml"]
    after = snapshot(folder.path)
    assert [name for name in after if after[name] != before[name]] == ["exercise.toml"]


def test_fresh_folder_loads_empty_and_first_save_creates_it(tmp_path):
    folder = NotesFolder(tmp_path / "a" / "b", PROG)
    notes = folder.load()
    assert notes == empty_notes(PROG)
    assert not folder.path.exists()
    assert folder.pending(notes)
    assert folder.save(notes) == [folder.path / "run.toml"]


def test_save_refuses_notes_of_another_programme_and_unstorable_ids(tmp_path):
    folder = NotesFolder(tmp_path, PROG)
    with pytest.raises(StoreError, match="other-programme"):
        folder.save(empty_notes("other-programme"))
    notes, _ = add_answer(empty_notes(PROG), "run", "p", "G", "would overwrite run.toml", T0)
    notes, _ = add_answer(notes, "../escape", "p", "G", "path traversal", T0)
    notes, _ = add_answer(notes, "good", "p", "G", "fine", T0)
    with pytest.raises(StoreError) as caught:
        folder.save(notes)
    assert len(caught.value.problems) == 2
    assert "run.toml holds the run state" in str(caught.value)
    assert "not a valid agenda item id" in str(caught.value)
    assert sorted(os.listdir(tmp_path)) == ["good.toml", "run.toml"]
    assert not (tmp_path.parent / "escape.toml").exists()


def test_save_does_not_mutate_notes_and_works_from_a_thread(tmp_path):
    import threading

    notes = realistic()
    copy = replace(notes)
    errors: list[BaseException] = []
    folder = NotesFolder(tmp_path, PROG)

    def worker() -> None:
        try:
            folder.save(notes)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert not errors
    assert notes == copy and load_notes(tmp_path, PROG).answer_count() == notes.answer_count()


# ------------------------------------------------------------------ write failures


def fail_for(name: str, err: int, real):
    def failing(*args, **kwargs):
        if any(name in str(a) for a in args if isinstance(a, str | os.PathLike)):
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return failing


@pytest.mark.parametrize("where", ["write", "fsync", "replace", "open"])
def test_disk_full_leaves_old_file_and_retries_next_save(tmp_path, monkeypatch, where):
    folder = NotesFolder(tmp_path, PROG)
    notes = realistic()
    folder.save(notes)
    good = (tmp_path / "coordination.toml").read_bytes()
    changed, _ = add_answer(notes, "coordination", "needs", "Laos", "More data", at(60))
    changed, _ = add_answer(changed, "exercise", "outputs", "Group 9", "Also new", at(61))

    if where in ("write", "fsync"):
        # These take a file descriptor: fail every write/fsync to a temp file of coordination.toml.
        real_open, fds = os.open, set()

        def tracking_open(path, *args, **kwargs):
            fd = real_open(path, *args, **kwargs)
            if ".coordination.toml." in str(path):
                fds.add(fd)
            else:
                fds.discard(fd)  # the number is reused once the temp file is closed
            return fd

        real = getattr(os, where)

        def failing(fd, *args):
            if fd in fds:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd, *args)

        monkeypatch.setattr(os, "open", tracking_open)
        monkeypatch.setattr(os, where, failing)
    else:
        monkeypatch.setattr(os, where, fail_for("coordination.toml", errno.ENOSPC, getattr(os, where)))

    with pytest.raises(StoreError) as caught:
        folder.save(changed)
    monkeypatch.undo()
    assert str(caught.value) == f"{tmp_path / 'coordination.toml'}: not saved: No space left on device"
    assert (tmp_path / "coordination.toml").read_bytes() == good
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert "More data" not in load_notes(tmp_path, PROG).item("coordination").answers[-1].text
    assert "Also new" in (tmp_path / "exercise.toml").read_text("utf-8")  # the other item was still saved

    assert folder.pending(changed)
    assert folder.save(changed) == [tmp_path / "coordination.toml"]
    assert by_id(load_notes(tmp_path, PROG)) == by_id(changed)


def test_read_only_folder_is_reported_and_retried(tmp_path, monkeypatch):
    # chmod does not stop root, so the refusal a read-only folder gives is simulated.
    folder = NotesFolder(tmp_path, PROG)
    notes = realistic()
    monkeypatch.setattr(os, "open", fail_for(str(tmp_path), errno.EACCES, os.open))
    with pytest.raises(StoreError) as caught:
        folder.save(notes)
    monkeypatch.undo()
    assert len(caught.value.problems) == 4
    assert all(line.endswith(": not saved: Permission denied") for line in str(caught.value).splitlines())
    assert os.listdir(tmp_path) == []
    assert len(folder.save(notes)) == 4


def test_failed_removal_is_retried(tmp_path, monkeypatch):
    folder = NotesFolder(tmp_path, PROG)
    notes, answer = add_answer(empty_notes(PROG), "coordination", "p", "G", "text", T0)
    folder.save(notes)
    emptied = delete_answer(notes, answer.id)
    monkeypatch.setattr(os, "unlink", fail_for("coordination.toml", errno.EROFS, os.unlink))
    with pytest.raises(StoreError, match="coordination.toml: not saved: Read-only file system"):
        folder.save(emptied)
    monkeypatch.undo()
    assert folder.pending(emptied)
    assert folder.save(emptied) == [tmp_path / "coordination.toml"]


def test_notes_folder_path_that_is_a_file(tmp_path):
    (tmp_path / "notes").write_text("not a folder")
    with pytest.raises(StoreError, match="is a file, not a notes folder"):
        NotesFolder(tmp_path / "notes", PROG).save(realistic())


# ------------------------------------------------------------------ load errors

GOOD_ITEM = f"""
    schema = 1
    programme = "{PROG}"
    session = "coordination"

    [[prompts]]
    id = "challenges"

    [[prompts.groups]]
    group = "Cambodia"

    [[prompts.groups.answers]]
    id = "a-1"
    text = "No single focal point"
    captured_at = 2026-11-29T10:20:00
"""


def test_invalid_toml_names_file_and_line(tmp_path):
    write(tmp_path, "coordination.toml", GOOD_ITEM.replace('text = "No single', "text = No single"))
    [line] = problems_of(tmp_path)
    assert line.startswith(f"{tmp_path / 'coordination.toml'}:13: TOML syntax: ")


def test_not_utf8(tmp_path):
    tmp_path.joinpath("coordination.toml").write_bytes(b'schema = 1\nprogramme = "caf\xe9"\n')
    assert problems_of(tmp_path) == [f"{tmp_path / 'coordination.toml'}:2: is not UTF-8 text (byte 0xe9)"]


def test_schema_missing_or_from_the_future(tmp_path):
    write(tmp_path, "coordination.toml", GOOD_ITEM.replace("schema = 1", "schema = 99"))
    write(tmp_path, "opening.toml", GOOD_ITEM.replace("schema = 1\n", "").replace('"coordination"', '"opening"'))
    write(tmp_path, "run.toml", f'schema = "1"\nprogramme = "{PROG}"\n')
    assert problems_of(tmp_path) == [
        f'{tmp_path / "run.toml"}:1: schema = "1": this version reads schema 1',
        f"{tmp_path / 'coordination.toml'}:1: schema = 99: this version reads schema 1",
        f"{tmp_path / 'opening.toml'}: schema: is missing: every notes file starts with schema = 1",
    ]


def test_wrong_types_name_the_key_path_and_line(tmp_path):
    text = (
        GOOD_ITEM
        + """
    [[prompts.groups]]
    group = "Laos"

    [[prompts.groups.answers]]
    id = "a-2"
    text = "fine"
    captured_at = 2026-11-29T10:21:00

    [[prompts.groups.answers]]
    id = "a-3"
    text = 42
    captured_at = 2026-11-29T10:22:00

    [[prompts.groups.answers]]
    id = "a-4"
    text = "bad date"
    captured_at = "yesterday"
    votes = true
    starred = "yes"
    edited_at = 2026-11-29
"""
    )
    write(tmp_path, "coordination.toml", text)
    name = tmp_path / "coordination.toml"
    assert problems_of(tmp_path) == [
        f"{name}:26: prompts[0].groups[1].answers[1].text: must be a string, not the number 42",
        f"{name}:32: prompts[0].groups[1].answers[2].captured_at: must be a date and time like 2026-11-29T10:20:00, "
        'not the string "yesterday"',
        f"{name}:35: prompts[0].groups[1].answers[2].edited_at: must be a date and time like 2026-11-29T10:20:00, "
        "not the date 2026-11-29",
        f"{name}:33: prompts[0].groups[1].answers[2].votes: must be a whole number, not the boolean true",
        f'{name}:34: prompts[0].groups[1].answers[2].starred: must be true or false, not the string "yes"',
    ]


def test_missing_fields_and_unknown_keys(tmp_path):
    text = f"""
        schema = 1
        programme = "{PROG}"
        session = "coordination"
        [[prompts]]
        id = "p"
        [[prompts.groups]]
        [[prompts.groups.answers]]
        id = ""
        captured = 2026-11-29T10:20:00
        [[themes]]
        name = "No id"
        answer = ["a-1"]
    """
    write(tmp_path, "coordination.toml", text)
    name = tmp_path / "coordination.toml"
    assert problems_of(tmp_path) == [
        f"{name}:6: prompts[0].groups[0].group: is missing",
        f"{name}:9: prompts[0].groups[0].answers[0].captured: unknown key (did you mean 'captured_at'?)",
        f"{name}:8: prompts[0].groups[0].answers[0].id: must not be empty",
        f"{name}:7: prompts[0].groups[0].answers[0].text: is missing",
        f"{name}:7: prompts[0].groups[0].answers[0].captured_at: is missing",
        f"{name}:12: themes[0].answer: unknown key (did you mean 'answers'?)",
        f"{name}:10: themes[0].id: is missing",
    ]


def test_duplicate_answer_ids_across_files(tmp_path):
    write(tmp_path, "coordination.toml", GOOD_ITEM)
    write(tmp_path, "opening.toml", GOOD_ITEM.replace('"coordination"', '"opening"'))
    [line] = problems_of(tmp_path)
    assert line == (
        f'{tmp_path / "opening.toml"}:12: prompts[0].groups[0].answers[0].id: answer id "a-1" is used twice '
        f"(also {tmp_path / 'coordination.toml'}: prompts[0].groups[0].answers[0])"
    )


def test_file_of_another_programme(tmp_path):
    write(tmp_path, "coordination.toml", GOOD_ITEM.replace(PROG, "another-meeting"))
    assert problems_of(tmp_path) == [
        f'{tmp_path / "coordination.toml"}:2: programme: belongs to programme "another-meeting", not "{PROG}"'
    ]
    # Without a programme id, run.toml says which programme the folder is for.
    write(tmp_path, "run.toml", f'schema = 1\nprogramme = "{PROG}"\n')
    assert problems_of(tmp_path, None) == [
        f'{tmp_path / "coordination.toml"}:2: programme: belongs to programme "another-meeting", not "{PROG}"'
    ]
    assert problems_of(tmp_path, "third")[0] == (
        f'{tmp_path / "run.toml"}:2: programme: belongs to programme "{PROG}", not "third"'
    )


def test_session_field_must_match_file_name_and_file_name_must_be_an_id(tmp_path):
    write(tmp_path, "opening.toml", GOOD_ITEM)
    write(tmp_path, "My Notes.toml", GOOD_ITEM)
    assert problems_of(tmp_path) == [
        f'{tmp_path / "My Notes.toml"}: "My Notes" is not a valid agenda item id for a file name: '
        "use lower-case letters, digits, '-' or '_' (at most 64)",
        f'{tmp_path / "opening.toml"}:3: session: is "coordination" but the file is opening.toml: they must match',
    ]


def test_theme_problems(tmp_path):
    text = (
        GOOD_ITEM
        + """
    [[prompts.groups.answers]]
    id = "a-2"
    text = "second"
    captured_at = 2026-11-29T10:21:00

    [[themes]]
    id = "t-1"
    name = "Focal point"
    answers = ["a-1", "a-404"]

    [[themes]]
    id = "t-2"
    name = "Again"
    answers = ["a-2", "a-1", 7]

    [[themes]]
    id = "t-2"
    name = "Same id"
"""
    )
    write(tmp_path, "coordination.toml", text)
    name = tmp_path / "coordination.toml"
    assert problems_of(tmp_path) == [
        f'{name}:24: themes[0].answers[1]: "a-404" is not an answer in this file',
        f'{name}:29: themes[1].answers[1]: "a-1" is already in themes[0] ("Focal point"): '
        "an answer belongs to one theme",
        f"{name}:29: themes[1].answers[2]: must be an answer id (a string), not the number 7",
        f'{name}:32: themes[2].id: theme id "t-2" is used twice in this file',
    ]


def test_run_file_problems(tmp_path):
    write(
        tmp_path,
        "run.toml",
        f"""
        schema = 1
        programme = "{PROG}"
        session = 3

        [timings.opening]
        started_at = "10:00"
        ended = 2026-11-29T10:30:00
        """,
    )
    name = tmp_path / "run.toml"
    assert problems_of(tmp_path) == [
        f"{name}:3: session: must be a string, not the number 3",
        f"{name}:7: timings.opening.ended: unknown key (did you mean 'ended_at'?)",
        f"{name}:6: timings.opening.started_at: must be a date and time like 2026-11-29T10:20:00, "
        'not the string "10:00"',
    ]


def test_every_problem_of_every_file_is_listed_at_once(tmp_path):
    write(tmp_path, "a.toml", "schema = 1\nprogramme = [\n")
    write(tmp_path, "b.toml", GOOD_ITEM.replace("schema = 1", "schema = 2"))
    write(tmp_path, "c.toml", GOOD_ITEM.replace('"coordination"', '"c"').replace("2026-11-29T10:20:00", '"noon"'))
    lines = problems_of(tmp_path)
    assert [line.split(":")[0] for line in lines] == [str(tmp_path / n) for n in ("a.toml", "b.toml", "c.toml")]


def test_folder_is_a_file_missing_empty_or_unreadable(tmp_path, monkeypatch):
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    assert problems_of(afile) == [f"{afile}: is a file, not a notes folder"]
    assert load_notes(tmp_path / "missing", PROG) == empty_notes(PROG)
    assert problems_of(tmp_path / "missing", None) == [f"{tmp_path / 'missing'}: no such folder"]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".lock").write_text("x")
    assert load_notes(empty, PROG) == empty_notes(PROG)
    assert problems_of(empty, None) == [f"{empty}: no notes here: no run.toml and no agenda item files"]

    # Tests run as root, where chmod stops nothing: the refusals are simulated.
    write(tmp_path / "locked", "coordination.toml", GOOD_ITEM)
    real_listdir, real_open = os.listdir, os.open

    def deny_listdir(path):
        if str(path) == str(tmp_path / "denied"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_listdir(path)

    def deny_open(path, flags, *args):
        if Path(path).name == "coordination.toml":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "listdir", deny_listdir)
    monkeypatch.setattr(os, "open", deny_open)
    assert problems_of(tmp_path / "denied") == [f"{tmp_path / 'denied'}: permission denied"]
    assert problems_of(tmp_path / "locked") == [f"{tmp_path / 'locked' / 'coordination.toml'}: permission denied"]


def test_ignores_hidden_temp_and_other_files(tmp_path):
    write(tmp_path, "coordination.toml", GOOD_ITEM)
    write(tmp_path, ".coordination.toml.0123abcd.tmp", "half a fi")
    write(tmp_path, "coordination.toml.tmp", "garbage [")
    write(tmp_path, ".hidden.toml", "garbage [")
    write(tmp_path, "README.txt", "notes")
    write(tmp_path, "coordination.toml~", "garbage [")
    notes = load_notes(tmp_path)
    assert notes.programme_id == PROG  # taken from the item file when there is no run.toml
    assert [a.id for a in notes.item("coordination").answers] == ["a-1"]


def test_a_file_with_nothing_captured_is_no_item(tmp_path):
    write(tmp_path, "coordination.toml", f'schema = 1\nprogramme = "{PROG}"\nsession = "coordination"\n')
    assert load_notes(tmp_path, PROG).items == {}


def test_load_never_writes(tmp_path):
    good = saved(tmp_path, realistic())
    bad = tmp_path / "bad"
    write(bad, "coordination.toml", GOOD_ITEM.replace("schema = 1", "schema = 99"))
    write(bad, "run.toml", "schema = [")
    write(bad, ".coordination.toml.0123abcd.tmp", "leftover")
    before = {folder: snapshot(folder) for folder in (good, bad)}
    load_notes(good)
    load_notes(good, PROG)
    NotesFolder(good, PROG).load()
    for call in (lambda: load_notes(bad), lambda: load_notes(bad, PROG), lambda: NotesFolder(bad, PROG).load()):
        with pytest.raises(StoreError):
            call()
    NotesFolder(good, PROG).pending(realistic())
    assert {folder: snapshot(folder) for folder in (good, bad)} == before
    assert not (tmp_path / "never").exists()
    load_notes(tmp_path / "never", PROG)
    assert not (tmp_path / "never").exists()


# ------------------------------------------------------------------ the lock


def test_second_lock_is_refused_naming_host_and_pid(tmp_path):
    first = NotesFolder(tmp_path / "notes", PROG)
    first.lock()
    first.lock()  # taking it again is harmless
    with pytest.raises(LockedError) as caught:
        NotesFolder(tmp_path / "notes", PROG).lock()
    host = socket.gethostname()
    message = str(caught.value)
    pid = os.getpid()
    assert message.startswith(f"{tmp_path / 'notes'}: is in use by facilitator on host {host} (pid {pid}) since ")
    assert re.search(r" since \d\d:\d\d; close it there", message)
    assert message.endswith(f"; close it there, or remove {tmp_path / 'notes' / '.lock'} if that program is gone")
    assert caught.value.host == host and caught.value.pid == os.getpid()
    first.unlock()
    assert not (tmp_path / "notes" / ".lock").exists()
    with NotesFolder(tmp_path / "notes", PROG) as again:
        assert again.locked
    assert not (tmp_path / "notes" / ".lock").exists()


def test_lock_held_on_another_host_is_refused_with_its_date(tmp_path):
    write(tmp_path, ".lock", 'host = "rapporteur-laptop"\npid = 4242\nsince = 2025-05-22T09:30:00\n')
    with pytest.raises(LockedError, match=r"on host rapporteur-laptop \(pid 4242\) since 2025-05-22 09:30;"):
        NotesFolder(tmp_path, PROG).lock()
    assert "rapporteur-laptop" in (tmp_path / ".lock").read_text()


def exited_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_lock_of_an_exited_process_is_taken_over(tmp_path):
    stale = f'host = "{socket.gethostname()}"\npid = {exited_pid()}\nsince = 2026-11-29T09:00:00\n'
    write(tmp_path, ".lock", stale)
    cut = f'schema = 1  # a complete notes file ends with the line "# end"\nprogramme = "{PROG}"\nsession = "coor'
    write(tmp_path, ".coordination.toml.0123abcd.tmp", cut)  # a save cut short by a crash
    folder = NotesFolder(tmp_path, PROG)
    folder.lock()
    assert f"pid = {os.getpid()}" in (tmp_path / ".lock").read_text()
    folder.load()  # leftovers of interrupted writes are cleaned once the folder is read (not if it is refused)
    assert sorted(os.listdir(tmp_path)) == [".lock"]
    folder.unlock()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("holder", ["another program", "this process"])
def test_a_stale_lock_whose_pid_now_names_a_living_process_is_taken_over(tmp_path, holder):
    """Issue 15, item 4: after a reboot or a SIGHUP the dead facilitator's pid may be another program's (or ours):
    its lock was never taken over although no process held its flock. The flock decides."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid = other.pid if holder == "another program" else os.getpid()
        write(tmp_path, ".lock", f'host = "{socket.gethostname()}"\npid = {pid}\nsince = 2026-11-29T09:00:00\n')
        folder = NotesFolder(tmp_path, PROG)
        folder.lock()
        assert f"pid = {os.getpid()}" in (tmp_path / ".lock").read_text()
        with pytest.raises(LockedError):  # held now: the flock says so, whatever the pid
            NotesFolder(tmp_path, PROG).lock()
        folder.unlock()
    finally:
        other.kill()
        other.wait()


def test_only_leftovers_proven_ours_are_removed(tmp_path):
    """Issue 15, item 6: `run` deleted any file named like its temporary files (`.my-backup.toml.deadbeef.tmp`).
    A leftover is removed only when its name is a save's of this folder and its bytes are the start of that save."""
    head = f'schema = 1  # a complete notes file ends with the line "# end"\nprogramme = "{PROG}"\n'
    ours = {
        ".coordination.toml.0123abcd.tmp": head + 'session = "coordination"\n\n[[prompts]]\nid = "chal',
        ".opening.toml.00000000.tmp": "",  # killed between creating and writing it
        ".run.toml.33333333.tmp": head[:30],
        ".lock.11111111.tmp": "",
        ".lock.22222222.stale": "# A facilitator has these notes open. Remove this file only if that program is gone.\n"
        'program = "facilitator"\nhost = "h"\npid = 1\nsince = 2026-11-29T09:00:00\n',
    }
    theirs = {
        ".my-backup.toml.deadbeef.tmp": "my own backup of last week's notes",
        ".coordination.toml.0123abce.tmp": head + 'session = "monitoring"\n',  # another item's save: not this name's
        ".coordination.toml.0123abcf.tmp": head.replace(PROG, "another-meeting") + 'session = "coordination"\n',
        ".run.toml.deadbeef.tmp": "schema = 2\n",
        ".lock.deadbeef.tmp": "my lock notes",
        ".Coordination.toml.01234567.tmp": "",  # no item id: upper case
    }
    for name, text in {**ours, **theirs}.items():
        write(tmp_path, name, text)
    os.mkfifo(tmp_path / ".fifo.toml.01234567.tmp")  # named like one, but no file of ours: never opened to wait
    (tmp_path / ".linked.toml.01234567.tmp").symlink_to(tmp_path / ".opening.toml.00000000.tmp")
    kept = {name: (tmp_path / name).read_bytes() for name in theirs}
    with NotesFolder(tmp_path, PROG) as folder:
        folder.load()
        left = sorted(os.listdir(tmp_path))
    assert left == sorted([".lock", *theirs, ".fifo.toml.01234567.tmp", ".linked.toml.01234567.tmp"])
    assert {name: (tmp_path / name).read_bytes() for name in theirs} == kept


@pytest.mark.parametrize("content", [b"", b"garbage \x00\xff", b'host = "h"\npid = "x"\n', b'host = "h"\npid = 0\n'])
def test_unreadable_lock_is_refused(tmp_path, content):
    (tmp_path / ".lock").write_bytes(content)
    with pytest.raises(LockedError) as caught:
        NotesFolder(tmp_path, PROG).lock()
    assert str(caught.value) == (
        f"{tmp_path / '.lock'}: cannot be read as a lock, so another facilitator may be using {tmp_path}; "
        f"if none is, remove {tmp_path / '.lock'}"
    )
    assert (tmp_path / ".lock").read_bytes() == content


def test_unlock_removes_only_our_lock(tmp_path):
    folder = NotesFolder(tmp_path, PROG)
    folder.lock()
    theirs = 'host = "other"\npid = 7\nsince = 2026-11-29T10:00:00\n'
    (tmp_path / ".lock").write_text(theirs)  # someone removed ours and took the folder
    folder.unlock()
    assert (tmp_path / ".lock").read_text() == theirs
    NotesFolder(tmp_path / "x", PROG).unlock()  # never locked: nothing happens


# ------------------------------------------------------------------ killed while saving

CHILD = """
import datetime as dt, sys
from pathlib import Path
from facilitator.notes import add_answer, empty_notes, move_to
from facilitator.store import NotesFolder

folder = NotesFolder(Path(sys.argv[1]), "prog")
folder.lock()
notes = folder.load()
now = dt.datetime(2026, 11, 29, 10, 0)
for i in range(100_000):
    notes, _ = add_answer(notes, f"s{i % 3}", f"p{i % 2}", f"G{i % 5}", "answer text " * 40 + str(i), now)
    notes = move_to(notes, f"s{i % 3}", f"p{i % 2}")
    folder.save(notes)
    print(notes.answer_count(), flush=True)
"""


def test_killed_while_saving_leaves_loadable_notes(tmp_path):
    folder = tmp_path / "notes"
    for round_, kill_after in enumerate((5, 23, 41)):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        count = 0
        for _ in range(kill_after):
            count = int(child.stdout.readline())
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()  # type: ignore[union-attr]
        assert child.returncode == -signal.SIGKILL, f"round {round_}"
        for path in folder.glob("*.toml"):
            tomllib.loads(path.read_text("utf-8"))
        notes = load_notes(folder, "prog")
        assert notes.answer_count() >= count  # every save that returned is on disk
        # The lock of the killed process is stale now: the next run takes it over.
        with NotesFolder(folder, "prog") as again:
            again.load()
        assert not [n for n in os.listdir(folder) if n.endswith((".tmp", ".stale")) or n == ".lock"]
