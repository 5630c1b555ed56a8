"""Hostile programme files: mutations of the real 2012 programme load or give a `ProgrammeError`, nothing else.

`tests/test_validation.py` already throws random bytes and random TOML shapes
at the loader. Here hypothesis starts from the bundled programme, which is
valid, and breaks it the ways a person, a bad copy or an attacker would:

- on its data (parsed with tomllib, mutated, written back with tomli_w): keys
  dropped or renamed, values swapped for any other TOML type, strings made huge
  or full of control characters, escape sequences, bidi overrides and NULs, lists
  grown to thousands of agenda items, prompts or groups, values nested deep;
- on its bytes: bytes flipped, inserted, deleted, duplicated, the file truncated,
  brackets nested thousands deep.

Each mutant must load as a `Programme` (and then plan its day and print its
agenda) or raise `ProgrammeError` whose problems each print as one line with no
control character in it; `facilitator validate` on it must exit 0 or 2 with
only `facilitator: ` lines on stderr and never a traceback. A few mutants also
go through the real command in a subprocess.

More examples: FACILITATOR_HYPOTHESIS_SCALE=20 multiplies every example count.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from facilitator.bundled import default_programme
from facilitator.cli import main
from facilitator.cli.programmes import agenda_renderables
from facilitator.programme import Programme, ProgrammeError, is_valid_id, load_programme
from facilitator.schedule import plan

SCALE = max(1, int(os.environ.get("FACILITATOR_HYPOTHESIS_SCALE", "1") or 1))
REPO = Path(__file__).resolve().parent.parent
BASE_TEXT = default_programme().read_text("utf-8")
BASE: dict[str, Any] = tomllib.loads(BASE_TEXT)
FUZZ = settings(
    max_examples=120 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# ------------------------------------------------------------------ what every mutant must give


def unsafe_characters(line: str) -> list[str]:
    """Characters that would let a file's content take over the terminal or break the line:
    control characters (ESC, CR, NUL, C1 controls), line and paragraph separators, bidi overrides."""
    return [c for c in line if unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") or "\u202a" <= c <= "\u202e"
            or "\u2066" <= c <= "\u2069"]  # fmt: skip


def check_loads_or_refuses(path: Path) -> Programme | None:
    try:
        programme = load_programme(path)
    except ProgrammeError as exc:
        assert exc.problems
        for problem in exc.problems:
            line = str(problem)
            assert problem.message and problem.file == str(path)
            assert len(line.splitlines()) == 1 and not unsafe_characters(line), repr(line)
        return None
    assert isinstance(programme, Programme)
    # What the run screen, `show` and the notes folder rely on, for any programme that loads.
    assert programme.sessions and all(is_valid_id(s.id) and s.id != "run" for s in programme.sessions)
    assert is_valid_id(programme.id)
    assert len(plan(programme)) == len(programme.sessions)
    console = Console(file=io.StringIO(), width=100, highlight=False, markup=False, emoji=False)
    console.print(*agenda_renderables(programme))
    return programme


def check_validate(path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue() + out.getvalue()
    lines = err.getvalue().splitlines()
    if code == 2:
        assert lines and all(line.startswith(f"facilitator: {path}") for line in lines), lines
        assert out.getvalue() == ""
    else:
        assert lines == [] and out.getvalue().startswith(f"{path}: ok — ")
        assert not unsafe_characters(out.getvalue().rstrip("\n")), repr(out.getvalue())


def check(data: bytes) -> Programme | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "programme.toml"
        path.write_bytes(data)
        programme = check_loads_or_refuses(path)
        check_validate(path)
        return programme


# ------------------------------------------------------------------ mutating the data


def node_paths(value: Any, here: tuple = ()) -> list[tuple]:
    """Every place in the parsed TOML: a tuple of keys and list indexes."""
    out = [here]
    if isinstance(value, dict):
        for key, inner in value.items():
            out += node_paths(inner, (*here, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += node_paths(inner, (*here, i))
    return out


def parent_of(data: Any, path: tuple) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


ODD = st.sampled_from([
    "\x00", "\x1b[2J", "\x1b]0;title\x07", "\r", "\n", "\t", "\x7f", "\x85", "\x9b31m", "\u2028", "\u2029",
    "\u202e", "\u2066", "\ufeff", "\ufffe", "\U0010ffff", "\u0301", "👩🏽‍🦽", "لا", "﷽", " ", "\u00a0", "'", '"',
    '"""', "\\", "[[sessions]]", "=", "#",
])  # fmt: skip
odd_text = st.lists(ODD | st.text(st.characters(codec="utf-8"), max_size=6), max_size=6).map("".join)
scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
    st.sampled_from(["09:00", "24:00", "9:5", "2012-05-22", "2012-02-30", "discussion", "exercise", "run", "CON"]),
    st.datetimes(min_value=dt.datetime(1, 1, 1)),
    st.dates(),
    st.times(),
)
toml_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4), max_leaves=12
)


@st.composite
def mutated_data(draw) -> bytes:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        places = node_paths(data)[1:]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, key = parent_of(data, path), path[-1]
        what = draw(st.sampled_from(["drop", "retype", "huge", "odd", "nest", "many", "rename", "add"]))
        if what == "drop":
            del parent[key]
        elif what == "retype":
            parent[key] = draw(toml_values)
        elif what == "huge":
            piece = draw(st.sampled_from(["x", "é", "\x1b", "\n", "👩🏽‍🦽", " "]))
            parent[key] = piece * draw(st.sampled_from([1_000, 60_000, 400_000]))
        elif what == "odd":
            parent[key] = draw(odd_text)
        elif what == "nest":
            value: Any = draw(scalars)
            for _ in range(draw(st.integers(1, 60))):
                value = [value] if draw(st.booleans()) else {"k": value}
            parent[key] = value
        elif what == "many":
            lists = [p for p in node_paths(data) if p and isinstance(_at(data, p), list) and _at(data, p)]
            if lists:
                target = draw(st.sampled_from(lists))
                items = _at(data, target)
                count = draw(st.sampled_from([1_000, 3_000]))
                grown = [copy.deepcopy(items[i % len(items)]) for i in range(count)]
                if draw(st.booleans()):  # made unique, so that a valid programme of thousands of items loads
                    for i, item in enumerate(grown):
                        if isinstance(item, dict) and "id" in item:
                            item["id"] = f"{item['id']}-{i}"
                            if i:  # later copies follow the first, so the times stay in order
                                item.pop("start", None)
                        elif isinstance(item, str):
                            grown[i] = f"{item} {i}"
                parent_of(data, target)[target[-1]] = grown
        elif what == "rename" and isinstance(parent, dict):
            parent[draw(odd_text)] = parent.pop(key)
        elif what == "add" and isinstance(parent, dict):
            parent[draw(odd_text)] = draw(toml_values)
    try:
        return tomli_w.dumps(data).encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # something TOML cannot hold (a NaN key is fine; a tz-less odd)
        return BASE_TEXT.encode("utf-8")


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


@FUZZ
@given(mutated_data())
def test_mutated_programme_data_loads_or_is_refused_cleanly(raw: bytes) -> None:
    check(raw)


# ------------------------------------------------------------------ mutating the bytes


@st.composite
def mutated_bytes(draw) -> bytes:
    raw = bytearray(BASE_TEXT.encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(raw)))
        what = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "brackets", "line"]))
        if what == "flip" and at < len(raw):
            raw[at] = draw(st.integers(0, 255))
        elif what == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif what == "delete":
            del raw[at : at + draw(st.integers(1, 400))]
        elif what == "truncate":
            del raw[at:]
        elif what == "duplicate":
            raw[at:at] = raw[at : at + draw(st.integers(1, 2_000))]
        elif what == "brackets":
            depth = draw(st.sampled_from([10, 600, 5_000]))
            raw[at:at] = draw(st.sampled_from([b"[", b"{a=", b"[[", b'"'])) * depth
        elif what == "line":  # a whole line that looks like TOML, at a line start
            start = raw.rfind(b"\n", 0, at) + 1
            raw[start:start] = draw(st.sampled_from([
                b"[[sessions]]\n", b"[sessions]\n", b"schema = 2\n", b'id = "x"\n', b"[[sessions.prompts]]\n",
                b'start = "25:00"\n', b"dates = []\n", b"groups = [1, 2]\n", b"= = =\n", b"\xef\xbb\xbf",
            ]))  # fmt: skip
    return bytes(raw)


@FUZZ
@given(mutated_bytes())
def test_mutated_programme_bytes_load_or_are_refused_cleanly(raw: bytes) -> None:
    check(raw)


# ------------------------------------------------------------------ the extremes, once each, through the real command


def extreme_files(folder: Path) -> dict[str, Path]:
    sessions = BASE["sessions"]
    many = copy.deepcopy(BASE)
    many["sessions"] = [sessions[0]] + [  # 5,000 one-minute items: the day runs on past midnight
        {"id": f"item-{i}", "title": f"Item {i}", "kind": "discussion", "duration": 1,
         "prompts": [{"id": "why", "text": "Why?"}, {"id": "how", "text": "How?"}]}
        for i in range(5_000)
    ]  # fmt: skip
    many["groups"] = [f"Group {i}" for i in range(5_000)]
    hostile_title = copy.deepcopy(BASE)
    hostile_title["title"] = "Clear\x1b[2J\x1b]0;pwned\x07 screen\u202e"
    two_line_title = copy.deepcopy(BASE)
    two_line_title["title"] = "First line\nsecond line \u202eevil\u2028third"
    hostile_id = copy.deepcopy(BASE)
    hostile_id["sessions"][1]["id"] = "../../\x1b[31mred\nline"
    hostile_key = copy.deepcopy(BASE)
    hostile_key["sessions"][1]["ti\x1b[2Jtle\r\nx"] = "unknown key with control characters"
    texts = {
        "many": tomli_w.dumps(many).encode(),
        "hostile-title": tomli_w.dumps(hostile_title).encode(),
        "two-line-title": tomli_w.dumps(two_line_title).encode(),
        "hostile-id": tomli_w.dumps(hostile_id).encode(),
        "hostile-key": tomli_w.dumps(hostile_key).encode(),
        "huge-string": tomli_w.dumps({**BASE, "subtitle": "x" * 1_900_000}).encode(),
        "deep": BASE_TEXT.encode() + b"\n[deep]\nx = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
        "nul": BASE_TEXT.encode().replace(b"Geneva", b"Gen\x00eva", 1),
        "half": BASE_TEXT.encode()[: len(BASE_TEXT) // 2],
        "binary": bytes(range(256)) * 8,
    }
    paths = {}
    for name, data in texts.items():
        paths[name] = folder / f"{name}.toml"
        paths[name].write_bytes(data)
    return paths


def test_the_extremes_load_or_are_refused_cleanly(tmp_path: Path) -> None:
    paths = extreme_files(tmp_path)
    many = check_loads_or_refuses(paths["many"])
    assert many is not None and len(many.sessions) == 5_001 and len(many.groups) == 5_000
    for path in paths.values():
        check_loads_or_refuses(path)
        check_validate(path)
    with pytest.raises(ProgrammeError) as caught:
        load_programme(paths["hostile-title"])
    assert "title" in str(caught.value) and "control character" in str(caught.value)


def test_facilitator_validate_and_show_on_the_extremes_never_print_a_traceback(tmp_path: Path) -> None:
    paths = extreme_files(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "validate", *map(str, paths.values())],
        capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("facilitator: ") for line in lines)
    valid = ("many", "two-line-title", "huge-string")  # 1.9 MB is under the 2 MB limit: long, but valid
    for name, path in paths.items():
        if name not in valid:
            assert any(line.startswith(f"facilitator: {path}") for line in lines), name
    assert not any(unsafe_characters(line) for line in lines)
    title = "Parallel Programme for Victim Assistance Experts"
    assert done.stdout.splitlines() == [
        f"{paths['many']}: ok — {title}, 5001 agenda items, 10000 prompts",
        f"{paths['two-line-title']}: ok — First line second line \\u202eevil third, 6 agenda items, 9 prompts",
        f"{paths['huge-string']}: ok — {title}, 6 agenda items, 9 prompts",
    ]
    for name in ("many", "hostile-title", "deep"):
        shown = subprocess.run(
            [sys.executable, "-m", "facilitator", "show", str(paths[name])],
            capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        assert "Traceback" not in shown.stderr and shown.returncode == (0 if name == "many" else 2), name
