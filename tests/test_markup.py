"""No text a person typed or a file holds is ever read as Textual markup (issue 11, point 5).

A group named `[/]` or `UNDP [/b]`, then `d` on its answer, raised a
MarkupError and ended the app; a programme title `Report-back [optional] and
wrap-up [/draft]` passed `validate` and crashed the app on `s`; `Peru
[observer]` showed as "Peru ", `[link=…]` became a link and `[@click=app.quit]`
an action. This test walks every screen, dialog, notice, the palette, the
review, the projector and the exercise board with such strings in the
programme, the answers, the themes, the categories and the notes folder's
own path, and checks each is shown as typed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content

from facilitator.bundled import default_programme
from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.programme import load_programme
from facilitator.store import NotesFolder
from facilitator.tui import literal
from facilitator.tui.app import make_app
from facilitator.tui.screens.dialogs import ChoiceDialog, TextDialog
from facilitator.tui.screens.exercise import ExerciseScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.present import PresentScreen
from facilitator.tui.screens.review import ReviewScreen

TITLE = "Report-back [optional] and wrap-up [/draft]"
ITEM = "Coordination [/] [b]not bold [link=https://evil.example]a link[/link]"
PRESENTER = "ICBL [@click=app.quit]quit[/]"
PROMPT = "What [red]challenges[/red] [/] remain?"
CATEGORY = "Outcome [/]"
GROUPS = ["[/]", "UNDP [/b]", "Peru [observer]"]
ANSWER = "[@click=app.quit]quit[/] and [link=x]y[/link]"
THEME = "[/] theme [b]"


def hostile_programme(tmp_path: Path):
    data = tomllib.loads(default_programme().read_text(encoding="utf-8"))
    data["id"] = "hostile"
    data["title"] = TITLE
    data["groups"] = [*GROUPS, *data["groups"]]
    coordination = next(s for s in data["sessions"] if s["id"] == "coordination")
    coordination["title"] = ITEM
    coordination["presenters"] = [{"name": PRESENTER, "role": "Scene-setting [i]"}]
    coordination["prompts"][0]["text"] = PROMPT
    exercise = next(s for s in data["sessions"] if s["id"] == "monitoring-exercise")
    exercise["categories"] = ["Output", CATEGORY, "Impact"]
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_programme(path)


def shown(app) -> str:
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    for entity, char in (("&#160;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#x27;", "'"),
                         ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


async def capture(pilot, group: str, text: str) -> None:
    await pilot.press("shift+tab", *group, "tab", *text, "enter")


async def test_every_screen_shows_markup_like_text_as_typed(tmp_path):
    programme = hostile_programme(tmp_path)
    folder_path = tmp_path / "notes [b] [x" / "run [@click=app.quit]"  # brackets in the folders of the notes
    folder = NotesFolder(folder_path, programme.id)
    folder.lock()
    clock = FakeClock(programme.sessions[1].start and __import__("datetime").datetime(2012, 5, 22, 10, 16))
    meeting = Meeting(programme, folder.load(), clock)
    app = make_app(meeting, folder, retry_seconds=0.05)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("escape", "n", "s", "a")  # coordination, started: its title in the notice too
        await pilot.pause()
        screen = shown(app)
        assert "Coordination [/] [b]not bold [link=https://evil.example]" in screen
        assert PROMPT in screen and PRESENTER in screen

        for group in GROUPS:
            await capture(pilot, group, f"{ANSWER} from {group}")
        await pilot.pause()
        screen = shown(app)
        for group in GROUPS:
            assert group in screen and f"{ANSWER} from {group}" in screen

        # Board commands whose notices quote the group: delete, undo; dialogs that quote it.
        await pilot.press("escape", "d")
        await pilot.pause()
        assert "Deleted Peru [observer]'s answer — u undoes" in shown(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Undone: deleted Peru [observer]'s answer" in shown(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog) and any(f"Edit {g}'s answer" in shown(app) for g in GROUPS)
        await pilot.press("escape", "g")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog) and any(f"(now: {g})" in shown(app) for g in GROUPS)
        await pilot.press("escape", "m")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog) and PROMPT in shown(app)
        await pilot.press("escape")

        # Themes: a theme named with brackets, its notice, the theme view, rename.
        await pilot.press("space", "c")
        await pilot.pause()
        await pilot.press(*THEME, "enter")
        await pilot.pause()
        assert f"Put 1 answer in theme “{THEME}” — u undoes" in shown(app)
        await pilot.press("t")
        await pilot.pause()
        assert THEME in shown(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog) and THEME in shown(app)
        await pilot.press("escape", "t")

        # The filter, then the palette: commands, items and answers found by their words.
        await pilot.press("slash", *"[/", "enter")
        await pilot.pause()
        assert "filter “[/”" in shown(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"quit")
        await pilot.pause(0.3)
        assert "Answer · " in shown(app) and "[@click=app.quit]quit[/]" in shown(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"coordination")
        await pilot.pause(0.3)
        assert "Go to: 10:15 Coordination [/] [b]" in shown(app)
        await pilot.press("escape")

        # The review, the projector, help.
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and ITEM in shown(app) and "UNDP [/b]" in shown(app)
        await pilot.press("escape", "f5")
        await pilot.pause()
        assert isinstance(app.screen, PresentScreen) and TITLE in shown(app)
        # At 160x50 the question is drawn in block letters, one glyph per character typed: its text
        # is the prompt as typed (tests/test_present.py checks the plain-text fallback shows it so).
        assert app.screen.query_one("#present-prompt").text == PROMPT
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")

        # The exercise board: a category with brackets, a card from a bracketed group, the per-group table.
        await pilot.press("n", "n", "n")
        assert meeting.session.id == "monitoring-exercise"
        await pilot.press("b")
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("a")
        await capture(pilot, "UNDP [/b]", "Indicator [b]with brackets[/b]")
        await pilot.press("escape", "2")
        await pilot.pause()
        screen = shown(app)
        assert CATEGORY in screen and "Indicator [b]with brackets[/b]" in screen
        await pilot.press("g")
        await pilot.pause()
        assert "UNDP [/b]" in shown(app)
        await pilot.press("escape", "escape")

        # A notice that names the notes folder's own path (brackets in it): an export from the palette.
        app.export("md")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.last_export is not None:
                break
        await pilot.pause()
        assert "Exported to" in shown(app) and "notes [b] [x" in str(app.last_export)
        assert app.is_running
    folder.unlock()


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"))))  # controls are drawn as symbols
def test_literal_markup_reads_back_as_the_text(text):
    """For the one Textual place that only takes markup (a palette hit's help line)."""
    assert Content.from_markup(literal(text)).plain == text
