"""Child process for the views benchmark: the theme view, the exercise board and the filter, driven by keys.

    python benchmarks/_views.py SPEC_JSON

SPEC: {"case": "themes" | "exercise", "folder": notes folder, "clock": "HH:MM",
"warmup": W, and per case the number of samples: themes: "toggles", "votes",
"filters"; exercise: "opens", "cycles"; "profile": "" or one metric name, to
run cProfile on the UI thread around that metric's samples only (printed to
stderr)}. Prints one JSON line: {metric: [ms, ...], ..., "info": {...}}.

Every sample is the time from the key pressed through the Pilot to the first
frame composited (hook on `App._display`, as in _capture.py) whose state shows
the key's effect: the board holds the new rows, the vote, the card in its new
column, the per-group table. Between samples the app settles (the saver has
written the change, the Pilot finds it idle), as a person reading the screen
would wait. The metrics:

themes (the coordination item, its answers over 5 prompts, clustered):
  theme_view   `t` on the board, by group -> by theme (whole item)
  group_view   `t` again, back to by group (the current prompt)
  vote         `+` on the selected answer in the theme view (saved)
  filter_theme one character typed in the filter box (`/`) over the theme view
  filter_group the same over the by-group view (the current prompt only)
exercise (`monitoring-exercise`, cards in every column):
  open         `b` on the run screen -> the exercise board with every card drawn (no warm-up: the
               first open also parses the screen's CSS, at 50 cards as at 5,000)
  close        `b` on the board -> back on the run screen, redrawn
  classify     a number key files the selected card in another column (saved)
  groups_open  `g` -> the per-group table (recounted after each classify)
  groups_close `g` again -> the columns
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from facilitator.bundled import default_programme  # noqa: E402
from facilitator.programme import load_programme  # noqa: E402
from facilitator.store import NotesFolder  # noqa: E402

SIZE = (120, 36)
TIMEOUT_S = 60.0
STARTED = time.perf_counter()


class Frames:
    """Times key presses to the first frame whose state passes a probe (evaluated as each frame is displayed)."""

    def __init__(self, app, profile: str = "") -> None:
        self.app = app
        self.probe = None
        self.hit: float | None = None
        self.profile = profile
        self.profiler = None
        if profile:
            import cProfile

            self.profiler = cProfile.Profile()
        # Full (generation 2) garbage collections, any thread: (start, stop) in perf_counter() time. They stop
        # the world, and with thousands of wrapped rows alive one can take longer than the work a key does.
        self.collections: list[tuple[float, float]] = []
        self.gc_ms: dict[str, list[float]] = defaultdict(list)  # per metric, per sample (warm-ups included)
        started: list[float] = []

        def collected(phase: str, details: dict) -> None:
            if details.get("generation") != 2:
                return
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                self.collections.append((started.pop(), time.perf_counter()))

        gc.callbacks.append(collected)
        display = app._display

        def watch(scr, renderable):  # every frame that reaches the (headless) driver
            if self.probe is not None and self.hit is None and renderable is not None and not app._batch_count:
                t = time.perf_counter()
                if self.probe(scr):
                    self.hit = t
            return display(scr, renderable)

        app._display = watch

    async def key(self, pilot, key: str, probe, metric: str = "") -> float:
        """Press `key`; ms until the first frame for which `probe(screen)` is true."""
        self.hit = None
        self.probe = probe
        profiling = self.profiler is not None and metric == self.profile
        if profiling:
            self.profiler.enable()
        t0 = time.perf_counter()
        await pilot.press(key)
        while self.hit is None:
            if time.perf_counter() - t0 > TIMEOUT_S:
                raise RuntimeError(f"{metric or key}: no frame showed the change within {TIMEOUT_S:g} s")
            await asyncio.sleep(0.002)
        if profiling:
            self.profiler.disable()
        self.probe = None
        if metric:
            self.gc_ms[metric].append(sum((b - a) * 1000 for a, b in self.collections if a >= t0 and b <= self.hit))
        return (self.hit - t0) * 1000


async def settle(app, pilot) -> None:
    """Wait until the change is on disk and the app is idle: the next key comes from someone reading the screen."""
    if app.saver is not None:
        await asyncio.to_thread(app.saver.flush, 30.0)
    await pilot.pause()


class Phases:
    """Wall time of each phase of a session (info["phase_s"]), to keep the section's run time in view."""

    def __init__(self, info: dict) -> None:
        self.times = info.setdefault("phase_s", {})
        self.t = time.perf_counter()
        self.times["start-up"] = self.t - STARTED

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = now - self.t
        self.t = now


def laid_out(board) -> bool:
    """The answer board has wrapped its rows at its current width (so a frame shows them, not a blank)."""
    return board._width > 0 and len(board._heights) == len(board.rows)


def open_app(spec: dict):
    from facilitator.clock import FakeClock
    from facilitator.meeting import Meeting
    from facilitator.tui.app import make_app

    programme = load_programme(default_programme())
    folder = NotesFolder(Path(spec["folder"]), programme.id)
    folder.lock()
    notes = folder.load()
    hours, minutes = map(int, spec["clock"].split(":"))
    clock = FakeClock(dt.datetime.combine(programme.dates[0], dt.time(hours, minutes)))
    meeting = Meeting(programme, notes, clock)
    return make_app(meeting, folder), meeting, folder


async def themes_session(spec: dict, out: dict, info: dict, frames_for) -> None:
    from facilitator.tui.screens.run import RunScreen

    app, meeting, folder = open_app(spec)
    warmup = spec["warmup"]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RunScreen), screen
            board = screen.board
            board.focus()
            await pilot.pause()
            frames: Frames = frames_for(app)
            phase = Phases(info)
            info["answers"] = len(meeting.item.answers)
            info["themes"] = len(meeting.item.themes)
            info["group_rows"] = len(board.rows)

            def view_shown(view: str):
                before = board.rows
                return lambda scr: (
                    scr is screen and screen.view == view and board.rows is not before and laid_out(board)
                )

            # 1. t: by group -> by theme, and back.
            for n in range(warmup + spec["toggles"]):
                to_theme = await frames.key(pilot, "t", view_shown("theme"), "theme_view")
                info["theme_rows"] = len(board.rows)
                await settle(app, pilot)
                to_group = await frames.key(pilot, "t", view_shown("group"), "group_view")
                await settle(app, pilot)
                if n >= warmup:
                    out["theme_view"].append(to_theme)
                    out["group_view"].append(to_group)

            phase("toggles")
            # 2. + on an answer in the theme view (one answer after another, as dot voting goes).
            await frames.key(pilot, "t", view_shown("theme"))
            await settle(app, pilot)
            for n in range(warmup + spec["votes"]):
                answer = board.selected
                assert answer is not None, "no answer selected in the theme view"

                def voted(scr, answer_id=answer.id, want=answer.votes + 1) -> bool:
                    selected = board.selected
                    return (
                        scr is screen
                        and selected is not None
                        and selected.id == answer_id
                        and selected.votes == want
                        and laid_out(board)
                    )

                ms = await frames.key(pilot, "plus", voted, "vote")
                await settle(app, pilot)
                await pilot.press("down")
                await pilot.pause()
                if n >= warmup:
                    out["vote"].append(ms)

            phase("votes")
            # 3. One character typed in the filter box, then taken back, over each view.
            for view in ("theme", "group"):
                if screen.view != view:
                    await frames.key(pilot, "t", view_shown(view))
                    await settle(app, pilot)
                await pilot.press("slash")
                await settle(app, pilot)
                assert screen.focused is not None and screen.focused.id == "filter", screen.focused

                def filtered(text: str):
                    before = board.rows
                    return lambda scr: (
                        scr is screen and screen.filter_text == text and board.rows is not before and laid_out(board)
                    )

                for n in range(warmup + spec["filters"]):
                    ms = await frames.key(pilot, "s", filtered("s"), f"filter_{view}")
                    info[f"filter_{view}_rows"] = len(board.rows)
                    await settle(app, pilot)
                    await frames.key(pilot, "backspace", filtered(""))
                    await settle(app, pilot)
                    if n >= warmup:
                        out[f"filter_{view}"].append(ms)
                info[f"unfiltered_{view}_rows"] = len(board.rows)
                await pilot.press("escape")
                await settle(app, pilot)
            phase("filters")
            info["answers_after"] = meeting.notes.answer_count()
    finally:
        folder.unlock()


async def exercise_session(spec: dict, out: dict, info: dict, frames_for) -> None:
    from facilitator.tui.screens.exercise import ExerciseScreen
    from facilitator.tui.screens.run import RunScreen

    app, meeting, folder = open_app(spec)
    warmup = spec["warmup"]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RunScreen), screen
            assert meeting.session.id == "monitoring-exercise", meeting.session.id
            screen.board.focus()
            await pilot.pause()
            frames: Frames = frames_for(app)
            phase = Phases(info)
            total = len(meeting.item.answers)
            info["cards"] = total
            info["groups"] = len({a.group for a in meeting.item.answers})

            def board_open(scr) -> bool:
                # Every card in its column, and every column's board measured at its width (the cards wrapped):
                # a column sized 0 when its cards were set wraps them on its first resize, after a blank frame.
                if not (isinstance(scr, ExerciseScreen) and app.screen is scr):
                    return False
                columns = scr.columns
                return sum(c.count for c in columns) == total and all(laid_out(c.board) for c in columns)

            def back_on_run_screen():
                before = screen.board.rows
                return lambda scr: (
                    scr is screen
                    and app.screen is screen
                    and screen.board.rows is not before
                    and laid_out(screen.board)
                )

            # 1. b: the board (every card wrapped once), and b back to the run screen; the last close comes after 2.
            for n in range(spec["opens"]):
                if n:
                    out["close"].append(await frames.key(pilot, "b", back_on_run_screen(), "close"))
                    await settle(app, pilot)
                out["open"].append(await frames.key(pilot, "b", board_open, "open"))
                await settle(app, pilot)
            phase("opens")
            board = app.screen
            assert isinstance(board, ExerciseScreen)
            info["columns"] = {c.spec.label: c.count for c in board.columns}

            # 2. A cycle: a number key files the selected card of "Not yet classified" in a category, g shows the
            #    per-group table (recounted: a card moved) and g hides it, then 0 files a card of that category back.
            for n in range(warmup + spec["cycles"]):
                target = 1 + n % 3
                for source, dest in ((0, target), (target, 0)):
                    board.select_column(source)
                    await settle(app, pilot)
                    columns = board.columns
                    had = columns[source].count, columns[dest].count

                    def filed(scr, columns=columns, source=source, dest=dest, had=had) -> bool:
                        counts = columns[source].count, columns[dest].count
                        return (
                            scr is board
                            and counts == (had[0] - 1, had[1] + 1)
                            and laid_out(columns[source].board)
                            and laid_out(columns[dest].board)
                        )

                    ms = await frames.key(pilot, str(columns[dest].spec.number), filed, "classify")
                    await settle(app, pilot)
                    if n >= warmup:
                        out["classify"].append(ms)
                    if source != 0:
                        continue
                    opened = await frames.key(
                        pilot, "g", lambda scr: scr is board and board.showing_groups, "groups_open"
                    )
                    await settle(app, pilot)

                    def columns_back(scr, columns=columns) -> bool:
                        return scr is board and not board.showing_groups and all(laid_out(c.board) for c in columns)

                    closed = await frames.key(pilot, "g", columns_back, "groups_close")
                    await settle(app, pilot)
                    if n >= warmup:
                        out["groups_open"].append(opened)
                        out["groups_close"].append(closed)
            phase("cycles")
            info["columns_after"] = {c.spec.label: c.count for c in board.columns}
            info["answers_after"] = meeting.notes.answer_count()
            out["close"].append(await frames.key(pilot, "b", back_on_run_screen(), "close"))
            await settle(app, pilot)
    finally:
        folder.unlock()


def views_child(spec: dict) -> None:
    out: dict[str, list[float]] = defaultdict(list)
    info: dict = {}
    made: list[Frames] = []

    def frames_for(app) -> Frames:
        made.append(Frames(app, spec.get("profile", "")))
        return made[-1]

    session = {"themes": themes_session, "exercise": exercise_session}[spec["case"]]
    started = time.perf_counter()
    asyncio.run(session(spec, out, info, frames_for))
    info["elapsed_s"] = time.perf_counter() - started
    if made:
        # Time spent in full garbage collections inside each sample: a spike with a collection in it is the GC's.
        info["gc_gen2_ms"] = {metric: [round(ms, 1) for ms in values] for metric, values in made[0].gc_ms.items()}
        info["gc_gen2_total"] = len(made[0].collections)
    if made and made[0].profiler is not None:
        import pstats

        stats = pstats.Stats(made[0].profiler, stream=sys.stderr)
        sys.stderr.write(f"cProfile of the UI thread around the {spec['profile']!r} samples only:\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    print(json.dumps({**out, "info": info}))


if __name__ == "__main__":
    views_child(json.loads(sys.argv[1]))
