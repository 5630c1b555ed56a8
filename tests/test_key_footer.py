"""The one-line footer: which keys it shows where, and that it follows the focus and the mouse."""

from __future__ import annotations

from textual.geometry import Offset

from facilitator.tui.widgets.key_footer import GAP, Key, KeyFooter, fit
from tests.test_tui_run import open_app


def key(display: str, description: str, pinned: bool = False) -> Key:
    return Key(display, display, description, True, "", pinned)


KEYS = (
    key("a", "Add answer"),
    key("n", "Next item"),
    key("p", "Prev item"),
    key("F1", "Help", pinned=True),
    key("^p", "palette", pinned=True),
)


def drawn(placed: list[tuple[int, Key]]) -> list[str]:
    return [k.display for _x, k in placed]


def test_wide_enough_everything_shows_with_help_and_palette_on_the_right():
    left, right = fit(KEYS, 80)
    assert drawn(left) == ["a", "n", "p"]
    assert drawn(right) == ["F1", "^p"]
    last_x, last = right[-1]
    assert last_x + len(last.display) + 1 + len(last.description) == 80  # flush right


def test_narrow_drops_keys_from_the_end_never_help_or_palette():
    left, right = fit(KEYS, 40)
    assert drawn(right) == ["F1", "^p"]
    assert drawn(left) == ["a"]  # "n Next item" would run into "F1 Help"
    left, right = fit(KEYS, 10)
    assert drawn(left) == [] and drawn(right) == ["F1", "^p"]


def test_keys_never_overlap_at_any_width():
    for width in range(0, 90):
        left, right = fit(KEYS, width)
        spans = sorted((x, x + len(k.display) + 1 + len(k.description)) for x, k in left + right)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end + GAP <= start, (width, spans)


async def test_run_screen_footer_shows_board_keys_then_capture_keys(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        shown = {k.description for k in footer.keys}
        assert {"Add answer", "Next item", "Help", "palette"} <= shown
        await pilot.press("a")  # into the capture bar: the board's single-letter keys go away
        await pilot.pause()
        assert "Next item" not in {k.description for k in footer.keys}
        assert "Help" in {k.description for k in footer.keys}
    folder.unlock()


async def test_clicking_a_key_runs_it(programme_2012, notes_dir, clock):
    app, folder = open_app(programme_2012, notes_dir, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        before = app.meeting.session.id
        footer = app.screen.query_one(KeyFooter)
        span = next(s for s in footer.spans if s.key.description == "Next item")
        await pilot.hover(KeyFooter, offset=Offset(span.start + 1, 0))
        assert footer.tooltip == "Show the next agenda item"
        await pilot.click(KeyFooter, offset=Offset(span.start + 1, 0))
        await pilot.pause()
        assert app.meeting.session.id != before
        assert app.meeting.session.id == programme_2012.sessions[
            [s.id for s in programme_2012.sessions].index(before) + 1].id
    folder.unlock()
