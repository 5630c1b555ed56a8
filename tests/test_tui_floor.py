"""The floor from the keyboard (Pilot, fake clock): a roll call, a speakers' list, five interventions.

The run the issue asks for: a roll call of six delegations (one more is not
there), four ask for the floor, each speaks with two or three answers typed
without naming the group, one overruns and is extended, one speaks twice.
The notes folder must hold the interventions and their answers, and the
summary's speaking times and attendance must be what `tests/data/floor/
expected.toml` says, counted by hand from the script below. The keys are
counted as they are pressed: the next speaker is one key, an answer for the
speaker on the floor is its text and Enter.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import empty_notes
from facilitator.programme import load_programme
from facilitator.store import NotesFolder, load_notes
from facilitator.summary import summarize
from facilitator.tui.app import make_app
from facilitator.tui.screens.roll_call import RollCallScreen
from facilitator.tui.screens.run import RunScreen
from facilitator.tui.screens.speakers import SpeakersScreen
from facilitator.tui.widgets.floor_strip import FloorStrip

DATA = Path(__file__).parent / "data" / "floor"
PROGRAMME = load_programme(DATA / "programme.toml")
EXPECTED = tomllib.loads((DATA / "expected.toml").read_text(encoding="utf-8"))


class Keys:
    """Presses keys on the app and counts them."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            self.count += 1

    async def type(self, text: str) -> None:
        await self.press(*("space" if c == " " else c for c in text))


async def say(keys: Keys, text: str) -> int:
    """Type an answer for whoever has the floor: its text and Enter. Returns the keys it took."""
    before = keys.count
    await keys.type(text)
    await keys.press("enter")
    return keys.count - before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
async def test_a_morning_of_interventions_from_the_keyboard(tmp_path, size):
    clock = FakeClock(dt.datetime(2012, 5, 22, 9, 55))
    meeting = Meeting(PROGRAMME, empty_notes(PROGRAMME.id), clock)
    folder = tmp_path / "notes"
    app = make_app(meeting, NotesFolder(folder, PROGRAMME.id))
    async with app.run_test(size=size) as pilot:
        keys = Keys(pilot)
        await pilot.pause()
        # The roll call, before the item starts: one key per delegation, in the programme's order.
        await keys.press("escape", "P")
        assert isinstance(app.screen, RollCallScreen)
        await keys.press("p", "p", "p", "p", "p", "a", "p")
        await keys.press("escape")
        assert isinstance(app.screen, RunScreen)
        clock.advance(minutes=5)
        await keys.press("s")  # 10:00: the item starts
        # Four delegations ask for the floor: a few letters each, Enter.
        await keys.press("f4")
        assert isinstance(app.screen, SpeakersScreen)
        for letters in ("per", "sen", "ivo", "camb"):
            await keys.type(letters)
            await keys.press("enter")
        assert meeting.speakers == ("Peru", "Senegal", "Côte d'Ivoire", "Cambodia")
        await keys.press("escape")
        await keys.press("a")  # back to the capture bar, its group field empty

        taken: list[int] = []  # keys per answer

        async def next_speaker(expected: str) -> None:
            before = keys.count
            await keys.press("f6")
            assert keys.count - before == 1 and meeting.floor.group == expected

        await next_speaker("Peru")
        assert app.screen.capture_bar.group_input.value == "Peru"
        taken += [await say(keys, "peru one"), await say(keys, "peru two")]
        clock.advance(minutes=1, seconds=30)

        await next_speaker("Senegal")
        taken += [await say(keys, t) for t in ("senegal one", "senegal two", "senegal three")]
        clock.advance(minutes=2, seconds=20)
        await pilot.pause(1.1)  # the strip ticks: Senegal is over its two minutes
        strip = app.screen.query_one(FloorStrip)
        assert strip.timer.state == "overrun" and strip.timer.label() == "over by 0:20"
        await keys.press("f7")
        assert meeting.speaking().label() == "0:40 left"
        clock.advance(seconds=30)

        await next_speaker("Côte d'Ivoire")
        taken += [await say(keys, "ivory one"), await say(keys, "ivory two")]
        await keys.press("f4")  # Peru asks again, from the speakers' list
        await keys.type("per")
        await keys.press("enter", "escape")
        assert meeting.speakers == ("Cambodia", "Peru")
        clock.advance(minutes=2)

        await next_speaker("Cambodia")
        taken += [await say(keys, "cambodia one")]
        # A remark from elsewhere in the room: the group is typed for this one answer only.
        await keys.press("shift+tab")
        await keys.type("uga")
        await keys.press("tab")
        await keys.type("uganda remark")
        await keys.press("enter")
        taken += [await say(keys, "cambodia two")]
        clock.advance(minutes=2, seconds=30)

        await next_speaker("Peru")
        taken += [await say(keys, "peru three"), await say(keys, "peru four")]
        clock.advance(minutes=1)
        await keys.press("f8")
        assert meeting.floor is None
        await pilot.pause()
    # An answer for the speaker on the floor: its text and Enter, nothing more.
    texts = ["peru one", "peru two", "senegal one", "senegal two", "senegal three", "ivory one", "ivory two",
             "cambodia one", "cambodia two", "peru three", "peru four"]
    assert taken == [len(t) + 1 for t in texts]

    notes = load_notes(folder)  # what is on disk
    item = notes.item("coordination")
    by_text = {a.text: a for a in item.answers}
    spoke = {s.id: s for s in item.interventions}
    for text in texts:
        answer = by_text[text]
        assert spoke[answer.intervention].group == answer.group  # each answer in its speaker's intervention
    assert by_text["uganda remark"].group == "Uganda" and by_text["uganda remark"].intervention == ""
    assert by_text["cambodia two"].group == "Cambodia"

    summary = summarize(PROGRAMME, notes)
    found = summary.item("coordination")
    assert [
        {"group": s.group, "started": f"{s.started_at:%H:%M:%S}", "ended": f"{s.ended_at:%H:%M:%S}",
         "seconds": s.seconds, "allowed": s.allowed, "extended": s.extended, "overran": s.overran,
         "answers": list(s.answer_numbers)}
        for s in found.interventions
    ] == EXPECTED["interventions"]
    assert [
        {"group": t.group, "seconds": t.seconds, "interventions": t.interventions, "longest": t.longest,
         "overruns": t.overruns}
        for t in summary.speaking
    ] == EXPECTED["speaking"]
    attendance = EXPECTED["attendance"]
    for got in (found.attendance, summary.days[0].attendance):
        assert list(got.present_spoke) == attendance["present_spoke"]
        assert list(got.present_silent) == attendance["present_silent"]
        assert list(got.absent) == attendance["absent"]


async def test_the_speakers_list_inserts_moves_removes_and_gives_the_floor(tmp_path):
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 0))
    meeting = Meeting(PROGRAMME, empty_notes(PROGRAMME.id), clock)
    meeting.start_item()
    app = make_app(meeting, NotesFolder(tmp_path / "notes", PROGRAMME.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        for letters in ("per", "sen", "camb"):
            for c in letters:
                await pilot.press(c)
            await pilot.press("enter")
        assert meeting.speakers == ("Peru", "Senegal", "Cambodia")
        await pilot.press("down")  # from the field to the list: Cambodia, the last put on it, highlighted
        await pilot.press("up", "i")  # insert before Senegal
        for c in "اليمن":
            await pilot.press(c)
        await pilot.press("enter")
        assert meeting.speakers == ("Peru", "Yemen", "Senegal", "Cambodia")  # its other name: Yemen
        await pilot.press("escape", "down")  # out of insert mode, to the list (Yemen highlighted)
        await pilot.press("shift+down")
        assert meeting.speakers == ("Peru", "Senegal", "Yemen", "Cambodia")
        await pilot.press("d")  # Yemen taken off (the highlight followed it)
        assert meeting.speakers == ("Peru", "Senegal", "Cambodia")
        await pilot.press("u")
        assert meeting.speakers == ("Peru", "Senegal", "Yemen", "Cambodia")
        await pilot.press("enter")  # Yemen takes the floor, out of turn
        assert meeting.floor.group == "Yemen" and meeting.speakers == ("Peru", "Senegal", "Cambodia")
        await pilot.press("f6")
        assert meeting.floor.group == "Peru"
        await pilot.press("escape")
        assert isinstance(app.screen, RunScreen)
        assert app.screen.capture_bar.group_input.value == "Peru"


async def test_a_floor_kept_in_the_notes_is_the_capture_bar_s_group_after_a_restart(tmp_path):
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 0))
    meeting = Meeting(PROGRAMME, empty_notes(PROGRAMME.id), clock)
    meeting.start_item()
    meeting.give_floor("Senegal")
    folder = tmp_path / "notes"
    NotesFolder(folder, PROGRAMME.id).save(meeting.notes)
    restarted = Meeting(PROGRAMME, load_notes(folder), clock)
    app = make_app(restarted, NotesFolder(folder, PROGRAMME.id))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.capture_bar
        assert bar.group_input.value == "Senegal" and app.focused is bar.text_input
        for c in "still senegal":
            await pilot.press("space" if c == " " else c)
        await pilot.press("enter")
        await pilot.pause()
    (answer,) = load_notes(folder).item("coordination").answers
    assert answer.group == "Senegal" and answer.intervention == restarted.floor.intervention_id


async def test_the_roll_call_marks_a_late_arrival_typed_by_name(tmp_path):
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 0))
    meeting = Meeting(PROGRAMME, empty_notes(PROGRAMME.id), clock)
    meeting.start_item()
    app = make_app(meeting, NotesFolder(tmp_path / "notes", PROGRAMME.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "P", "p", "a")
        await pilot.press("plus")
        for c in "Holy See":
            await pilot.press("space" if c == " " else c)
        await pilot.press("enter")
        await pilot.press("u")  # undoes the last mark: the late arrival
        await pilot.press("plus")
        for c in "yem":
            await pilot.press(c)
        await pilot.press("enter")
    marks = [(m.group, m.present) for m in meeting.notes.run.attendance]
    assert marks == [("Cambodia", True), ("Colombia", False), ("Yemen", True)]
