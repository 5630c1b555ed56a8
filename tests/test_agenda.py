"""The agenda as run: changes made on the day, kept in run.toml, never in the programme (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from facilitator import agenda
from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import AgendaChange, NotesError, Rehearsal, empty_notes
from facilitator.schedule import plan
from facilitator.store import NotesFolder, load_notes
from facilitator.tui.screens.agenda import parse_new_item, parse_timing

DAY = dt.date(2012, 5, 22)


def at(hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(DAY, dt.time(hours, minutes))


@pytest.fixture
def meeting(programme_2012) -> Meeting:
    return Meeting(programme_2012, empty_notes(programme_2012.id), FakeClock(at("10:16")))


def planned(meeting: Meeting) -> dict[str, tuple[str, str]]:
    return {s.session_id: (f"{s.planned_start:%H:%M}", f"{s.planned_end:%H:%M}") for s in plan(meeting.programme)}


def test_an_item_added_after_another_keeps_the_others_lengths(meeting):
    added = meeting.add_item("Questions from the floor", after="coordination", duration=20)
    ids = [s.id for s in meeting.programme.sessions]
    assert ids[ids.index("coordination") + 1] == added.id == "questions-from-the-floor"
    times = planned(meeting)
    assert times["coordination"] == ("10:15", "13:00")  # not shortened
    assert times[added.id] == ("13:00", "13:20")
    assert meeting.agenda.note(added.id) == "added on the day (10:16)"
    assert meeting.planned.session(added.id) is None  # the programme itself never changes
    again = meeting.add_item("Questions from the floor", after=added.id, duration=5)
    assert again.id == "questions-from-the-floor-2"


def test_drop_and_restore_keep_the_neighbours_times(meeting):
    meeting.drop_item("monitoring")
    assert meeting.programme.session("monitoring") is None
    assert [s.id for s in meeting.agenda.dropped] == ["monitoring"]
    times = planned(meeting)
    assert times["lunch"] == ("13:00", "15:00")  # lunch does not stretch to fill the dropped item's place
    assert times["monitoring-exercise"] == ("15:00", "16:30")
    meeting.restore_item("monitoring")
    assert [s.id for s in meeting.programme.sessions] == [s.id for s in meeting.planned.sessions]
    assert meeting.agenda.note("monitoring") == "dropped (10:16); restored (10:16)"


def test_the_running_item_cannot_be_dropped(meeting):
    meeting.go_to("coordination")
    meeting.start_item()
    with pytest.raises(NotesError, match="is running"):
        meeting.drop_item("coordination")


def test_a_move_keeps_the_length_and_follows_the_item_before(meeting):
    meeting.move_item("monitoring-exercise", "coordination")  # the exercise before lunch
    ids = [s.id for s in meeting.programme.sessions]
    assert ids.index("monitoring-exercise") == ids.index("coordination") + 1
    times = planned(meeting)
    assert times["monitoring-exercise"] == ("13:00", "14:30")
    assert meeting.agenda.note("monitoring-exercise").startswith("moved")
    # A fixed start that no longer fits is dropped: the item follows the one before it.
    meeting.move_item("monitoring", "opening")
    session = meeting.programme.session("monitoring")
    assert session.start is None and planned(meeting)["monitoring"][0] == "10:15"
    assert meeting.agenda.note("monitoring").startswith("moved from 15:00")


def test_retime_checks_the_order_and_says_why(meeting):
    meeting.retime_item("lunch", dt.time(13, 30), 60)
    assert planned(meeting)["lunch"] == ("13:30", "14:30")
    with pytest.raises(NotesError, match="before 'Break for lunch and side events' at 13:30"):
        meeting.retime_item("monitoring", dt.time(12, 0), 90)
    assert planned(meeting)["monitoring"][0] == "15:00"  # refused: nothing changed
    with pytest.raises(NotesError, match="needs a start time"):
        meeting.retime_item("opening", None, 15)


def test_a_prompt_from_the_floor(meeting):
    prompt = meeting.add_prompt("What about rural areas?", "coordination")
    session = meeting.programme.session("coordination")
    assert session.prompts[-1] == prompt and prompt.id == "what-about-rural-areas"
    meeting.go_to("coordination", prompt.id)
    answer = meeting.capture("Chad", "Mobile teams")
    assert answer.prompt_id == prompt.id


def test_every_agenda_change_is_undone_by_u(meeting):
    before = meeting.programme
    meeting.add_item("Extra", after="opening", duration=10)
    meeting.drop_item("lunch")
    meeting.retime_item("monitoring", dt.time(15, 30), None)
    assert meeting.undo() == "retimed “Monitoring the Implementation of National Plans”: 15:30"
    assert meeting.undo() == "dropped “Break for lunch and side events”"
    assert meeting.undo() == "added “Extra”"
    assert meeting.programme == before


def test_changes_round_trip_through_run_toml(programme_2012, tmp_path):
    clock = FakeClock(at("11:00"))
    rehearsal = Rehearsal(at("09:55"), 30.0, dt.datetime(2026, 12, 2, 12, 0))
    meeting = Meeting(programme_2012, empty_notes(programme_2012.id), clock, rehearsal=rehearsal)
    meeting.add_item("Questions from the floor", after="coordination", duration=20)
    meeting.drop_item("monitoring")
    meeting.restore_item("monitoring")
    meeting.move_item("monitoring-exercise", "lunch")
    meeting.retime_item("lunch", dt.time(13, 15), 75)
    meeting.add_prompt('A "quoted" question from the floor?', "coordination")
    meeting.go_to("coordination")
    meeting.start_item()
    NotesFolder(tmp_path, programme_2012.id).save(meeting.notes)
    back = load_notes(tmp_path, programme_2012.id).run
    assert back == meeting.notes.run
    assert back.changes == meeting.notes.run.changes and back.rehearsal == rehearsal
    assert agenda.as_run(programme_2012, back.changes).programme == meeting.programme


def test_a_hand_edited_change_is_refused_with_its_line(programme_2012, tmp_path):
    from facilitator.store import StoreError

    (tmp_path / "run.toml").write_text(
        f'schema = 1\nprogramme = "{programme_2012.id}"\n\n[[agenda]]\nchange = "grow"\nitem = "x"\n'
        'made_at = 2012-05-22T10:00:00\nstart = "25:00"\n',
        encoding="utf-8",
    )
    with pytest.raises(StoreError) as caught:
        load_notes(tmp_path, programme_2012.id)
    messages = {(p.path, p.line) for p in caught.value.problems}
    assert ("agenda[0].change", 5) in messages and ("agenda[0].start", 8) in messages


def test_new_ids_are_valid_file_names_and_never_run():
    assert agenda.new_id("Run", []) == "run-2"
    assert agenda.new_id("Écoute des survivants !", []) == "ecoute-des-survivants"
    assert agenda.new_id("اليمن", []) == "item"
    assert agenda.new_id("x" * 200, []).startswith("x") and len(agenda.new_id("x" * 200, [])) <= 64


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Questions from the floor, 20 min", ("Questions from the floor", 20)), ("Coffee 15", ("Coffee", 15)),
     ("A title alone", ("A title alone", None))],
)
def test_parse_new_item(typed, expected):
    assert parse_new_item(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("15:30 45", (dt.time(15, 30), 45)), ("15:30", (dt.time(15, 30), None)), ("45", (None, 45)),
     ("", (None, None)), ("9h05, 20 min", (dt.time(9, 5), 20))],
)
def test_parse_timing(typed, expected):
    assert parse_timing(typed) == expected


def test_parse_timing_refuses_what_is_not_a_time():
    with pytest.raises(NotesError):
        parse_timing("25:00 10")
    with pytest.raises(NotesError):
        parse_timing("soon")


def test_an_unknown_change_kind_is_refused(programme_2012):
    with pytest.raises(NotesError, match="unknown agenda change"):
        agenda.as_run(programme_2012, (AgendaChange("grow", "lunch", at("10:00")),))
