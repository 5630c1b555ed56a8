"""The screen shows before the answers are read; nothing changes or saves until they are."""

from __future__ import annotations

import asyncio
import threading

from facilitator.meeting import Meeting
from facilitator.notes import Notes
from facilitator.store import NotesFolder, load_notes
from facilitator.tui.app import make_app


class SlowFolder(NotesFolder):
    """A notes folder whose `load` waits until the test lets it go."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.release = threading.Event()

    def load(self):
        assert self.release.wait(10)
        return super().load()


def seeded_folder(programme, clock, path):
    meeting = Meeting(programme, Notes(NotesFolder(path, programme.id).load_run_state()), clock)
    meeting.go_to("coordination", "national-ownership")
    for group in ("Chad", "Peru", "Iraq"):
        meeting.capture(group, f"{group} said something")
    NotesFolder(path, programme.id).save(meeting.notes)


async def test_answers_arrive_after_the_first_frame_and_nothing_is_lost_meanwhile(programme_2012, clock, tmp_path):
    path = tmp_path / "notes"
    seeded_folder(programme_2012, clock, path)
    before = {p.name: p.read_bytes() for p in path.iterdir()}

    folder = SlowFolder(path, programme_2012.id)
    meeting = Meeting(programme_2012, Notes(folder.load_run_state()), clock)
    app = make_app(meeting, folder, load_in_background=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        # The run state is there at once: the right item and prompt.
        assert app.loading
        assert (meeting.session.id, meeting.prompt_id) == ("coordination", "national-ownership")
        assert app.screen.board.rows == []
        # Answers typed while loading are kept, each apart, and nothing changes yet.
        bar = app.screen.capture_bar
        bar.group_input.value = "Jordan"
        bar.text_input.focus()
        await pilot.pause()
        await pilot.press(*"Typed while loading", "enter", *"And a second point", "enter")
        assert bar.text_input.value == ""
        assert meeting.answers_here() == ()
        await pilot.press("escape", "n")  # moving on is refused
        assert meeting.session.id == "coordination"
        assert {p.name: p.read_bytes() for p in path.iterdir()} == before  # nothing written

        folder.release.set()
        for _ in range(100):
            await pilot.pause(0.02)
            if not app.loading:
                break
        assert not app.loading
        assert [r.heading or r.answer.text for r in app.screen.board.rows][:2] == ["Chad", "Chad said something"]
        # Recorded the moment the folder was in, after what it held, in the order typed.
        assert [a.group for a in meeting.answers_here()] == ["Chad", "Peru", "Iraq", "Jordan", "Jordan"]
        await asyncio.to_thread(app.saver.flush, 5)
    reloaded = load_notes(path, programme_2012.id)
    texts = [a.text for a in reloaded.item("coordination").answers]
    assert texts[-2:] == ["Typed while loading", "And a second point"]


async def test_a_corrupt_file_found_while_loading_exits_with_status_2_and_changes_nothing(
    programme_2012, clock, tmp_path
):
    path = tmp_path / "notes"
    seeded_folder(programme_2012, clock, path)
    (path / "coordination.toml").write_text('schema = 1\nprogramme = "x"\n[[prompts]\nid = ', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in path.iterdir()}

    folder = NotesFolder(path, programme_2012.id)
    meeting = Meeting(programme_2012, Notes(folder.load_run_state()), clock)
    app = make_app(meeting, folder, load_in_background=True)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.load_error is not None:
                break
    assert app.return_code == 2
    assert "coordination.toml" in str(app.load_error)
    assert {p.name: p.read_bytes() for p in path.iterdir()} == before
