"""The co-chairs' figures, checked against counts made by hand from the fixture.

Fixture (tests/test_export_fixture.py), counted by hand:

- 17 answers: coordination 10 (challenges 5, improve 4, a renamed prompt 1),
  exercise 6, an item the programme does not know ("side-event") 1.
- Contributions: Cambodia 5 (coordination 3, exercise 2), Chad 5 (coordination
  2, exercise 2, side-event 1), Peru 3 (coordination 2, exercise 1), Colombia 2,
  Group "A" | B 1, UNDP 1. Yemen, in the programme's groups, said nothing.
- Times: opening planned 09:00-09:15, actual 09:00-09:20 (+5 at the end);
  coordination 09:15-12:00 (165 min) vs 09:20-12:10 (170 min, +5 start, +10
  end); lunch 12:00-13:00 vs 12:10-13:05 (+5 end); exercise started 13:05 (+5).
  Total delay: the last ended item, lunch, ended 5 minutes late.
- Themes in coordination: "<i>Funding</i>" 7 votes (a-08, improve),
  "Leadership & focal points" 5 votes (a-01, a-03 on challenges; a-06 on improve).
- Exercise: Cambodia Output 1 Outcome 1; Chad Output 1 Impact 1; Peru not yet
  classified 1; UNDP Output 1. Column totals 3 / 1 / 1 / 1, total 6.
- Starred: a-01 (challenges), a-06 (improve).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_export_fixture import PIPE_GROUP, build, rehearsal

from facilitator.summary import NOT_YET_CLASSIFIED, Summary, summarize


@pytest.fixture
def summary(tmp_path: Path) -> Summary:
    programme, notes, _ = build(tmp_path)
    return summarize(programme, notes)


def ids(answers) -> list[str]:
    return [a.id for a in answers]


def test_every_answer_is_counted_once(summary: Summary) -> None:
    assert summary.answer_count == 17
    seen = [a.id for item in summary.items for p in item.prompts for a in p.answers]
    assert len(seen) == len(set(seen)) == 17
    assert [i.id for i in summary.items] == ["opening", "coordination", "lunch", "exercise", "end", "side-event"]
    assert [i.answer_count for i in summary.items] == [0, 10, 0, 6, 0, 1]


def test_participation(summary: Summary) -> None:
    table = [(p.group, p.contributions, dict(p.items), p.expected) for p in summary.participation]
    assert table == [
        ("Cambodia", 5, {"coordination": 3, "exercise": 2}, True),
        ("Chad", 5, {"coordination": 2, "exercise": 2, "side-event": 1}, True),
        ("Peru", 3, {"coordination": 2, "exercise": 1}, True),
        ("Colombia", 2, {"coordination": 2}, True),
        (PIPE_GROUP, 1, {"coordination": 1}, False),
        ("UNDP", 1, {"exercise": 1}, False),
    ]
    assert summary.silent_groups == ("Yemen",)


def test_time_planned_against_actual(summary: Summary) -> None:
    opening, coordination, lunch, exercise, end, side = summary.items
    assert (opening.planned_minutes, opening.actual_minutes, opening.end_delay_minutes) == (15, 20, 5)
    assert (coordination.planned_minutes, coordination.actual_minutes) == (165, 170)
    assert (coordination.start_delay_minutes, coordination.end_delay_minutes) == (5, 10)
    assert (lunch.planned_minutes, lunch.actual_minutes, lunch.end_delay_minutes) == (60, 55, 5)
    assert (exercise.start_delay_minutes, exercise.actual_minutes, exercise.end_delay_minutes) == (5, None, None)
    assert end.planned_minutes == 0 and end.actual_start is None
    assert side.planned_start is None and not side.in_programme and side.title == "side-event"
    assert summary.total_delay_minutes == 5


def test_prompts_keep_programme_order_and_the_unknown_prompt(summary: Summary) -> None:
    coordination = summary.item("coordination")
    assert [(p.id, p.number, p.in_programme) for p in coordination.prompts] == [
        ("challenges", 1, True),
        ("improve", 2, True),
        ("old-prompt", 0, False),
    ]
    challenges, improve, old = coordination.prompts
    assert [(g.group, ids(g.answers)) for g in challenges.by_group] == [
        ("Cambodia", ["a-01", "a-02"]),
        ("Chad", ["a-03", "a-05"]),
        (PIPE_GROUP, ["a-04"]),
    ]
    assert "not in the programme" in old.label and ids(old.answers) == ["a-16"]
    assert summary.item("side-event").prompts[0].label == "Answers"


def test_themes_ranked_by_votes_with_their_groups(summary: Summary) -> None:
    coordination = summary.item("coordination")
    assert [(t.name, t.votes, ids(t.answers)) for t in coordination.themes] == [
        ("<i>Funding</i>", 7, ["a-08"]),
        ("Leadership & focal points", 5, ["a-01", "a-03", "a-06"]),
    ]
    assert coordination.themes[1].groups == ("Cambodia", "Chad", "Colombia")
    challenges, improve, _ = coordination.prompts
    assert [(t.name, ids(t.answers)) for t in challenges.themes] == [("Leadership & focal points", ["a-01", "a-03"])]
    assert [t.name for t in improve.themes] == ["<i>Funding</i>", "Leadership & focal points"]
    assert [(g.group, ids(g.answers)) for g in challenges.unthemed] == [
        ("Cambodia", ["a-02"]),
        ("Chad", ["a-05"]),
        (PIPE_GROUP, ["a-04"]),
    ]


def test_starred_key_points(summary: Summary) -> None:
    assert [(k.item_id, k.prompt, k.answer.id) for k in summary.key_points] == [
        ("coordination", "What are the main challenges?", "a-01"),
        ("coordination", "How can coordination be improved?", "a-06"),
    ]
    assert ids(summary.item("coordination").starred) == ["a-01", "a-06"]


def test_exercise_table_with_totals(summary: Summary) -> None:
    table = summary.item("exercise").exercise
    assert table.categories == ("Output", "Outcome", "Impact", NOT_YET_CLASSIFIED)
    assert table.groups == ("Cambodia", "Chad", "Peru", "UNDP")
    assert table.counts == ((1, 1, 0, 0), (1, 0, 1, 0), (0, 0, 0, 1), (1, 0, 0, 0))
    assert table.row_totals == (2, 2, 1, 1)
    assert table.column_totals == (3, 1, 1, 1)
    assert table.total == 6
    assert table.count("Chad", "Impact") == 1 and table.count("Yemen", "Output") == 0
    assert summary.item("coordination").exercise is None


def test_a_category_the_programme_no_longer_has_gets_its_own_column(tmp_path: Path) -> None:
    from dataclasses import replace

    programme, notes, _ = build(tmp_path)
    item = notes.item("exercise")
    answers = tuple(replace(a, category="Process") if a.id == "a-15" else a for a in item.answers)
    table = summarize(programme, notes.with_item(replace(item, answers=answers))).item("exercise").exercise
    assert table.categories == ("Output", "Outcome", "Impact", "Process", NOT_YET_CLASSIFIED)
    assert table.count("UNDP", "Process") == 1 and table.total == 6


def test_an_empty_run(tmp_path: Path) -> None:
    from facilitator.notes import empty_notes

    programme, _, _ = build(tmp_path)
    summary = summarize(programme, empty_notes(programme.id))
    assert summary.answer_count == 0 and summary.participation == () and summary.key_points == ()
    assert summary.silent_groups == programme.groups
    assert summary.total_delay_minutes is None
    assert all(item.exercise is None and item.prompts == () for item in summary.items)


def test_a_rehearsal_on_another_day_is_compared_by_time_of_day():
    """The 2012 programme run on 29 November 2026: delays are minutes, not years."""
    import datetime as dt

    from facilitator.bundled import default_programme
    from facilitator.notes import Notes, RunState, Timing
    from facilitator.programme import load_programme
    from facilitator.summary import summarize

    programme = load_programme(default_programme())
    run = RunState(
        programme.id,
        "lunch",
        "",
        {"coordination": Timing(dt.datetime(2026, 11, 29, 10, 20), dt.datetime(2026, 11, 29, 13, 12))},
    )
    item = summarize(programme, Notes(run)).item("coordination")
    assert item.start_delay_minutes == 5
    assert item.end_delay_minutes == 12
    # Planned times stay on the programme's date; the delays compare times of day.
    assert item.planned_start == dt.datetime(2012, 5, 22, 10, 15)


# ------------------------------------------------------------------ numbers and group identity


def test_answers_are_numbered_in_the_order_every_format_shows_them(summary: Summary) -> None:
    """Per prompt: its themes (most votes first), then the answers in no theme; each by group, then capture order."""
    challenges, improve, old = summary.item("coordination").prompts
    assert [(s.title, s.votes) for s in challenges.sections] == [
        ("Leadership & focal points", 5),
        ("Not in a theme", None),
    ]
    assert [(n, a.id) for n, a, _ in challenges.numbered()] == [
        (1, "a-01"),
        (2, "a-03"),
        (3, "a-02"),
        (4, "a-05"),
        (5, "a-04"),
    ]
    assert [s.title for s in improve.sections] == ["<i>Funding</i>", "Leadership & focal points", "Not in a theme"]
    assert [a.id for _, a, _ in improve.numbered()] == ["a-08", "a-06", "a-09", "a-07"]
    assert [(n, a.id) for n, a, _ in old.numbered()] == [(10, "a-16")]
    exercise = summary.item("exercise").prompts[0]
    assert [s.title for s in exercise.sections] == [""]  # no themes: one untitled section
    every = [n for item in summary.items for p in item.prompts for n, _, _ in p.numbered()]
    assert every == list(range(1, 18))
    assert summary.number("a-17") == 17 and summary.number("nope") == 0
    assert [(k.answer.id, k.number, k.group) for k in summary.key_points] == [
        ("a-01", 1, "Cambodia"),
        ("a-06", 7, "Colombia"),
    ]


def test_a_group_is_one_group_whatever_its_spelling(tmp_path: Path) -> None:
    """ "PERÚ" and "Peru", "yemen" and the programme's "Yemen": one group in every grouping of the summary."""
    from dataclasses import replace

    programme, notes, _ = build(tmp_path)
    spelled = {"a-07": "PERÚ", "a-14": "peru", "a-11": "yemen"}
    for session_id in ("coordination", "exercise"):
        item = notes.item(session_id)
        notes = notes.with_item(
            replace(item, answers=tuple(replace(a, group=spelled.get(a.id, a.group)) for a in item.answers))
        )
    summary = summarize(programme, notes)
    assert summary.silent_groups == ()  # Yemen spoke, as "yemen"
    contributions = {p.group: p.contributions for p in summary.participation}
    assert contributions["Peru"] == 3 and contributions["Yemen"] == 1 and "PERÚ" not in contributions
    improve = summary.item("coordination").prompts[1]
    assert [g.group for g in improve.by_group] == ["Colombia", "Peru", "Cambodia"]
    table = summary.item("exercise").exercise
    assert table.groups == ("Cambodia", "Yemen", "Chad", "Peru", "UNDP")  # first-answer order
    assert table.count("Peru", NOT_YET_CLASSIFIED) == 1 and table.count("Yemen", "Outcome") == 1
    # The answer keeps the spelling it was captured with.
    assert {a.group for a in summary.item("exercise").prompts[0].answers} >= {"peru", "yemen"}


# ------------------------------------------------------------------ the terminal summary


def test_the_terminal_summary_wraps_under_its_text_never_at_column_0(tmp_path: Path) -> None:
    from facilitator.exporters.text import render_summary

    programme, notes, _ = rehearsal(tmp_path)
    lines = render_summary(summarize(programme, notes), width=40).splitlines()
    sections = {"Key points ★", "Participation (answers per group)", "Time"}
    item_titles = {line for line in lines if line[:2].rstrip(".").isdigit() and not line.startswith(" ")}
    # After the opening paragraphs, only the section titles and items' titles start at column 0.
    top = lines.index("Key points ★")
    for line in lines[top:]:
        assert not line or line.startswith(" ") or line in sections or line in item_titles, line
    assert all(len(line) <= 40 for line in lines)
    start = next(k for k, line in enumerate(lines) if line.startswith(" 1. What are the main challenges"))
    assert lines[start + 1].startswith("    ") and lines[start + 1].strip()  # the prompt's 2nd line under its text
    silent = next(k for k, line in enumerate(lines) if "Did not contribute" in line)
    assert lines[silent + 1].startswith("   ")


def test_the_terminal_summary_isolates_right_to_left_names_and_says_what_its_bars_show(tmp_path: Path) -> None:
    from facilitator.exporters.text import render_summary

    programme, notes, _ = rehearsal(tmp_path)
    text = render_summary(summarize(programme, notes), width=100)
    assert "\u2068المغرب\u2069" in text and "\u2068Cambodia" not in text
    assert "themes, most votes first (bars: votes)" in text
    start = text.index("themes, most votes first (bars: votes)")
    rows = [line.split()[-2:] for line in text[start:].splitlines()[1:4]]
    # The count shown is the theme's votes (9, 6, 4), and each bar is drawn from it.
    assert [int(n) for n, _ in rows] == [9, 6, 4]
    assert [len(bar) for _, bar in rows] == [
        len(rows[0][1]),
        round(len(rows[0][1]) * 6 / 9),
        round(len(rows[0][1]) * 4 / 9),
    ]
