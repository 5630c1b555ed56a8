"""A few deterministic pictures of the run screen (fixed clock, ids, size, folder).

Update them deliberately with `pytest tests/test_snapshots.py --snapshot-update`
after looking at the new pictures.
"""

from __future__ import annotations

import datetime as dt

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


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_run_screen(snap_compare, programme_2012, tmp_path, monkeypatch, size):
    app = build_app(programme_2012, tmp_path, monkeypatch)
    assert snap_compare(app, press=["escape", "up"], terminal_size=size)


def test_run_screen_overrunning_in_light_theme(snap_compare, programme_2012, tmp_path, monkeypatch):
    app = build_app(programme_2012, tmp_path, monkeypatch, late=True)

    async def light(pilot):
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(app, press=["escape"], terminal_size=(120, 36), run_before=light)
