"""The notes folder on disk: atomic TOML writes, a lock, and loading with clear errors.

A run's notes live in one folder (``notes/<programme-id>/`` by default):

- ``run.toml``: the run state (current item and prompt, actual start and end times);
- ``<session-id>.toml``: one per agenda item that captured something, answers grouped
  by prompt then group, then the item's themes;
- ``.lock``: who has the folder open (host, pid, since when).

`load_notes` reads a folder without writing anything and reports every problem in
it at once. `NotesFolder` is the writer: it takes the lock and saves only the items
whose `ItemNotes` object changed since it last saved or loaded them, each file
written to a temporary file, fsynced and moved over the old one, so a crash or a
full disk never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import socket
import threading
import tomllib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from facilitator.notes import SCHEMA, Answer, ItemNotes, Notes, RunState, Theme, Timing, empty_notes
from facilitator.problems import Problem, get_close_matches, locate_line
from facilitator.programme import ID_PATTERN

RUN_FILE = "run.toml"
LOCK_FILE = ".lock"
_RUN_ID = RUN_FILE.removesuffix(".toml")  # an agenda item with this id would collide with run.toml


class StoreError(Exception):
    """The notes folder cannot be read or written; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LockedError(StoreError):
    """Another facilitator has the folder open (or its lock file cannot be read)."""

    def __init__(self, problem: Problem, host: str = "", pid: int = 0) -> None:
        super().__init__([problem])
        self.host = host
        self.pid = pid


def default_notes_dir(programme_id: str) -> Path:
    return Path("notes") / programme_id


# ------------------------------------------------------------------ writing TOML

# Strings with none of these characters are written as-is between quotes; the
# rest go through tomli_w, which escapes quotes, backslashes and control characters.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return tomli_w.dumps({"v": value})[4:-1]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()  # a TOML local (or offset) date-time: 2026-11-29T10:20:00
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, tuple | list):
        inline = "[" + ", ".join(_value(v) for v in value) + "]"
        if len(inline) <= 90:
            return inline
        return "[\n" + "".join(f"    {_value(v)},\n" for v in value) + "]"
    raise TypeError(f"cannot store {type(value).__name__} in a notes file")


def _line(key: str, value: object) -> str:
    return f"{key} = {_value(value)}"


def _grouped(answers: Iterable[Answer]) -> dict[str, dict[str, list[Answer]]]:
    """Answers by prompt, then by group, each in order of its first answer."""
    prompts: dict[str, dict[str, list[Answer]]] = {}
    for answer in answers:
        prompts.setdefault(answer.prompt_id, {}).setdefault(answer.group, []).append(answer)
    return prompts


@lru_cache(maxsize=50_000)
def _answer_block(a: Answer) -> str:
    # Answers never change (an edit makes a new Answer), so each one's text is
    # rendered once: saving an item of 5,000 answers after one capture then
    # costs a join, not 5,000 renderings, and leaves the UI thread its CPU.
    out = ["", "[[prompts.groups.answers]]", _line("id", a.id), _line("text", a.text)]
    out.append(_line("captured_at", a.captured_at))
    if a.edited_at is not None:
        out.append(_line("edited_at", a.edited_at))
    if a.votes:
        out.append(_line("votes", a.votes))
    if a.starred:
        out.append(_line("starred", True))
    if a.category:
        out.append(_line("category", a.category))
    return "\n".join(out)


def render_item(programme_id: str, item: ItemNotes) -> str:
    """The TOML text of one agenda item's file.

    Saving regroups the answers: by prompt (prompts in order of their first
    answer), then by group (in order of the group's first answer to that prompt),
    keeping their order within a group. `load_notes` returns answers in this file
    order, so saving what was loaded gives the same bytes again.
    """
    out = [_line("schema", SCHEMA), _line("programme", programme_id), _line("session", item.session_id)]
    for prompt_id, groups in _grouped(item.answers).items():
        out += ["", "[[prompts]]", _line("id", prompt_id)]
        for group, answers in groups.items():
            out += ["", "[[prompts.groups]]", _line("group", group)]
            out += [_answer_block(a) for a in answers]
    for theme in item.themes:
        out += ["", "[[themes]]", _line("id", theme.id), _line("name", theme.name), _line("answers", theme.answer_ids)]
        if theme.votes:
            out.append(_line("votes", theme.votes))
    return "\n".join(out) + "\n"


def _timing_order(entry: tuple[str, Timing]) -> tuple[bool, dt.datetime, str]:
    session_id, timing = entry
    started = timing.started_at
    return (started is None, started.replace(tzinfo=None) if started else dt.datetime.min, session_id)


def render_run(run: RunState) -> str:
    """The TOML text of run.toml: position first, then timings by start time."""
    out = [_line("schema", SCHEMA), _line("programme", run.programme_id)]
    out += [_line("session", run.session_id), _line("prompt", run.prompt_id)]
    for session_id, timing in sorted(run.timings.items(), key=_timing_order):
        key = session_id if _BARE_KEY.match(session_id) else _string(session_id)
        out += ["", f"[timings.{key}]"]
        if timing.started_at is not None:
            out.append(_line("started_at", timing.started_at))
        if timing.ended_at is not None:
            out.append(_line("ended_at", timing.ended_at))
    return "\n".join(out) + "\n"


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a broken paste) cannot be UTF-8: keep the rest
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


# ------------------------------------------------------------------ reading TOML

_STR = ("a string", lambda v: isinstance(v, str))
_INT = ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool))
_BOOL = ("true or false", lambda v: isinstance(v, bool))
_WHEN = ("a date and time like 2026-11-29T10:20:00", lambda v: isinstance(v, dt.datetime))
_LIST = ("a list", lambda v: isinstance(v, list))
_TABLE = ("a table", lambda v: isinstance(v, dict))
_Kind = tuple[str, Callable[[Any], bool]]

_ITEM_KEYS = {"schema", "programme", "session", "prompts", "themes"}
_PROMPT_KEYS = {"id", "groups"}
_GROUP_KEYS = {"group", "answers"}
_ANSWER_KEYS = {"id", "text", "captured_at", "edited_at", "votes", "starred", "category"}
_THEME_KEYS = {"id", "name", "answers", "votes"}
_RUN_KEYS = {"schema", "programme", "session", "prompt", "timings"}
_TIMING_KEYS = {"started_at", "ended_at"}
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> str:
    """A string from a file, shown in a message on one line."""
    return _string(_clip(text))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {_quote(value)}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date without a time"
    if isinstance(value, dt.time):
        return "a time without a date"
    return "a list" if isinstance(value, list) else "a table"


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _locate(text: str, where: str) -> int | None:
    """The line of a key path; ``timings.<id>.<key>`` (plain tables) is found here."""
    if not where.startswith("timings."):
        return locate_line(text, where)
    _, _, rest = where.partition(".")
    session_id, _, key = rest.partition(".")
    lines = text.splitlines()
    headers = {f"[timings.{session_id}]", f"[timings.{_string(session_id)}]"}
    head = next((i for i, line in enumerate(lines) if line.strip().replace(" ", "") in headers), None)
    if head is None:
        return None
    for i in range(head + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if key and re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return head + 1


class _File:
    """One file being read: where problems are recorded with their key path and line."""

    def __init__(self, path: Path, text: str, problems: list[Problem]) -> None:
        self.name = str(path)
        self.text = text
        self.problems = problems

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, message, _locate(self.text, where)))

    def keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                close = get_close_matches(key, sorted(allowed), n=1)
                self.add(_join(where, key), "unknown key" + (f" (did you mean '{close[0]}'?)" if close else ""))

    def get(self, table: dict[str, Any], key: str, kind: _Kind, where: str, required: bool = False) -> Any:
        if key not in table:
            if required:
                self.add(_join(where, key), "is missing")
            return None
        value = table[key]
        if not kind[1](value):
            self.add(_join(where, key), f"must be {kind[0]}, not {_describe(value)}")
            return None
        return value

    def ident(self, table: dict[str, Any], where: str) -> str | None:
        value = self.get(table, "id", _STR, where, required=True)
        if value == "":
            self.add(_join(where, "id"), "must not be empty")
            return None
        return value

    def tables(self, table: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for i, value in enumerate(self.get(table, key, _LIST, where) or []):
            at = f"{_join(where, key)}[{i}]"
            if isinstance(value, dict):
                out.append((at, value))
            else:
                self.add(at, f"must be a table, not {_describe(value)}")
        return out

    def schema_ok(self, data: dict[str, Any]) -> bool:
        if "schema" not in data:
            self.add("schema", f"is missing: every notes file starts with schema = {SCHEMA}")
            return False
        value = data["schema"]
        if _INT[1](value) and value == SCHEMA:
            return True
        shown = value if _INT[1](value) else _string(value) if isinstance(value, str) else _describe(value)
        line = _locate(self.text, "schema")
        self.problems.append(Problem(self.name, "", f"schema = {shown}: this version reads schema {SCHEMA}", line))
        return False

    def programme_ok(self, data: dict[str, Any], expected: str | None) -> str | None:
        programme = self.get(data, "programme", _STR, "", required=True)
        if programme is not None and expected is not None and programme != expected:
            self.add("programme", f"belongs to programme {_quote(programme)}, not {_quote(expected)}")
        return programme


def _read(path: Path, problems: list[Problem]) -> str | None:
    name = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        problems.append(Problem(name, "", "is a folder, not a notes file"))
        return None
    except PermissionError:
        problems.append(Problem(name, "", "permission denied"))
        return None
    except OSError as exc:
        problems.append(Problem(name, "", f"cannot be read ({_reason(exc)})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line))
        return None
    return text.removeprefix("\ufeff")


def _parse(path: Path, problems: list[Problem]) -> tuple[_File, dict[str, Any]] | None:
    text = _read(path, problems)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = str(exc), None
        match = _AT.search(message)
        if match:
            line = int(match[1])
            message = f"{_AT.sub('', message).strip()} (column {match[2]})"
        problems.append(Problem(str(path), "", f"TOML syntax: {message}", line))
        return None
    except RecursionError:
        problems.append(Problem(str(path), "", "nested too deeply to be a notes file"))
        return None
    return _File(path, text, problems), data


def _parse_run(f: _File, data: dict[str, Any], expected: str | None) -> RunState | None:
    f.keys(data, _RUN_KEYS, "")
    if not f.schema_ok(data):
        return None
    programme = f.programme_ok(data, expected)
    session = f.get(data, "session", _STR, "") or ""
    prompt = f.get(data, "prompt", _STR, "") or ""
    timings: dict[str, Timing] = {}
    for session_id, value in (f.get(data, "timings", _TABLE, "") or {}).items():
        where = f"timings.{session_id}"
        if not isinstance(value, dict):
            f.add(where, f"must be a table, not {_describe(value)}")
            continue
        f.keys(value, _TIMING_KEYS, where)
        timings[session_id] = Timing(f.get(value, "started_at", _WHEN, where), f.get(value, "ended_at", _WHEN, where))
    return RunState(programme or "", session, prompt, MappingProxyType(timings))


def _parse_answer(f: _File, table: dict[str, Any], where: str, prompt_id: str, group: str) -> Answer | None:
    f.keys(table, _ANSWER_KEYS, where)
    answer_id = f.ident(table, where)
    text = f.get(table, "text", _STR, where, required=True)
    captured = f.get(table, "captured_at", _WHEN, where, required=True)
    edited = f.get(table, "edited_at", _WHEN, where)
    votes = f.get(table, "votes", _INT, where) or 0
    starred = f.get(table, "starred", _BOOL, where) or False
    category = f.get(table, "category", _STR, where) or ""
    if answer_id is None or text is None or captured is None:
        return None
    return Answer(answer_id, prompt_id, group, text, captured, edited, votes, starred, category)


def _parse_item(
    f: _File, data: dict[str, Any], session_id: str, expected: str | None, seen: dict[str, str]
) -> tuple[ItemNotes, str | None] | None:
    f.keys(data, _ITEM_KEYS, "")
    if not f.schema_ok(data):
        return None
    programme = f.programme_ok(data, expected)
    session = f.get(data, "session", _STR, "", required=True)
    if session is not None and session != session_id:
        f.add("session", f"is {_quote(session)} but the file is {session_id}.toml: they must match")
    answers: list[Answer] = []
    ids: set[str] = set()
    for pwhere, prompt in f.tables(data, "prompts", ""):
        f.keys(prompt, _PROMPT_KEYS, pwhere)
        prompt_id = f.get(prompt, "id", _STR, pwhere, required=True)
        for gwhere, table in f.tables(prompt, "groups", pwhere):
            f.keys(table, _GROUP_KEYS, gwhere)
            group = f.get(table, "group", _STR, gwhere, required=True)
            for awhere, raw in f.tables(table, "answers", gwhere):
                answer = _parse_answer(f, raw, awhere, prompt_id or "", group or "")
                answer_id = raw.get("id")
                if isinstance(answer_id, str) and answer_id:
                    if answer_id in seen:
                        f.add(f"{awhere}.id", f"answer id {_quote(answer_id)} is used twice (also {seen[answer_id]})")
                        continue
                    seen[answer_id] = f"{f.name}: {awhere}"
                    ids.add(answer_id)
                if answer is not None and prompt_id is not None and group is not None:
                    answers.append(answer)
    themes = _parse_themes(f, data, ids)
    return ItemNotes(session_id, tuple(answers), themes), programme


def _parse_themes(f: _File, data: dict[str, Any], ids: set[str]) -> tuple[Theme, ...]:
    themes: list[Theme] = []
    theme_ids: set[str] = set()
    member: dict[str, str] = {}  # answer id -> where the theme that holds it is
    for twhere, table in f.tables(data, "themes", ""):
        f.keys(table, _THEME_KEYS, twhere)
        theme_id = f.ident(table, twhere)
        if theme_id is not None and theme_id in theme_ids:
            f.add(f"{twhere}.id", f"theme id {_quote(theme_id)} is used twice in this file")
        name = f.get(table, "name", _STR, twhere, required=True)
        votes = f.get(table, "votes", _INT, twhere) or 0
        answer_ids: list[str] = []
        for i, answer_id in enumerate(f.get(table, "answers", _LIST, twhere) or []):
            where = f"{twhere}.answers[{i}]"
            if not isinstance(answer_id, str):
                f.add(where, f"must be an answer id (a string), not {_describe(answer_id)}")
            elif answer_id not in ids:
                f.add(where, f"{_quote(answer_id)} is not an answer in this file")
            elif answer_id in member:
                f.add(where, f"{_quote(answer_id)} is already in {member[answer_id]}: an answer belongs to one theme")
            else:
                member[answer_id] = f"{twhere} ({_quote(name or '')})"
                answer_ids.append(answer_id)
        if theme_id is not None and name is not None:
            theme_ids.add(theme_id)
            themes.append(Theme(theme_id, name, tuple(answer_ids), votes))
    return tuple(themes)


def _first_answer(item: ItemNotes) -> tuple[bool, dt.datetime, str]:
    times = [a.captured_at.replace(tzinfo=None) for a in item.answers]
    return (not times, min(times, default=dt.datetime.min), item.session_id)


def _load(folder: Path, programme_id: str | None) -> tuple[Notes, bool]:
    """The notes in a folder and whether run.toml was there; writes nothing."""
    name = str(folder)
    try:
        entries = sorted(os.listdir(folder))
    except FileNotFoundError:
        if programme_id is None:
            raise StoreError([Problem(name, "", "no such folder")]) from None
        return empty_notes(programme_id), False
    except NotADirectoryError:
        raise StoreError([Problem(name, "", "is a file, not a notes folder")]) from None
    except PermissionError:
        raise StoreError([Problem(name, "", "permission denied")]) from None
    except OSError as exc:
        raise StoreError([Problem(name, "", f"cannot be read ({_reason(exc)})")]) from None
    files = [e for e in entries if e.endswith(".toml") and not e.startswith(".")]
    if not files:
        if programme_id is None:
            raise StoreError([Problem(name, "", f"no notes here: no {RUN_FILE} and no agenda item files")])
        return empty_notes(programme_id), False

    problems: list[Problem] = []
    expected = programme_id
    run: RunState | None = None
    if RUN_FILE in files:
        parsed = _parse(folder / RUN_FILE, problems)
        run = _parse_run(*parsed, expected) if parsed else None
        if run is not None and expected is None and run.programme_id:
            expected = run.programme_id
    items: list[ItemNotes] = []
    seen: dict[str, str] = {}
    for file in files:
        session_id = file.removesuffix(".toml")
        if file == RUN_FILE:
            continue
        if not ID_PATTERN.match(session_id):
            problems.append(
                Problem(
                    str(folder / file),
                    "",
                    f"{_quote(session_id)} is not a valid agenda item id for a file name: "
                    "use lower-case letters, digits, '-' or '_' (at most 64)",
                )
            )
            continue
        parsed = _parse(folder / file, problems)
        result = _parse_item(*parsed, session_id, expected, seen) if parsed else None
        if result is None:
            continue
        item, programme = result
        expected = expected if expected is not None else programme
        if item.answers or item.themes:
            items.append(item)
    if problems:
        raise StoreError(problems)
    run = run or RunState(expected or "")
    items.sort(key=_first_answer)
    return Notes(run, MappingProxyType({i.session_id: i for i in items})), RUN_FILE in files


def load_notes(folder: Path, programme_id: str | None = None) -> Notes:
    """Read a notes folder without writing or locking anything.

    A missing or empty folder gives empty notes for `programme_id` (or a
    `StoreError` when no programme is given). Every problem in every file is
    reported at once in one `StoreError`, never as a traceback.
    """
    return _load(Path(folder), programme_id)[0]


# ------------------------------------------------------------------ writing files


def _reason(exc: OSError) -> str:
    return exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or removal in `folder` durable (a no-op where directories cannot be opened)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` so that a crash leaves either the old file or the new one."""
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _remove(target: Path) -> bool:
    try:
        os.unlink(target)
    except FileNotFoundError:
        return False
    _fsync_dir(target.parent)
    return True


def _is_empty(item: ItemNotes | None) -> bool:
    return item is None or not (item.answers or item.themes)


_LEFTOVER = re.compile(r"^\..+\.toml\.[0-9a-f]{8}\.tmp$|^\.lock\.[0-9a-f]{8}\.stale$")


class NotesFolder:
    """The notes folder one running facilitator owns: lock, load, save what changed."""

    def __init__(self, path: Path, programme_id: str) -> None:
        self.path = Path(path)
        self.programme_id = programme_id
        self._saved_items: dict[str, ItemNotes] = {}  # the objects last saved or loaded, by session id
        self._saved_run: RunState | None = None
        self._lock_text: str | None = None
        self._mutex = threading.Lock()  # one save at a time, from whichever thread

    @property
    def lock_path(self) -> Path:
        return self.path / LOCK_FILE

    @property
    def locked(self) -> bool:
        return self._lock_text is not None

    def __enter__(self) -> NotesFolder:
        self.lock()
        return self

    def __exit__(self, *exc: object) -> None:
        self.unlock()

    # -- reading and saving ---------------------------------------------------

    def load(self) -> Notes:
        """The notes on disk (see `load_notes`); a save right after writes nothing."""
        notes, run_on_disk = _load(self.path, self.programme_id)
        with self._mutex:
            self._saved_items = dict(notes.items)
            self._saved_run = notes.run if run_on_disk else None
        return notes

    def load_run_state(self) -> RunState:
        """Only run.toml: where the meeting was. Cheap, for showing the screen
        before the answers are read (`load` must still follow before any save).
        """
        target = self.path / RUN_FILE
        if not target.is_file():
            if self.path.exists() and not self.path.is_dir():
                raise StoreError([Problem(str(self.path), "", "is a file, not a notes folder")])
            return RunState(self.programme_id)
        problems: list[Problem] = []
        parsed = _parse(target, problems)
        run = _parse_run(*parsed, self.programme_id) if parsed else None
        if problems or run is None:
            raise StoreError(problems or [Problem(str(target), "", "cannot be read")])
        return run

    def _changed(self, notes: Notes) -> list[tuple[str, ItemNotes | None]]:
        saved = self._saved_items
        changed: list[tuple[str, ItemNotes | None]] = [
            (sid, item) for sid, item in notes.items.items() if saved.get(sid) is not item
        ]
        return changed + [(sid, None) for sid in saved if sid not in notes.items]

    def _file(self, session_id: str) -> Path:
        return self.path / f"{session_id}.toml"

    def pending(self, notes: Notes) -> bool:
        """Whether `save(notes)` would write or remove anything."""
        if notes.run is not self._saved_run:
            return True
        for session_id, item in self._changed(notes):
            if not _is_empty(item) or not _is_empty(self._saved_items.get(session_id)):
                return True
            if self._file(session_id).exists():
                return True
        return False

    def save(self, notes: Notes) -> list[Path]:
        """Write the files whose item or run state changed; returns the paths written or removed.

        Safe to call from a worker thread; never mutates `notes`. On a failure the
        other files are still saved, then a `StoreError` names each file not saved;
        those stay pending, so the next save retries them.
        """
        if notes.programme_id != self.programme_id:
            message = (
                f"the notes are for programme {_quote(notes.programme_id)}, this folder for {_quote(self.programme_id)}"
            )
            raise StoreError([Problem(str(self.path), "", message)])
        with self._mutex:
            changed = self._changed(notes)
            run_changed = notes.run is not self._saved_run
            if not changed and not run_changed:
                return []
            self._make_folder()
            done: list[Path] = []
            problems: list[Problem] = []
            for session_id, item in changed:
                target = self._file(session_id)
                refused = self._refuse(session_id, item)
                if refused:
                    problems.append(Problem(str(target), "", f"not saved: {refused}"))
                    continue
                try:
                    if _is_empty(item):
                        if _remove(target):
                            done.append(target)
                    else:
                        assert item is not None
                        _write_atomic(target, _encode(render_item(self.programme_id, item)))
                        done.append(target)
                except OSError as exc:
                    problems.append(Problem(str(target), "", f"not saved: {_reason(exc)}"))
                    continue
                if item is None:
                    self._saved_items.pop(session_id, None)
                else:
                    self._saved_items[session_id] = item
            if run_changed:
                target = self.path / RUN_FILE
                try:
                    _write_atomic(target, _encode(render_run(notes.run)))
                    done.append(target)
                    self._saved_run = notes.run
                except OSError as exc:
                    problems.append(Problem(str(target), "", f"not saved: {_reason(exc)}"))
            if problems:
                raise StoreError(problems)
            return done

    def _refuse(self, session_id: str, item: ItemNotes | None) -> str:
        """Why an item cannot be a file here ("" if it can)."""
        if not ID_PATTERN.match(session_id):
            return f"{_quote(session_id)} is not a valid agenda item id for a file name"
        if session_id == _RUN_ID:
            return f'an agenda item cannot be called "{_RUN_ID}": {RUN_FILE} holds the run state'
        if item is not None and item.session_id != session_id:
            return f"the item is filed as {_quote(session_id)} but says it is {_quote(item.session_id)}"
        return ""

    def _make_folder(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreError([Problem(str(self.path), "", "is a file, not a notes folder")]) from None
        except OSError as exc:
            raise StoreError([Problem(str(self.path), "", f"cannot be created: {_reason(exc)}")]) from None

    # -- the lock -------------------------------------------------------------

    def lock(self) -> None:
        """Take the folder for this process; `LockedError` if another facilitator has it."""
        if self._lock_text is not None:
            return
        self._make_folder()
        since = dt.datetime.now().replace(microsecond=0)
        text = (
            "# A facilitator has these notes open. Remove this file only if that program is gone.\n"
            f'program = "facilitator"\nhost = {_string(socket.gethostname())}\npid = {os.getpid()}\n'
            f"since = {since.isoformat()}\n"
        )
        for attempt in range(3):
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                self._check_holder(take_over=attempt == 0)  # a stale lock is taken over once, not fought for
                continue
            except OSError as exc:
                raise StoreError([Problem(str(self.lock_path), "", f"cannot be created: {_reason(exc)}")]) from None
            try:
                try:
                    os.write(fd, _encode(text))
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(self.lock_path)
                raise StoreError([Problem(str(self.lock_path), "", f"cannot be written: {_reason(exc)}")]) from None
            self._lock_text = text
            self._remove_leftovers()
            return
        message = "keeps changing while this facilitator tries to take it; try again"
        raise LockedError(Problem(str(self.lock_path), "", message))  # pragma: no cover - a lock race

    def unlock(self) -> None:
        """Release the lock, removing the lock file only if it is still ours."""
        if self._lock_text is None:
            return
        try:
            current = self.lock_path.read_bytes().decode("utf-8", "replace")
        except OSError:
            current = None
        if current == self._lock_text:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.lock_path)
        self._lock_text = None

    close = unlock

    def _check_holder(self, take_over: bool) -> None:
        """Raise `LockedError` unless the existing lock is stale; move a stale one aside."""
        try:
            seen = self.lock_path.read_bytes()
        except FileNotFoundError:
            return  # released meanwhile: try again
        except OSError:
            seen = b""
        holder = _lock_holder(seen)
        if holder is None or holder[0] != socket.gethostname() or _alive(holder[1]) or not take_over:
            raise self._refusal(holder)
        aside = self.path / f".lock.{os.urandom(4).hex()}.stale"
        try:
            os.rename(self.lock_path, aside)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError([Problem(str(self.lock_path), "", f"cannot be replaced: {_reason(exc)}")]) from None
        try:
            moved = aside.read_bytes()
        except OSError:
            moved = b""
        if moved != seen:  # another facilitator took the lock between our look and our move: give it back
            with contextlib.suppress(OSError):
                if not os.path.lexists(self.lock_path):
                    os.rename(aside, self.lock_path)
            raise self._refusal(_lock_holder(moved))
        with contextlib.suppress(OSError):
            os.unlink(aside)

    def _refusal(self, holder: tuple[str, int, dt.datetime] | None) -> LockedError:
        if holder is None:
            message = (
                f"cannot be read as a lock, so another facilitator may be using {self.path}; "
                f"if none is, remove {self.lock_path}"
            )
            return LockedError(Problem(str(self.lock_path), "", message))
        host, pid, since = holder
        when = since.strftime("%H:%M") if since.date() == dt.date.today() else since.strftime("%Y-%m-%d %H:%M")
        message = (
            f"is in use by facilitator on host {host} (pid {pid}) since {when}; "
            f"close it there, or remove {self.lock_path} if that program is gone"
        )
        return LockedError(Problem(str(self.path), "", message), host, pid)

    def _remove_leftovers(self) -> None:
        """Temporary files of writes interrupted by a crash (only when we hold the lock)."""
        with contextlib.suppress(OSError):
            for entry in os.listdir(self.path):
                if _LEFTOVER.match(entry):
                    with contextlib.suppress(OSError):
                        os.unlink(self.path / entry)


def _lock_holder(raw: bytes) -> tuple[str, int, dt.datetime] | None:
    """(host, pid, since) from a lock file, or None if it is not a readable lock."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    host, pid, since = data.get("host"), data.get("pid"), data.get("since")
    if not isinstance(host, str) or not _INT[1](pid) or pid <= 0 or not isinstance(since, dt.datetime):
        return None
    return host, pid, since


def _alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (unsure counts as alive)."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate it on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. PermissionError: it exists, owned by someone else
    return True
