"""The run screen driven through keys, as a facilitator and rapporteur would.

Assertions are on the TOML files written to the notes folder (what survives),
not only on widgets.
"""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

from rich.console import Console

from facilitator.meeting import Meeting
from facilitator.store import NotesFolder
from facilitator.tui.app import make_app
from facilitator.tui.screens.dialogs import ChoiceDialog, TextDialog
from facilitator.tui.screens.help import HelpScreen, key_table
from facilitator.tui.screens.run import RunScreen
from facilitator.tui.widgets.answer_board import AnswerBoard
from facilitator.tui.widgets.item_panel import ItemPanel
from facilitator.tui.widgets.status_bar import StatusBar


def open_app(programme, notes_dir: Path, clock):
    folder = NotesFolder(notes_dir, programme.id)
    folder.lock()
    meeting = Meeting(programme, folder.load(), clock)
    return make_app(meeting, folder, retry_seconds=0.05), folder


async def wait_saved(app, timeout: float = 5.0) -> None:
    """Let the background saver finish (it runs on its own thread)."""
    assert await asyncio.to_thread(app.saver.flush, timeout), app.saver.status


async def capture(pilot, group: str, text: str) -> None:
    """Type a group and an answer in the capture bar and press Enter."""
    screen = pilot.app.screen
    screen.capture_bar.group_input.value = ""
    screen.capture_bar.group_input.focus()
    await pilot.press(*group, "tab", *text, "enter")


def screen_text(app) -> str:
    """What a person sees: the screen as plain text."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def answers_by_group(item_file: Path) -> dict[tuple[str, str], list[str]]:
    """{(prompt, group): [texts]} from an item file, in file order."""
    out: dict[tuple[str, str], list[str]] = {}
    for prompt in read(item_file).get("prompts", []):
        for group in prompt["groups"]:
            out[(prompt["id"], group["group"])] = [a["text"] for a in group["answers"]]
    return out


async def test_a_whole_session_through_keys(programme_2012, notes_dir, clock, sequential_ids):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        # Step to the 10:15 item and start it.
        await pilot.press("escape", "n", "s")
        assert app.meeting.session.id == "coordination"
        assert app.meeting.prompt_id == "challenges"

        # Three groups on the first prompt ("Camb" completes to Cambodia).
        await capture(pilot, "Camb", "No single focal point across ministries")
        await capture(pilot, "Colombia", "Plans exist but budgets do not follow")
        await pilot.press(*"Survivors' associations are not consulted", "enter")  # group stays Colombia
        await capture(pilot, "Senegal", "Coordination meetings are irregular")

        # Second prompt: PageDown works from inside the capture bar.
        await pilot.press("pagedown")
        assert app.meeting.prompt_id == "national-plan-context"
        await capture(pilot, "Cambodia", "NGO projects run outside the plan")
        await capture(pilot, "Uganda", 'The "district" plans differ from the national one')

        # Edit the Uganda answer (the selected one after capture).
        await pilot.press("escape")
        board = app.screen.query_one(AnswerBoard)
        assert board.selected.group == "Uganda"
        await pilot.press("e")
        assert isinstance(app.screen, TextDialog)
        dialog_input = app.screen.query_one("#dialog-input")
        dialog_input.value = "District plans differ from the national plan"
        await pilot.press("enter")

        # Delete the Cambodia answer on this prompt, then undo it.
        await pilot.press("up")
        assert board.selected.group == "Cambodia"
        await pilot.press("d")
        assert [a.group for a in app.meeting.answers_here()] == ["Uganda"]
        await pilot.press("u")
        assert sorted(a.group for a in app.meeting.answers_here()) == ["Cambodia", "Uganda"]

        # Move Senegal's answer (first prompt) to another group: Guinea-Bissau.
        await pilot.press("left")
        assert app.meeting.prompt_id == "challenges"
        board.action_cursor_to(-1)
        assert board.selected.group == "Senegal"
        await pilot.press("g")
        app.screen.query_one("#dialog-input").value = "Guinea-Bissau"
        await pilot.press("enter")

        # Move Colombia's second answer to the third prompt.
        board.cursor = next(i for i, r in enumerate(board.rows) if r.answer and r.answer.text.startswith("Survivors"))
        await pilot.press("m")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")

        # End the item and step on to lunch.
        clock.advance(minutes=170)
        await pilot.press("x", "n")
        assert app.meeting.session.id == "lunch"
        await wait_saved(app)

    folder.unlock()
    answers = answers_by_group(notes_dir / "coordination.toml")
    assert answers == {
        ("challenges", "Cambodia"): ["No single focal point across ministries"],
        ("challenges", "Colombia"): ["Plans exist but budgets do not follow"],
        ("challenges", "Guinea-Bissau"): ["Coordination meetings are irregular"],
        ("national-plan-context", "Cambodia"): ["NGO projects run outside the plan"],
        ("national-plan-context", "Uganda"): ["District plans differ from the national plan"],
        ("improve-coordination", "Colombia"): ["Survivors' associations are not consulted"],
    }
    raw = read(notes_dir / "coordination.toml")
    assert raw["schema"] == 1 and raw["programme"] == programme_2012.id and raw["session"] == "coordination"
    uganda = next(
        a for p in raw["prompts"] for g in p["groups"] for a in g["answers"] if g["group"] == "Uganda"
    )
    assert "edited_at" in uganda and uganda["captured_at"].hour == 10

    run = read(notes_dir / "run.toml")
    assert run["session"] == "lunch"
    timing = run["timings"]["coordination"]
    assert (timing["started_at"].hour, timing["started_at"].minute) == (10, 14)
    assert (timing["ended_at"].hour, timing["ended_at"].minute) == (13, 4)


async def test_restart_resumes_same_item_prompt_and_answers(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n", "n", "n", "s", "right", "right")
        await capture(pilot, "Peru", "Indicators count devices, not lives changed")
        await wait_saved(app)
    folder.unlock()

    app2, folder2 = open_app(programme_2012, notes_dir, clock)
    async with app2.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app2.meeting.session.id == "monitoring"
        assert app2.meeting.prompt_id == "measurement"
        assert [a.text for a in app2.meeting.answers_here()] == ["Indicators count devices, not lives changed"]
        assert app2.meeting.notes.run.timing("monitoring").started_at is not None
        board = app2.screen.query_one(AnswerBoard)
        assert [r.heading or r.answer.text for r in board.rows] == [
            "Peru",
            "Indicators count devices, not lives changed",
        ]
    folder2.unlock()


async def test_empty_group_is_refused_and_text_kept(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n", "a")
        app.screen.capture_bar.text_input.focus()
        await pilot.press(*"An answer without a group", "enter")
        assert app.meeting.notes.answer_count() == 0
        # Nothing the rapporteur typed is lost: the text is still in the bar.
        assert app.screen.capture_bar.text_input.value == "An answer without a group"
        assert app.focused is app.screen.capture_bar.group_input
    folder.unlock()


async def test_new_group_names_are_accepted_and_then_suggested(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture(pilot, "Breakout group B", "We need one focal point")
        assert app.meeting.answers_here()[0].group == "Breakout group B"
        assert "Breakout group B" in app.meeting.groups()
        await capture(pilot, "Breakout", "Second point")
        assert [a.group for a in app.meeting.answers_here()] == ["Breakout group B"] * 2
    folder.unlock()


async def test_help_lists_every_binding_and_palette_offers_items(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        from facilitator.tui.screens.run import CommandArea

        console = Console(record=True, width=200)
        console.print(key_table(app.screen.sources))
        text = console.export_text()
        for binding in CommandArea.BINDINGS:
            assert (binding.tooltip or binding.description) in text
        await pilot.press("escape")
        assert isinstance(app.screen, RunScreen)

        # Command palette: jump to the 15:00 item by name.
        await pilot.press("ctrl+p")
        await pilot.press(*"go to monitoring the")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.meeting.session.id == "monitoring"
    folder.unlock()


async def test_timebox_and_delay_follow_the_clock(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n", "s")  # coordination started at 10:14
        clock.advance(minutes=162)  # 12:56: 3 minutes left of its 2:45
        app.screen.tick()
        panel = app.screen.query_one(ItemPanel)
        assert panel.timebox_state == "warning" and panel.timebox_label.endswith("left")
        clock.advance(minutes=10)  # 13:06: overrun
        app.screen.tick()
        assert panel.timebox_state == "overrun" and panel.timebox_label.startswith("overrun")
        bar = app.screen.query_one(StatusBar)
        assert bar.delay_minutes > 0 and "late" in bar.summary
        assert "overrun" in screen_text(app) and "late" in screen_text(app)
    folder.unlock()


async def test_works_at_80x24(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "n")
        bar = app.screen.capture_bar
        bar.group_input.value = "Chad"
        bar.text_input.value = "A long answer " * 20
        bar.text_input.focus()
        await pilot.press("enter")
        screen = app.screen
        assert screen.has_class("-narrow")
        board = screen.query_one(AnswerBoard)
        # The board, the capture bar and the prompt are all on screen.
        for widget in (board, screen.capture_bar, screen.query_one(ItemPanel)):
            assert widget.region.height > 0 and widget.region.bottom <= 24
        assert board.selected.group == "Chad"
    folder.unlock()


async def test_a_capture_shows_the_same_board_as_a_full_redraw(programme_2012, notes_dir, clock):
    """Capture inserts one row instead of rebuilding: it must match a rebuild exactly."""
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        for group, text in [("Chad", "one"), ("Peru", "two"), ("Chad", "three"), ("Iraq", "four"), ("Peru", "five")]:
            bar = app.screen.capture_bar
            bar.group_input.value = group
            bar.text_input.value = text
            bar.text_input.focus()
            await pilot.press("enter")
        board = app.screen.board
        incremental = [(r.heading, r.count, r.key) for r in board.rows]
        selected = board.selected_id
        tops = list(board._row_top)
        app.screen.refresh_board()
        assert [(r.heading, r.count, r.key) for r in board.rows] == incremental
        assert board._row_top == tops
        assert board.selected_id == selected
        assert [r.heading or r.answer.text for r in board.rows] == [
            "Chad", "one", "three", "Peru", "two", "five", "Iraq", "four",
        ]
        assert board.selected.text == "five"
    folder.unlock()


async def test_keys_typed_ahead_as_a_dialog_closes_are_never_commands(programme_2012, notes_dir, clock):
    """Typing on after Enter in a dialog: the keys reach the board, where letters are commands.
    Keys already typed when the focus moved are held back and said; keys typed after work."""
    from textual import events

    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("escape", "n")
        await capture(pilot, "Chad", "Mapping of services")
        await pilot.press("escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        # One burst: Enter closes the dialog, then "dx" as a fast typist keeps typing.
        for key in ("enter", "d", "x", "s"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.2)
        assert [a.text for a in app.meeting.answers_here()] == ["Mapping of services"]  # not deleted
        assert app.meeting.notes.run.timing("coordination").ended_at is None  # not ended
        assert "Not run as commands" in screen_text(app) and "dxs" in screen_text(app)
        await pilot.press("d")  # pressed on its own, after: a command
        await pilot.pause()
        assert app.meeting.answers_here() == ()
        assert "Deleted Chad's answer — u undoes" in screen_text(app)
    folder.unlock()
