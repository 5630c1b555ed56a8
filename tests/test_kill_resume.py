"""Kill the running app without a clean shutdown, restart, find everything.

The child process runs the real app (headless, driven by Pilot), captures
answers, waits until the saver reports them on disk, then dies by SIGKILL: no
unmount, no lock release, no final save. The restart must take over the stale
lock and resume at the same item and prompt with every answer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from facilitator.meeting import Meeting
from facilitator.store import NotesFolder
from facilitator.tui.app import make_app

CHILD = textwrap.dedent(
    """
    import asyncio, datetime as dt, os, signal, sys
    from pathlib import Path
    from facilitator.bundled import default_programme
    from facilitator.clock import FakeClock
    from facilitator.meeting import Meeting
    from facilitator.programme import load_programme
    from facilitator.store import NotesFolder
    from facilitator.tui.app import make_app

    async def main():
        programme = load_programme(default_programme())
        folder = NotesFolder(Path(sys.argv[1]), programme.id)
        folder.lock()
        meeting = Meeting(programme, folder.load(), FakeClock(dt.datetime(2012, 5, 22, 15, 2)))
        app = make_app(meeting, folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("escape", "n", "n", "n", "s", "right")
            bar = app.screen.capture_bar
            for group, text in [("Peru", "Ministry of Health leads"), ("Jordan", "No survivor in the committee"),
                                ("Iraq", 'Data "not shared" between provinces')]:
                bar.group_input.value = group
                bar.text_input.focus()
                await pilot.press(*text, "enter")
            assert await asyncio.to_thread(app.saver.flush, 5)
            print("SAVED", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    asyncio.run(main())
    """
)


async def test_sigkill_then_restart_finds_everything(programme_2012, tmp_path, clock):
    notes_dir = tmp_path / "notes"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(notes_dir)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "SAVED" in result.stdout
    assert (notes_dir / ".lock").exists()  # left behind by the dead process

    folder = NotesFolder(notes_dir, programme_2012.id)
    folder.lock()  # a stale lock from a dead process is taken over
    meeting = Meeting(programme_2012, folder.load(), clock)
    app = make_app(meeting, folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert meeting.session.id == "monitoring"
        assert meeting.prompt_id == "actors-involved"
        assert [(a.group, a.text) for a in meeting.answers_here()] == [
            ("Peru", "Ministry of Health leads"),
            ("Jordan", "No survivor in the committee"),
            ("Iraq", 'Data "not shared" between provinces'),
        ]
        assert meeting.notes.run.timing("monitoring").started_at.hour == 15
        assert len(app.screen.board.rows) == 6  # three group headings, three answers
    folder.unlock()
