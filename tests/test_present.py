"""The projector view: inside the main app (F5), and following a run from a second terminal.

The second terminal only reads: every test that runs it checks that the notes
folder is byte for byte (and time for time) as it was, or still absent.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest

from facilitator.cli import CliError, main
from facilitator.cli.present import follower_for
from facilitator.clock import FakeClock
from facilitator.meeting import Meeting
from facilitator.notes import Rehearsal, empty_notes
from facilitator.present import ProjectorView, RunFollower, countdown_parts, projector_view
from facilitator.store import NotesFolder
from facilitator.tui import big_font
from facilitator.tui.app import make_app
from facilitator.tui.present_app import PresentApp
from facilitator.tui.screens.present import PresentScreen
from facilitator.tui.screens.run import RunScreen
from facilitator.tui.widgets.big_text import BigText

PROGRAMME_ID = "parallel-programme-2012-05-22"


def screen_text_lines(app) -> list[str]:
    """The screen row by row, as plain text."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=io.StringIO(), legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True), end="")
    return console.export_text(styles=False).splitlines()


def screen_text(app) -> str:
    """What a person sees: the screen as plain text, spaces collapsed."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ").replace("&#x27;", "'")
    return re.sub(r"\s+", " ", text)


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]] | None:
    """Every file under a folder with its bytes and modification time; None when absent."""
    if not folder.exists():
        return None
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    } | {".": (b"", folder.stat().st_mtime_ns)}


def coordination_meeting(programme, clock: FakeClock) -> Meeting:
    """The 10:15 item started at 10:16, on its second prompt."""
    meeting = Meeting(programme, empty_notes(programme.id), clock)
    meeting.go_to("coordination")
    clock.set(dt.datetime(2012, 5, 22, 10, 16))
    meeting.start_item()
    meeting.next_prompt()
    return meeting


async def wait_for(pilot, condition, rounds: int = 20, step: float = 0.05) -> int:
    """Let the app run until `condition()` holds; the number of pauses it took (fails past `rounds`)."""
    for n in range(rounds + 1):
        if condition():
            return n
        await pilot.pause(step)
    raise AssertionError(f"not within {rounds * step:.2f} s")


def shows_break(screen: PresentScreen) -> bool:
    """The lunch break on the projector: its title in block letters in the middle, "Break" above it."""
    middle = screen.query_one("#present-prompt")
    return (middle.text, middle.scale > 0, screen.query_one("#present-place").visual.plain) == (
        "Break for lunch and side events", True, "Break")


# ---------------------------------------------------------------- the view itself


def test_the_view_shows_item_presenter_prompt_countdown_and_next(programme_2012):
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 0))
    meeting = coordination_meeting(programme_2012, clock)
    clock.set(dt.datetime(2012, 5, 22, 10, 40))
    view = projector_view(meeting)
    assert view.clock == "10:40"
    assert view.title == "Coordination in the Implementation of National Plans"
    assert view.presenters == ("Scene-setting presentation: ICBL",)
    assert view.prompt_place == "Question 2 of 5"
    assert view.prompt == meeting.prompt.text
    assert (view.countdown, view.countdown_word, view.state) == ("2:21:00", "left", "running")
    assert view.next_item == "next: Break for lunch and side events at 13:01"

    clock.set(dt.datetime(2012, 5, 22, 12, 57, 30))
    view = projector_view(meeting)
    assert (view.countdown, view.countdown_word, view.state) == ("3:30", "left", "warning")
    clock.set(dt.datetime(2012, 5, 22, 13, 3, 10))
    view = projector_view(meeting)
    assert (view.countdown, view.countdown_word, view.state) == ("+2:10", "overrun", "overrun")
    assert view.next_item == "next: Break for lunch and side events at 13:03"


def test_countdown_parts_follow_the_run_screen_labels():
    assert countdown_parts("12:34 left", "running") == ("12:34", "left")
    assert countdown_parts("overrun 3:10", "overrun") == ("+3:10", "overrun")
    assert countdown_parts("2:45:00 planned", "not started") == ("2:45:00", "planned")
    assert countdown_parts("ended", "ended") == ("", "ended")
    assert countdown_parts("—", "open") == ("", "")


def test_the_last_item_has_no_next(programme_2012):
    meeting = Meeting(programme_2012, empty_notes(programme_2012.id), FakeClock(dt.datetime(2012, 5, 22, 17, 0)))
    meeting.go_to("end")
    meeting.start_item()  # the room is at the last item
    assert projector_view(meeting).next_item == ""
    meeting.go_to("lunch")
    meeting.start_item()
    view = projector_view(meeting)
    assert (view.kind, view.prompt, view.prompt_place) == ("break", "", "")


def test_the_room_sees_the_item_running_not_the_one_read_ahead(programme_2012, clock):
    meeting = coordination_meeting(programme_2012, clock)
    meeting.go_to("monitoring", "measurement")  # the facilitator reads the afternoon's questions
    view = projector_view(meeting)
    assert view.title == "Coordination in the Implementation of National Plans"
    assert view.prompt_place == "Question 2 of 5"
    assert view.next_item.startswith("next: Break for lunch")
    meeting.end_item()  # ended without starting another: the room sees what comes next, no question yet
    view = projector_view(meeting)
    assert (view.title, view.prompt, view.countdown_word) == ("Break for lunch and side events", "", "planned")


# ---------------------------------------------------------------- inside the main app


async def test_f5_opens_the_projector_view_b_blanks_it_escape_returns(programme_2012, tmp_path, clock):
    folder = NotesFolder(tmp_path / "notes", programme_2012.id)
    folder.lock()
    meeting = coordination_meeting(programme_2012, clock)
    clock.set(dt.datetime(2012, 5, 22, 12, 57))
    app = make_app(meeting, folder, retry_seconds=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        await pilot.press("f5")  # from the capture bar: F5 is not text
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        text = screen_text(app)
        for shown in (
            "Coordination in the Implementation of National Plans",
            "Scene-setting presentation",
            "Question 2 of 5",
            "Are the efforts of all relevant actors",  # a long question: plain text at this size
            "left",
            "next: Break for lunch and side events at 13:01",
        ):
            assert shown in text, shown
        # In block letters: the speaker and the countdown (the warning colour from 5 minutes left).
        assert (screen.query_one("#present-speaker").text, screen.query_one("#present-speaker").scale) == ("ICBL", 1)
        countdown = screen.query_one("#present-countdown-digits")
        assert (countdown.text, countdown.scale) == ("4:00", 1)
        assert countdown.has_class("-warning")

        await pilot.press("b")
        await pilot.pause()
        assert screen.blanked
        assert not any(child.display for child in screen.children)
        assert "Coordination" not in screen_text(app)
        await pilot.press("full_stop")  # a presenter's remote sends "." for blank
        await pilot.pause()
        assert not screen.blanked
        assert "Coordination" in screen_text(app)

        # The facilitator still moves the room on from here; the view follows at once.
        await pilot.press("right")
        await pilot.pause()
        assert app.meeting.prompt_id == "improve-coordination"
        assert "Question 3 of 5" in screen_text(app)
        await pilot.press("n")  # the room moves on: lunch starts, the coordination ends
        await pilot.pause()
        assert app.meeting.session.id == "lunch" and app.meeting.running.id == "lunch"
        assert app.meeting.notes.run.timing("coordination").ended_at is not None
        assert shows_break(screen)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert app.meeting.session.id == "lunch"  # the run screen shows where the room is
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PresentScreen)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
    folder.unlock()


async def test_help_lists_the_projector_keys(programme_2012, notes_dir, clock):
    from rich.console import Console

    from facilitator.tui.screens.help import HelpScreen, key_table

    app = make_app(Meeting(programme_2012, empty_notes(programme_2012.id), clock))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        console = Console(record=True, width=200)
        console.print(key_table(app.screen.sources))
        text = console.export_text()
        for binding in [*RunScreen.BINDINGS, *PresentScreen.BINDINGS]:
            assert (binding.tooltip or binding.description) in text
        await pilot.press("escape")

        # And by name in the command palette.
        await pilot.press("ctrl+p", *"projector view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresentScreen)


# ---------------------------------------------------------------- following run.toml


async def test_second_terminal_follows_the_run_within_a_second(programme_2012, tmp_path, clock):
    notes = tmp_path / "notes"
    writer = NotesFolder(notes, programme_2012.id)  # stands for the running app
    meeting = coordination_meeting(programme_2012, clock)
    writer.save(meeting.notes)
    app = PresentApp(RunFollower(notes, programme_2012, clock))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Question 2 of 5" in screen_text(app)
        before = folder_state(notes)

        meeting.next_prompt()
        writer.save(meeting.notes)
        # Each pause is 0.05 s: the view must follow within 1 s (it polls every 0.25 s).
        await wait_for(pilot, lambda: "Question 3 of 5" in screen_text(app))
        meeting.go_to("monitoring")  # read ahead on the laptop: the wall does not move
        writer.save(meeting.notes)
        await pilot.pause(0.6)
        assert "Question 3 of 5" in screen_text(app)
        meeting.start_next()  # lunch starts: the wall follows
        writer.save(meeting.notes)
        await wait_for(pilot, lambda: shows_break(app.screen))
        assert "next: Monitoring the Implementation of National Plans at 15:00" in screen_text(app)
        after_moves = folder_state(notes)

        await pilot.pause(0.6)  # a few more polls with nothing new
        assert folder_state(notes) == after_moves
        assert set(after_moves) == set(before)  # no lock, no temporary file, nothing added
        assert not (notes / ".lock").exists()


async def test_a_corrupt_run_file_keeps_the_last_good_view(programme_2012, tmp_path, clock):
    notes = tmp_path / "notes"
    writer = NotesFolder(notes, programme_2012.id)
    meeting = coordination_meeting(programme_2012, clock)
    writer.save(meeting.notes)
    app = PresentApp(RunFollower(notes, programme_2012, clock))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        run_file = notes / "run.toml"
        good = run_file.read_bytes()
        for bad in (good[: len(good) // 2], b"", b"schema = 1\nprogramme = [\n", b"\xff\xfe garbage"):
            run_file.write_bytes(bad)
            os.utime(run_file, ns=(0, 10**18 + len(bad)))  # a new time even on a coarse clock
            await wait_for(pilot, lambda: "cannot be read" in screen_text(app))
            text = screen_text(app)
            assert "Question 2 of 5" in text and "showing the last good state" in text
            assert app.is_running
        meeting.next_prompt()
        NotesFolder(notes, programme_2012.id).save(meeting.notes)
        await wait_for(pilot, lambda: "Question 3 of 5" in screen_text(app))
        assert "cannot be read" not in screen_text(app)

        run_file.unlink()  # the folder went away under it: still the last state, and says so
        await wait_for(pilot, lambda: "is gone" in screen_text(app))
        assert "Question 3 of 5" in screen_text(app)


async def test_waiting_for_a_run_that_has_not_started_creates_nothing(programme_2012, tmp_path, clock):
    notes = tmp_path / "notes" / PROGRAMME_ID
    app = PresentApp(RunFollower(notes, programme_2012, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.6)
        assert "Waiting for the run to start in" in screen_text(app)
        assert app.screen.shown.waiting == f"Waiting for the run to start in {notes}"
        assert not notes.exists() and not notes.parent.exists()

        meeting = coordination_meeting(programme_2012, clock)
        NotesFolder(notes, programme_2012.id).save(meeting.notes)
        state = folder_state(notes)
        await wait_for(pilot, lambda: "Question 2 of 5" in screen_text(app))
        assert "Waiting" not in screen_text(app)
        await pilot.pause(0.3)
        assert folder_state(notes) == state


async def test_the_run_toml_names_the_programme_to_follow(tmp_path, clock, programme_2012):
    """Started before the run, on the default programme: a run of another bundled programme is followed."""
    from facilitator import bundled
    from facilitator.programme import load_programme

    other = load_programme(bundled.find("small-group-workshop-half-day"))
    notes = tmp_path / "notes"
    follower = RunFollower(notes, programme_2012, clock)
    assert follower.poll() and follower.view().waiting
    meeting = Meeting(other, empty_notes(other.id), clock)
    NotesFolder(notes, other.id).save(meeting.notes)
    assert follower.poll()
    assert follower.programme.id == other.id
    assert follower.view().title == other.sessions[0].title
    assert not follower.poll()  # nothing changed: not read again

    given = RunFollower(notes, programme_2012, clock, programme_given=True)
    given.poll()
    assert given.view().waiting and given.view().notice == (
        'run.toml is for programme "small-group-workshop-half-day", not "parallel-programme-2012-05-22"'
    )


# ---------------------------------------------------------------- the command line


def test_present_defaults_to_the_2012_programme_notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    follower = follower_for(None, None)
    assert follower.programme.id == PROGRAMME_ID
    assert follower.folder == Path("notes") / PROGRAMME_ID
    assert not (tmp_path / "notes").exists()


def test_present_refuses_bad_input(tmp_path, capsys, programme_2012):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(CliError, match="is a file, not a notes folder"):
        follower_for(a_file, None)

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "run.toml").write_text('schema = 1\nprogramme = "not-bundled"\nsession = ""\nprompt = ""\n')
    before = folder_state(foreign)
    assert main(["present", str(foreign)]) == 2
    assert "not a bundled one: give its file with --programme FILE" in capsys.readouterr().err
    assert main(["present", str(foreign), "--programme", PROGRAMME_ID]) == 2
    assert "the notes are for programme 'not-bundled', not 'parallel-programme-2012-05-22'" in capsys.readouterr().err
    assert folder_state(foreign) == before


# ---------------------------------------------------------------- pictures


def present_app(programme, tmp_path, minute: dt.datetime, prompts: int = 0, rehearsal: bool = False) -> PresentApp:
    """The projector following the coordination item on its second prompt (and `prompts` further)."""
    clock = FakeClock(dt.datetime(2012, 5, 22, 10, 0))
    meeting = coordination_meeting(programme, clock)
    for _ in range(prompts):
        meeting.next_prompt()
    clock.set(minute)
    notes = meeting.notes.with_run(rehearsal=Rehearsal(minute, 30.0, minute)) if rehearsal else meeting.notes
    NotesFolder(tmp_path / "notes", programme.id).save(notes)
    app = PresentApp(RunFollower(tmp_path / "notes", programme, clock))
    app.notify = lambda *args, **kwargs: None  # no start-up hint in the pictures
    return app


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_projector_picture(snap_compare, programme_2012, tmp_path, size):
    app = present_app(programme_2012, tmp_path, dt.datetime(2012, 5, 22, 12, 57, 30))
    assert snap_compare(app, terminal_size=size)


def test_projector_picture_160x45_a_short_question(snap_compare, programme_2012, tmp_path):
    """The size of a projector: "How can coordination be improved?" in block letters, in a rehearsal."""
    app = present_app(programme_2012, tmp_path, dt.datetime(2012, 5, 22, 12, 30), prompts=1, rehearsal=True)
    assert snap_compare(app, terminal_size=(160, 45))


# ---------------------------------------------------------------- the whole screen


async def test_the_question_fills_the_screen_in_block_letters(programme_2012, tmp_path):
    app = present_app(programme_2012, tmp_path, dt.datetime(2012, 5, 22, 12, 30), prompts=1, rehearsal=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        question = screen.query_one("#present-prompt", BigText)
        assert question.text == "How can coordination be improved?"
        assert question.scale >= 1  # block letters: 4 rows a line or more
        assert question.region.height >= 45 // 3 and question.region.width >= 140  # the middle of the screen
        drawn = [line for line in screen_text_lines(app) if "█" in line or "▀" in line or "▄" in line]
        assert len(drawn) >= 8  # two lines of letters at least 4 rows high
        # The speaker and the countdown large too; the rehearsal said; what comes next at the bottom.
        assert screen.query_one("#present-speaker", BigText).scale == 1
        assert screen.query_one("#present-countdown-digits", BigText).scale == 1
        assert "REHEARSAL" in screen_text(app)
        assert screen_text_lines(app)[-2].strip() == "next: Break for lunch and side events at 13:01"


async def test_a_long_question_is_plain_text_centred_and_spaced(programme_2012, tmp_path):
    app = present_app(programme_2012, tmp_path, dt.datetime(2012, 5, 22, 12, 30), prompts=2)  # question 4
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        question = app.screen.query_one("#present-prompt", BigText)
        assert question.text.startswith("How can international and non-governmental") and question.scale == 0
        lines = [line for line in screen_text_lines(app) if "organizations" in line or "objectives?" in line]
        assert len(lines) == 2
        for line in lines:  # centred: about as much room on the left as on the right
            left, right = len(line) - len(line.lstrip()), len(line) - len(line.rstrip())
            assert abs(left - right) <= 2 and left >= 30
        rows = screen_text_lines(app)
        first, last = (next(i for i, row in enumerate(rows) if word in row) for word in ("organizations", "objectives"))
        assert last - first == 4  # three lines, a blank line between each


async def test_small_terminals_fall_back_to_plain_text_as_typed(tmp_path, clock):
    """Under 22 rows: the question, the clock and the countdown in plain text; markup-like text as typed."""
    from textual.app import App

    view = ProjectorView(clock="10:42", title="Coordination", prompt="What [b]works[/b] [/]?", countdown="4:00",
                         countdown_word="left", state="warning", next_item="next: Break at 13:00")

    class One(App):
        def on_mount(self) -> None:
            self.push_screen(PresentScreen(lambda: view))

    app = One()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert all(shown in text for shown in ("What [b]works[/b] [/]?", "10:42", "4:00", "left", "next: Break"))
        assert app.screen.query_one("#present-prompt", BigText).scale == 0


def test_the_block_font():
    assert {len(rows) for _, rows in big_font.GLYPHS.values()} == {big_font.ROWS}
    assert all(len(row) == width for width, rows in big_font.GLYPHS.values() for row in rows)
    assert big_font.can_draw("How can coordination be improved? (2012) 4:00 +3:10")
    assert not big_font.can_draw("Évaluation")  # shown as plain text rather than misspelt
    room = big_font.pixel_width("How can coordination")
    assert big_font.wrap("How can coordination be improved?", room, 1) == ["How can coordination", "be improved?"]
    assert big_font.wrap("How can coordination be improved?", room * 2, 2) == ["How can coordination", "be improved?"]
    assert big_font.wrap("coordination", 40, 1) is None  # a word wider than the room
    assert [len(big_font.draw("4:00", scale)) for scale in (1, 2)] == [4, 8]


def test_projector_picture_small_light_overrun(snap_compare, programme_2012, tmp_path):
    app = present_app(programme_2012, tmp_path, dt.datetime(2012, 5, 22, 13, 4))

    async def light(pilot):
        pilot.app.theme = "textual-light"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(60, 20), run_before=light)
