"""What the keys do, tested on `Meeting` without a terminal."""

from __future__ import annotations

import datetime as dt

import pytest

from facilitator.clock import FakeClock, RehearsalClock
from facilitator.meeting import Meeting, on_programme_days
from facilitator.notes import NotesError, RunState, Timing, empty_notes


@pytest.fixture
def meeting(programme_2012, clock) -> Meeting:
    return Meeting(programme_2012, empty_notes(programme_2012.id), clock)


def test_starts_on_the_first_item(meeting):
    assert meeting.session.id == "opening"
    assert meeting.prompt is None and meeting.prompt_id == ""


def test_next_and_previous_item_stop_at_the_ends(meeting, programme_2012):
    meeting.previous_item()
    assert meeting.session.id == "opening"
    for _ in range(len(programme_2012.sessions) + 3):
        meeting.next_item()
    assert meeting.session.id == "end"
    meeting.previous_item()
    assert meeting.session.id == "monitoring-exercise"
    assert meeting.prompt_id == "indicators"


def test_prompts_step_within_the_item(meeting):
    meeting.go_to("coordination")
    assert meeting.prompt_id == "challenges"
    for _ in range(10):
        meeting.next_prompt()
    assert meeting.prompt_id == "survivor-involvement"
    meeting.previous_prompt()
    assert meeting.prompt_id == "national-ownership"
    meeting.go_to("monitoring", "measurement")
    assert meeting.prompt_id == "measurement"
    meeting.go_to("monitoring", "no-such-prompt")
    assert meeting.prompt_id == "monitoring-challenges"
    with pytest.raises(NotesError):
        meeting.go_to("no-such-item")


def test_capture_edit_move_delete_and_undo(meeting, clock):
    meeting.go_to("coordination")
    first = meeting.capture("  Cambodia ", "  No single focal point \n")
    assert (first.group, first.text, first.prompt_id) == ("Cambodia", "No single focal point", "challenges")
    assert first.captured_at == clock.now()
    second = meeting.capture("Peru", "Budgets do not follow the plan")

    clock.advance(minutes=3)
    meeting.edit(first.id, "No single focal point for disability")
    edited = meeting.item.answer(first.id)
    assert edited.text == "No single focal point for disability" and edited.edited_at == clock.now()

    meeting.move_to_group(second.id, "Colombia")
    meeting.move_to_prompt(second.id, "improve-coordination")
    moved = meeting.item.answer(second.id)
    assert (moved.group, moved.prompt_id) == ("Colombia", "improve-coordination")
    with pytest.raises(NotesError):
        meeting.move_to_prompt(second.id, "measurement")  # a prompt of another item

    meeting.delete(first.id)
    assert meeting.item.answer(first.id) is None
    # Each change says what it did, in words the notice and "Undone: …" quote.
    assert meeting.undo() == "deleted Cambodia's answer"
    assert meeting.item.answer(first.id).text == "No single focal point for disability"
    assert meeting.undo() == "moved Colombia's answer to prompt 3"
    assert meeting.item.answer(second.id).prompt_id == "challenges"
    assert meeting.undo() == "gave Peru's answer to Colombia"
    assert meeting.undo() == "edited Cambodia's answer"
    assert meeting.item.answer(first.id).text == "No single focal point"
    assert meeting.undo() == "captured Peru's answer"
    assert meeting.item.answer(second.id) is None
    assert meeting.undo() == "captured Cambodia's answer"
    assert meeting.undo() is None


def test_undo_takes_back_the_last_change_never_the_position_on_screen(meeting):
    meeting.go_to("coordination")
    answer = meeting.capture("Chad", "Point")
    meeting.start_item()
    meeting.next_item()
    assert meeting.undo() == "started “Coordination in the Implementation of National Plans” at 10:14"
    assert meeting.session.id == "lunch"  # still where the rapporteur is
    assert meeting.notes.run.timing("coordination").started_at is None
    assert meeting.notes.find(answer.id) is not None
    assert meeting.undo() == "captured Chad's answer"
    assert meeting.session.id == "lunch"
    assert meeting.notes.find(answer.id) is None


def test_refused_input_changes_nothing(meeting):
    meeting.go_to("coordination")
    before = meeting.notes
    for group, text in [("", "text"), ("   ", "text"), ("Chad", ""), ("Chad", " \n\t ")]:
        with pytest.raises(NotesError):
            meeting.capture(group, text)
    assert meeting.notes is before and not meeting.can_undo


def test_editing_to_the_same_text_is_not_a_change(meeting):
    meeting.go_to("coordination")
    answer = meeting.capture("Chad", "Point")
    notes = meeting.notes
    meeting.edit(answer.id, "Point ")
    assert meeting.notes is notes


def test_group_suggestions_programme_then_used(meeting, programme_2012):
    meeting.go_to("coordination")
    meeting.capture("Breakout B", "x")
    meeting.capture("cambodia", "y")  # same as a programme group, different case: not repeated
    groups = meeting.groups()
    assert groups[: len(programme_2012.groups)] == list(programme_2012.groups)
    assert groups[len(programme_2012.groups):] == ["Breakout B"]


def test_start_and_end_record_the_clock(meeting, clock):
    meeting.go_to("coordination")
    meeting.start_item()
    clock.advance(minutes=50)
    meeting.end_item()
    timing = meeting.notes.run.timing("coordination")
    assert timing.started_at == dt.datetime(2012, 5, 22, 10, 14)
    assert timing.ended_at == dt.datetime(2012, 5, 22, 11, 4)


def test_rehearsal_on_another_day_projects_against_the_programme_day(programme_2012):
    # Rehearsing the 2012 programme on 29 November 2026: only the time of day counts.
    run = RunState(
        programme_2012.id,
        "coordination",
        "challenges",
        {"coordination": Timing(dt.datetime(2026, 11, 29, 10, 15))},
    )
    mapped, now = on_programme_days(programme_2012, run, dt.datetime(2026, 11, 29, 13, 20))
    assert now == dt.datetime(2012, 5, 22, 13, 20)
    assert mapped.timing("coordination").started_at == dt.datetime(2012, 5, 22, 10, 15)
    clock = FakeClock(dt.datetime(2026, 11, 29, 13, 20))
    from facilitator.notes import Notes

    meeting = Meeting(programme_2012, Notes(run), clock)
    assert meeting.projection().delay_minutes == 20
    assert "20 min late" in meeting.projection().summary()


def test_rehearsal_clock_runs_faster():
    ticks = iter([100.0, 100.0, 130.0])
    clock = RehearsalClock(dt.datetime(2026, 11, 29, 9, 55), speed=30, monotonic=lambda: next(ticks))
    assert clock.now() == dt.datetime(2026, 11, 29, 9, 55)
    assert clock.now() == dt.datetime(2026, 11, 29, 10, 10)  # 30 s real = 15 min


@pytest.mark.parametrize(
    "text",
    [
        'She said "no plan" and \'no budget\'',
        'Triple """ quotes and \'\'\' too',
        "Back\\slash \\n not a newline",
        "Line one\nLine two\n\tindented",
        "Emoji 🦿♿️👩🏽‍🦽 ok",
        "لا توجد خطة وطنية للإعاقة",
        "ផែនការជាតិសម្រាប់ជនពិការ",
        "Mixed עברית and English, ελληνικά",
    ],
)
def test_odd_text_round_trips_through_the_notes_folder(programme_2012, clock, tmp_path, text):
    from facilitator.store import NotesFolder, load_notes

    meeting = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    meeting.go_to("coordination")
    answer = meeting.capture("Côte d'Ivoire \"delegation\"", text)
    NotesFolder(tmp_path, programme_2012.id).save(meeting.notes)
    loaded = load_notes(tmp_path, programme_2012.id)
    assert loaded.find(answer.id)[1] == answer
