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
            item_file = folder.path / f"{CURRENT[0]}.toml" if folder else None
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
                before_enter = file_signature(item_file) if item_file else None
                t0 = time.perf_counter()
                # Watch the file from the moment Enter is pressed (the text is unique and needs no escaping).
                disk = None
                if item_file:
                    disk = asyncio.create_task(wait_for_file(item_file, text.encode(), t0, before_enter))
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
                t_disk = await disk if disk else None
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


def file_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


async def wait_for_file(path: Path, needle: bytes, t0: float, seen: tuple[int, int, int] | None,
                        poll: float = 0.001) -> float:
    """perf_counter() when `path` first contains `needle`; stat every `poll` s, read only when it changed.

    `seen` is the file as it was before Enter: it cannot hold the new answer yet,
    and reading it (a megabyte at 5,000 answers) inside the timed window would
    have delayed the very frame being timed.
    """
    while True:
        sig = file_signature(path)
        if sig is not None and sig != seen:
            seen = sig
            if needle in path.read_bytes():
                return time.perf_counter()
        if time.perf_counter() - t0 > 30:
            raise RuntimeError(f"{path} never got the new answer")
        await asyncio.sleep(poll)


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
