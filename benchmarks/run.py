"""The performance table: ratios against floors measured in the same run.

    python benchmarks/run.py [--quick] [--json PATH]

Prints a Markdown table (metric | value | floor | ratio | target | ok?) and
writes it, with every sample, to benchmarks/last-run.json. Nothing here is an
absolute timing test: each figure is compared with a floor measured moments
before on the same machine, so a slow or busy laptop moves both.

1. Start-up, process start to first frame, median of 5 (--quick: 2) fresh
   subprocesses each: a bare Textual app (Header, Static, Footer) is the floor;
   the app on the 2012 programme with an empty notes folder; the app resuming
   a folder of 5,000 answers. Runs are interleaved (a b c a b c ...) so drift in
   machine load hits all three alike. See _startup_driver.py for the signal.
2. Capture latency, `App.run_test(size=(120, 36))` with a FakeClock in a fresh
   process per case (_capture.py): ~100 answers recorded by pressing Enter in the capture bar (the
   real key path). Enter -> screen is the time to the first frame composited
   after the board's rows hold the new answer; Enter -> durable on disk is the
   time until the background saver's write of notes holding the answer returns
   (temp file written and fsynced, renamed, folder fsynced). Each capture waits
   for the previous one to reach disk, as a rapporteur typing at human speed
   would. At 50, 200 and 5,000 answers. Floors: the screen against 50 answers
   (it must not grow with the folder); the disk against a bare atomic write of
   the same item file, measured in the same run.
3. Save and load cost: `NotesFolder.save` of one changed item file with
   50 / 1,000 / 5,000 / 10,000 answers against writing and fsyncing the same
   bytes; `load_notes` of that folder against `tomllib.loads` of the same text.
4. Export (`--only export`): whole processes at 1,000, 10,000 and 50,000
   answers (spread over the 2012 day, some themed, voted, starred,
   classified): `load_notes`, `facilitator export -o FILE` in each format and
   the terminal summary (`facilitator summary`, its output to a file), each against its
   floor run right after it: a process that loads the same TOML files with
   tomllib and writes as many bytes the same way (temporary file, fsync,
   rename). Prints a scaling table (µs an answer at each size, so growth
   shows). `--only export-memory`: `exporters.export` of 10,000 answers in
   memory against `json.dumps` of the same answers as plain dicts.
5. Views (`--only views`, _views.py): the theme view, the exercise board and the
   filter, each at 5,000 answers against the same at 50, in a fresh process per
   case with `App.run_test(size=(120, 36))`: the time from a key pressed through
   the Pilot to the first frame composited whose state shows its effect (as in
   2). 5,000 answers on the coordination item over its 5 prompts, 80% of them
   clustered into 25 themes (50: 5 themes): `t` to the theme view and back, `+`
   in the theme view, one character typed in the filter over each view. 5,000
   cards on the exercise (26 groups; 30% not yet classified, 35% Output, 20%
   Outcome, 15% Impact): `b` to open the board, a number key to classify the
   selected card, `g` to show and hide the per-group table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _data import (  # noqa: E402
    CURRENT,
    RESUME,
    Layout,
    cluster,
    exercise_notes,
    extra_answer,
    make_notes,
    write_folder,
)

from facilitator.bundled import default_programme  # noqa: E402
from facilitator.programme import Programme, load_programme  # noqa: E402
from facilitator.store import NotesFolder, load_notes, render_item  # noqa: E402

STARTUP_TARGET = 1.3
CAPTURE_TARGET = 1.2
VIEWS_TARGET = 1.2


# ----------------------------------------------------------------- the table


@dataclass
class Row:
    metric: str
    value: float
    unit: str  # "s" | "ms"
    floor: float | None = None
    floor_label: str = ""
    target: float | None = None  # the ratio must be at most this
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    @property
    def ok(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target

    def cells(self) -> list[str]:
        def show(v: float | None) -> str:
            if v is None:
                return "—"
            return f"{v:.3f} s" if self.unit == "s" else f"{v:.1f} ms"

        floor = show(self.floor) + (f" ({self.floor_label})" if self.floor_label and self.floor else "")
        return [
            self.metric,
            show(self.value),
            floor,
            f"{self.ratio:.2f}x" if self.ratio is not None else "—",
            f"≤ {self.target:g}x" if self.target is not None else "—",
            {True: "ok", False: "**NO**", None: "—"}[self.ok],
        ]

    def as_json(self) -> dict:
        return {
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "floor": self.floor,
            "floor_label": self.floor_label,
            "ratio": self.ratio,
            "target": self.target,
            "ok": self.ok,
            **self.extra,
        }


def markdown(rows: list[Row]) -> str:
    head = ["metric", "value", "floor", "ratio", "target", "ok?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------- 1. start-up


def startup_once(args: list[str]) -> dict:
    env = dict(os.environ, FACILITATOR_BENCH_T0=repr(time.time()))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "_startup_driver.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"start-up driver {args} failed:\n{done.stdout}\n{done.stderr}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    marks["wall_incl_exit"] = wall
    return marks


def bench_startup(programme: Programme, runs: int, scratch: Path) -> list[Row]:
    empty = scratch / "startup-empty"
    full = scratch / "startup-5000"
    write_folder(full, programme, make_notes(programme, 5000, Layout("spread"), RESUME))
    variants = {
        "bare": ["bare"],
        "empty": ["app", str(empty), "09:55"],
        "5000": ["app", str(full), "16:30"],
    }
    samples: dict[str, list[dict]] = {k: [] for k in variants}
    for args in variants.values():  # warm the page cache and .pyc files; not counted
        startup_once(args)
    for i in range(runs):
        for name, args in variants.items():
            samples[name].append(startup_once(args))
        log(f"  start-up run {i + 1}/{runs}: " + ", ".join(f"{k} {v[-1]['frame']:.3f}s" for k, v in samples.items()))

    def median(name: str, key: str = "frame") -> float:
        return statistics.median(s[key] for s in samples[name])

    bare = median("bare")
    extra = {
        name: {
            "samples": samples[name],
            "median_paint": median(name, "paint"),
            "median_wall_incl_exit": median(name, "wall_incl_exit"),
        }
        for name in samples
    }
    label = "bare Textual app"
    return [
        Row(
            f"start-up to first frame: bare Textual app (Header, Static, Footer), median of {runs}",
            bare,
            "s",
            extra=extra["bare"],
        ),
        Row(
            "start-up to first frame: 2012 programme, empty notes folder",
            median("empty"),
            "s",
            bare,
            label,
            STARTUP_TARGET,
            extra["empty"],
        ),
        Row(
            "start-up to first frame: 2012 programme, 5,000 answers in the notes folder",
            median("5000"),
            "s",
            bare,
            label,
            STARTUP_TARGET,
            extra["5000"],
        ),
        Row(
            "start-up to 5,000 answers on screen (read after the first frame; no target, for reference)",
            median("5000", "answers_shown"),
            "s",
            bare,
            label,
            None,
            {},
        ),
    ]


# ----------------------------------------------------------------- 2. capture


def run_capture_child(spec: dict, profile: bool = False) -> dict:
    spec = dict(spec, profile=profile)
    done = subprocess.run(
        [sys.executable, str(HERE / "_capture.py"), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if profile:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"capture benchmark {spec} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def capture_specs(programme: Programme, scratch: Path, captures: int) -> dict[str, dict]:
    layouts = {
        "50": (50, Layout("same")),
        "200": (200, Layout("same")),
        "5000-same": (5000, Layout("same")),
        "5000-spread": (5000, Layout("spread")),
    }
    specs = {}
    for name, (count, layout) in layouts.items():
        folder = write_folder(scratch / f"capture-{name}", programme, make_notes(programme, count, layout, CURRENT))
        specs[name] = {"folder": str(folder), "captures": captures, "warmup": 3, "clock": "12:30", "n": count}
    # Diagnostic: the same 5,000 on one prompt with no notes folder, so no saving thread competes for the GIL.
    specs["5000-same-nosave"] = {"folder": "", "captures": captures, "warmup": 3, "clock": "12:30", "n": 5000}
    return specs


def write_floor(folder: Path, repeats: int = 15) -> float:
    """Median ms to write the current item's file as it is after the captures: temp file, fsync, rename,
    fsync of the folder. What any save that survives a crash must pay; measured in this run."""
    item = folder / f"{CURRENT[0]}.toml"
    data = item.read_bytes()
    target = folder.parent / f"floor-{folder.name}.toml"
    return statistics.median(timed(lambda: write_fsync(target, data), repeats))


CAPTURE_CASES = [
    ("50", "50 answers"),
    ("200", "200 answers"),
    ("5000-same", "5,000 answers, 4,750 on the current prompt"),
    ("5000-spread", "5,000 answers spread over the day"),
]


def bench_capture(programme: Programme, captures: int, scratch: Path) -> list[Row]:
    results, floors = {}, {}
    for name, spec in capture_specs(programme, scratch, captures).items():
        results[name] = run_capture_child(spec)
        r = results[name]
        if spec["folder"]:
            floors[name] = write_floor(Path(spec["folder"]))
        log(
            f"  capture {name}: screen p50 {pct(r['screen_ms'], 50):.1f} p95 {pct(r['screen_ms'], 95):.1f} ms"
            + (f", disk p50 {pct(r['disk_ms'], 50):.1f} p95 {pct(r['disk_ms'], 95):.1f} ms" if r["disk_ms"] else "")
            + (f", write floor {floors[name]:.2f} ms" if name in floors else "")
            + f" ({r['board_rows']} board rows)"
        )

    def stat(name: str, key: str, q: float) -> float:
        return pct(results[name][key], q)

    rows: list[Row] = []
    for key, what in (("screen_ms", "Enter → on screen"), ("disk_ms", "Enter → durable on disk")):
        for q in (50, 95):
            for name, label in CAPTURE_CASES:
                # The screen against 50 answers (it must not grow with the folder); the disk against
                # the bare atomic write of the same file (the physical floor).
                floor, floor_label = (
                    (stat("50", key, q), "50 answers") if key == "screen_ms" else (floors[name], "atomic write")
                )
                target = CAPTURE_TARGET if key == "screen_ms" and q == 95 and name.startswith("5000") else None
                rows.append(
                    Row(
                        f"{what} p{q}: {label} ({captures} captures)",
                        stat(name, key, q),
                        "ms",
                        None if (key == "screen_ms" and name == "50") else floor,
                        floor_label,
                        target,
                        {"samples": results[name][key], "board_rows": results[name]["board_rows"]} if q == 50 else {},
                    )
                )
    nosave = results["5000-same-nosave"]
    rows.append(
        Row(
            "Enter → on screen p95: 5,000 on the current prompt, no saver thread (diagnostic)",
            pct(nosave["screen_ms"], 95),
            "ms",
            stat("50", "screen_ms", 95),
            "50 answers",
            None,
            {"samples": nosave["screen_ms"]},
        )
    )
    return rows


# ----------------------------------------------------------------- 3. save and load


def write_fsync(target: Path, data: bytes) -> None:
    """The I/O floor: what any atomic save must do (temp file, fsync, rename, fsync the folder)."""
    tmp = target.with_name(f".{target.name}.floor.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    dfd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def bench_store(programme: Programme, scratch: Path, quick: bool) -> list[Row]:
    rows: list[Row] = []
    save_rows, load_rows = [], []
    for count in (50, 1000, 5000, 10000):
        repeats = {50: 15, 1000: 11, 5000: 7, 10000: 5}[count] if not quick else {50: 9, 1000: 7}.get(count, 3)
        path = scratch / f"store-{count}"
        # One item file holding every answer: the coordination item, 30% on its first prompt.
        notes = make_notes(programme, count, Layout("same", share=0.3), CURRENT, sessions={"coordination": 1.0})
        folder = NotesFolder(path, programme.id)
        folder.save(notes)
        state = {"notes": notes, "n": 0}

        def save_one(folder=folder, state=state) -> None:
            state["n"] += 1
            state["notes"] = extra_answer(state["notes"], *CURRENT, state["n"])
            folder.save(state["notes"])

        item_file = path / "coordination.toml"
        # Each measurement and its floor alternate, so a change in machine load hits both alike.
        save_one()
        data = item_file.read_bytes()
        text = data.decode()
        item = state["notes"].items[CURRENT[0]]
        save_ms, floor_ms, load_ms, parse_ms, render_ms = [], [], [], [], []
        for _ in range(repeats):
            save_ms += timed(save_one, 1)
            floor_ms += timed(lambda data=data, f=path / "floor.bin": write_fsync(f, data), 1)
            load_ms += timed(lambda path=path: load_notes(path, programme.id), 1)
            parse_ms += timed(lambda text=text: tomllib.loads(text), 1)
            # Where a save's time goes: rendering the TOML text (CPU, holds the GIL) versus the disk.
            render_ms += timed(lambda item=item: render_item(programme.id, item).encode(), 1)
        (path / "floor.bin").unlink()
        loaded = load_notes(path, programme.id).answer_count()
        assert loaded == count + repeats + 1, (loaded, count)
        extra = {"file_bytes": len(data)}
        save_rows.append(
            Row(
                f"save one changed item file, {count:,} answers ({len(data) // 1024:,} KiB)",
                statistics.median(save_ms),
                "ms",
                statistics.median(floor_ms),
                "write+fsync same bytes",
                None,
                {
                    **extra,
                    "samples": save_ms,
                    "floor_samples": floor_ms,
                    "median_render_ms": statistics.median(render_ms),
                },
            )
        )
        load_rows.append(
            Row(
                f"load_notes, {count:,} answers in one item file",
                statistics.median(load_ms),
                "ms",
                statistics.median(parse_ms),
                "tomllib.loads same text",
                None,
                {**extra, "samples": load_ms, "floor_samples": parse_ms},
            )
        )
        log(f"  store {count}: save {statistics.median(save_ms):.1f} ms, load {statistics.median(load_ms):.1f} ms")
    rows += save_rows + load_rows
    return rows


# ----------------------------------------------------------------- 4. export


def export_notes(programme: Programme, count: int):
    """`count` answers over the day, with themes, votes, stars and exercise categories, as a run leaves them."""
    from dataclasses import replace

    from facilitator.notes import Theme

    notes = make_notes(programme, count, Layout("spread"), RESUME)
    categories = ("Output", "Outcome", "Impact", "")
    for session_id, item in notes.items.items():
        exercise = session_id == "monitoring"
        answers = tuple(
            replace(a, votes=i % 4, starred=i % 17 == 0, category=categories[i % 4] if exercise else "")
            for i, a in enumerate(item.answers)
        )
        themes = tuple(Theme(f"t-{k}", f"Theme {k}", tuple(a.id for a in answers[k::7]), votes=k) for k in range(5))
        notes = notes.with_item(replace(item, answers=answers, themes=themes))
    return notes


def bench_export_memory(programme: Programme, quick: bool) -> list[Row]:
    """In one process: `exporters.export` of 10,000 answers per format against `json.dumps` of the same answers."""
    from facilitator.exporters import NOTES_FORMATS, export

    count = 10_000
    notes = export_notes(programme, count)
    assert notes.answer_count() == count
    plain = [
        {"id": a.id, "prompt": a.prompt_id, "group": a.group, "text": a.text, "captured_at": a.captured_at.isoformat()}
        for item in notes.items.values()
        for a in item.answers
    ]
    repeats = 3 if quick else 5
    floor_ms: list[float] = []
    samples: dict[str, list[float]] = {fmt: [] for fmt in NOTES_FORMATS}
    sizes: dict[str, int] = {}
    for fmt in NOTES_FORMATS:  # warm-up: imports (python-docx), caches; not counted
        sizes[fmt] = len(export(programme, notes, fmt))
    for _ in range(repeats):  # interleaved, so a change in machine load hits every format and the floor alike
        floor_ms += timed(lambda: json.dumps(plain, ensure_ascii=False), 1)
        for fmt in NOTES_FORMATS:
            samples[fmt] += timed(lambda fmt=fmt: export(programme, notes, fmt), 1)
    floor = statistics.median(floor_ms)
    rows = []
    for fmt in NOTES_FORMATS:
        value = statistics.median(samples[fmt])
        log(f"  export {fmt} in memory: {value:.0f} ms ({sizes[fmt] // 1024:,} KiB)")
        rows.append(
            Row(
                f"export {count:,} answers as {fmt}, in memory",
                value,
                "ms",
                floor,
                "json.dumps of the answers as dicts",
                None,
                {"samples": samples[fmt], "floor_samples": floor_ms, "bytes": sizes[fmt]},
            )
        )
    return rows


# The floor of a whole export process: start Python, load the notes folder's TOML files with tomllib, and
# write as many bytes as the export wrote, as the export writes them: to a file with `-o` (temporary file,
# fsync, rename, fsync the folder), or to standard output (the summary). `size` -1: load only.
FLOOR_PROCESS = """
import os, sys, tomllib
folder, target, size, durable = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
for name in sorted(os.listdir(folder)):
    if name.endswith(".toml"):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            tomllib.loads(f.read())
if size >= 0 and not durable:
    sys.stdout.buffer.write(b"x" * size)
elif size >= 0:
    tmp = target + ".floor.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    view = memoryview(b"x" * size)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, target)
    dfd = os.open(os.path.dirname(target), os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
"""
LOAD_PROCESS = "import sys\nfrom facilitator.store import load_notes\nload_notes(sys.argv[1])\n"
EXPORT_SIZES = (1_000, 10_000, 50_000)
EXPORT_TARGET = 1.2  # every export and the summary, whole process, against the load+write floor, at 10,000
DOCX_SECONDS = {10_000: 2.0, 50_000: 10.0}  # the Word export's own targets (issue 18), in seconds


def _process(args: list[str], out: Path | None = None) -> float:
    """Seconds from spawning `args` to its exit (stdout to `out`, or nowhere)."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    with open(out, "wb") if out else open(os.devnull, "wb") as sink:
        started = time.perf_counter()
        done = subprocess.run(args, stdout=sink, stderr=subprocess.PIPE, env=env, timeout=900, check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{done.stderr.decode(errors='replace')[-3000:]}")
    return seconds


def _export_cases(folder: Path, out: Path) -> dict[str, list[str]]:
    """Each measured process: loading the folder, each export to a file, the terminal summary."""
    from facilitator.exporters import NOTES_FORMATS

    py = sys.executable
    cases = {"load": [py, "-c", LOAD_PROCESS, str(folder)]}
    for fmt in NOTES_FORMATS:
        cases[fmt] = [
            py,
            "-m",
            "facilitator",
            "export",
            str(folder),
            "-f",
            fmt,
            "-o",
            str(out / f"notes.{fmt}"),
            "--force",
        ]
    cases["summary"] = [py, "-m", "facilitator", "summary", str(folder)]  # the terminal summary, to a file
    return cases


def _output(name: str, out: Path) -> Path:
    return out / ("summary.txt" if name == "summary" else f"notes.{name}")


def bench_export(programme: Programme, quick: bool, scratch: Path) -> list[Row]:
    """Whole processes at 1,000, 10,000 and 50,000 answers, each beside its floor, interleaved; a scaling table."""
    rows: list[Row] = []
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for count in EXPORT_SIZES:
        repeats = {1_000: 5, 10_000: 5, 50_000: 3}[count] if not quick else {1_000: 3, 10_000: 3, 50_000: 1}[count]
        folder, out = scratch / f"export-{count}", scratch / f"export-{count}-out"
        out.mkdir(parents=True)
        write_folder(folder, programme, export_notes(programme, count))
        cases = _export_cases(folder, out)
        for name, args in cases.items():  # warm-up (page cache, .pyc files), and the bytes each one writes
            _process(args, _output(name, out) if name == "summary" else None)
        sizes = {name: (_output(name, out).stat().st_size if name != "load" else -1) for name in cases}
        samples: dict[str, list[float]] = {name: [] for name in cases}
        floors: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(repeats):  # each process beside its floor, so a change in machine load hits both alike
            for name, args in cases.items():
                samples[name].append(_process(args, _output(name, out) if name == "summary" else None))
                durable = "0" if name in ("load", "summary") else "1"
                floor = [
                    sys.executable,
                    "-c",
                    FLOOR_PROCESS,
                    str(folder),
                    str(out / "floor.bin"),
                    str(sizes[name]),
                    durable,
                ]
                floors[name].append(_process(floor, out / "floor.txt" if name == "summary" else None))
        results[count] = {n: (statistics.median(samples[n]), statistics.median(floors[n])) for n in cases}
        log(
            f"  whole processes, {count:,} answers: "
            + ", ".join(f"{n} {v:.2f}s/{f:.2f}s" for n, (v, f) in results[count].items())
        )
        for name in cases:
            value, floor = results[count][name]
            target = EXPORT_TARGET if count == 10_000 and name not in ("load", "docx") else None
            what = "load_notes" if name == "load" else "the terminal summary" if name == "summary" else f"export {name}"
            rows.append(
                Row(
                    f"whole process, {count:,} answers: {what} ({value / count * 1e6:.0f} µs an answer)",
                    value,
                    "s",
                    floor,
                    "tomllib load" + (" + write same bytes" if name != "load" else ""),
                    target,
                    {"samples": samples[name], "floor_samples": floors[name], "bytes": sizes[name]},
                )
            )
    print(scaling_table(results) + "\n", flush=True)
    return rows


def scaling_table(results: dict[int, dict[str, tuple[float, float]]]) -> str:
    """Time an answer at each size, beside the floor's: growth shows as a rising µs an answer."""
    sizes = sorted(results)
    head = ["whole process", *(f"{n:,}: µs/answer (floor)" for n in sizes), *(f"{n:,}: ratio" for n in sizes)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in results[sizes[0]]:
        per = [f"{results[n][name][0] / n * 1e6:.0f} ({results[n][name][1] / n * 1e6:.0f})" for n in sizes]
        ratios = [f"{results[n][name][0] / results[n][name][1]:.2f}x" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(per + ratios) + " |")
    # The lead's row, "answers on screen after start", belongs here; it is measured by the start-up section.
    lines.append("| answers on screen after start | " + " | ".join("—" for _ in head[1:]) + " |")
    docx = "; ".join(
        f"{n:,}: {results[n]['docx'][0]:.2f} s (target ≤ {DOCX_SECONDS[n]:g} s)" for n in sizes if n in DOCX_SECONDS
    )
    return "\n".join(lines) + f"\n\nWord export, whole process: {docx}"


# ----------------------------------------------------------------- 5. views

# The exercise board's cards: not yet classified first, as in a room halfway through sorting them.
EXERCISE_MIX = {"": 0.30, "Output": 0.35, "Outcome": 0.20, "Impact": 0.15}
VIEW_THEMES = {50: 5, 5000: 25}  # themes the coordination answers are clustered into (80% of them themed)

# (case, metric, label, target): a row per percentile; the floor is the same metric at 50 answers.
VIEW_METRICS = [
    ("themes", "theme_view", "`t` → theme view, whole item", VIEWS_TARGET),
    ("themes", "group_view", "`t` back → by group, current prompt (for reference)", None),
    ("themes", "vote", "`+` on an answer in the theme view", VIEWS_TARGET),
    ("themes", "filter_theme", "one character typed in the filter (`/`), theme view", VIEWS_TARGET),
    ("themes", "filter_group", "one character typed in the filter (`/`), by group", VIEWS_TARGET),
    ("exercise", "classify", "number key classifies the selected card", VIEWS_TARGET),
    ("exercise", "groups_open", "`g` → per-group table (recounted after a classify)", VIEWS_TARGET),
    ("exercise", "groups_close", "`g` again → the columns", VIEWS_TARGET),
]


def views_counts(quick: bool) -> dict[str, dict]:
    """Samples per case: full aims at ~20 toggles and ~30 classifications; quick keeps the section under a minute."""
    if quick:
        return {
            "themes": {"warmup": 1, "toggles": 4, "votes": 6, "filters": 5},
            "exercise": {"warmup": 1, "opens": 1, "cycles": 3},
        }
    return {
        "themes": {"warmup": 2, "toggles": 20, "votes": 20, "filters": 12},
        "exercise": {"warmup": 1, "opens": 3, "cycles": 15},
    }


def views_specs(programme: Programme, scratch: Path, quick: bool) -> dict[str, dict]:
    counts = views_counts(quick)
    specs = {}
    for n in (50, 5000):
        notes = make_notes(programme, n, Layout("spread"), CURRENT, sessions={"coordination": 1.0})
        folder = write_folder(scratch / f"views-themes-{n}", programme, cluster(notes, CURRENT[0], VIEW_THEMES[n]))
        specs[f"themes-{n}"] = {"case": "themes", "folder": str(folder), "clock": "12:30", "n": n, **counts["themes"]}
        folder = write_folder(scratch / f"views-exercise-{n}", programme, exercise_notes(programme, n, EXERCISE_MIX))
        specs[f"exercise-{n}"] = {
            "case": "exercise",
            "folder": str(folder),
            "clock": "17:20",
            "n": n,
            **counts["exercise"],
        }
    return specs


def run_views_child(spec: dict, profile: str = "") -> dict:
    spec = dict(spec, profile=profile)
    done = subprocess.run(
        [sys.executable, str(HERE / "_views.py"), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if profile:
        sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"views benchmark {spec} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_views(programme: Programme, quick: bool, scratch: Path) -> list[Row]:
    results = {}
    for name, spec in views_specs(programme, scratch, quick).items():
        results[name] = r = run_views_child(spec)
        shown = ", ".join(f"{k} p50 {pct(v, 50):.0f}" for k, v in r.items() if k != "info" and v)
        collected = [ms for values in r["info"]["gc_gen2_ms"].values() for ms in values if ms]
        gc_note = f"; full GC inside {len(collected)} samples, up to {max(collected):.0f} ms" if collected else ""
        log(f"  views {name}: {shown} ms ({r['info']['elapsed_s']:.0f} s{gc_note})")

    info = {case: results[f"{case}-5000"]["info"] for case in ("themes", "exercise")}
    small = {case: results[f"{case}-50"]["info"] for case in ("themes", "exercise")}
    where = {
        "themes": f"5,000 answers, {info['themes']['themes']} themes",
        "exercise": f"5,000 cards, {info['exercise']['groups']} groups",
    }
    boards = {
        "theme_view": f"{info['themes']['theme_rows']:,} rows",
        "group_view": f"{info['themes']['group_rows']:,} rows",
        "vote": f"{info['themes']['theme_rows']:,} rows",
        "filter_theme": f"{info['themes']['filter_theme_rows']:,} of {info['themes']['unfiltered_theme_rows']:,} rows",
        "filter_group": f"{info['themes']['filter_group_rows']:,} of {info['themes']['unfiltered_group_rows']:,} rows",
    }
    rows: list[Row] = []
    opens = results["exercise-5000"]["open"]
    rows.append(
        Row(
            f"views: `b` opens the exercise board ({where['exercise']}, every card wrapped once), p50 of {len(opens)}",
            pct(opens, 50),
            "ms",
            pct(results["exercise-50"]["open"], 50),
            "50 cards",
            None,
            {"samples": opens, "floor_samples": results["exercise-50"]["open"], "columns": info["exercise"]["columns"]},
        )
    )
    closes = results["exercise-5000"]["close"]
    rows.append(
        Row(
            f"views: `b` back to the run screen (its board redrawn: {info['exercise']['cards']:,} cards),"
            f" p50 of {len(closes)}",
            pct(closes, 50),
            "ms",
            pct(results["exercise-50"]["close"], 50),
            "50 cards",
            None,
            {"samples": closes, "floor_samples": results["exercise-50"]["close"]},
        )
    )
    for case, metric, label, target in VIEW_METRICS:
        big, floor = results[f"{case}-5000"][metric], results[f"{case}-50"][metric]
        board = f", {boards[metric]}" if metric in boards else ""
        for q in (50, 95):
            rows.append(
                Row(
                    f"views: {label} p{q} ({where[case]}{board}; {len(big)} samples)",
                    pct(big, q),
                    "ms",
                    pct(floor, q),
                    "50 answers" if case == "themes" else "50 cards",
                    target,
                    {"samples": big, "floor_samples": floor} if q == 50 else {},
                )
            )
    rows[0].extra["info"] = info
    rows[0].extra["floor_info"] = small
    return rows


# ----------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (about 2 minutes instead of 6)")
    parser.add_argument("--json", type=Path, default=HERE / "last-run.json", help="where to write the JSON")
    parser.add_argument(
        "--only",
        choices=["startup", "capture", "store", "export", "export-memory", "views"],
        action="append",
        help="run only these parts (repeatable)",
    )
    parser.add_argument(
        "--profile-capture",
        choices=["50", "5000-same", "5000-spread", "5000-same-nosave"],
        help="instead of the table: cProfile one capture session (printed to stderr)",
    )
    parser.add_argument(
        "--profile-views",
        metavar="CASE:METRIC",
        help="instead of the table: cProfile the UI thread around one views metric's samples (printed to stderr),"
        " e.g. themes-5000:theme_view or exercise-5000:open; cases themes-50|themes-5000|exercise-50|exercise-5000,"
        " metrics theme_view group_view vote filter_theme filter_group | open close classify groups_open groups_close",
    )
    args = parser.parse_args()
    # `pip install .` compiles the package to bytecode; a source checkout run with
    # PYTHONDONTWRITEBYTECODE (as here) would recompile it in every child and
    # charge ~50 ms of compiling to start-up. Measure what users run.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "facilitator"), quiet=1)
    programme = load_programme(default_programme())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as tmp:
        scratch = Path(tmp)
        if args.profile_capture:
            spec = capture_specs(programme, scratch, 30 if args.quick else 100)[args.profile_capture]
            result = run_capture_child(spec, profile=True)
            print(json.dumps({k: v for k, v in result.items() if not k.endswith("_ms")}))
            for key in ("screen_ms", "disk_ms"):
                if result[key]:
                    print(f"{key}: p50 {pct(result[key], 50):.1f} p95 {pct(result[key], 95):.1f}")
            return 0
        if args.profile_views:
            case, _, metric = args.profile_views.partition(":")
            result = run_views_child(views_specs(programme, scratch, args.quick)[case], profile=metric)
            for key, values in result.items():
                if key != "info" and values:
                    print(f"{key}: p50 {pct(values, 50):.1f} p95 {pct(values, 95):.1f} ms ({len(values)} samples)")
            print(json.dumps(result["info"]))
            return 0
        parts = args.only or ["startup", "capture", "store", "export", "export-memory", "views"]
        rows: list[Row] = []
        if "startup" in parts:
            log("start-up…")
            rows += bench_startup(programme, 2 if args.quick else 5, scratch)
        if "capture" in parts:
            log("capture…")
            rows += bench_capture(programme, 30 if args.quick else 100, scratch)
        if "store" in parts:
            log("save and load…")
            rows += bench_store(programme, scratch, args.quick)
        if "export" in parts:
            log("export, whole processes…")
            rows += bench_export(programme, args.quick, scratch)
        if "export-memory" in parts:
            log("export, in memory…")
            rows += bench_export_memory(programme, args.quick)
        if "views" in parts:
            log("views…")
            rows += bench_views(programme, args.quick, scratch)
    elapsed = time.perf_counter() - started

    table = markdown(rows)
    print(table)
    failed = [r.metric for r in rows if r.ok is False]
    print(
        f"\n{len(rows)} rows, {sum(r.ok is True for r in rows)} within target, {len(failed)} over"
        f" ({'quick' if args.quick else 'full'} run, {elapsed:.0f} s)"
    )
    import textual

    report = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "elapsed_s": elapsed,
        "machine": {
            "python": sys.version.split()[0],
            "textual": textual.__version__ if hasattr(textual, "__version__") else "",
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_end": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "scratch": tempfile.gettempdir(),
        },
        "startup_signal": "time.time() in the parent just before spawning, to time.time() in the child at the "
        "last update of the run screen reaching the driver (App._display hook) before the screen is settled "
        "(nothing to lay out, recompose or repaint); interpreter start-up and imports included, exit excluded; "
        "the first paint and the wall time including exit are in each sample",
        "capture_signal": "Enter pressed via Pilot -> first frame composited after the board's rows hold the new "
        "answer (App._display hook); Enter -> the item file holds the answer's unique text "
        "(stat polled every 1 ms from Enter)",
        "views_signal": "a key pressed via Pilot -> first frame composited (App._display hook) whose state shows its "
        "effect (board rows replaced and wrapped at the board's width, the vote, the card counted in its new "
        "column, the per-group table shown); one fresh process per case, the app settled between samples",
        "rows": [r.as_json() for r in rows],
        "table": table,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
