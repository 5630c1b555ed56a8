"""Round trip: whatever the notes hold, they save and load back equal, and the JSON export keeps every answer.

Hypothesis builds whole `Notes` values (several agenda items, answers under
prompts and groups, themes with votes, stars, exercise categories, edit stamps,
run timings) with text drawn from all of Unicode: control characters, NUL,
quotes, triple quotes, backslashes, CR and LF, TOML look-alikes, up to the
longest answer the notes accept (`MAX_TEXT`). Each value is saved with
`NotesFolder.save`, read back with `load_notes` and compared; then exported
to JSON and every answer (item, prompt, id, group, text, times, votes, star,
category, theme) compared.

What the model refuses (an empty or blank group, an empty answer, a name or
text over its limit) raises `NotesError` before anything changes, so it can
never reach the disk.

More examples: FACILITATOR_HYPOTHESIS_SCALE=20 multiplies every example count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator import notes_toml
from facilitator.cli import main
from facilitator.exporters import export
from facilitator.notes import (
    MAX_GROUP,
    MAX_TEXT,
    Answer,
    Conflict,
    ItemNotes,
    Notes,
    NotesError,
    RunState,
    Theme,
    Timing,
    add_answer,
    clean_group,
    clean_text,
    edit_answer,
    empty_notes,
    move_answer,
)
from facilitator.programme import is_valid_id
from facilitator.store import NotesFolder, load_notes
from facilitator.themes import MAX_THEME_NAME, clean_theme_name, create_theme, rename_theme

SCALE = max(1, int(os.environ.get("FACILITATOR_HYPOTHESIS_SCALE", "1") or 1))
PROG = "parallel-programme-2012-05-22"
# Agenda items of the bundled programme (with and without prompts, the exercise) and ids it does not know.
KNOWN_ITEMS = ["opening", "coordination", "monitoring", "monitoring-exercise", "end"]
KNOWN_PROMPTS = ["challenges", "national-plan-context", "measurement", "indicators", ""]

# Characters that break naive TOML or JSON writers, mixed into every kind of text.
NASTY = [
    '"', '"""', "'", "'''", "\\", "\\n", "\\u0041", "\n", "\r", "\r\n", "\t", "\x00", "\x01", "\x1b[31m",
    "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\U0010ffff", "=", "#", "[[prompts]]",
    "\ud7ff", "\ue000", "🙂", "👩🏽‍🦽", "لا", "ផែន", " ", "\u00a0",
]  # fmt: skip
_chars = st.characters(codec="utf-8")  # every code point UTF-8 can hold: all of Unicode but lone surrogates
_pieces = st.one_of(st.text(_chars, max_size=12), st.sampled_from(NASTY))
any_text = st.lists(_pieces, max_size=8).map("".join)


@st.composite
def long_text(draw) -> str:
    """A text near the limit, built by repeating a nasty piece (drawing 20,000 characters one by one is slow)."""
    piece = draw(st.text(_chars, min_size=1, max_size=5) | st.sampled_from(NASTY))
    body = "x" + piece * (MAX_TEXT // len(piece) + 1)
    return body[: draw(st.integers(MAX_TEXT - 5, MAX_TEXT))]


def cleaned(clean, strategy):
    """Values the model accepts: `clean` applied, the ones it refuses left out."""

    def attempt(value: str) -> str | None:
        try:
            return clean(value)
        except NotesError:
            return None

    return strategy.map(attempt).filter(lambda v: v is not None)


texts = cleaned(clean_text, any_text | long_text())
groups = cleaned(clean_group, any_text)
theme_names = cleaned(clean_theme_name, any_text)
when = st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=30).map(lambda s: "a" + s)
item_ids = st.sampled_from(KNOWN_ITEMS) | ids.filter(lambda s: is_valid_id(s) and s != "run")


# Other versions of an answer kept by a merge: saved with the answer, so they round-trip too.
conflicts = st.builds(
    Conflict,
    text=texts,
    group=groups,
    prompt_id=st.sampled_from(KNOWN_PROMPTS) | any_text,
    edited_at=st.none() | when,
    category=st.just("") | any_text,
    session_id=st.just("") | item_ids,
)


@st.composite
def item_notes(draw, session_id: str, answer_ids: list[str]) -> ItemNotes:
    answers = []
    for answer_id in answer_ids:
        answers.append(
            Answer(
                id=answer_id,
                prompt_id=draw(st.sampled_from(KNOWN_PROMPTS) | any_text),
                group=draw(groups),
                text=draw(texts),
                captured_at=draw(when),
                edited_at=draw(st.none() | when),
                votes=draw(st.integers(0, 10**6)),
                starred=draw(st.booleans()),
                category=draw(st.sampled_from(["", "Output", "Outcome", "Impact"]) | any_text),
                conflicts=draw(st.lists(conflicts, max_size=2).map(tuple)),
            )
        )
    # Themes hold disjoint sets of the item's answers (an answer is in one theme at most).
    free = list(answer_ids)
    themes = []
    for n in range(draw(st.integers(0 if answers else 1, 3))):
        members = draw(st.lists(st.sampled_from(free), unique=True, max_size=len(free))) if free else []
        free = [a for a in free if a not in members]
        themes.append(Theme(f"t-{n}-{draw(ids)}", draw(theme_names), tuple(members), draw(st.integers(0, 999))))
    return ItemNotes(session_id, tuple(answers), tuple(themes))


@st.composite
def whole_notes(draw) -> Notes:
    sessions = draw(st.lists(item_ids, min_size=0, max_size=4, unique=True))
    counts = [draw(st.integers(0, 6)) for _ in sessions]
    all_ids = draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts), unique=True))
    items, start = {}, 0
    for session_id, count in zip(sessions, counts, strict=True):
        items[session_id] = draw(item_notes(session_id, all_ids[start : start + count]))
        start += count
    timings = draw(
        st.dictionaries(item_ids | any_text, st.builds(Timing, st.none() | when, st.none() | when), max_size=4)
    )
    run = RunState(
        PROG,
        draw(st.sampled_from(["", *KNOWN_ITEMS]) | any_text),
        draw(st.sampled_from(KNOWN_PROMPTS) | any_text),
        MappingProxyType(timings),
    )
    return Notes(run, MappingProxyType(items))


def in_file_order(notes: Notes) -> Notes:
    """What loading gives back: each item's answers regrouped by prompt, then group (see `render_item`)."""
    for item in list(notes.items.values()):
        grouped = notes_toml._grouped(item.answers)
        answers = tuple(a for by_group in grouped.values() for group in by_group.values() for a in group)
        notes = notes.with_item(replace(item, answers=answers))
    return notes


def saved_and_loaded(notes: Notes) -> tuple[Notes, dict[str, bytes], Path, tempfile.TemporaryDirectory]:
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name) / "notes"
    NotesFolder(folder, PROG).save(notes)
    return load_notes(folder, PROG), {p.name: p.read_bytes() for p in folder.iterdir()}, folder, tmp


FEW = settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(whole_notes())
def test_any_notes_save_and_load_back_equal(notes: Notes) -> None:
    loaded, files, folder, tmp = saved_and_loaded(notes)
    with tmp:
        assert loaded == in_file_order(notes)
        assert sorted(files) == sorted(["run.toml", *(f"{sid}.toml" for sid in notes.items)])
        # Saving what was loaded writes the very same bytes (two runs diff cleanly).
        again = Path(tmp.name) / "again"
        NotesFolder(again, PROG).save(loaded)
        assert {p.name: p.read_bytes() for p in again.iterdir()} == files


def exported_answers(data: dict) -> dict[str, tuple]:
    return {
        a["id"]: (item["id"], prompt["id"], a["group"], a["text"], a["captured_at"], a["edited_at"], a["votes"],
                  a["starred"], a["category"], a["theme"])
        for item in data["items"]
        for prompt in item["prompts"]
        for a in prompt["answers"]
    }  # fmt: skip


def expected_answers(notes: Notes) -> dict[str, tuple]:
    out = {}
    for session_id, item in notes.items.items():
        theme_of = {answer_id: t.id for t in item.themes for answer_id in t.answer_ids}
        for a in item.answers:
            out[a.id] = (
                session_id, a.prompt_id, a.group, a.text, a.captured_at.isoformat(),
                a.edited_at.isoformat() if a.edited_at else None, a.votes, a.starred, a.category, theme_of.get(a.id),
            )  # fmt: skip
    return out


@FEW
@given(whole_notes())
def test_the_json_export_keeps_every_answer_exactly(programme_2012, notes: Notes) -> None:
    data = json.loads(export(programme_2012, notes, "json"))
    assert exported_answers(data) == expected_answers(notes)
    assert data["run"]["answer_count"] == notes.answer_count()
    # Every theme that holds answers, with its name and votes (a theme still empty has nothing to report).
    themes = {
        (i["id"], t["id"]): (t["name"], t["votes"], sorted(t["answers"])) for i in data["items"] for t in i["themes"]
    }
    assert themes == {
        (sid, t.id): (t.name, t.votes, sorted(t.answer_ids))
        for sid, item in notes.items.items()
        for t in item.themes
        if t.answer_ids
    }


@settings(max_examples=15 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(whole_notes())
def test_facilitator_export_json_from_the_saved_folder_keeps_every_answer(notes: Notes) -> None:
    """The whole path a user takes: save, then `facilitator export NOTES -f json -o FILE`."""
    _, _, folder, tmp = saved_and_loaded(notes)
    with tmp:
        target = Path(tmp.name) / "out.json"
        assert main(["export", str(folder), "-f", "json", "-o", str(target)]) == 0
        data = json.loads(target.read_text("utf-8"))
        assert exported_answers(data) == expected_answers(notes)


# ------------------------------------------------------------------ what the model refuses never reaches disk

T0 = dt.datetime(2012, 5, 22, 10, 30)


@settings(max_examples=40 * SCALE, deadline=None)
@given(st.text(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000", max_size=20), texts)
def test_an_empty_or_blank_group_is_refused_and_nothing_is_written(blank: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = NotesFolder(Path(tmp) / "notes", PROG)
        notes, first = add_answer(empty_notes(PROG), "coordination", "challenges", "Chad", "kept", T0)
        folder.save(notes)
        before = {p.name: p.read_bytes() for p in folder.path.iterdir()}
        with pytest.raises(NotesError, match="needs a group"):
            add_answer(notes, "coordination", "challenges", blank, text, T0)
        with pytest.raises(NotesError, match="needs a group"):
            move_answer(notes, first.id, group=blank)
        assert folder.save(notes) == []  # the refused change left the notes as they were
        assert {p.name: p.read_bytes() for p in folder.path.iterdir()} == before


def test_what_the_model_refuses_raises_before_any_change(tmp_path: Path) -> None:
    folder = NotesFolder(tmp_path / "notes", PROG)
    notes, first = add_answer(empty_notes(PROG), "coordination", "challenges", "Chad", "kept", T0)
    folder.save(notes)
    before = {p.name: p.read_bytes() for p in folder.path.iterdir()}
    refusals = [
        lambda: add_answer(notes, "coordination", "challenges", "Chad", " \n\t ", T0),
        lambda: add_answer(notes, "coordination", "challenges", "Chad", "x" * (MAX_TEXT + 1), T0),
        lambda: add_answer(notes, "coordination", "challenges", "G" * (MAX_GROUP + 1), "text", T0),
        lambda: edit_answer(notes, first.id, "", T0),
        lambda: edit_answer(notes, first.id, "y" * (MAX_TEXT + 1), T0),
        lambda: create_theme(notes, "coordination", "  ", [first.id]),
        lambda: create_theme(notes, "coordination", "n" * (MAX_THEME_NAME + 1), [first.id]),
    ]
    for refuse in refusals:
        with pytest.raises(NotesError):
            refuse()
    themed, theme = create_theme(notes, "coordination", "Focal point", [first.id])
    with pytest.raises(NotesError):
        rename_theme(themed, "coordination", theme.id, "\n")
    assert folder.save(notes) == []
    assert {p.name: p.read_bytes() for p in folder.path.iterdir()} == before
    # The limits themselves are accepted and kept exactly.
    longest = "é" * MAX_TEXT
    notes, answer = add_answer(notes, "coordination", "challenges", "G" * MAX_GROUP, longest, T0)
    folder.save(notes)
    assert load_notes(folder.path, PROG).item("coordination").answer(answer.id).text == longest


@pytest.mark.parametrize(
    "text",
    ["broken \ud83d paste", "\udfff", "two \ud800\udc00 halves written apart", "end \udbff"],
)
def test_a_lone_surrogate_is_replaced_at_capture_so_the_screen_shows_what_is_saved(tmp_path: Path, text: str) -> None:
    """A lone surrogate (half an emoji from a broken paste) cannot be UTF-8. The notes
    take a visible U+FFFD in its place when the answer is captured or edited, so the
    app, the file and every export hold the same text, and the rest of the paste is kept."""
    notes, answer = add_answer(empty_notes(PROG), "coordination", "p", text, text, T0)
    stored = answer.text
    assert "\ufffd" in stored and not notes_toml._SURROGATE.search(stored)
    assert answer.group == " ".join(stored.split())
    edited = edit_answer(notes, answer.id, text + "!", T0)
    assert not notes_toml._SURROGATE.search(edited.find(answer.id)[1].text)
    NotesFolder(tmp_path, PROG).save(edited)
    assert load_notes(tmp_path, PROG) == edited
    _, theme = create_theme(edited, "coordination", text, [answer.id])
    assert not notes_toml._SURROGATE.search(theme.name)


def test_clean_text_keeps_everything_inside(tmp_path: Path) -> None:
    """Trimming is only around the answer: inner blank lines, tabs and control characters stay."""
    raw = '  \n first\n\n\tsecond \x00 \x1b[2J """ \\ end \r\n'
    assert clean_text(raw) == raw.strip()
    notes, answer = add_answer(empty_notes(PROG), "x", "", "G", raw, T0)
    NotesFolder(tmp_path, PROG).save(notes)
    assert load_notes(tmp_path, PROG).item("x").answer(answer.id).text == raw.strip()
