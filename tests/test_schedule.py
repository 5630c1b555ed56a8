"""Planned times, projection, delay and countdown, on a fake clock (plain datetimes)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from facilitator.notes import RunState, Timing
from facilitator.programme import Programme, load_programme, parse_programme
from facilitator.schedule import Projection, Slot, Timebox, plan, project, timebox

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "exercises" / "parallel-programme-2012-05-22.toml"
DAY = dt.date(2012, 5, 22)


@pytest.fixture(scope="module")
def p2012() -> Programme:
    return load_programme(BUNDLED)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    """A datetime on the programme's day: at("13:20"), at("13:03:10")."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm))


def run(current: str = "", day: dt.date = DAY, **timings: tuple[str | None, str | None]) -> RunState:
    """A run state: run("coordination", opening=("10:00", "10:15"), coordination=("10:15", None))."""
    recorded = {
        sid: Timing(at(start, day) if start else None, at(end, day) if end else None)
        for sid, (start, end) in timings.items()
    }
    return RunState("test", session_id=current, timings=MappingProxyType(recorded))


def programme(*items: dict[str, Any], dates: tuple[str, ...] = ("2024-03-04",)) -> Programme:
    data: dict[str, Any] = {"schema": 1, "id": "test", "title": "Test", "sessions": [dict(i) for i in items]}
    for item in data["sessions"]:
        item.setdefault("title", item["id"].title())
        item.setdefault("kind", "discussion")
    if len(dates) == 1:
        data["date"] = dates[0]
    else:
        data["dates"] = list(dates)
    return parse_programme(data)


def times(slot: Slot, which: str = "projected") -> tuple[str, str]:
    start, end = getattr(slot, f"{which}_start"), getattr(slot, f"{which}_end")
    return f"{start:%H:%M}", f"{end:%H:%M}"


# ------------------------------------------------------------------ plan


def test_2012_planned_times(p2012: Programme) -> None:
    slots = {s.session_id: s for s in plan(p2012)}
    assert [s.session_id for s in plan(p2012)] == [s.id for s in p2012.sessions]
    assert times(slots["opening"], "planned") == ("10:00", "10:15")
    assert times(slots["coordination"], "planned") == ("10:15", "13:00")
    assert times(slots["lunch"], "planned") == ("13:00", "15:00")
    # monitoring and the exercise (no start, no duration) share 15:00-18:00
    assert times(slots["monitoring"], "planned") == ("15:00", "16:30")
    assert times(slots["monitoring-exercise"], "planned") == ("16:30", "18:00")
    assert times(slots["end"], "planned") == ("18:00", "18:00")
    assert slots["end"].planned_minutes == 0
    assert slots["coordination"].planned_minutes == 165
    assert [s.fixed for s in slots.values()] == [True, True, True, True, False, True]
    for slot in slots.values():
        assert slot.planned_start.date() == DAY
        assert slot.day == 0
        assert (slot.projected_start, slot.projected_end) == (slot.planned_start, slot.planned_end)
        assert slot.status == "later"
        assert slot.actual_start is None and slot.actual_end is None


def test_duration_wins_and_flexible_items_share_what_is_left() -> None:
    prog = programme(
        {"id": "a", "start": "10:00"},
        {"id": "b", "duration": 10},
        {"id": "c"},
        {"id": "d", "start": "11:00", "duration": 30},
    )
    slots = plan(prog)
    assert [times(s, "planned") for s in slots] == [
        ("10:00", "10:25"),
        ("10:25", "10:35"),
        ("10:35", "11:00"),
        ("11:00", "11:30"),
    ]


def test_uneven_share_is_rounded_to_whole_minutes_and_fills_the_gap() -> None:
    prog = programme({"id": "a", "start": "10:00"}, {"id": "b"}, {"id": "c"}, {"id": "d", "start": "10:10"})
    slots = plan(prog)
    assert [s.planned_minutes for s in slots[:3]] == [3, 4, 3]
    assert slots[2].planned_end == slots[3].planned_start


def test_duration_overlapping_next_fixed_start_is_kept() -> None:
    prog = programme({"id": "a", "start": "10:00", "duration": 30}, {"id": "b", "start": "10:15", "duration": 15})
    a, b = plan(prog)
    assert times(a, "planned") == ("10:00", "10:30")
    assert times(b, "planned") == ("10:15", "10:30")


def test_items_without_length_and_no_later_fixed_start_last_zero_minutes() -> None:
    prog = programme({"id": "a", "start": "10:00", "duration": 30}, {"id": "b"}, {"id": "c", "duration": 10})
    assert [times(s, "planned") for s in plan(prog)] == [("10:00", "10:30"), ("10:30", "10:30"), ("10:30", "10:40")]


# ------------------------------------------------------------- projection: 2012


def test_before_the_meeting_nothing_is_now_and_the_first_item_is_next(p2012: Programme) -> None:
    proj = project(p2012, run(), at("09:30"))
    assert [s.status for s in proj.slots] == ["next", "later", "later", "later", "later", "later"]
    assert all((s.projected_start, s.projected_end) == (s.planned_start, s.planned_end) for s in proj.slots)
    assert proj.delay_minutes == 0
    assert proj.summary() == "on time"
    assert proj.day_end_planned == proj.day_end_projected == at("18:00")


def test_late_before_the_first_item_starts(p2012: Programme) -> None:
    proj = project(p2012, run(), at("10:07"))
    assert proj.delay_minutes == 7
    assert times(proj.slot("opening")) == ("10:07", "10:22")  # keeps its 15 minutes
    assert times(proj.slot("coordination")) == ("10:22", "13:07")
    assert times(proj.slot("lunch")) == ("13:07", "15:00")  # lunch absorbs the 7 minutes
    assert proj.summary() == "running 7 min late · ends 18:00"


def test_coordination_overrun_is_absorbed_by_lunch(p2012: Programme) -> None:
    state = run("coordination", opening=("10:00", "10:15"), coordination=("10:15", None))
    proj = project(p2012, state, at("13:20"))
    assert proj.delay_minutes == 20
    assert [s.status for s in proj.slots] == ["done", "now", "next", "later", "later", "later"]
    assert times(proj.slot("coordination")) == ("10:15", "13:20")
    assert times(proj.slot("lunch")) == ("13:20", "15:00")
    assert times(proj.slot("monitoring")) == ("15:00", "16:30")
    assert times(proj.slot("monitoring-exercise")) == ("16:30", "18:00")
    assert proj.day_end_projected == proj.day_end_planned == at("18:00")
    assert proj.summary() == "running 20 min late · ends 18:00"


def test_running_item_is_late_as_soon_as_now_passes_its_planned_end(p2012: Programme) -> None:
    state = run("coordination", opening=("10:00", "10:15"), coordination=("10:15", None))
    assert project(p2012, state, at("12:59")).delay_minutes == 0
    assert project(p2012, state, at("13:00")).delay_minutes == 0
    assert project(p2012, state, at("13:01")).delay_minutes == 1


def test_thirty_minutes_late_morning_shortens_lunch(p2012: Programme) -> None:
    state = run("coordination", opening=("10:00", "10:15"), coordination=("10:15", None))
    proj = project(p2012, state, at("13:30"))
    assert times(proj.slot("lunch")) == ("13:30", "15:00")
    assert times(proj.slot("monitoring")) == ("15:00", "16:30")


def test_hundred_minute_overrun_leaves_lunch_half_and_pushes_the_afternoon(p2012: Programme) -> None:
    state = run("coordination", opening=("10:00", "10:15"), coordination=("10:15", None))
    proj = project(p2012, state, at("14:40"))
    assert proj.delay_minutes == 100
    assert times(proj.slot("lunch")) == ("14:40", "15:40")
    assert proj.slot("lunch").projected_minutes == 60
    assert times(proj.slot("monitoring")) == ("15:40", "17:10")
    assert times(proj.slot("monitoring-exercise")) == ("17:10", "18:40")
    assert times(proj.slot("end")) == ("18:40", "18:40")
    assert proj.day_end_projected == at("18:40")
    assert proj.summary() == "running 100 min late · ends 18:40"


def test_running_lunch_that_started_late_still_ends_as_planned(p2012: Programme) -> None:
    state = run("lunch", opening=("10:00", "10:15"), coordination=("10:15", "13:20"), lunch=("13:20", None))
    proj = project(p2012, state, at("13:30"))
    assert times(proj.slot("lunch")) == ("13:20", "15:00")
    assert proj.slot("lunch").status == "now"
    assert proj.slot("monitoring").status == "next"
    assert proj.delay_minutes == 0


def test_early_finish_does_not_pull_a_fixed_start_earlier(p2012: Programme) -> None:
    state = run("opening", opening=("10:00", "10:10"))
    proj = project(p2012, state, at("10:10"))
    assert proj.slot("opening").status == "done"
    assert times(proj.slot("opening")) == ("10:00", "10:10")  # a done item keeps its actual times
    assert proj.slot("opening").actual_end == at("10:10")
    assert proj.slot("coordination").status == "next"
    assert not any(s.status == "now" for s in proj.slots)
    assert times(proj.slot("coordination")) == ("10:15", "13:00")
    assert proj.delay_minutes == 0
    assert proj.summary() == "on time"


# ------------------------------------------------- projection: items without start


def _morning() -> Programme:
    return programme(
        {"id": "intro", "start": "10:00", "duration": 15},
        {"id": "talk", "duration": 45},
        {"id": "coffee", "start": "11:00", "duration": 20, "kind": "break"},
        {"id": "wrap", "duration": 30},
    )


def test_early_finish_moves_an_unfixed_item_earlier() -> None:
    day = dt.date(2024, 3, 4)
    prog = _morning()
    state = run("intro", day, intro=("10:00", "10:10"))
    proj = project(prog, state, at("10:10", day))
    assert proj.delay_minutes == -5
    assert times(proj.slot("talk")) == ("10:10", "10:55")
    assert times(proj.slot("coffee")) == ("11:00", "11:20")  # fixed: not pulled earlier
    assert times(proj.slot("wrap")) == ("11:20", "11:50")
    assert proj.summary() == "running 5 min early · ends 11:50"
    # two minutes later the next item has still not started: only 3 minutes early now
    assert project(prog, state, at("10:12", day)).delay_minutes == -3


def test_overrun_moves_an_unfixed_item_later_and_the_break_absorbs_it() -> None:
    day = dt.date(2024, 3, 4)
    prog = _morning()
    state = run("intro", day, intro=("10:00", None))
    proj = project(prog, state, at("10:20", day))
    assert proj.delay_minutes == 5
    assert times(proj.slot("talk")) == ("10:20", "11:05")
    assert times(proj.slot("coffee")) == ("11:05", "11:20")  # keeps 15 of its 20 minutes (>= half)
    assert times(proj.slot("wrap")) == ("11:20", "11:50")
    assert proj.summary() == "running 5 min late · ends 11:50"


def test_overlap_in_the_plan_is_reported_as_late() -> None:
    day = dt.date(2024, 3, 4)
    prog = programme({"id": "a", "start": "10:00", "duration": 30}, {"id": "b", "start": "10:15", "duration": 15})
    proj = project(prog, run("a", day, a=("10:00", None)), at("10:05", day))
    assert times(proj.slot("b")) == ("10:30", "10:45")
    assert proj.delay_minutes == 15


def test_current_item_without_session_id_is_the_running_one() -> None:
    day = dt.date(2024, 3, 4)
    proj = project(_morning(), run("", day, intro=("10:00", None)), at("10:05", day))
    assert [s.status for s in proj.slots] == ["now", "next", "later", "later"]


def test_skipped_item_keeps_its_planned_times_and_does_not_push() -> None:
    day = dt.date(2024, 3, 4)
    state = run("", day, intro=("10:00", "10:15"), coffee=("10:16", None))  # the talk is skipped: coffee early
    proj = project(_morning(), state, at("10:20", day))
    assert proj.slot("talk").status == "later"
    assert times(proj.slot("talk")) == ("10:15", "11:00")
    assert proj.slot("coffee").status == "now"
    assert times(proj.slot("coffee")) == ("10:16", "11:20")


@pytest.mark.parametrize("on_screen", ["", "intro", "talk", "coffee", "wrap"])
def test_the_item_on_screen_changes_no_figure(on_screen: str) -> None:
    """Reading the afternoon's questions ahead (or the morning's back) is not running them."""
    day = dt.date(2024, 3, 4)
    running = run("", day, intro=("10:00", "10:17"), talk=("10:17", None))
    viewed = run(on_screen, day, intro=("10:00", "10:17"), talk=("10:17", None))
    for now in ("10:30", "11:10"):
        assert project(_morning(), viewed, at(now, day)) == project(_morning(), running, at(now, day))


def test_delay_when_everything_is_done_is_how_the_day_ended() -> None:
    day = dt.date(2024, 3, 4)
    state = run(
        "wrap",
        day,
        intro=("10:00", "10:15"),
        talk=("10:15", "11:00"),
        coffee=("11:00", "11:20"),
        wrap=("11:20", "11:58"),
    )
    proj = project(_morning(), state, at("12:00", day))
    assert all(s.status == "done" for s in proj.slots)
    assert proj.delay_minutes == 8
    assert proj.day_end_projected == at("11:58", day)


# ---------------------------------------------------------------- two days


def _two_days() -> Programme:
    return programme(
        {"id": "a", "start": "09:00", "duration": 60, "date": "2024-03-04"},
        {"id": "b", "duration": 60},
        {"id": "c", "start": "09:30", "duration": 60, "date": "2024-03-05"},
        {"id": "d"},
        {"id": "e", "start": "11:00"},
        dates=("2024-03-04", "2024-03-05"),
    )


def test_two_day_plan_keeps_each_day_independent() -> None:
    d1, d2 = dt.date(2024, 3, 4), dt.date(2024, 3, 5)
    slots = plan(_two_days())
    assert [s.day for s in slots] == [0, 0, 1, 1, 1]
    starts = [at("09:00", d1), at("10:00", d1), at("09:30", d2), at("10:30", d2), at("11:00", d2)]
    assert [s.planned_start for s in slots] == starts
    assert slots[1].planned_end == at("11:00", d1)
    assert slots[3].planned_end == at("11:00", d2)  # d fills the gap until e's fixed 11:00
    assert slots[4].planned_minutes == 0


def test_delay_on_day_one_does_not_move_day_two() -> None:
    d1 = dt.date(2024, 3, 4)
    prog = _two_days()
    proj = project(prog, run("a", d1, a=("09:00", None)), at("10:40", d1))
    assert proj.delay_minutes == 40
    assert times(proj.slot("b")) == ("10:40", "11:40")
    assert proj.day_end_planned == at("11:00", d1)
    assert proj.day_end_projected == at("11:40", d1)
    for sid in ("c", "d", "e"):
        slot = proj.slot(sid)
        assert (slot.projected_start, slot.projected_end) == (slot.planned_start, slot.planned_end)
    assert proj.slot("b").status == "next"


def test_second_morning_starts_fresh_after_a_late_first_day() -> None:
    d1, d2 = dt.date(2024, 3, 4), dt.date(2024, 3, 5)
    state = RunState(
        "test",
        session_id="b",
        timings=MappingProxyType(
            {"a": Timing(at("09:00", d1), at("10:40", d1)), "b": Timing(at("10:40", d1), at("11:40", d1))}
        ),
    )
    proj = project(_two_days(), state, at("09:00", d2))
    assert times(proj.slot("b")) == ("10:40", "11:40")  # day one as it happened
    assert proj.slot("c").status == "next"
    assert times(proj.slot("c")) == ("09:30", "10:30")
    assert proj.delay_minutes == 0
    assert proj.day_end_planned == proj.day_end_projected == at("11:00", d2)


# ---------------------------------------------------------------- timebox


def test_timebox_not_started(p2012: Programme) -> None:
    box = timebox(p2012, run(), "coordination", at("09:00"))
    assert box.state == "not started"
    assert box.planned_end == at("13:00")
    assert box.remaining == dt.timedelta(minutes=165)
    assert box.label() == "2:45:00 planned"


def test_timebox_running_keeps_the_planned_length_from_the_actual_start(p2012: Programme) -> None:
    state = run("coordination", coordination=("10:30", None))
    box = timebox(p2012, state, "coordination", at("12:00:26"))
    assert box.state == "running"
    assert box.planned_end == at("13:15")
    assert box.remaining == dt.timedelta(hours=1, minutes=14, seconds=34)
    assert box.label() == "1:14:34 left"
    assert timebox(p2012, state, "coordination", at("13:02:26")).label() == "12:34 left"


def test_timebox_warning_from_five_minutes_left(p2012: Programme) -> None:
    state = run("coordination", coordination=("10:15", None))
    assert timebox(p2012, state, "coordination", at("12:54:59")).state == "running"
    box = timebox(p2012, state, "coordination", at("12:55"))
    assert (box.state, box.label()) == ("warning", "5:00 left")
    assert timebox(p2012, state, "coordination", at("12:55:01")).label() == "4:59 left"
    assert timebox(p2012, state, "coordination", at("13:00")).state == "warning"


def test_timebox_overrun(p2012: Programme) -> None:
    state = run("coordination", coordination=("10:15", None))
    box = timebox(p2012, state, "coordination", at("13:03:10"))
    assert box.state == "overrun"
    assert box.remaining == -dt.timedelta(minutes=3, seconds=10)
    assert box.label() == "overrun 3:10"


def test_timebox_ended(p2012: Programme) -> None:
    state = run("coordination", coordination=("10:15", "12:50"))
    box = timebox(p2012, state, "coordination", at("13:30"))
    assert (box.state, box.label()) == ("ended", "ended")
    assert box.remaining == dt.timedelta(minutes=10)


def test_timebox_open_for_an_item_without_planned_length(p2012: Programme) -> None:
    box = timebox(p2012, run("end", end=("18:00", None)), "end", at("18:05"))
    assert box == Timebox(None, None, "open")
    assert box.label() == "—"
    assert timebox(p2012, run(), "end", at("17:00")).state == "open"


def test_timebox_of_a_break_matches_the_projection(p2012: Programme) -> None:
    box = timebox(p2012, run("lunch", lunch=("13:20", None)), "lunch", at("13:30"))
    assert box.planned_end == at("15:00")
    box = timebox(p2012, run("lunch", lunch=("14:40", None)), "lunch", at("14:45"))
    assert box.planned_end == at("15:40")


def test_timebox_unknown_item(p2012: Programme) -> None:
    with pytest.raises(KeyError):
        timebox(p2012, run(), "nope", at("10:00"))


# ---------------------------------------------------------------- summary and odds


@pytest.mark.parametrize(
    ("delay", "text"),
    [
        (0, "on time"),
        (12, "running 12 min late · ends 18:12"),
        (-5, "running 5 min early · ends 18:12"),
    ],
)
def test_summary_strings(delay: int, text: str) -> None:
    proj = Projection(slots=(), delay_minutes=delay, day_end_planned=at("18:00"), day_end_projected=at("18:12"))
    assert proj.summary() == text


def test_unknown_slot_and_empty_programme(p2012: Programme) -> None:
    with pytest.raises(KeyError):
        project(p2012, run(), at("10:00")).slot("nope")
    empty = Programme(id="x", title="X", dates=(DAY,), sessions=())
    assert plan(empty) == ()
    with pytest.raises(ValueError):
        project(empty, run(), at("10:00"))


def test_schedule_loads_no_textual_and_reads_no_clock() -> None:
    code = "import sys, facilitator.schedule; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    source = (ROOT / "facilitator" / "schedule.py").read_text(encoding="utf-8")
    for call in (".now(", ".today(", "time.time(", "monotonic("):
        assert call not in source
