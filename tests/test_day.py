"""The day as it really runs (issue 12): the running item drives the clock, the agenda changes on the
day, rehearsals are kept apart, programmes of several days.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pty_app import ENTER, ESC, PtyApp

from facilitator.bundled import find
from facilitator.clock import FakeClock
from facilitator.exporters import export, export_summary
from facilitator.meeting import Meeting
from facilitator.notes import Notes, Rehearsal, RunState, Timing
from facilitator.present import RunFollower, projector_view
from facilitator.programme import load_programme
from facilitator.store import NotesFolder, load_notes
from facilitator.summary import summarize
from facilitator.tui.app import make_app
from facilitator.tui.screens.agenda import AgendaScreen
from facilitator.tui.screens.dialogs import TextDialog
from facilitator.tui.widgets.status_bar import StatusBar

DAY = dt.date(2012, 5, 22)
TWO_DAYS = load_programme(find("two-day-expert-meeting"))


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes))


def top_line(app) -> str:
    bar = app.screen.query_one(StatusBar)
    return f"{bar.where} | {bar.summary}"


async def test_a_day_played_through_the_keys(programme_2012, tmp_path):
    """Start, look around, overrun, change the agenda, end the day: the notes and the exports tell it."""
    clock = FakeClock(at("09:58"))
    folder = NotesFolder(tmp_path / "notes", programme_2012.id)
    folder.lock()
    meeting = Meeting(programme_2012, folder.load(), clock)
    app = make_app(meeting, folder, retry_seconds=0.05)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("escape")
        clock.set(at("10:00"))
        await pilot.press("s")  # the opening starts
        clock.set(at("10:16"))
        await pilot.press("n", "s")  # the coordination starts: the opening ends at the same minute
        assert meeting.notes.run.timing("opening") == Timing(at("10:00"), at("10:16"))
        assert meeting.running.id == "coordination"
        await pilot.press("a", "shift+tab", *"Camb", "tab", *"No focal point", "enter", "escape")

        # Reading ahead changes no figure, and the top line says what is on screen and what runs.
        clock.set(at("10:40"))
        app.screen.tick()
        before, line = meeting.projection(), top_line(app)
        for _ in range(4):
            await pilot.press("n")
            app.screen.tick()
            assert meeting.projection() == before
            assert top_line(app).startswith("viewing ") and "▶ Coordination in the Implementation" in top_line(app)
            assert top_line(app).endswith(line.split(" | ")[1])
        await pilot.press("w")  # back to the item running
        assert meeting.session.id == "coordination" and top_line(app) == line

        # The coordination overruns: the top line says how late, the countdown how much over.
        clock.set(at("13:10"))
        app.screen.tick()
        assert "overrun 9:00" in top_line(app) and "running 10 min late" in top_line(app)  # started 10:16

        # The agenda on the day: a question time inserted, the exercise dropped, lunch moved, a prompt added.
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"Questions from the floor, 20", "enter")
        await pilot.pause()
        assert "questions-from-the-floor" in [s.id for s in meeting.programme.sessions]
        select(app, "monitoring-exercise")
        await pilot.press("d")
        select(app, "questions-from-the-floor")
        await pilot.press("J")  # after lunch
        select(app, "monitoring")
        await pilot.press("q")
        await pilot.pause()
        await pilot.press(*"What does the floor propose?", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        ids = [s.id for s in meeting.programme.sessions]
        assert ids == ["opening", "coordination", "lunch", "questions-from-the-floor", "monitoring", "end"]
        assert meeting.programme.session("monitoring").prompts[-1].text == "What does the floor propose?"

        # Lunch, the questions, the monitoring (an answer to the new prompt), the end of the day.
        for clock_at, item in (("13:12", "lunch"), ("14:55", "questions-from-the-floor"), ("15:20", "monitoring")):
            clock.set(at(clock_at))
            await pilot.press("escape")
            meeting.go_to(item)
            await pilot.press("s")
        meeting.go_to("monitoring", meeting.programme.session("monitoring").prompts[-1].id)
        await pilot.press("a", "shift+tab", *"Peru", "tab", *"A survivors' network", "enter", "escape")
        clock.set(at("17:55"))
        await pilot.press("n", "s")
        clock.set(at("18:00"))
        await pilot.press("x")
        assert meeting.running is None
        # The review and an export from the app read the day as run (the changes applied once).
        await pilot.press("f2")
        await pilot.pause()
        assert "Questions from the floor" in app.screen.summary.item("questions-from-the-floor").title
        await pilot.press("escape")
        app.export("md")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.last_export is not None:
                break
        assert "added on the day (13:10)" in app.last_export.read_text(encoding="utf-8")
    folder.unlock()

    notes = load_notes(tmp_path / "notes", programme_2012.id)
    run = notes.run
    assert run.timing("coordination") == Timing(at("10:16"), at("13:12"))
    assert run.timing("lunch") == Timing(at("13:12"), at("14:55"))
    assert run.timing("end") == Timing(at("17:55"), at("18:00"))
    assert [c.kind for c in run.changes] == ["add", "drop", "move", "prompt"]

    # Exports and the summary show the day as run against the plan.
    summary = summarize(programme_2012, notes)
    notes_by_id = {i.id: i for i in summary.items}
    assert notes_by_id["questions-from-the-floor"].added
    assert notes_by_id["monitoring-exercise"].dropped and notes_by_id["monitoring-exercise"].number == 0
    markdown = export(programme_2012, notes, "md")
    assert "Questions from the floor" in markdown and "**On the day:** added on the day (13:10)" in markdown
    assert "(dropped on the day)" in markdown and "moved (13:10)" in markdown
    assert "prompt added on the day (13:10)" in markdown
    data = json.loads(export(programme_2012, notes, "json"))
    agenda = {i["id"]: i["agenda"] for i in data["items"]}
    assert agenda["questions-from-the-floor"]["added"] and agenda["monitoring-exercise"]["dropped"]
    assert data["run"]["current_item"] == ""  # the day is over: nothing runs
    peru = [a for i in data["items"] for p in i["prompts"] for a in p["answers"] if a["group"] == "Peru"]
    assert peru[0]["text"] == "A survivors' network"


def select(app, session_id: str) -> None:
    """Highlight an item in the agenda editor (as ↑↓ would)."""
    items = app.screen.items
    ids = [o.id for o in items._options]
    items.highlighted = next(i for i, o in enumerate(ids) if o and o[2:] == session_id)


# ----------------------------------------------------------------- rehearsals


def test_a_rehearsal_of_day_two_writes_only_its_own_folder_and_present_shows_its_time(tmp_path):
    """`facilitator run --clock 2012-12-06T09:55 --speed 60` without --notes: a folder of its own."""
    app = PtyApp(["two-day-expert-meeting", "--clock", "2012-12-06T09:55", "--speed", "60"], cwd=tmp_path)
    try:
        app.wait_started()
        shown = app.wait_for(lambda s: "REHEARSAL ×60" in s, what="the rehearsal mark")
        assert re.search(r" (09:5\d|10:\d\d):", shown.splitlines()[0])  # the rehearsal's clock
        assert "What we heard on day 1" in shown  # a new run starts on the first item of the clock's day
        app.type(ESC, "s")  # it starts at the rehearsal's time
        app.wait_for(lambda s: "▶ What we heard on day 1" in s, what="the recap running")
        time.sleep(0.5)
    finally:
        status = app.quit()
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["two-day-expert-meeting-rehearsal"]
    folder = tmp_path / "notes" / "two-day-expert-meeting-rehearsal"
    run = load_notes(folder, TWO_DAYS.id).run
    assert run.rehearsal is not None and run.rehearsal.speed == 60
    assert run.rehearsal.clock_start == dt.datetime(2012, 12, 6, 9, 55)
    started = run.timing("recap").started_at
    assert started is not None and started.date() == dt.date(2012, 12, 6)  # on day 2, by the rehearsal clock

    # `present` on that folder follows the rehearsal's clock, not this machine's.
    class Wall:
        def now(self) -> dt.datetime:
            return run.rehearsal.wall_start + dt.timedelta(minutes=1)

    follower = RunFollower(folder, TWO_DAYS, Wall())
    follower.poll()
    view = follower.view()
    assert view.clock == "10:55"  # 09:55 + 1 wall minute × 60
    assert view.rehearsal == "REHEARSAL ×60" and view.title == "What we heard on day 1"


def test_a_live_run_on_a_rehearsal_folder_asks_first(tmp_path):
    folder = tmp_path / "notes" / "two-day-expert-meeting"
    rehearsal = Rehearsal(at("09:55", dt.date(2012, 12, 6)), 60.0, dt.datetime(2026, 12, 2, 9, 0))
    NotesFolder(folder, TWO_DAYS.id).save(Notes(RunState(TWO_DAYS.id, "recap", rehearsal=rehearsal)))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # Nobody to ask (no terminal): refused, one line, nothing changed.
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "run", "two-day-expert-meeting"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"facilitator: {Path('notes/two-day-expert-meeting')}: holds a rehearsal: give the live run its own "
        "--notes folder, or answer y to run live in it"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # In a terminal: asked; "y" runs live in it, and the folder is no longer marked a rehearsal.
    app = PtyApp(["two-day-expert-meeting"], cwd=tmp_path)
    try:
        app.wait_for(lambda s: "holds a rehearsal: run live in it" in s and "[y/N]" in s, what="the question")
        app.type("y" + ENTER)
        app.wait_started()
        assert "REHEARSAL" not in app.text().splitlines()[0]
        deadline = time.monotonic() + 20
        while load_notes(folder, TWO_DAYS.id).run.rehearsal is not None:  # the folder is saved as live
            assert time.monotonic() < deadline, "the folder stayed marked as a rehearsal"
            time.sleep(0.05)
    finally:
        assert app.quit() == 0


# ----------------------------------------------------------------- several days


def two_days_run() -> Notes:
    """Day 1 run on its own dates (late), day 2 rehearsed on another date (early)."""
    day1, day2 = dt.date(2012, 12, 5), dt.date(2026, 12, 1)
    timings = {
        "opening": Timing(at("09:05", day1), at("09:40", day1)),
        "stock-taking": Timing(at("09:40", day1), at("12:45", day1)),
        "recap": Timing(at("08:55", day2), at("09:20", day2)),
    }
    notes = Notes(RunState(TWO_DAYS.id, "recap", timings=timings))
    meeting = Meeting(TWO_DAYS, notes, FakeClock(at("10:00", day2)))
    meeting.go_to("stock-taking")
    meeting.capture("Yémen", "Hospital records only")
    return meeting.notes


def test_exports_of_two_days_label_each_day_and_keep_the_programmes_dates():
    notes = two_days_run()
    markdown = export(TWO_DAYS, notes, "md")
    assert "## Day 1 — Wednesday 5 December 2012" in markdown
    assert "## Day 2 — Thursday 6 December 2012" in markdown
    assert markdown.index("Day 2 — Thursday") > markdown.index("End of day 1")
    summary = export_summary(TWO_DAYS, notes, "md")
    assert "day 1 (5 Dec) ran 15 min late so far, day 2 (6 Dec) ran 10 min early so far." in summary
    assert "Thu 6 Dec 09:00–09:30" in summary  # the time table says which day
    html = export(TWO_DAYS, notes, "html")
    assert '<h2 class="day">Day 2 — Thursday 6 December 2012</h2>' in html

    data = json.loads(export(TWO_DAYS, notes, "json"))
    items = {i["id"]: i for i in data["items"]}
    # Planned times always on the programme's dates; actual times when things happened.
    assert items["recap"]["planned_start"] == "2012-12-06T09:00:00"
    assert items["recap"]["actual_start"] == "2026-12-01T08:55:00"
    assert items["recap"]["start_delay_minutes"] == -5
    assert items["opening"]["planned_start"] == "2012-12-05T09:00:00"
    assert [d["date"] for d in data["run"]["days"]] == ["2012-12-05", "2012-12-06"]
    assert [d["delay_minutes"] for d in data["run"]["days"]] == [15, -10]
    yemen = [a for i in data["items"] for p in i["prompts"] for a in p["answers"]]
    assert yemen[0]["counted_as"] == "Yemen"  # another name of the programme's group


def test_the_projection_of_day_two_is_on_day_two():
    """Rehearsing day 2 on another date: the clock is placed on the running item's day."""
    notes = two_days_run()
    meeting = Meeting(TWO_DAYS, notes, FakeClock(at("09:10", dt.date(2026, 12, 1))))
    meeting.go_to("recap")
    meeting.start_item()
    projection = meeting.projection()
    assert projection.slot("recap").status == "now"
    assert projection.day_end_planned == at("16:30", dt.date(2012, 12, 6))
    view = projector_view(meeting)
    assert view.title == "What we heard on day 1" and re.fullmatch(r"\d+:\d\d", view.countdown)


@pytest.mark.parametrize("speed", ["0", "-1", "5000", "x"])
def test_a_wrong_speed_says_the_bounds(speed, capsys):
    from facilitator.cli import main

    with pytest.raises(SystemExit):
        main(["run", "--speed", speed])
    assert "give a number more than 0 and at most 3600" in capsys.readouterr().err
