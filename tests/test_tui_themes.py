"""Clustering, voting, starring and filtering on the run screen, through keys only.

Assertions are on the item's TOML file: what the co-chairs will get.
"""

from __future__ import annotations

import tomllib

from facilitator.tui.board_rows import UNTHEMED
from facilitator.tui.screens.dialogs import ChoiceDialog, TextDialog
from tests.test_tui_run import open_app, wait_saved

ANSWERS = [
    ("Cambodia", "No single focal point across ministries"),
    ("Colombia", "The focal point has no budget"),
    ("Senegal", "Survivors are consulted late"),
    ("Peru", "Données non partagées entre régions"),
    ("Uganda", "Survivors' associations not invited"),
]


async def capture_all(app, pilot) -> None:
    bar = app.screen.capture_bar
    for group, text in ANSWERS:
        bar.group_input.value = group
        bar.text_input.value = text
        bar.text_input.focus()
        await pilot.press("enter")
    await pilot.press("escape")


def select(app, text: str) -> None:
    board = app.screen.board
    board.cursor = next(i for i, r in enumerate(board.rows) if r.answer and r.answer.text == text)


async def type_in_dialog(app, pilot, value: str) -> None:
    assert isinstance(app.screen, TextDialog)
    app.screen.query_one("#dialog-input").value = value
    await pilot.press("enter")


def item_file(notes_dir):
    return tomllib.loads((notes_dir / "coordination.toml").read_text(encoding="utf-8"))


def answer_in_file(data, text):
    return next(a for p in data["prompts"] for g in p["groups"] for a in g["answers"] if a["text"] == text)


async def test_cluster_vote_star_and_theme_view(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture_all(app, pilot)

        # Mark two answers with space, gather them into a new theme with c.
        select(app, "No single focal point across ministries")
        await pilot.press("space")
        select(app, "The focal point has no budget")
        await pilot.press("space", "c")
        await type_in_dialog(app, pilot, "Focal point")
        # One more theme from the selected answer alone, then add a third answer to it by name.
        select(app, "Survivors are consulted late")
        await pilot.press("c")
        await type_in_dialog(app, pilot, "Survivor participation")
        select(app, "Survivors' associations not invited")
        await pilot.press("c")
        await type_in_dialog(app, pilot, "survivor PARTICIPATION")  # an existing name adds to it

        # Votes (dot voting) on an answer and on a theme, and a star.
        select(app, "The focal point has no budget")
        await pilot.press("plus", "plus", "plus", "minus")
        await pilot.press("greater_than_sign")
        await pilot.press("asterisk")

        # The theme view shows the whole item by theme, unthemed last.
        await pilot.press("t")
        headings = [r.heading for r in app.screen.board.rows if r.answer is None]
        assert headings == ["◆ Focal point", "◆ Survivor participation", UNTHEMED]
        assert app.screen.board.border_subtitle.startswith("5 answers · 2 themes")
        focal = next(r for r in app.screen.board.rows if r.heading == "◆ Focal point")
        assert focal.count == 2 and "Cambodia, Colombia" in focal.note and "+1" in focal.note

        # Sort by votes puts the most voted answer first within its theme.
        await pilot.press("v")
        first_answer = next(r.answer for r in app.screen.board.rows if r.answer)
        assert first_answer.text == "The focal point has no budget"
        await wait_saved(app)
    folder.unlock()

    data = item_file(notes_dir)
    themes = {t["name"]: t for t in data["themes"]}
    assert set(themes) == {"Focal point", "Survivor participation"}
    ids = {a["text"]: a["id"] for p in data["prompts"] for g in p["groups"] for a in g["answers"]}
    assert themes["Focal point"]["answers"] == [
        ids["No single focal point across ministries"], ids["The focal point has no budget"]
    ]
    assert themes["Focal point"]["votes"] == 1
    assert themes["Survivor participation"]["answers"] == [
        ids["Survivors are consulted late"], ids["Survivors' associations not invited"]
    ]
    budget = answer_in_file(data, "The focal point has no budget")
    assert budget["votes"] == 2 and budget["starred"] is True


async def test_rename_merge_take_out_and_undo(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture_all(app, pilot)
        for text, name in [(ANSWERS[0][1], "Coordination"), (ANSWERS[1][1], "Money"), (ANSWERS[2][1], "Money")]:
            select(app, text)
            await pilot.press("c")
            await type_in_dialog(app, pilot, name)

        select(app, ANSWERS[1][1])
        await pilot.press("r")
        await type_in_dialog(app, pilot, "Budgets")
        # Merge "Budgets" into "Coordination".
        await pilot.press("M")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        item = app.meeting.item
        assert [t.name for t in item.themes] == ["Coordination"]
        assert len(item.themes[0].answer_ids) == 3
        # Take one answer out, then undo that.
        select(app, ANSWERS[2][1])
        await pilot.press("o")
        assert len(app.meeting.item.themes[0].answer_ids) == 2
        await pilot.press("u")
        assert len(app.meeting.item.themes[0].answer_ids) == 3
        await wait_saved(app)
    folder.unlock()
    data = item_file(notes_dir)
    assert [t["name"] for t in data["themes"]] == ["Coordination"] and len(data["themes"][0]["answers"]) == 3


async def test_filter_narrows_the_board_and_esc_clears_it(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture_all(app, pilot)
        await pilot.press("slash", *"survivor")
        shown = [r.answer.group for r in app.screen.board.rows if r.answer]
        assert shown == ["Senegal", "Uganda"]
        # Accents do not matter: "donnees" finds "Données".
        app.screen.query_one("#filter").value = "donnees"
        await pilot.pause()
        assert [r.answer.group for r in app.screen.board.rows if r.answer] == ["Peru"]
        # Group names match too.
        app.screen.query_one("#filter").value = "colomb"
        await pilot.pause()
        assert [r.answer.text for r in app.screen.board.rows if r.answer] == ["The focal point has no budget"]
        await pilot.press("escape")
        assert len([r for r in app.screen.board.rows if r.answer]) == len(ANSWERS)
        assert app.focused is app.screen.board
    folder.unlock()


async def test_palette_finds_an_answer_anywhere_and_jumps_to_it(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape", "n")
        await capture_all(app, pilot)
        await pilot.press("n", "n")  # on to the monitoring item
        assert app.meeting.session.id == "monitoring"
        await pilot.press("ctrl+p", *"associations")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.meeting.session.id == "coordination"
        assert app.screen.board.selected.text == "Survivors' associations not invited"
    folder.unlock()
