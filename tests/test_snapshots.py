"""A few deterministic pictures of the run screen (fixed clock, ids, size, folder), and what each size must keep.

Update them deliberately with `pytest tests/test_snapshots.py --snapshot-update`
after looking at the new pictures. The pictures show a change; the tests after
them (`test_80x24_...`) fail when a size stops being usable. The README's
picture, docs/run-screen.svg, is a copy of `test_run_screen[120x36].svg`.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import empty_notes
from facilitator.store import NotesFolder
from facilitator.tui.app import make_app

ANSWERS = [
    ("challenges", "Cambodia", "No single focal point: disability sits with three ministries at once."),
    ("challenges", "Cambodia", "The plan has no budget line of its own."),
    ("challenges", "Colombia", "Departments do not report to the national coordination body."),
    ("challenges", "Senegal", "Survivors' associations are invited late, after decisions are taken."),
    ("national-plan-context", "Uganda", "Many NGO projects run outside the national plan."),
]


def build_app(programme, tmp_path, monkeypatch, *, late: bool = False):
    monkeypatch.chdir(tmp_path)
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 15))
    meeting = Meeting(programme, empty_notes(programme.id), clock)
    meeting.go_to("coordination")
    meeting.start_item()
    for n, (prompt, group, text) in enumerate(ANSWERS, 1):
        meeting.go_to("coordination", prompt)
        monkeypatch.setattr("facilitator.notes.new_id", lambda prefix="a", n=n: f"{prefix}-{n:04d}")
        meeting.capture(group, text)
    meeting.go_to("coordination", "challenges")
    clock.advance(minutes=185 if late else 40)
    return make_app(meeting, NotesFolder(tmp_path / "notes" / programme.id, programme.id))


SIZES = [(80, 24), (100, 30), (120, 36), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_run_screen(snap_compare, programme_2012, tmp_path, monkeypatch, size):
    app = build_app(programme_2012, tmp_path, monkeypatch)
    assert snap_compare(app, press=["escape", "up"], terminal_size=size)


def test_80x24_reading_ahead_with_a_long_group_name(snap_compare, programme_2012, tmp_path, monkeypatch):
    """The afternoon's item on screen while the coordination runs; the group field holds a long name."""
    app = build_app(programme_2012, tmp_path, monkeypatch)
    press = ["escape", "n", "n", "a", "c", "o", "down", "tab"]  # n n: 15:00 Monitoring; co ↓: the DR Congo
    assert snap_compare(app, press=press, terminal_size=(80, 24))


def test_80x24_agenda_folded_away(snap_compare, programme_2012, tmp_path, monkeypatch):
    app = build_app(programme_2012, tmp_path, monkeypatch)
    assert snap_compare(app, press=["escape", "f3"], terminal_size=(80, 24))


def test_run_screen_overrunning_in_light_theme(snap_compare, programme_2012, tmp_path, monkeypatch):
    app = build_app(programme_2012, tmp_path, monkeypatch, late=True)

    async def light(pilot):
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(app, press=["escape"], terminal_size=(120, 36), run_before=light)


# ---------------------------------------------------------------- what each size keeps


def screen_lines(app) -> list[str]:
    """The screen as a person reads it: one string per row."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO(), legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True), end="")
    return console.export_text(styles=False).splitlines()


async def test_80x24_keeps_the_board_the_group_field_and_the_running_item(programme_2012, tmp_path, monkeypatch):
    from facilitator.tui.widgets.answer_board import AnswerBoard
    from facilitator.tui.widgets.capture_bar import CaptureBar
    from facilitator.tui.widgets.timeline import Timeline

    app = build_app(programme_2012, tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        # The top line: the item running and its countdown, whole words of its title.
        assert lines[0].split("▶ ")[1].startswith("Coordination in the") and "2:05:00 left" in lines[0]
        # The agenda: each item on one line, a time and a title cut on a word ("Opening…", not "Openi…").
        agenda = app.screen.query_one(Timeline)
        assert agenda.display and agenda.region.width <= 24
        for time, title in [("10:00", "Opening…"), ("10:15", "Coordination…"), ("15:00", "Monitoring…"),
                            ("16:30", "Participatory…"), ("18:00", "Parallel…")]:
            assert any(f"{time} {title}" in line for line in lines), (time, title)
        # At least 8 answer lines on the board, with the default programme on the coordination item.
        board = app.screen.query_one(AnswerBoard)
        assert board.scrollable_content_region.height >= 8
        # The item panel: title, countdown, the current prompt (1 of 5), nothing that pushes the board down.
        assert any("▶ 1/5 What are the main challenges" in line for line in lines)
        assert not any("Scene-setting presentation" in line for line in lines)

        # A long group name: at least 18 columns of it, from its start, once the answer field is reached.
        await pilot.press("c", "o", "down", "tab")
        await pilot.pause()
        bar = app.screen.query_one(CaptureBar)
        assert bar.group_input.value == "Democratic Republic of the Congo"
        assert bar.group_input.content_region.width >= 18
        lines = screen_lines(app)
        assert any("Democratic Republic" in line for line in lines)
        assert not any("of the Congo" in line for line in lines)

        # F3 folds the agenda away: the board takes the width; F3 again brings it back.
        width = board.region.width
        await pilot.press("f3")
        await pilot.pause()
        assert not agenda.display and board.region.width >= width + 20
        await pilot.press("f3")
        await pilot.pause()
        assert agenda.display and board.region.width == width


async def test_80x24_top_line_while_reading_ahead_and_running_late(programme_2012, tmp_path, monkeypatch):
    """Another item on screen, the day late: the running item and its countdown keep their place."""
    app = build_app(programme_2012, tmp_path, monkeypatch, late=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "n", "n")
        await pilot.pause()
        top = screen_lines(app)[0]
        assert "viewing 15:00" in top and "▶ Coordination" in top and "overrun 20:00" in top
        assert "20 min late" in top and "saved" in top


async def test_200x50_shows_whole_titles(programme_2012, tmp_path, monkeypatch):
    app = build_app(programme_2012, tmp_path, monkeypatch)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        text = " ".join(" ".join(line.split()) for line in screen_lines(app))
        for session in programme_2012.sessions:
            words = session.title.split()
            assert all(word in text for word in words), session.title
        assert "…" not in text.split("│")[1]  # the agenda's first row: not shortened


def test_shorten_cuts_on_words_and_never_on_a_small_word():
    from facilitator.tui.widgets.timeline import shorten

    title = "Coordination in the Implementation of National Plans"
    assert shorten(title, 60) == title
    assert shorten(title, 14) == "Coordination…"
    assert shorten(title, 22) == "Coordination…"  # not "Coordination in the…"
    assert shorten(title, 40) == "Coordination in the Implementation…"
    assert shorten("Participatory exercise", 12) == "Participato…"  # a first word longer than the room
    assert shorten("Opening of the Parallel Programme", 10) == "Opening…"


def test_the_top_line_keeps_the_countdown_whole():
    from facilitator.tui.widgets.status_bar import SEPARATOR, fit_where

    where = "viewing 15:00 Monitoring the Implementation of National Plans · ▶ Coordination in the " \
            "Implementation of National Plans · 2:05:00 left"
    for width in (47, 51, 70, 100):  # 47: an 80-column top line with "20 min late"
        parts = fit_where(where, width)
        assert len(SEPARATOR.join(parts)) <= width and parts[-1] == "2:05:00 left", width
        assert parts[1].startswith("▶ Coordination"), width
    assert fit_where(where, 200) == where.split(SEPARATOR)
