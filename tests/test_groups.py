"""One group whatever its spelling: identity, other names, completion (issue 11, point 7)."""

from __future__ import annotations

import itertools
import string
from dataclasses import replace

import pytest

from facilitator.groups import Roster, group_key
from facilitator.meeting import Meeting
from facilitator.notes import empty_notes
from facilitator.summary import summarize


@pytest.mark.parametrize(
    "spelling",
    ["Senegal", "senegal", "SÉNÉGAL", "Sénégal", "Sene\u200bgal", "Sene\u00adgal", "Ｓｅｎｅｇａｌ", "  Senegal ",
     "\u200fSenegal"],
)
def test_spellings_of_one_group_have_one_key(spelling: str) -> None:
    assert group_key(spelling) == group_key("Senegal")


def test_other_groups_keep_other_keys() -> None:
    assert len({group_key(n) for n in ["Niger", "Nigeria", "Guinea", "Guinea-Bissau", "Congo", "Côte d'Ivoire"]}) == 6
    assert group_key("Côte d’Ivoire") == group_key("cote d'ivoire")
    assert group_key("Guinea–Bissau") == group_key("guinea-bissau")


def test_capture_files_a_new_spelling_under_the_group_already_used(programme_2012, clock) -> None:
    meeting = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    meeting.capture("Perú", "first")
    meeting.capture("peru", "second")  # the programme says "Peru": the programme's spelling wins
    meeting.capture("Bolivia", "third")
    meeting.capture("BOLIVIA", "fourth")
    assert [a.group for a in meeting.item.answers] == ["Peru", "Peru", "Bolivia", "Bolivia"]
    assert meeting.groups().count("Bolivia") == 1


def test_other_names_are_the_group_at_capture_and_in_the_summary(programme_2012, clock) -> None:
    programme = replace(programme_2012, aka=(("Yémen", "Yemen"), ("اليمن", "Yemen")))
    meeting = Meeting(programme, empty_notes(programme.id), clock)
    meeting.capture("اليمن", "an answer in Arabic")
    meeting.capture("Sénégal", "an answer with accents")
    assert [a.group for a in meeting.item.answers] == ["Yemen", "Senegal"]
    summary = summarize(programme, meeting.notes)
    assert {p.group: p.contributions for p in summary.participation} == {"Yemen": 1, "Senegal": 1}
    assert "Yemen" not in summary.silent_groups and "Senegal" not in summary.silent_groups


def test_the_summary_counts_a_hand_written_spelling_as_the_programme_group(programme_2012, clock) -> None:
    # A merged or hand-edited folder may hold "Sénégal": it is not a silent group.
    from facilitator import notes as ops

    notes = empty_notes(programme_2012.id)
    for group in ("Sénégal", "Senegal", "SENEGAL"):
        notes, _ = ops.add_answer(notes, "coordination", "challenges", group, "x", clock.now())
    summary = summarize(programme_2012, notes)
    assert "Senegal" not in summary.silent_groups
    (senegal,) = [p for p in summary.participation if group_key(p.group) == "senegal"]
    assert senegal.contributions == 3 and senegal.expected


def test_completion_any_word_accents_initials() -> None:
    roster = Roster(["Bosnia and Herzegovina", "Colombia", "Congo", "Côte d'Ivoire", "Croatia", "Cambodia"])
    assert roster.complete("herz") == ["Bosnia and Herzegovina"]
    assert roster.complete("cot")[0] == "Côte d'Ivoire"
    assert roster.complete("Co")[:3] == ["Colombia", "Congo", "Côte d'Ivoire"]
    assert roster.complete("iv") == ["Côte d'Ivoire"]
    assert roster.complete("bh")[0] == "Bosnia and Herzegovina"
    assert roster.complete("") == []
    assert roster.complete("zz") == []


def test_completion_by_another_name() -> None:
    roster = Roster(["Yemen", "Chad"], aka=[("Yémen", "Yemen"), ("اليمن", "Yemen")])
    assert roster.complete("اليمن") == ["Yemen"]
    assert roster.complete("yém") == ["Yemen"]


def test_two_letters_reach_every_group_of_the_2012_programme(programme_2012) -> None:
    """The key count of issue 11: at most 2 letters bring any delegation of the programme first."""
    roster = programme_2012.roster()
    queries = ["".join(q) for n in (1, 2) for q in itertools.product(string.ascii_lowercase, repeat=n)]
    first = {}
    for query in queries:
        matches = roster.complete(query)
        if matches:
            first.setdefault(matches[0], query)
    assert set(first) == set(programme_2012.groups)
