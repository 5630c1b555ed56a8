"""`facilitator merge`: several rapporteurs' notes folders combined into one.

Unit tests pin each rule (answers, conflicts, votes, themes, timings, position);
property tests (hypothesis) show the merge is order-free, idempotent and loses
no answer; command tests run `facilitator merge` on folders saved by the app's
own `NotesFolder`, then export the result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.cli import main
from facilitator.merge import merge_notes
from facilitator.notes import (
    Answer,
    Conflict,
    Floor,
    Intervention,
    ItemNotes,
    Notes,
    NotesError,
    Presence,
    RunState,
    Theme,
    Timing,
    add_answer,
    edit_answer,
    empty_notes,
    end_item,
    move_answer,
    move_to,
    start_item,
)
from facilitator.store import NotesFolder, StoreError, load_notes
from facilitator.themes import classify, create_theme, star_answer, vote_answer

PROG = "parallel-programme-2012-05-22"  # bundled, so `export` finds the programme by itself
T0 = dt.datetime(2012, 5, 22, 10, 0)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def answer(answer_id: str, text: str = "text", **fields: object) -> Answer:
    values: dict[str, object] = {"prompt_id": "challenges", "group": "Chad", "captured_at": at(0)}
    values.update(fields)
    return Answer(answer_id, text=text, **values)  # type: ignore[arg-type]


def notes_of(*answers: Answer, session: str = "coordination", themes: tuple[Theme, ...] = ()) -> Notes:
    return Notes(RunState(PROG), MappingProxyType({session: ItemNotes(session, answers, themes)}))


def only(notes: Notes, answer_id: str) -> Answer:
    found = notes.find(answer_id)
    assert found is not None, answer_id
    return found[1]


def both_ways(a: Notes, b: Notes) -> Notes:
    """merge(a, b), checked to equal merge(b, a) and to absorb a and b again."""
    merged = merge_notes([a, b])
    assert merge_notes([b, a]) == merged
    assert merge_notes([merged, a]) == merged == merge_notes([b, merged])
    return merged


# ------------------------------------------------------------------ answers and conflicts


def test_answers_captured_apart_are_all_kept_in_capture_order():
    a = notes_of(answer("a-2", "second", captured_at=at(2)), answer("a-4", "fourth", captured_at=at(4)))
    b = notes_of(answer("a-1", "first", captured_at=at(1)), answer("a-3", "third", captured_at=at(3)))
    merged = both_ways(a, b)
    assert [x.text for x in merged.item("coordination").answers] == ["first", "second", "third", "fourth"]
    assert all(not x.conflicts for x in merged.item("coordination").answers)


def test_identical_copies_are_one_answer():
    a = notes_of(answer("a-1"), answer("a-2", "other"))
    assert both_ways(a, a) == merge_notes([a])
    assert merge_notes([a, a]).answer_count() == 2


def test_an_answer_edited_in_two_places_keeps_the_later_edit_and_the_other_as_a_conflict():
    original = notes_of(answer("a-1", "Budget ends"))
    here = edit_answer(original, "a-1", "Budget lines end each year", at(10))
    there = edit_answer(original, "a-1", "No money after December", at(12))
    merged = both_ways(here, there)
    kept = only(merged, "a-1")
    assert (kept.text, kept.edited_at) == ("No money after December", at(12))
    assert kept.conflicts == (Conflict("Budget lines end each year", "Chad", "challenges", at(10)),)
    # The laptop that never saw either edit brings back nothing: its words are what both edits replaced.
    assert merge_notes([here, there, original]) == merged


def test_an_answer_edited_in_one_place_is_no_conflict():
    original = notes_of(answer("a-1", "Budget ends"))
    edited = edit_answer(original, "a-1", "Budget lines end each year", at(10))
    kept = only(both_ways(original, edited), "a-1")
    assert (kept.text, kept.conflicts) == ("Budget lines end each year", ())
    # The same words typed on two laptops: one answer, stamped with the later edit.
    again = edit_answer(original, "a-1", "Budget lines end each year", at(20))
    kept = only(both_ways(edited, again), "a-1")
    assert (kept.edited_at, kept.conflicts) == (at(20), ())


def test_an_edit_wins_over_the_words_as_captured_even_from_a_laptop_whose_clock_is_behind():
    original = notes_of(answer("a-1", "as said", captured_at=at(30)))
    edited = edit_answer(original, "a-1", "as meant", at(5))  # that laptop's clock runs 25 minutes slow
    assert only(both_ways(original, edited), "a-1").text == "as meant"


def test_a_move_on_one_laptop_and_an_edit_on_another_keeps_both():
    original = notes_of(answer("a-1", "Focal point", group="Chad"))
    moved = move_answer(original, "a-1", group="Peru", prompt_id="needs")
    edited = edit_answer(original, "a-1", "One focal point", at(10))
    kept = only(both_ways(moved, edited), "a-1")
    assert (kept.text, kept.group, kept.prompt_id) == ("One focal point", "Chad", "challenges")
    assert kept.conflicts == (Conflict("Focal point", "Peru", "needs"),)


def test_classification_wins_over_none_and_two_classifications_conflict():
    categories = ["Output", "Outcome", "Impact"]
    original = notes_of(answer("a-1", "Clinics opened"), session="monitoring-exercise")
    output = classify(original, "a-1", "Output", categories)
    outcome = classify(original, "a-1", "Outcome", categories)
    assert only(both_ways(original, output), "a-1") == only(output, "a-1")
    kept = only(both_ways(output, outcome), "a-1")
    assert {kept.category, kept.conflicts[0].category} == {"Output", "Outcome"}
    assert kept.conflicts[0].text == "Clinics opened" and len(kept.conflicts) == 1


def test_votes_are_the_highest_count_stars_stay_and_the_earliest_capture_time_is_kept():
    base = notes_of(answer("a-1", captured_at=at(3)))
    votes_here = vote_answer(vote_answer(base, "a-1"), "a-1")  # 2 votes
    starred_there = star_answer(vote_answer(base, "a-1"), "a-1")  # 1 vote, starred
    earlier = notes_of(answer("a-1", captured_at=at(1)))
    merged = merge_notes([votes_here, starred_there, earlier])
    kept = only(merged, "a-1")
    assert (kept.votes, kept.starred, kept.captured_at, kept.conflicts) == (2, True, at(1), ())
    assert merge_notes([merged, votes_here]) == merged  # votes are not added up again


def test_conflicts_merge_as_a_union_without_the_winner_sorted_by_edit():
    a = notes_of(answer("a-1", "v3", edited_at=at(3), conflicts=(Conflict("v1", "Chad", "challenges", at(1)),)))
    b = notes_of(answer("a-1", "v2", edited_at=at(2), conflicts=(Conflict("v3", "Chad", "challenges", at(3)),)))
    c = notes_of(answer("a-1", "v4", edited_at=at(4), conflicts=(Conflict("v1", "Chad", "challenges", at(1)),)))
    merged = merge_notes([a, b, c])
    kept = only(merged, "a-1")
    assert kept.text == "v4"
    assert [(x.text, x.edited_at) for x in kept.conflicts] == [("v1", at(1)), ("v2", at(2)), ("v3", at(3))]
    for order in ([c, b, a], [b, a, c], [merge_notes([a, b]), c], [a, merge_notes([b, c])]):
        assert merge_notes(order) == merged


def test_an_answer_filed_under_two_items_keeps_the_other_item_in_its_conflict():
    a = notes_of(answer("a-1", "here", edited_at=at(5)), session="coordination")
    b = notes_of(answer("a-1", "there", edited_at=at(1)), session="monitoring")
    merged = both_ways(a, b)
    assert list(merged.items) == ["coordination"]
    assert only(merged, "a-1").conflicts == (Conflict("there", "Chad", "challenges", at(1), "", "monitoring"),)


def test_offset_and_local_times_do_not_break_the_merge():
    utc = dt.UTC
    a = notes_of(answer("a-1", "local", edited_at=at(5)))
    b = notes_of(answer("a-1", "offset", edited_at=at(5).replace(tzinfo=utc)))
    kept = only(both_ways(a, b), "a-1")
    assert {kept.text, kept.conflicts[0].text} == {"local", "offset"}
    # One instant written with two offsets: equal datetimes, yet two versions, merged alike either way.
    c = notes_of(answer("a-1", "same", edited_at=at(5).replace(tzinfo=utc)))
    d = notes_of(answer("a-1", "same", edited_at=at(65).replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))))
    assert only(c, "a-1").edited_at == only(d, "a-1").edited_at
    kept = only(both_ways(c, d), "a-1")
    assert (kept.edited_at.isoformat(), kept.conflicts) == ("2012-05-22T11:05:00+01:00", ())


def test_notes_of_different_programmes_or_none_are_refused():
    with pytest.raises(NotesError, match="different programmes"):
        merge_notes([empty_notes("a"), empty_notes("b")])
    with pytest.raises(NotesError):
        merge_notes([])


# ------------------------------------------------------------------ themes, timings, position


def test_themes_merge_by_id():
    answers = (answer("a-1", captured_at=at(1)), answer("a-2", captured_at=at(2)), answer("a-3", captured_at=at(3)))
    a = notes_of(*answers, themes=(Theme("t-2", "Money", ("a-3", "a-1"), 2), Theme("t-9", "Funding", ("a-2",))))
    b = notes_of(*answers, themes=(Theme("t-2", "Funding and money", ("a-2",), 5), Theme("t-5", "Funding")))
    themes = both_ways(a, b).item("coordination").themes
    # t-2: first name alphabetically, highest votes, every answer it held anywhere in capture order
    # (a-2 too: t-9 also claims it, and the smaller id keeps it). t-5 and t-9 share a name
    # but were made apart: two themes. An empty theme comes last.
    assert themes == (
        Theme("t-2", "Funding and money", ("a-1", "a-2", "a-3"), 5),
        Theme("t-5", "Funding"),
        Theme("t-9", "Funding"),
    )


def test_theme_answers_filed_in_another_item_are_left_out():
    a = notes_of(answer("a-1", edited_at=at(5)), session="monitoring")
    b = notes_of(answer("a-1"), session="coordination", themes=(Theme("t-1", "T", ("a-1",)),))
    merged = both_ways(a, b)
    assert merged.item("coordination").themes == (Theme("t-1", "T", ()),)
    assert merged.item("coordination").answers == ()


def test_timings_span_from_the_earliest_start_to_the_latest_end():
    a = end_item(start_item(empty_notes(PROG), "coordination", at(1)), "coordination", at(50))
    a = start_item(a, "monitoring", at(60))
    b = end_item(start_item(empty_notes(PROG), "coordination", at(2)), "coordination", at(55))
    b = start_item(start_item(b, "opening", at(-20)), "monitoring", at(59))  # starting monitoring ends the opening
    timings = both_ways(a, b).run.timings
    assert dict(timings) == {
        "opening": Timing(at(-20), at(59)),
        "coordination": Timing(at(1), at(55)),
        "monitoring": Timing(at(59)),
    }


def test_the_position_is_the_one_furthest_along_the_day():
    a = move_to(start_item(empty_notes(PROG), "coordination", at(0)), "coordination", "challenges")
    b = move_to(start_item(empty_notes(PROG), "monitoring", at(120)), "monitoring", "measurement")
    run = both_ways(a, b).run
    assert (run.session_id, run.prompt_id) == ("monitoring", "measurement")
    assert both_ways(empty_notes(PROG), empty_notes(PROG)).run == RunState(PROG)


# ------------------------------------------------------------------ properties

IDS = [f"a-{i}" for i in range(6)]
SESSIONS = ["s1", "s2"]
TIMES = [at(m) for m in range(0, 50, 10)]
words = st.sampled_from(["one", "two", "three"])
groups = st.sampled_from(["Chad", "Peru"])
prompts = st.sampled_from(["p", "q"])
categories = st.sampled_from(["", "Output", "Outcome"])
times = st.sampled_from(TIMES)
maybe_times = st.none() | times


@st.composite
def notes_strategy(draw: st.DrawFn, across_items: bool = True) -> Notes:
    """Small notes: ids from a pool of six, so two notes share answers, edited apart.

    With `across_items`, one answer may be filed under different items in
    different notes (only hand-edited folders do that: the app never moves an
    answer to another item); without, each id has its item.
    """
    items: dict[str, list[Answer]] = {s: [] for s in SESSIONS}
    sessions = st.sampled_from(["", *SESSIONS] if across_items else [""])
    conflicts = st.builds(Conflict, words, groups, prompts, maybe_times, categories, sessions)
    for answer_id in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=5)):
        home = draw(st.sampled_from(SESSIONS)) if across_items else SESSIONS[IDS.index(answer_id) % 2]
        items[home].append(
            Answer(
                answer_id,
                draw(prompts),
                draw(groups),
                draw(words),
                draw(times),
                draw(maybe_times),
                draw(st.integers(0, 3)),
                draw(st.booleans()),
                draw(categories),
                tuple(draw(st.lists(conflicts, max_size=2))),
                draw(st.sampled_from(["", "i-1", "i-2"])),
            )
        )
    built = {}
    for session_id, answers in items.items():
        theme_ids = draw(st.lists(st.sampled_from(["t-1", "t-2", "t-3"]), unique=True, max_size=2))
        owner = {a.id: draw(st.sampled_from([None, *theme_ids])) for a in answers}
        names = st.sampled_from(["Funding", "funding", "Money"])
        members = {t: tuple(i for i in owner if owner[i] == t) for t in theme_ids}
        themes = tuple(Theme(t, draw(names), members[t], draw(st.integers(0, 3))) for t in theme_ids)
        # Interventions: ids from a small pool, so two notes share some (a folder copied, then changed).
        spoke = []
        for spoke_id in draw(st.lists(st.sampled_from(["i-1", "i-2", "i-3"]), unique=True, max_size=2)):
            start = draw(times)
            spoke.append(Intervention(spoke_id, draw(groups), start, start + dt.timedelta(seconds=draw(
                st.integers(0, 400))), draw(st.sampled_from([60, 180])), draw(st.sampled_from([0, 60]))))
        item = ItemNotes(session_id, tuple(answers), themes, tuple(spoke))
        if not item.is_empty:
            built[session_id] = item
    timings = {s: Timing(draw(maybe_times), draw(maybe_times)) for s in draw(st.sets(st.sampled_from(SESSIONS)))}
    position = draw(st.sampled_from([("", ""), ("s1", "p"), ("s2", "q")]))
    floor = draw(st.none() | st.builds(Floor, st.sampled_from(["i-2", "i-4"]), st.sampled_from(SESSIONS), groups,
                                       times, st.sampled_from([60, 180]), st.sampled_from([0, 60])))
    speakers = tuple(draw(st.lists(groups, max_size=3)))
    attendance = tuple(draw(st.lists(st.builds(Presence, groups, st.booleans(), times, st.sampled_from(SESSIONS)),
                                     max_size=3)))
    run = RunState("prog", *position, MappingProxyType(timings), floor=floor, speakers=speakers,
                   attendance=attendance)
    return Notes(run, MappingProxyType(built))


PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(notes_strategy(), notes_strategy())
def test_merge_is_commutative(a: Notes, b: Notes) -> None:
    assert merge_notes([a, b]) == merge_notes([b, a])


@PROPERTIES
@given(notes_strategy(), notes_strategy())
def test_merge_is_idempotent(a: Notes, b: Notes) -> None:
    merged = merge_notes([a, b])
    assert merge_notes([merged, b]) == merged
    assert merge_notes([a, merged]) == merged
    assert merge_notes([merged]) == merged
    assert merge_notes([a, a]) == merge_notes([a])


@PROPERTIES
@given(*[notes_strategy(across_items=False)] * 3)
def test_answers_merge_the_same_in_any_grouping(a: Notes, b: Notes, c: Notes) -> None:
    """Merging into an earlier merge gives the same answers and themes as merging all at once.

    (The position may differ: which input is furthest along depends on the
    timings seen so far. And a theme loses an answer that an intermediate merge
    filed under another item, which only hand-edited folders can cause. So may the
    order of answers captured in the same second: it follows the folders' files, and
    where no folder tells, an earlier merge had to choose one, which its file then
    tells the next merge, against a later folder perhaps.)
    """
    at_once = merge_notes([a, b, c])
    for grouped in (merge_notes([merge_notes([a, b]), c]), merge_notes([a, merge_notes([b, c])])):
        assert ties_aside(grouped.items) == ties_aside(at_once.items)
        if not same_second(at_once):
            assert grouped.items == at_once.items
        assert grouped.run.timings == at_once.run.timings


def ties_aside(items) -> dict[str, tuple]:
    """Items with their answers by time then id, themes by id: what is left once the order of ties is set aside."""
    return {
        sid: (
            sorted(item.answers, key=lambda a: (a.captured_at, a.id)),
            sorted((t.id, t.name, sorted(t.answer_ids), t.votes) for t in item.themes),
        )
        for sid, item in items.items()
    }


def same_second(notes: Notes) -> bool:
    """Whether two answers of one item were captured in the same second."""
    return any(len({a.captured_at for a in i.answers}) < len(i.answers) for i in notes.items.values())


def versions(notes: Notes) -> dict[str, set[tuple[str, str, str, str, str, dt.datetime | None]]]:
    """Every version of every answer: (item, prompt, group, text, category, edited at)."""
    out: dict[str, set[tuple[str, str, str, str, str, dt.datetime | None]]] = {}
    for session_id, item in notes.items.items():
        for a in item.answers:
            found = out.setdefault(a.id, set())
            found.add((session_id, a.prompt_id, a.group, a.text, a.category, a.edited_at))
            for c in a.conflicts:
                found.add((c.session_id or session_id, c.prompt_id, c.group, c.text, c.category, c.edited_at))
    return out


def covers(kept: tuple[object, ...], version: tuple[object, ...]) -> bool:
    """Whether a version kept by the merge holds all that `version` said.

    The same place (item, prompt, group); the same category, or one where
    `version` had none yet; the same words, or an edit of words `version`
    held as captured (never edited), which every edit of an answer starts from.
    """
    same_words = kept[3] == version[3] or (version[5] is None and kept[5] is not None)
    return kept[:3] == version[:3] and version[4] in ("", kept[4]) and same_words


@PROPERTIES
@given(st.lists(notes_strategy(), min_size=1, max_size=3))
def test_no_answer_and_no_edited_words_are_lost(inputs: list[Notes]) -> None:
    merged = merge_notes(inputs)
    ids = [a.id for item in merged.items.values() for a in item.answers]
    assert len(ids) == len(set(ids))
    assert set(ids) == {a.id for n in inputs for item in n.items.values() for a in item.answers}
    out = versions(merged)
    for one in inputs:
        for answer_id, found in versions(one).items():
            kept = out[answer_id]
            for version in found:
                assert any(covers(k, version) for k in kept), (version, kept)
                if version[5] is not None:  # edited words survive word for word
                    assert version[3] in {k[3] for k in kept}
    for item in merged.items.values():
        for a in item.answers:
            assert len(set(a.conflicts)) == len(a.conflicts)
            assert (a.text, a.group, a.prompt_id, a.category, a.edited_at) not in {
                (c.text, c.group, c.prompt_id, c.category, c.edited_at) for c in a.conflicts if not c.session_id
            }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_strategy(), notes_strategy())
def test_a_merged_folder_saves_loads_and_merges_back_unchanged(a: Notes, b: Notes) -> None:
    merged = merge_notes([a, b])
    with tempfile.TemporaryDirectory() as tmp:
        NotesFolder(Path(tmp) / "out", "prog").save(merged)
        loaded = load_notes(Path(tmp) / "out")  # the store's checks: ids once, themes hold their item's answers
        assert merge_notes([loaded]) == merged
        NotesFolder(Path(tmp) / "again", "prog").save(loaded)
        assert files(Path(tmp) / "again") == files(Path(tmp) / "out")


# ------------------------------------------------------------------ the command

HOSTILE = 'He said "no"\nthen \\n and \t tab, لا توجد خطة 🙂'


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in sorted(folder.iterdir())}


def capture(folder: Path, rapporteur: str, points: list[tuple[str, str, str]], minute: int) -> Notes:
    """One rapporteur's laptop: answers typed through the notes operations, saved as the app saves."""
    notes = move_to(start_item(empty_notes(PROG), "coordination", at(minute)), "coordination", "challenges")
    for n, (prompt_id, group, text) in enumerate(points):
        notes, _ = add_answer(notes, "coordination", prompt_id, group, f"{text} ({rapporteur})", at(minute + n + 1))
    NotesFolder(folder, PROG).save(notes)
    return notes


@pytest.fixture
def two_laptops(tmp_path: Path) -> tuple[Path, Path, Notes, Notes]:
    said_in_a = [("challenges", "Cambodia", "No focal point"), ("challenges", "Chad", HOSTILE)]
    said_in_b = [
        ("challenges", "Peru", "Data scattered"),
        ("improve-coordination", "Yemen", "Quarterly meetings"),
        ("challenges", "Cambodia", "No focal point"),
    ]
    a = capture(tmp_path / "laptop-a", "A", said_in_a, 1)
    b = capture(tmp_path / "laptop-b", "B", said_in_b, 2)
    return tmp_path / "laptop-a", tmp_path / "laptop-b", a, b


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def exported_ids(capsys: pytest.CaptureFixture[str], folder: Path) -> list[str]:
    code, out, err = cli(capsys, "export", folder, "--format", "json")
    assert (code, err) == (0, "")
    return [a["id"] for i in json.loads(out)["items"] for p in i["prompts"] for a in p["answers"]]


def test_conflicts_round_trip_through_the_notes_folder_byte_for_byte(tmp_path):
    kept = (
        Conflict(HOSTILE, 'Group "A"', "challenges", at(5)),
        Conflict("as captured", "Peru", "", None, "Output", "monitoring"),
    )
    notes = notes_of(answer("a-1", "winner", edited_at=at(9), votes=2, conflicts=kept), answer("a-2"))
    NotesFolder(tmp_path / "one", PROG).save(notes)
    loaded = load_notes(tmp_path / "one")
    assert only(loaded, "a-1").conflicts == kept
    NotesFolder(tmp_path / "two", PROG).save(loaded)
    assert files(tmp_path / "two") == files(tmp_path / "one")
    text = (tmp_path / "one" / "coordination.toml").read_text("utf-8")
    assert 'votes = 2\n\n[[prompts.groups.answers.conflicts]]\ntext = "He said \\"no\\"\\nthen' in text
    second = (
        '[[prompts.groups.answers.conflicts]]\ntext = "as captured"\ngroup = "Peru"\nprompt = ""\n'
        'category = "Output"\nsession = "monitoring"\n\n[[prompts.groups.answers]]\nid = "a-2"\n'
    )
    assert second in text  # then the next answer


def test_a_wrong_conflict_is_reported_with_its_line(tmp_path):
    NotesFolder(tmp_path, PROG).save(notes_of(answer("a-1", conflicts=(Conflict("x", "Peru", "challenges"),))))
    path = tmp_path / "coordination.toml"
    path.write_text(path.read_text("utf-8").replace('group = "Peru"', "groups = 3"), encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        load_notes(tmp_path)
    lines = path.read_text("utf-8").splitlines()
    header, key = lines.index("[[prompts.groups.answers.conflicts]]") + 1, lines.index("groups = 3") + 1
    where = "prompts[0].groups[0].answers[0].conflicts[0]"
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{key}: {where}.groups: unknown key (did you mean 'group'?)",
        f"{path}:{header}: {where}.group: is missing",
    ]


def test_two_folders_captured_apart_export_every_answer_once(capsys, tmp_path, two_laptops):
    folder_a, folder_b, a, b = two_laptops
    out = tmp_path / "merged"
    code, stdout, err = cli(capsys, "merge", folder_a, folder_b, "-o", out)
    assert (code, err) == (0, "")
    assert stdout == f"merged 2 folders into {out}: 5 answers (0 from more than one folder), 0 conflicts kept\n"
    ids = exported_ids(capsys, out)
    expected = [x.id for n in (a, b) for x in n.item("coordination").answers]
    assert sorted(ids) == sorted(expected) and len(ids) == 5
    merged = load_notes(out)
    assert merged.run.timing("coordination").started_at == at(1)
    assert HOSTILE + " (A)" in {x.text for x in merged.item("coordination").answers}


def test_merging_again_changes_no_file(capsys, tmp_path, two_laptops):
    folder_a, folder_b, _, _ = two_laptops
    out = tmp_path / "merged"
    assert cli(capsys, "merge", folder_a, folder_b, "-o", out)[0] == 0
    before = snapshot(out)
    code, stdout, _ = cli(capsys, "merge", folder_b, folder_a, "-o", out)
    assert code == 0 and "5 answers" in stdout
    assert snapshot(out) == before  # not even rewritten with the same bytes
    assert cli(capsys, "merge", out, "-o", out)[0] == 0
    assert snapshot(out) == before


def test_answers_of_the_same_second_keep_the_order_of_their_file(capsys, tmp_path):
    """Times are kept to the second and ids are random: a merge orders answers that tie in time
    (and groups whose first answers tie) as the file does, so merging a folder into a copy of it
    rewrites nothing (issue 15, item 5: ties went by id, and every such merge rewrote the file)."""
    typed = [("a-9", "Peru", "first"), ("a-1", "Chad", "second"), ("a-5", "Peru", "third"), ("a-3", "Chad", "fourth")]
    notes = empty_notes(PROG)
    for answer_id, group, text in typed:  # all within 10:00:00, as the app captures them
        notes, _ = add_answer(notes, "coordination", "challenges", group, text, at(0), make_id=lambda i=answer_id: i)
    laptop, copy, out = tmp_path / "laptop", tmp_path / "copy", tmp_path / "merged"
    NotesFolder(laptop, PROG).save(notes)
    NotesFolder(copy, PROG).save(notes)
    assert cli(capsys, "merge", laptop, "-o", out)[0] == 0
    assert files(out) == files(laptop)  # Peru first, a-9 before a-5; Chad a-1 before a-3
    before = snapshot(copy)
    assert cli(capsys, "merge", laptop, "-o", copy)[0] == 0
    assert snapshot(copy) == before  # brought nothing new: no file rewritten
    merged = load_notes(out)
    assert [a.id for a in merged.item("coordination").answers] == ["a-9", "a-5", "a-1", "a-3"]


def test_captures_that_grow_are_merged_into_the_same_folder(capsys, tmp_path, two_laptops):
    folder_a, folder_b, a, _ = two_laptops
    out = tmp_path / "merged"
    assert cli(capsys, "merge", folder_a, folder_b, "-o", out)[0] == 0
    # Laptop A goes on: a new answer, and an edit of one of its answers; laptop B's folder is not at hand.
    first = a.item("coordination").answers[0]
    more, new = add_answer(a, "coordination", "challenges", "Peru", "Late point", at(40))
    more = edit_answer(more, first.id, "No single focal point (A)", at(41))
    NotesFolder(folder_a, PROG).save(more)
    code, stdout, _ = cli(capsys, "merge", folder_a, "-o", out)
    assert code == 0
    assert stdout == f"merged 1 folder into {out}: 6 answers (0 from more than one folder), 0 conflicts kept\n"
    merged = load_notes(out)
    assert only(merged, first.id).text == "No single focal point (A)"  # the earlier merge's copy is superseded
    assert merged.find(new.id) is not None and merged.answer_count() == 6


def test_an_answer_edited_on_both_laptops_keeps_both_versions_on_disk(capsys, tmp_path, two_laptops):
    folder_a, folder_b, a, _ = two_laptops
    out = tmp_path / "merged"
    assert cli(capsys, "merge", folder_a, folder_b, "-o", out)[0] == 0
    shared = load_notes(out)
    first = a.item("coordination").answers[0]
    # The merged folder is copied back to both laptops; each rapporteur edits the same answer.
    NotesFolder(folder_a, PROG).save(edit_answer(shared, first.id, "Edited on A", at(50)))
    NotesFolder(folder_b, PROG).save(edit_answer(shared, first.id, "Edited on B", at(51)))
    code, stdout, _ = cli(capsys, "merge", folder_a, folder_b, "-o", out)
    assert code == 0
    assert stdout == f"merged 2 folders into {out}: 5 answers (5 from more than one folder), 1 conflict kept\n"
    text = (out / "coordination.toml").read_text("utf-8")
    assert (
        'text = "Edited on B"\ncaptured_at = 2012-05-22T10:02:00\nedited_at = 2012-05-22T10:51:00\n\n'
        '[[prompts.groups.answers.conflicts]]\ntext = "Edited on A"\ngroup = "Cambodia"\nprompt = "challenges"\n'
        "edited_at = 2012-05-22T10:50:00\n" in text
    )
    kept = only(load_notes(out), first.id)
    assert kept.conflicts == (Conflict("Edited on A", "Cambodia", "challenges", at(50)),)
    assert exported_ids(capsys, out).count(first.id) == 1
    # Every export shows the other version under the answer, with how it differs.
    code, data, _ = cli(capsys, "export", out, "--format", "json")
    answers = {a["id"]: a for i in json.loads(data)["items"] for p in i["prompts"] for a in p["answers"]}
    assert answers[first.id]["conflicts"] == [
        {
            "text": "Edited on A",
            "group": "Cambodia",
            "prompt": "challenges",
            "category": "",
            "edited_at": "2012-05-22T10:50:00",
            "item": None,
        }
    ]
    code, markdown, _ = cli(capsys, "export", out, "--format", "md")
    assert ". Edited on B\n   - *other version (edited 10:50):* Edited on A\n" in markdown
    code, html, _ = cli(capsys, "export", out, "--format", "html")
    assert ('<ul class="conflicts"><li><span class="marks"><bdi>other version (edited 10:50)</bdi>:</span> '
            '<bdi class="answer-text">Edited on A</bdi></li>') in html


def test_folders_of_different_programmes_are_refused_in_one_line(capsys, tmp_path, two_laptops):
    folder_a, _, _, _ = two_laptops
    other = tmp_path / "other"
    NotesFolder(other, "another-programme").save(add_answer(empty_notes("another-programme"), "x", "", "G", "t", T0)[0])
    out = tmp_path / "merged"
    code, stdout, err = cli(capsys, "merge", folder_a, other, "-o", out)
    assert (code, stdout) == (2, "")
    assert err == (
        f'facilitator: {other}: holds notes of programme "another-programme", but {folder_a} holds notes of '
        f'"{PROG}": only notes of one programme can be merged\n'
    )
    assert not out.exists()


def test_an_output_in_use_by_the_app_is_refused(capsys, tmp_path, two_laptops):
    folder_a, folder_b, _, _ = two_laptops
    out = tmp_path / "merged"
    app = NotesFolder(out, PROG)
    app.lock()
    try:
        code, stdout, err = cli(capsys, "merge", folder_a, folder_b, "-o", out)
    finally:
        app.unlock()
    assert (code, stdout) == (2, "")
    assert err.count("\n") == 1 and "is in use by facilitator on host" in err
    assert os.listdir(out) == []


def test_bad_inputs_and_outputs_are_refused_without_writing(capsys, tmp_path, two_laptops):
    folder_a, _, _, _ = two_laptops
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "merged"
    code, _, err = cli(capsys, "merge", folder_a, tmp_path / "nowhere", empty, "-o", out)
    assert code == 2
    assert err.splitlines() == [
        f"facilitator: {tmp_path / 'nowhere'}: no such folder",
        f"facilitator: {empty}: no notes here: no run.toml and no agenda item files",
    ]
    (folder_a / "coordination.toml").write_text("schema = [", encoding="utf-8")
    code, _, err = cli(capsys, "merge", folder_a, "-o", out)
    assert code == 2 and err.count("\n") == 1 and "TOML syntax" in err
    assert not out.exists()


def test_outputs_that_are_not_for_these_notes_are_refused(capsys, tmp_path, two_laptops):
    folder_a, _, _, _ = two_laptops
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    busy = tmp_path / "documents"
    busy.mkdir()
    (busy / "report.docx").write_bytes(b"keep")
    other = tmp_path / "other"
    NotesFolder(other, "another-programme").save(add_answer(empty_notes("another-programme"), "x", "", "G", "t", T0)[0])
    expected = {
        a_file: "is a file, not a notes folder",
        busy: "is not empty and holds no notes",
        other: f'holds notes of programme "another-programme", not "{PROG}"',
    }
    for out, message in expected.items():
        before = snapshot(out) if out.is_dir() else None
        code, _, err = cli(capsys, "merge", folder_a, "-o", out)
        assert code == 2 and err.count("\n") == 1 and message in err, err
        assert (snapshot(out) if out.is_dir() else None) == before


def test_merging_into_one_of_the_folders(capsys, tmp_path, two_laptops):
    folder_a, folder_b, _, _ = two_laptops
    code, stdout, _ = cli(capsys, "merge", folder_a, folder_b, "-o", folder_a)
    assert code == 0 and "5 answers" in stdout
    assert len(exported_ids(capsys, folder_a)) == 5
    assert not (folder_a / ".lock").exists()


def test_themes_votes_and_classifications_reach_the_merged_folder(capsys, tmp_path):
    base, first = add_answer(empty_notes(PROG), "monitoring-exercise", "indicators", "Chad", "Clinics opened", at(1))
    NotesFolder(tmp_path / "a", PROG).save(classify(base, first.id, "Output", ["Output", "Outcome", "Impact"]))
    themed, _ = create_theme(vote_answer(base, first.id, 3), "monitoring-exercise", "Health", [first.id])
    NotesFolder(tmp_path / "b", PROG).save(themed)
    assert cli(capsys, "merge", tmp_path / "a", tmp_path / "b", "-o", tmp_path / "out")[0] == 0
    item = load_notes(tmp_path / "out").item("monitoring-exercise")
    assert item.answers == (replace(first, votes=3, category="Output"),)
    assert [(t.name, t.answer_ids) for t in item.themes] == [("Health", (first.id,))]


def test_the_command_runs_as_a_program(tmp_path, two_laptops):
    folder_a, folder_b, _, _ = two_laptops
    out = tmp_path / "merged"
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "merge", str(folder_a), str(folder_b), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"merged 2 folders into {out}: 5 answers")
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "export", str(out), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ids = [a["id"] for i in json.loads(done.stdout)["items"] for p in i["prompts"] for a in p["answers"]]
    assert len(ids) == len(set(ids)) == 5
