"""The floor without a terminal: the speakers' list, the floor and its timer, interventions, the roll call.

Each rule of `facilitator.floor` and the `Meeting` operations on it, what the
notes folder keeps of it (run.toml and the item files, read back the same),
what the loader refuses, and the summary's speaking times and attendance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from facilitator import floor
from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.merge import merge_notes
from facilitator.notes import Floor, NotesError, Presence, empty_notes, move_answer
from facilitator.programme import ProgrammeError, load_programme
from facilitator.store import NotesFolder, StoreError, load_notes
from facilitator.summary import summarize

T0 = dt.datetime(2012, 5, 22, 10, 14)


@pytest.fixture
def meeting(programme_2012, clock: FakeClock) -> Meeting:
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("coordination")
    m.start_item()
    return m


# ------------------------------------------------------------ the speakers' list


def test_the_list_takes_a_delegation_at_any_place_twice_and_in_the_roster_s_spelling(meeting: Meeting):
    meeting.ask_for_floor("peru")
    meeting.ask_for_floor("Chad")
    meeting.ask_for_floor("senegal", at=0)
    meeting.ask_for_floor("PERU")  # a second round: Peru twice
    assert meeting.speakers == ("Senegal", "Peru", "Chad", "Peru")
    assert meeting.last_change == "put Peru on the speakers' list (4th)"


def test_the_list_moves_and_removes_by_place(meeting: Meeting):
    for name in ("Peru", "Chad", "Senegal"):
        meeting.ask_for_floor(name)
    meeting.move_speaker(2, 0)
    assert meeting.speakers == ("Senegal", "Peru", "Chad")
    meeting.move_speaker(0, 99)  # past the end: last
    assert meeting.speakers == ("Peru", "Chad", "Senegal")
    meeting.remove_speaker(1)
    assert meeting.speakers == ("Peru", "Senegal")
    with pytest.raises(NotesError, match="no such place"):
        meeting.remove_speaker(5)
    meeting.undo()
    assert meeting.speakers == ("Peru", "Chad", "Senegal")


def test_an_empty_name_is_refused(meeting: Meeting):
    with pytest.raises(NotesError):
        meeting.ask_for_floor("   ")
    assert meeting.speakers == ()


# ------------------------------------------------------------ the floor and its timer


def test_next_speaker_gives_the_floor_to_the_first_on_the_list_with_the_programme_s_time(meeting, clock):
    meeting.ask_for_floor("Peru")
    meeting.ask_for_floor("Chad")
    meeting.next_speaker()
    held = meeting.floor
    assert (held.group, held.session_id, held.started_at, held.allowed) == ("Peru", "coordination", T0, 180)
    assert meeting.speakers == ("Chad",)
    clock.advance(minutes=2, seconds=5)
    meeting.next_speaker()
    assert meeting.floor.group == "Chad" and meeting.speakers == ()
    assert meeting.last_change == "gave the floor to Chad at 10:16 (Peru spoke 2:05)"
    (spoke,) = meeting.notes.item("coordination").interventions
    assert (spoke.group, spoke.seconds, spoke.allowed, spoke.overran) == ("Peru", 125, 180, False)
    clock.advance(seconds=10)
    meeting.next_speaker()  # the list is empty: Chad yields
    assert meeting.floor is None
    assert [s.group for s in meeting.notes.item("coordination").interventions] == ["Peru", "Chad"]
    with pytest.raises(NotesError, match="list is empty"):
        meeting.next_speaker()


def test_the_timer_warns_then_shows_the_overrun_and_an_extension_gives_time_back(meeting, clock):
    meeting.give_floor("Peru")
    assert meeting.speaking().state == "speaking" and meeting.speaking().digits == "3:00"
    clock.advance(minutes=2, seconds=30)
    assert (meeting.speaking().state, meeting.speaking().label()) == ("warning", "0:30 left")
    clock.advance(seconds=45)
    assert (meeting.speaking().state, meeting.speaking().digits, meeting.speaking().label()) == (
        "overrun", "+0:15", "over by 0:15")
    meeting.extend_floor()
    assert (meeting.speaking().state, meeting.speaking().label()) == ("speaking", "0:45 left")
    assert meeting.speaking().given == "of 3:00 + 1:00"
    assert meeting.last_change == "gave Peru 1:00 more (3:00 + 1:00)"


def test_a_short_speaking_time_warns_in_its_last_quarter():
    held = Floor("i-1", "s", "Peru", T0, 60)
    assert floor.speaking(held, T0 + dt.timedelta(seconds=44)).state == "speaking"
    assert floor.speaking(held, T0 + dt.timedelta(seconds=45)).state == "warning"
    assert floor.speaking(held, T0 + dt.timedelta(seconds=61)).state == "overrun"


def test_the_speaking_timer_never_moves_the_agenda_s_countdown(meeting, clock):
    untouched = Meeting(meeting.planned, meeting.notes, clock)  # the same run, no floor given
    meeting.give_floor("Peru")
    meeting.extend_floor()
    meeting.extend_floor()
    clock.advance(minutes=7)  # Peru overruns its 3 + 2 minutes
    assert meeting.speaking().state == "overrun"
    assert meeting.timebox().label() == untouched.timebox().label() == "2:38:00 left"
    assert meeting.projection().delay_minutes == untouched.projection().delay_minutes
    meeting.yield_floor()
    assert meeting.notes.run.timings == untouched.notes.run.timings


def test_an_item_s_speaking_time_comes_from_the_item_then_the_programme_then_three_minutes(tmp_path: Path):
    text = PROGRAMME.replace('title = "Floor"', 'title = "Floor"\nspeaking_time = 2')
    text = text.replace('id = "two"', 'id = "two"\nspeaking_time = 1.5')
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    programme = load_programme(path)
    one, two = programme.sessions
    assert (programme.speaking_seconds(one), programme.speaking_seconds(two)) == (120, 90)
    path.write_text(PROGRAMME, encoding="utf-8")
    assert load_programme(path).speaking_seconds(None) == 180


@pytest.mark.parametrize("value", ["0", "-1", "61", '"3"', "true"])
def test_a_wrong_speaking_time_is_refused_with_its_key(tmp_path: Path, value: str):
    path = tmp_path / "p.toml"
    path.write_text(PROGRAMME.replace('id = "two"', f'id = "two"\nspeaking_time = {value}'), encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    assert "sessions[1].speaking_time" in str(caught.value)


PROGRAMME = """schema = 1
id = "floor"
title = "Floor"
date = "2012-05-22"

[[sessions]]
id = "one"
start = "10:00"
title = "One"
kind = "discussion"

[[sessions]]
id = "two"
start = "11:00"
title = "Two"
kind = "discussion"
"""


# ------------------------------------------------------------ answers said on the floor


def test_answers_from_the_delegation_on_the_floor_belong_to_its_intervention(meeting, clock):
    meeting.give_floor("Perú")
    held = meeting.floor.intervention_id
    first = meeting.capture("peru", "We coordinate through the ministry")
    remark = meeting.capture("Chad", "A remark from elsewhere in the room")
    assert (first.intervention, remark.intervention) == (held, "")
    # Given to another group, an answer is no longer part of the intervention.
    moved = move_answer(meeting.notes, first.id, group="Chad")
    assert moved.find(first.id)[1].intervention == ""
    # The same group in another spelling keeps it.
    assert move_answer(meeting.notes, first.id, group="PERÚ").find(first.id)[1].intervention == held


def test_ending_the_item_or_starting_another_ends_the_intervention(meeting, clock):
    meeting.give_floor("Peru")
    clock.advance(minutes=1)
    meeting.end_item()
    assert meeting.floor is None
    (spoke,) = meeting.notes.item("coordination").interventions
    assert spoke.seconds == 60
    meeting.go_to("coordination")
    meeting.start_item()
    meeting.give_floor("Chad")
    clock.advance(minutes=1)
    meeting.go_to("lunch")
    meeting.start_item()
    assert meeting.floor is None
    assert [s.group for s in meeting.notes.item("coordination").interventions] == ["Peru", "Chad"]


def test_undo_takes_back_the_floor_and_its_intervention(meeting, clock):
    meeting.ask_for_floor("Peru")
    meeting.ask_for_floor("Chad")
    meeting.next_speaker()
    clock.advance(minutes=1)
    meeting.next_speaker()
    assert meeting.floor.group == "Chad"
    meeting.undo()
    assert meeting.floor.group == "Peru" and meeting.speakers == ("Chad",)
    assert meeting.notes.item("coordination").interventions == ()


# ------------------------------------------------------------ the notes folder


def test_the_floor_the_list_the_interventions_and_the_roll_call_are_saved_and_read_back(meeting, clock, tmp_path):
    meeting.mark_present("Peru")
    meeting.mark_present("Chad")
    meeting.mark_present("Chad", present=False)
    meeting.ask_for_floor('Côte d\'Ivoire "CI"')
    meeting.give_floor("اليمن")
    meeting.capture("اليمن", "نص")
    clock.advance(minutes=4)
    meeting.extend_floor()
    meeting.give_floor("Peru")
    folder = NotesFolder(tmp_path / "notes", meeting.notes.programme_id)
    folder.save(meeting.notes)
    loaded = load_notes(tmp_path / "notes")
    assert loaded.run.floor == meeting.floor
    assert loaded.run.speakers == meeting.speakers
    assert loaded.run.attendance == meeting.notes.run.attendance
    assert loaded.item("coordination") == meeting.notes.item("coordination")
    text = (tmp_path / "notes" / "coordination.toml").read_text(encoding="utf-8")
    assert "[[interventions]]" in text and "extended = 60" in text and 'intervention = "i-' in text


@pytest.mark.parametrize(
    ("run_toml", "expected"),
    [
        ("[floor]\nintervention = \"i-1\"\nitem = \"x\"\ngroup = \"\"\nstarted_at = 2012-05-22T10:00:00\n"
         "allowed = 180\n", "floor.group"),
        ("[floor]\nintervention = \"i-1\"\nitem = \"x\"\ngroup = \"Peru\"\nstarted_at = 2012-05-22T10:00:00\n"
         "allowed = -5\n", "floor.allowed"),
        ("speakers = [\"Peru\", 3]\n", "speakers[1]"),
        ("[[attendance]]\ngroup = \"Peru\"\npresent = \"yes\"\nat = 2012-05-22T10:00:00\n", "attendance[0].present"),
    ],
)
def test_a_wrong_floor_in_run_toml_is_reported_with_its_key(tmp_path, run_toml: str, expected: str):
    folder = tmp_path / "notes"
    folder.mkdir()
    head = 'schema = 1\nprogramme = "parallel-programme-2012-05-22"\nsession = "coordination"\nprompt = ""\n'
    (folder / "run.toml").write_text(head + run_toml, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        load_notes(folder)
    assert expected in str(caught.value)


def test_an_intervention_that_ends_before_it_starts_is_reported(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "coordination.toml").write_text(
        'schema = 1\nprogramme = "p"\nsession = "coordination"\n\n[[interventions]]\nid = "i-1"\ngroup = "Peru"\n'
        "started_at = 2012-05-22T10:05:00\nended_at = 2012-05-22T10:00:00\nallowed = 180\n",
        encoding="utf-8",
    )
    with pytest.raises(StoreError, match=r"interventions\[0\]\.ended_at"):
        load_notes(folder)


def test_merge_keeps_every_intervention_once_and_drops_a_floor_yielded_elsewhere(meeting, clock):
    meeting.give_floor("Peru")
    open_copy = meeting.notes  # a copy of the folder taken while Peru spoke
    clock.advance(minutes=2)
    meeting.give_floor("Chad")
    merged = merge_notes([open_copy, meeting.notes])
    assert [s.group for s in merged.item("coordination").interventions] == ["Peru"]
    assert merged.run.floor == meeting.floor  # Chad, given last; Peru's floor ended in the other copy
    assert merge_notes([merged, open_copy]) == merged


def test_merge_keeps_the_order_of_marks_made_in_one_second():
    notes = empty_notes("p").with_run(attendance=(Presence("Peru", True, T0, "s"), Presence("Peru", False, T0, "s")))
    assert merge_notes([notes]).run.attendance == notes.run.attendance


# ------------------------------------------------------------ attendance


def test_attendance_per_item_follows_the_roll_call_late_arrivals_and_departures(programme_2012, clock):
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("opening")
    for name in ("Peru", "Chad", "Senegal"):  # the roll call before the day starts
        m.mark_present(name)
    m.start_item()
    m.capture("Peru", "Opening remark")
    clock.advance(minutes=15)
    m.go_to("coordination")
    m.start_item()
    m.mark_present("Chad", present=False)  # Chad left: the roll call of this item says so
    clock.advance(minutes=30)
    m.mark_present("Yemen")  # a late arrival
    m.give_floor("Senegal")
    clock.advance(minutes=2)
    m.go_to("lunch")
    m.start_item()  # Senegal's intervention ends; lunch runs
    summary = summarize(programme_2012, m.notes)
    opening = summary.item("opening").attendance
    assert opening.present_spoke == ("Peru",)
    assert opening.present_silent == ("Chad", "Senegal")
    assert "Yemen" in opening.absent and "Afghanistan" in opening.absent
    coordination = summary.item("coordination").attendance
    assert coordination.present_spoke == ("Senegal",)
    assert coordination.present_silent == ("Peru", "Yemen")
    assert "Chad" in coordination.absent
    assert summary.item("monitoring").attendance is None  # it never ran
    day = summary.days[0].attendance
    assert day.present_spoke == ("Peru", "Senegal")
    assert day.present_silent == ("Chad", "Yemen")
    assert len(day.absent) == len(programme_2012.groups) - 4


def test_without_a_roll_call_there_is_no_attendance_and_speaking_proves_presence(programme_2012, clock):
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("coordination")
    m.start_item()
    m.give_floor("Peru")
    clock.advance(minutes=1)
    m.yield_floor()
    summary = summarize(programme_2012, m.notes)
    assert summary.item("coordination").attendance is None and not summary.roll_called
    m.mark_present("Chad")
    summary = summarize(programme_2012, m.notes)
    assert summary.item("coordination").attendance.present_spoke == ("Peru",)  # spoke, though never marked
    assert summary.item("coordination").attendance.present_silent == ("Chad",)


def test_speaking_times_per_delegation(programme_2012, clock):
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("coordination")
    m.start_item()
    for name, seconds in (("Peru", 200), ("Chad", 60), ("Peru", 100)):
        m.give_floor(name)
        clock.advance(seconds=seconds)
    m.give_floor("Senegal")  # still speaking: listed as ongoing, counted nowhere
    summary = summarize(programme_2012, m.notes)
    assert [(t.group, t.seconds, t.interventions, t.longest, t.overruns) for t in summary.speaking] == [
        ("Peru", 300, 2, 200, 1), ("Chad", 60, 1, 60, 0)]
    spoke = summary.item("coordination").interventions
    assert [(s.number, s.group, s.ongoing) for s in spoke] == [
        (1, "Peru", False), (2, "Chad", False), (3, "Peru", False), (4, "Senegal", True)]


def test_an_answer_links_to_its_intervention_by_number_in_the_summary(programme_2012, clock):
    m = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    m.go_to("coordination")
    m.start_item()
    m.capture("Chad", "Before anyone had the floor")
    m.give_floor("Peru")
    a = m.capture("Peru", "One")
    b = m.capture("Peru", "Two")
    m.yield_floor()
    summary = summarize(programme_2012, m.notes)
    (spoke,) = summary.item("coordination").interventions
    assert spoke.answers == ((summary.number(a.id), a.id), (summary.number(b.id), b.id))


def test_marks_are_by_identity(meeting):
    meeting.mark_present("SÉNÉGAL")
    meeting.mark_present("senegal", present=False)
    assert list(meeting.in_room().values()) == [False]
    assert [m.group for m in meeting.notes.run.attendance] == ["Senegal", "Senegal"]


def test_a_floor_without_a_speaking_time_is_refused():
    with pytest.raises(NotesError):
        floor.give_floor(empty_notes("p"), "Peru", "s", T0, 0)
    with pytest.raises(NotesError, match="no one has the floor"):
        floor.extend(empty_notes("p"))
    assert floor.yield_floor(empty_notes("p"), T0) == empty_notes("p")
    assert replace(Floor("i", "s", "Peru", T0, 10), extended=5).closed(T0 - dt.timedelta(seconds=3)).seconds == 0
