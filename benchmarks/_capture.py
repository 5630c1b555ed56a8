"""Child process for the capture benchmark: one session of captures through the real key path.

    python benchmarks/_capture.py SPEC_JSON

SPEC: {"folder": notes folder ("" for none: no saving thread), "captures": N,
"warmup": W, "clock": "HH:MM", "n": answers to generate when there is no
folder, "profile": bool}. Prints one JSON line: screen_ms, disk_ms, pilot_ms
(Enter until the Pilot's press and pause return, dominated by its idle
heuristics; for information only), board_rows, answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import CURRENT, Layout, make_notes  # noqa: E402

from facilitator.bundled import default_programme  # noqa: E402
from facilitator.programme import load_programme  # noqa: E402
from facilitator.store import NotesFolder  # noqa: E402


async def capture_session(folder_path: Path | None, captures: int, warmup: int, clock_at: str, count: int = 0) -> dict:
    """Record answers through the capture bar; returns latency samples in ms.

    With no folder, `count` answers are generated in memory and nothing is saved.
    """
    from facilitator.clock import FakeClock
    from facilitator.meeting import Meeting
    from facilitator.tui.app import make_app
    from facilitator.tui.screens.run import RunScreen

    programme = load_programme(default_programme())
    folder = NotesFolder(folder_path, programme.id) if folder_path else None
    if folder:
        folder.lock()
        notes = folder.load()
    else:
        notes = make_notes(programme, count, Layout("same"), CURRENT)
    hours, minutes = map(int, clock_at.split(":"))
    clock = FakeClock(dt.datetime.combine(programme.dates[0], dt.time(hours, minutes)))
    meeting = Meeting(programme, notes, clock)
    # "Durable" is the moment the saver's write of the notes holding the answer returns
    # (temp file written and fsynced, renamed, folder fsynced): timed at the source, not by
    # polling the file from the app's own event loop, which is busy drawing at that moment.
    saves: list[tuple[float, object]] = []
    if folder:
        save = folder.save

        def timed_save(notes_to_save, save=save):
            written = save(notes_to_save)
            saves.append((time.perf_counter(), notes_to_save))
            return written

        folder.save = timed_save
    app = make_app(meeting, folder)
    frames: list[tuple[float, list]] = []
    recording = False
    screen_ms: list[float] = []
    disk_ms: list[float] = []
    pilot_ms: list[float] = []
    groups = list(programme.groups)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RunScreen), screen
            board = screen.board
            bar = screen.capture_bar
            display = app._display

            def watch(scr, renderable):  # every frame of the run screen that reaches the driver
                if recording and renderable is not None and scr is screen and not app._batch_count:
                    frames.append((time.perf_counter(), board.rows))
                return display(scr, renderable)

            app._display = watch
            for n in range(warmup + captures):
                text = f"Capture {n} ({os.getpid()}-{n:04d}): no single focal point for disability across ministries"
                bar.group_input.value = groups[(n * 7) % len(groups)]
                bar.text_input.value = text
                bar.text_input.focus()
                await pilot.pause()
                clock.advance(seconds=20)
                before = len(meeting.item.answers)
                frames.clear()
                recording = True
                saves.clear()
                t0 = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                t_pilot = time.perf_counter()
                answers = meeting.item.answers
                assert len(answers) == before + 1, "the capture was not recorded"
                answer_id = answers[-1].id

                def shown(rows, answer_id=answer_id) -> bool:
                    return any(r.answer is not None and r.answer.id == answer_id for r in rows)

                t_screen = None
                checked = 0
                while t_screen is None:
                    for t, rows in frames[checked:]:
                        if t >= t0 and shown(rows):
                            t_screen = t
                            break
                    checked = len(frames)
                    if t_screen is None:
                        if time.perf_counter() - t0 > 10:
                            raise RuntimeError("the new answer never reached the screen")
                        await asyncio.sleep(0.002)
                t_disk = None
                if folder:
                    t_disk = await durable(saves, answer_id)
                recording = False
                if app.saver is not None:
                    await asyncio.to_thread(app.saver.flush, 30.0)
                await pilot.pause()
                if n >= warmup:
                    screen_ms.append((t_screen - t0) * 1000)
                    pilot_ms.append((t_pilot - t0) * 1000)
                    if t_disk is not None:
                        disk_ms.append((t_disk - t0) * 1000)
            board_rows = len(board.rows)
    finally:
        if folder:
            folder.unlock()
    return {
        "screen_ms": screen_ms,
        "disk_ms": disk_ms,
        "pilot_ms": pilot_ms,
        "board_rows": board_rows,
        "answers": meeting.notes.answer_count(),
    }


async def durable(saves: list, answer_id: str) -> float:
    """perf_counter() when a save holding `answer_id` returned."""
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        for when, notes in saves:
            if notes.find(answer_id):
                return when
        await asyncio.sleep(0.002)
    raise RuntimeError("the answer never reached the disk")


def capture_child(spec: dict) -> None:
    """One capture session (this process is fresh), JSON on stdout; cProfile to stderr if asked."""
    folder = Path(spec["folder"]) if spec["folder"] else None
    if spec.get("profile"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        result = asyncio.run(capture_session(folder, spec["captures"], spec["warmup"], spec["clock"], spec.get("n", 0)))
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    else:
        result = asyncio.run(capture_session(folder, spec["captures"], spec["warmup"], spec["clock"], spec.get("n", 0)))
    print(json.dumps(result))


if __name__ == "__main__":
    capture_child(json.loads(sys.argv[1]))
