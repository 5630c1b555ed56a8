"""The participatory exercise board driven through keys, as a rapporteur and facilitator would.

Assertions are on the item file written to the notes folder (`category = ...`
per answer) and on what the board shows.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import empty_notes
from facilitator.store import NotesFolder
from facilitator.tui.app import make_app
from facilitator.tui.screens.dialogs import TextDialog
from facilitator.tui.screens.exercise import ExerciseScreen, board_columns, has_board
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.run import RunScreen
from facilitator.tui.widgets.exercise_panels import GroupTable

ITEM = "monitoring-exercise"


def open_app(programme, notes_dir: Path, clock, at_exercise: bool = True):
    folder = NotesFolder(notes_dir, programme.id)
    folder.lock()
    meeting = Meeting(programme, folder.load(), clock)
    if at_exercise and meeting.session.id != ITEM:
        meeting.go_to(ITEM)
    return make_app(meeting, folder, retry_seconds=0.05), folder


async def open_board(pilot) -> ExerciseScreen:
    screen = ExerciseScreen()
    pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def wait_saved(app, timeout: float = 5.0) -> None:
    import asyncio

    assert await asyncio.to_thread(app.saver.flush, timeout), app.saver.status


async def capture(pilot, group: str, text: str) -> None:
    """Fill the capture bar (values set directly: fast) and press Enter."""
    bar = pilot.app.screen.capture_bar
    bar.group_input.value = group
    bar.text_input.value = text
    bar.text_input.focus()
    await pilot.press("enter")


def screen_text(app) -> str:
    """What a person sees: the screen as plain text."""
    import re

    return re.sub(r"<[^>]+>", "", app.export_screenshot()).replace("&#160;", " ").replace("&gt;", ">")


def categories_in(item_file: Path) -> dict[str, tuple[str, str]]:
    """{card text: (group, category)} from the item file, "" when not classified."""
    data = tomllib.loads(item_file.read_text(encoding="utf-8"))
    return {
        a["text"]: (g["group"], a.get("category", ""))
        for p in data["prompts"]
        for g in p["groups"]
        for a in g["answers"]
    }


def column_texts(screen: ExerciseScreen) -> dict[str, list[str]]:
    """What each column shows: {column label: [card texts]}."""
    return {c.spec.label: [r.answer.text for r in c.board.rows if r.answer] for c in screen.columns}


def select_card(screen: ExerciseScreen, column: int, text: str) -> None:
    screen.select_column(column)
    board = screen.board
    board.cursor = next(i for i, r in enumerate(board.rows) if r.answer and r.answer.text == text)


def group_table(screen: ExerciseScreen) -> dict[str, list[str]]:
    """The per-group table as shown: {group: [counts in column order..., total]}."""
    table = screen.query_one(GroupTable).table
    out = {}
    for row_key in table.rows:
        cells = [str(c) for c in table.get_row(row_key)]
        out[cells[0]] = cells[1:]
    return out


CARDS = [
    ("Cambodia", "Number of prosthetic devices fitted"),
    ("Cambodia", "Share of survivors in paid work"),
    ("Colombia", "Physiotherapists trained"),
    ("Colombia", "Municipalities with an accessible health centre"),
    ("Senegal", "Survivors report a better quality of life"),
    ("Uganda", "Peer supporters trained"),
]


async def test_cards_are_captured_classified_by_keys_and_resumed(programme_2012, notes_dir, clock, sequential_ids):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert has_board(app.meeting)
        screen = await open_board(pilot)
        assert [c.spec.label for c in screen.columns] == ["Not yet classified", "Output", "Outcome", "Impact"]
        # Even with no card yet the columns have the focus, so the documented `a` captures
        # (it used to be typed into the group field: "aGr").
        assert screen.board.has_focus
        await pilot.press("a", *"Gu")
        assert screen.capture_bar.group_input.value == "Gu"
        for group, text in CARDS:
            await capture(pilot, group, text)
        assert column_texts(screen)["Not yet classified"] == [t for _, t in CARDS]
        await pilot.press("escape")
        assert screen.board.has_focus and screen.column == 0

        # Number keys file a card and stay in the column: the next card is selected.
        select_card(screen, 0, "Number of prosthetic devices fitted")
        await pilot.press("1")
        assert screen.column == 0 and screen.board.selected.text == "Share of survivors in paid work"
        await pilot.press("2")  # paid work → Outcome
        # Now "Physiotherapists trained"; then the Colombia municipality card, both with shift+right.
        await pilot.press("1")
        assert screen.board.selected.text == "Municipalities with an accessible health centre"
        await pilot.press("shift+right")  # carried to Output, the selection follows it...
        assert screen.column == 1 and screen.board.selected.text == "Municipalities with an accessible health centre"
        await pilot.press("greater_than_sign")  # ...so a second press carries it on to Outcome
        assert screen.column == 2
        # Senegal's card straight to Impact, then a wrong move undone.
        select_card(screen, 0, "Survivors report a better quality of life")
        await pilot.press("3")
        select_card(screen, 1, "Physiotherapists trained")
        await pilot.press("shift+left")  # back to Not yet classified...
        assert screen.column == 0
        await pilot.press("u")  # ...undone: Output again
        assert column_texts(screen) == {
            "Not yet classified": ["Peer supporters trained"],
            "Output": ["Number of prosthetic devices fitted", "Physiotherapists trained"],
            "Outcome": ["Share of survivors in paid work", "Municipalities with an accessible health centre"],
            "Impact": ["Survivors report a better quality of life"],
        }
        headers = [c.count for c in screen.columns]
        assert headers == [1, 2, 2, 1]

        # The per-group view: the picture the co-chairs want.
        await pilot.press("g")
        assert screen.showing_groups and screen.query_one(GroupTable).table.has_focus
        assert group_table(screen) == {
            "Cambodia": ["0", "1", "1", "0", "2"],
            "Colombia": ["0", "1", "1", "0", "2"],
            "Senegal": ["0", "0", "0", "1", "1"],
            "Uganda": ["1", "0", "0", "0", "1"],
            "All groups": ["1", "2", "2", "1", "6"],
        }
        picture = str(screen.query_one("#group-picture").render())
        assert "Output 2 · Outcome 2 · Impact 1" in picture and "1 card not yet classified" in picture
        await pilot.press("1")  # card keys are off while the table hides the cards
        assert column_texts(screen)["Output"] == ["Number of prosthetic devices fitted", "Physiotherapists trained"]
        await pilot.press("escape")  # closes the table, not the board
        assert isinstance(app.screen, ExerciseScreen) and not screen.showing_groups
        await wait_saved(app)

    folder.unlock()
    assert categories_in(notes_dir / f"{ITEM}.toml") == {
        "Number of prosthetic devices fitted": ("Cambodia", "Output"),
        "Share of survivors in paid work": ("Cambodia", "Outcome"),
        "Physiotherapists trained": ("Colombia", "Output"),
        "Municipalities with an accessible health centre": ("Colombia", "Outcome"),
        "Survivors report a better quality of life": ("Senegal", "Impact"),
        "Peer supporters trained": ("Uganda", ""),
    }

    # Restart on the same folder: the run resumes at the exercise with every classification.
    app, folder = open_app(programme_2012, notes_dir, clock, at_exercise=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.meeting.session.id == ITEM
        screen = await open_board(pilot)
        assert screen.board.has_focus  # cards to classify: the board has the keys
        assert {k: sorted(v) for k, v in column_texts(screen).items()} == {
            "Not yet classified": ["Peer supporters trained"],
            "Output": ["Number of prosthetic devices fitted", "Physiotherapists trained"],
            "Outcome": ["Municipalities with an accessible health centre", "Share of survivors in paid work"],
            "Impact": ["Survivors report a better quality of life"],
        }
    folder.unlock()


async def test_new_cards_land_in_the_selected_column_and_edit_delete_undo(
    programme_2012, notes_dir, clock, sequential_ids
):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot)
        await capture(pilot, "Chad", "Survivors registered")
        await pilot.press("escape", "right", "right", "right", "right")  # stops at the last column
        assert screen.column == 3
        await pilot.press("a")
        assert screen.capture_bar.text_input.has_focus  # the group stays: straight to the card
        assert "Impact" in screen.capture_bar.text_input.placeholder
        await capture(pilot, "Peru", "Survivors feel included in their community")
        assert column_texts(screen)["Impact"] == ["Survivors feel included in their community"]
        assert screen.board.selected.text == "Survivors feel included in their community"

        await pilot.press("escape", "e")
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one("#dialog-input").value = "Survivors say they feel included"
        await pilot.press("enter")
        assert column_texts(screen)["Impact"] == ["Survivors say they feel included"]
        await pilot.press("left", "left", "left", "d")
        assert column_texts(screen)["Not yet classified"] == []
        await pilot.press("u")
        assert column_texts(screen)["Not yet classified"] == ["Survivors registered"]
        await pilot.press("0")  # already there: nothing changes
        await pilot.press("9")  # no ninth category: the key does nothing
        await pilot.press("less_than_sign")  # nowhere further left
        assert column_texts(screen)["Not yet classified"] == ["Survivors registered"]
        await wait_saved(app)

        # Back to the run screen: the cards are its answers to the exercise's prompt.
        await pilot.press("b")
        assert isinstance(app.screen, RunScreen)
        assert sorted(r.answer.text for r in app.screen.board.rows if r.answer) == [
            "Survivors registered",
            "Survivors say they feel included",
        ]
    folder.unlock()
    assert categories_in(notes_dir / f"{ITEM}.toml") == {
        "Survivors registered": ("Chad", ""),
        "Survivors say they feel included": ("Peru", "Impact"),
    }


async def test_nothing_changes_while_the_notes_are_read_and_help_lists_the_board_keys(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    app.meeting.capture_card("Chad", "Survivors registered")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot)
        assert screen.board.has_focus
        app.loading = True
        await pilot.press("1", "shift+right", "d")
        assert app.meeting.item.answers[0].category == "" and len(app.meeting.item.answers) == 1
        app.loading = False
        await pilot.press("1")
        assert app.meeting.item.answers[0].category == "Output"

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)  # the whole table, scrolled or not
        keys = console.export_text()
        assert "⇧→ or >" in keys and "0–3" in keys and "per category" in keys
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, RunScreen)
    folder.unlock()


def test_only_an_exercise_with_categories_opens_as_a_board(programme_2012, clock):
    meeting = Meeting(programme_2012, empty_notes(programme_2012.id), clock)
    meeting.go_to("coordination")
    assert not has_board(meeting)
    meeting.go_to(ITEM)
    assert has_board(meeting)


# ----------------------------------------------------------------- snapshots

SNAPSHOT_CARDS = [
    ("Cambodia", "Number of prosthetic devices fitted", "Output"),
    ("Cambodia", "Share of survivors in paid work", "Outcome"),
    ("Colombia", "Physiotherapists trained in the regions", "Output"),
    ("Colombia", "Municipalities with an accessible health centre", ""),
    ("Senegal", "Survivors report a better quality of life", "Impact"),
    ("Senegal", "Survivors' associations consulted on the plan", "Output"),
    ("Uganda", "Peer supporters trained", ""),
]


def build_app(programme, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    clock = FakeClock(dt.datetime(2012, 5, 22, 16, 30))
    meeting = Meeting(programme, empty_notes(programme.id), clock)
    meeting.go_to(ITEM)
    meeting.start_item()
    for n, (group, text, category) in enumerate(SNAPSHOT_CARDS, 1):
        monkeypatch.setattr("facilitator.notes.new_id", lambda prefix="a", n=n: f"{prefix}-{n:04d}")
        meeting.capture_card(group, text, category)
    clock.advance(minutes=25)
    return make_app(meeting, NotesFolder(tmp_path / "notes" / programme.id, programme.id))


async def _board(pilot) -> None:
    pilot.app.push_screen(ExerciseScreen())
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_exercise_board(snap_compare, programme_2012, tmp_path, monkeypatch, size):
    app = build_app(programme_2012, tmp_path, monkeypatch)
    assert snap_compare(app, press=["right", "down"], terminal_size=size, run_before=_board)


def test_per_group_view_in_light_theme(snap_compare, programme_2012, tmp_path, monkeypatch):
    app = build_app(programme_2012, tmp_path, monkeypatch)

    async def light_board(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _board(pilot)

    assert snap_compare(app, press=["g"], terminal_size=(80, 24), run_before=light_board)


async def test_a_category_the_exercise_no_longer_has_keeps_its_cards(programme_2012, notes_dir, clock):
    """A programme edited after the run (a category renamed): its cards show in a column of their own."""
    from facilitator import notes as ops

    app, folder = open_app(programme_2012, notes_dir, clock)
    meeting = app.meeting
    meeting.notes, _ = ops.add_answer(
        meeting.notes, ITEM, "indicators", "Chad", "Reports filed", clock.now(), category="Process"
    )
    assert [(s.label, s.number) for s in board_columns(meeting)] == [
        ("Not yet classified", 0),
        ("Output", 1),
        ("Outcome", 2),
        ("Impact", 3),
        ("Process", None),
    ]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = await open_board(pilot)
        assert column_texts(screen)["Process"] == ["Reports filed"]
        select_card(screen, 4, "Reports filed")
        await pilot.press("shift+right")  # nothing is filed under it, nor further right
        await pilot.press("shift+left")  # out of it, into the last category of today's exercise
        assert meeting.item.answers[0].category == "Impact" and screen.column == 3
        await wait_saved(app)
    folder.unlock()
