"""The co-chairs' review screen and exporting from inside the app."""

from __future__ import annotations

import asyncio
import csv
import io

from rich.console import Console

from facilitator.tui.screens.review import ReviewScreen
from facilitator.tui.screens.run import RunScreen
from tests.test_tui_run import open_app
from tests.test_tui_themes import capture_all


def shown(screen: ReviewScreen) -> str:
    console = Console(record=True, width=100)
    console.print(screen.query_one("#review-content").content)
    return console.export_text()


async def test_review_shows_the_summary_by_item_and_changes_nothing(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n", "s")
        await capture_all(app, pilot)
        before = app.meeting.notes
        await pilot.press("R")
        assert isinstance(app.screen, ReviewScreen)
        # It opens on the current item: its prompt and every group that answered.
        text = shown(app.screen)
        assert "Coordination in the Implementation of National Plans" in text
        for group in ("Cambodia", "Colombia", "Senegal", "Peru", "Uganda"):
            assert group in text
        # The day at a glance: count, silent delegations, time.
        await pilot.press("home")
        text = shown(app.screen)
        assert "5 answers from 5 groups" in text
        assert "Did not contribute" in text and "Afghanistan" in text
        await pilot.press("escape")
        assert isinstance(app.screen, RunScreen)
        assert app.meeting.notes is before
    folder.unlock()


async def test_f2_opens_the_review_from_the_capture_bar(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.focused is app.screen.capture_bar.group_input
        await pilot.press("f2")
        assert isinstance(app.screen, ReviewScreen)
        assert "Nothing captured for this item yet" in shown(app.screen)
    folder.unlock()


async def test_export_from_the_palette_writes_a_file_and_names_it(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture_all(app, pilot)
        await pilot.press("ctrl+p", *"export the notes as one row")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.last_export is not None:
                break
        path = app.last_export
    folder.unlock()
    assert path.parent == notes_dir.parent / "exports" and path.suffix == ".csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert sorted(r["group"] for r in rows) == ["Cambodia", "Colombia", "Peru", "Senegal", "Uganda"]


async def test_a_review_closed_at_once_never_fails(programme_2012, clock, tmp_path):
    """F5, Esc, F2, Esc typed at once once ended the app: a refresh ran after the review had gone."""
    from facilitator.meeting import Meeting
    from facilitator.notes import empty_notes
    from facilitator.tui.app import make_app

    app = make_app(Meeting(programme_2012, empty_notes(programme_2012.id), clock))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape")
        screen = ReviewScreen()
        app.push_screen(screen)
        app.pop_screen()  # closed before it was ever drawn
        screen.action_reload()  # a refresh queued behind the Esc
        await pilot.pause()
        await pilot.press("f5", "escape", "f2", "escape", "f2", "f5", "escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and app.is_running
