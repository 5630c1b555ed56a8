"""The notes files' TOML: writing one item or the run state, and reading one file back.

`render_item` and `render_run` give the exact text saved (stable order, so two
runs diff cleanly); `parse_file`, `parse_run` and `parse_item` read one file,
adding a `Problem` (file, key path, line) for everything wrong instead of
stopping at the first. The folder and atomic writes are `store.py`'s, the lock `folder_lock.py`'s.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from facilitator.notes import (
    MAX_SPEED,
    SCHEMA,
    AgendaChange,
    Answer,
    Conflict,
    Floor,
    Intervention,
    ItemNotes,
    NotesError,
    Presence,
    Rehearsal,
    RunState,
    Theme,
    Timing,
    clean_group,
    clean_text,
    clean_votes,
)
from facilitator.problems import Problem, locate_line, os_reason, quote
from facilitator.toml_reading import (
    BOOLEAN,
    INTEGER,
    LIST,
    NUMBER,
    STRING,
    TABLE,
    Kind,
    TomlReader,
    describe,
    key_path,
    syntax_problem,
)

# ------------------------------------------------------------------ writing TOML

# Strings with none of these characters are written as-is between quotes; the
# rest go through tomli_w, which escapes quotes, backslashes and control characters.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


# The first and last lines of every file written here. A file that starts with
# FIRST_LINE but has no END_LINE was cut short and is refused (see `cut_short`);
# a file written by hand with a bare `schema = 1` is read as it is.
END_LINE = "# end"
FIRST_LINE = f'schema = {SCHEMA}  # a complete notes file ends with the line "{END_LINE}"'
LAST_LINES = f"\n\n{END_LINE}\n"


def toml_string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:
        return f'"{value}"'
    return tomli_w.dumps({"v": value})[4:-1]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()  # a TOML local (or offset) date-time: 2026-11-29T10:20:00
    if isinstance(value, dt.date):
        return value.isoformat()  # a TOML local date: 2012-12-06
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, tuple | list):
        inline = "[" + ", ".join(_value(v) for v in value) + "]"
        if len(inline) <= 90:
            return inline
        return "[\n" + "".join(f"    {_value(v)},\n" for v in value) + "]"
    raise TypeError(f"cannot store {type(value).__name__} in a notes file")


def _line(key: str, value: object) -> str:
    return f"{key} = {_value(value)}"


def grouped(answers: Iterable[Answer]) -> dict[str, dict[str, list[Answer]]]:
    """Answers by prompt, then by group, each in order of its first answer: as a file lists them."""
    prompts: dict[str, dict[str, list[Answer]]] = {}
    for answer in answers:
        prompts.setdefault(answer.prompt_id, {}).setdefault(answer.group, []).append(answer)
    return prompts


_grouped = grouped


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
    if a.intervention:
        out.append(_line("intervention", a.intervention))
    out += [_conflict_block(c) for c in a.conflicts]
    return "\n".join(out)


def _conflict_block(c: Conflict) -> str:
    # Group and prompt are always written, so a conflict reads on its own and
    # keeps its meaning when the answer itself is later moved.
    out = ["", "[[prompts.groups.answers.conflicts]]", _line("text", c.text), _line("group", c.group)]
    out.append(_line("prompt", c.prompt_id))
    if c.edited_at is not None:
        out.append(_line("edited_at", c.edited_at))
    if c.category:
        out.append(_line("category", c.category))
    if c.session_id:
        out.append(_line("session", c.session_id))
    return "\n".join(out)


def _opening(programme_id: str, session_id: str | None) -> list[str]:
    """The first lines of an item's file (`session_id`) or of run.toml (None)."""
    out = [FIRST_LINE, _line("programme", programme_id)]
    return out if session_id is None else [*out, _line("session", session_id)]


def opening_bytes(programme_id: str, session_id: str | None) -> bytes:
    """How every file this tool writes for that item (None: run.toml) of that programme starts,
    to the end of the lines that name them: what proves a temporary file is a save of ours."""
    return encode("\n".join(_opening(programme_id, session_id)) + "\n")


def render_item(programme_id: str, item: ItemNotes) -> str:
    """The TOML text of one agenda item's file.

    Saving regroups the answers: by prompt (prompts in order of their first
    answer), then by group (in order of the group's first answer to that prompt),
    keeping their order within a group. `load_notes` returns answers in this file
    order, so saving what was loaded gives the same bytes again.
    """
    out = _opening(programme_id, item.session_id)
    for prompt_id, groups in _grouped(item.answers).items():
        out += ["", "[[prompts]]", _line("id", prompt_id)]
        for group, answers in groups.items():
            out += ["", "[[prompts.groups]]", _line("group", group)]
            out += [_answer_block(a) for a in answers]
    for theme in item.themes:
        out += ["", "[[themes]]", _line("id", theme.id), _line("name", theme.name), _line("answers", theme.answer_ids)]
        if theme.votes:
            out.append(_line("votes", theme.votes))
    for spoke in item.interventions:
        out += ["", "[[interventions]]", *_intervention_lines(spoke)]
    return "\n".join(out) + LAST_LINES


def _intervention_lines(spoke: Intervention) -> list[str]:
    # Seconds: "allowed = 180" is the speaking time given, "extended" what was added.
    out = [_line("id", spoke.id), _line("group", spoke.group), _line("started_at", spoke.started_at),
           _line("ended_at", spoke.ended_at), _line("allowed", spoke.allowed)]
    return out + ([_line("extended", spoke.extended)] if spoke.extended else [])


def _timing_order(entry: tuple[str, Timing]) -> tuple[bool, dt.datetime, str]:
    session_id, timing = entry
    started = timing.started_at
    return (started is None, started.replace(tzinfo=None) if started else dt.datetime.min, session_id)


def render_run(run: RunState) -> str:
    """The TOML text of run.toml: position first, then the rehearsal clock, timings by start time,
    and the agenda's changes on the day in the order made."""
    out = _opening(run.programme_id, None)
    out += [_line("session", run.session_id), _line("prompt", run.prompt_id)]
    if run.room_prompt_id:
        out.append(_line("room_prompt", run.room_prompt_id))
    if run.speakers:
        out.append(_line("speakers", run.speakers))  # the speakers' list, in order
    if run.rehearsal is not None:
        r = run.rehearsal
        out += ["", "[rehearsal]", _line("clock_start", r.clock_start), _line("speed", float(r.speed)),
                _line("wall_start", r.wall_start)]
    for session_id, timing in sorted(run.timings.items(), key=_timing_order):
        key = session_id if _BARE_KEY.match(session_id) else toml_string(session_id)
        out += ["", f"[timings.{key}]"]
        if timing.started_at is not None:
            out.append(_line("started_at", timing.started_at))
        if timing.ended_at is not None:
            out.append(_line("ended_at", timing.ended_at))
    if run.floor is not None:
        f = run.floor
        out += ["", "[floor]", _line("intervention", f.intervention_id), _line("item", f.session_id),
                _line("group", f.group), _line("started_at", f.started_at), _line("allowed", f.allowed)]
        if f.extended:
            out.append(_line("extended", f.extended))
    for change in run.changes:
        out += ["", "[[agenda]]", *_change_lines(change)]
    for presence in run.attendance:
        out += ["", "[[attendance]]", _line("group", presence.group), _line("present", presence.present),
                _line("at", presence.at), _line("item", presence.session_id)]
    return "\n".join(out) + LAST_LINES


def _change_lines(change: AgendaChange) -> list[str]:
    lines = [_line("change", change.kind), _line("item", change.session_id), _line("made_at", change.made_at)]
    if change.kind in ("add", "move", "restore"):
        lines.append(_line("after", change.after))
    if change.kind == "add":
        lines += [_line("title", change.title), _line("kind", change.item_kind)]
        if change.date is not None:
            lines.append(_line("date", change.date))
    if change.kind in ("add", "retime"):
        # A start of "" follows the item before; no duration shares the time to the next start.
        lines.append(_line("start", f"{change.start:%H:%M}" if change.start else ""))
        if change.duration is not None:
            lines.append(_line("duration", change.duration))
    if change.kind == "prompt":
        lines += [_line("prompt", change.prompt_id), _line("text", change.text)]
    return lines


def encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a broken paste) cannot be UTF-8: keep the rest
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


# ------------------------------------------------------------------ reading TOML

_STR, INT, _BOOL = STRING, INTEGER, BOOLEAN
# Local date-times only, as the app writes them (the meeting's wall clock): one with an
# offset (10:00:00+02:00, 08:00:00Z) cannot be compared with the others, so it is refused.
_WHEN = ("a date and time like 2026-11-29T10:20:00", lambda v: isinstance(v, dt.datetime) and v.tzinfo is None)
_LIST, _TABLE, _NUMBER = LIST, TABLE, NUMBER
_Kind = Kind

_ITEM_KEYS = {"schema", "programme", "session", "prompts", "themes", "interventions"}
_PROMPT_KEYS = {"id", "groups"}
_GROUP_KEYS = {"group", "answers"}
_ANSWER_KEYS = {"id", "text", "captured_at", "edited_at", "votes", "starred", "category", "intervention", "conflicts"}
_CONFLICT_KEYS = {"text", "group", "prompt", "edited_at", "category", "session"}
_THEME_KEYS = {"id", "name", "answers", "votes"}
_RUN_KEYS = {
    "schema", "programme", "session", "prompt", "room_prompt", "timings", "rehearsal", "agenda", "speakers", "floor",
    "attendance",
}  # fmt: skip
_INTERVENTION_KEYS = {"id", "group", "started_at", "ended_at", "allowed", "extended"}
_FLOOR_KEYS = {"intervention", "item", "group", "started_at", "allowed", "extended"}
_PRESENCE_KEYS = {"group", "present", "at", "item"}
MAX_SECONDS = 24 * 3600  # a speaking time (or its extensions) of more than a day is no speaking time
_REHEARSAL_KEYS = {"clock_start", "speed", "wall_start"}
_CHANGE_KEYS = {"change", "item", "made_at", "after", "title", "kind", "date", "start", "duration", "prompt", "text"}
_CHANGE_KINDS = ("add", "drop", "restore", "move", "retime", "prompt")
_DATE = ("a date like 2012-12-06", lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime))
_TIMING_KEYS = {"started_at", "ended_at"}


_describe = describe



_join = key_path


def _locate(text: str, where: str) -> int | None:
    """The line of a key path; ``timings.<id>.<key>`` (plain tables) is found here."""
    if not where.startswith("timings."):
        return locate_line(text, where)
    _, _, rest = where.partition(".")
    session_id, _, key = rest.partition(".")
    lines, heads = _headers(text)
    found = [heads[h] for h in (f"[timings.{session_id}]", f"[timings.{toml_string(session_id)}]") if h in heads]
    if not found:
        return None
    head = min(found)
    for i in range(head + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if key and re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return head + 1


@lru_cache(maxsize=8)
def _headers(text: str) -> tuple[list[str], dict[str, int]]:
    """The lines of a text and where each table header first is (found once, not once per problem)."""
    lines = text.splitlines()
    heads: dict[str, int] = {}
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            heads.setdefault(line.strip().replace(" ", ""), i)
    return lines, heads


class _File(TomlReader):
    """One notes file being read: where problems are recorded with their key path and line."""

    def __init__(self, path: Path, text: str, problems: list[Problem]) -> None:
        super().__init__(str(path), text, problems, locate=_locate)

    @property
    def name(self) -> str:
        return self.file

    def checked(
        self, table: dict[str, Any], key: str, kind: _Kind, where: str, rule: Callable[[Any], object], required=False
    ) -> Any:
        """`get`, then the rule the app's own operation applies (`notes.clean_group`…): one set of
        rules, so a file can hold nothing the app would refuse to make. The value is kept as
        written (a hand edit is read as edited); only what the rule refuses is reported."""
        value = self.get(table, key, kind, where, required)
        if value is None:
            return None
        try:
            rule(value)
        except NotesError as exc:
            self.add(_join(where, key), str(exc))
            return None
        return value

    def ident(self, table: dict[str, Any], where: str) -> str | None:
        value = self.get(table, "id", _STR, where, required=True)
        if value == "":
            self.add(_join(where, "id"), "must not be empty")
            return None
        return value

    def schema_ok(self, data: dict[str, Any]) -> bool:
        if "schema" not in data:
            self.add("schema", f"is missing: every notes file starts with schema = {SCHEMA}")
            return False
        value = data["schema"]
        if INT[1](value) and value == SCHEMA:
            return True
        shown = value if INT[1](value) else toml_string(value) if isinstance(value, str) else _describe(value)
        line = _locate(self.text, "schema")
        self.problems.append(Problem(self.name, "", f"schema = {shown}: this version reads schema {SCHEMA}", line))
        return False

    def programme_ok(self, data: dict[str, Any], expected: str | None) -> str | None:
        programme = self.get(data, "programme", _STR, "", required=True)
        if programme is not None and expected is not None and programme != expected:
            self.add("programme", f"belongs to programme {quote(programme)}, not {quote(expected)}")
        return programme


# The most a notes file may hold. A day's item file is a few hundred kilobytes; this
# leaves room for 100,000 answers of 1,000 accented or Arabic characters each (two
# bytes each in UTF-8: about 210 MB), and stops a file that is no notes file (a disk
# image, say) from filling memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_FILE_LABEL = "256 MB"

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class NotRegularFileError(OSError):
    """A path that is neither a regular file nor a folder: reading it could block or never end."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is {kind}, not a regular file")
        self.kind = kind


class FileTooLargeError(OSError):
    """A regular file larger than the reader's limit."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe (FIFO)")."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, never blocking on what is not one.

    Opened without waiting (a FIFO with no writer would block `open` forever), then
    checked on the open file itself, so a path swapped after a check is still caught:
    `IsADirectoryError` for a folder, `NotRegularFileError` for a pipe, device or
    socket (also behind a symlink: /dev/zero), `FileTooLargeError` beyond `limit`,
    even for a file that grows while it is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(file_kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLargeError(errno.EFBIG, os.strerror(errno.EFBIG), str(path))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            # Sized from fstat, so a file is read in one call and the next one sees its end.
            chunk = os.read(fd, min(limit + 1 - total, max(info.st_size + 1 - total, 1 << 16)))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
        raise FileTooLargeError(errno.EFBIG, os.strerror(errno.EFBIG), str(path))  # it grew while read
    finally:
        os.close(fd)


def _read(path: Path, problems: list[Problem]) -> str | None:
    name = str(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except IsADirectoryError:
        problems.append(Problem(name, "", "is a folder, not a notes file"))
        return None
    except NotRegularFileError as exc:
        problems.append(Problem(name, "", f"is {exc.kind}, not a notes file: a notes file is a regular file"))
        return None
    except FileTooLargeError:
        message = f"is larger than {MAX_FILE_LABEL}, far more than a notes file holds: is it a notes file?"
        problems.append(Problem(name, "", message))
        return None
    except PermissionError:
        problems.append(Problem(name, "", "permission denied"))
        return None
    except OSError as exc:
        problems.append(Problem(name, "", f"cannot be read ({os_reason(exc)})"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line))
        return None
    return text.removeprefix("\ufeff")


def cut_short(text: str) -> bool:
    """Whether a file this tool wrote (its first line says so) lost its end: a copy
    interrupted, a disk that failed. Cut at a line break the rest may still be valid
    TOML, with answers, votes or themes silently missing; the last line shows it."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != FIRST_LINE:
        return False  # written by hand (or by an older version): nothing promised
    return not any(line.rstrip() == END_LINE for line in lines[1:])


def parse_file(path: Path, problems: list[Problem]) -> tuple[_File, dict[str, Any]] | None:
    text = _read(path, problems)
    if text is None:
        return None
    if cut_short(text):
        message = (
            f'was cut short: its last line "{END_LINE}" is missing (restore the file from a copy; '
            "if you edited it by hand, put that line back at its end)"
        )
        problems.append(Problem(str(path), "", message, len(text.splitlines())))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(syntax_problem(str(path), exc, text))
        return None
    except RecursionError:
        problems.append(Problem(str(path), "", "nested too deeply to be a notes file"))
        return None
    return _File(path, text, problems), data


def parse_run(f: _File, data: dict[str, Any], expected: str | None) -> RunState | None:
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
    room_prompt = f.get(data, "room_prompt", _STR, "") or ""
    rehearsal = _parse_rehearsal(f, f.get(data, "rehearsal", _TABLE, ""))
    parsed = (_parse_change(f, table, where) for where, table in f.tables(data, "agenda", ""))
    changes = tuple(c for c in parsed if c is not None)
    speakers = _parse_speakers(f, data)
    floor = _parse_floor(f, f.get(data, "floor", _TABLE, ""))
    marks = (_parse_presence(f, table, where) for where, table in f.tables(data, "attendance", ""))
    attendance = tuple(m for m in marks if m is not None)
    return RunState(programme or "", session, prompt, MappingProxyType(timings), room_prompt, changes, rehearsal,
                    floor, speakers, attendance)


def _parse_speakers(f: _File, data: dict[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for i, name in enumerate(f.get(data, "speakers", _LIST, "") or []):
        where = f"speakers[{i}]"
        if not isinstance(name, str):
            f.add(where, f"must be a delegation's name (a string), not {_describe(name)}")
            continue
        try:
            clean_group(name)
        except NotesError as exc:
            f.add(where, str(exc))
            continue
        names.append(name)
    return tuple(names)


def _seconds(f: _File, table: dict[str, Any], key: str, where: str, required: bool = False) -> int | None:
    value = f.get(table, key, INT, where, required)
    if value is not None and not 0 <= value <= MAX_SECONDS:
        f.add(_join(where, key), f"must be seconds from 0 to {MAX_SECONDS}, not {value}")
        return None
    return value


def _parse_floor(f: _File, table: dict[str, Any] | None) -> Floor | None:
    if table is None:
        return None
    f.keys(table, _FLOOR_KEYS, "floor")
    ident = f.get(table, "intervention", _STR, "floor", required=True)
    item = f.get(table, "item", _STR, "floor", required=True)
    group = f.checked(table, "group", _STR, "floor", clean_group, required=True)
    started = f.get(table, "started_at", _WHEN, "floor", required=True)
    allowed = _seconds(f, table, "allowed", "floor", required=True)
    extended = _seconds(f, table, "extended", "floor") or 0
    if not ident or item is None or group is None or started is None or allowed is None:
        return None
    return Floor(ident, item, group, started, allowed, extended)


def _parse_presence(f: _File, table: dict[str, Any], where: str) -> Presence | None:
    f.keys(table, _PRESENCE_KEYS, where)
    group = f.checked(table, "group", _STR, where, clean_group, required=True)
    present = f.get(table, "present", _BOOL, where, required=True)
    at = f.get(table, "at", _WHEN, where, required=True)
    item = f.get(table, "item", _STR, where) or ""
    if group is None or present is None or at is None:
        return None
    return Presence(group, present, at, item)


def _parse_intervention(f: _File, table: dict[str, Any], where: str) -> Intervention | None:
    f.keys(table, _INTERVENTION_KEYS, where)
    ident = f.ident(table, where)
    group = f.checked(table, "group", _STR, where, clean_group, required=True)
    started = f.get(table, "started_at", _WHEN, where, required=True)
    ended = f.get(table, "ended_at", _WHEN, where, required=True)
    allowed = _seconds(f, table, "allowed", where, required=True)
    extended = _seconds(f, table, "extended", where) or 0
    if started is not None and ended is not None and ended < started:
        f.add(_join(where, "ended_at"), f"{ended:%H:%M:%S} is before started_at {started:%H:%M:%S}")
        return None
    if ident is None or group is None or started is None or ended is None or allowed is None:
        return None
    return Intervention(ident, group, started, ended, allowed, extended)


def _parse_rehearsal(f: _File, table: dict[str, Any] | None) -> Rehearsal | None:
    if table is None:
        return None
    f.keys(table, _REHEARSAL_KEYS, "rehearsal")
    start = f.get(table, "clock_start", _WHEN, "rehearsal", required=True)
    speed = f.get(table, "speed", _NUMBER, "rehearsal", required=True)
    wall = f.get(table, "wall_start", _WHEN, "rehearsal", required=True)
    if speed is not None and not 0 < speed <= MAX_SPEED:
        f.add("rehearsal.speed", f"must be more than 0 and at most {MAX_SPEED:g}")
        return None
    if start is None or speed is None or wall is None:
        return None
    return Rehearsal(start, float(speed), wall)


def _parse_change(f: _File, table: dict[str, Any], where: str) -> AgendaChange | None:
    f.keys(table, _CHANGE_KEYS, where)
    kind = f.get(table, "change", _STR, where, required=True)
    if kind is not None and kind not in _CHANGE_KINDS:
        f.add(_join(where, "change"), f"must be one of {', '.join(_CHANGE_KINDS)}, not {quote(kind)}")
        kind = None
    item = f.get(table, "item", _STR, where, required=True)
    made = f.get(table, "made_at", _WHEN, where, required=True)
    start_text = f.get(table, "start", _STR, where) or ""
    start = None
    if start_text:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", start_text)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            start = dt.time(int(match[1]), int(match[2]))
        else:
            rule = 'must be a time like "15:30" (or "" to follow the item before)'
            f.add(_join(where, "start"), f"{rule}, not {quote(start_text)}")
    duration = f.get(table, "duration", INT, where)
    if duration is not None and not 0 <= duration <= 24 * 60:
        f.add(_join(where, "duration"), "must be between 0 and 1440 minutes")
        duration = None
    if kind is None or item is None or made is None:
        return None
    def text(key: str) -> str:
        return f.get(table, key, _STR, where) or ""

    return AgendaChange(
        kind, item, made, after=text("after"), title=text("title"), item_kind=text("kind"),
        date=f.get(table, "date", _DATE, where), start=start, duration=duration, prompt_id=text("prompt"),
        text=text("text"),
    )


def _parse_answer(f: _File, table: dict[str, Any], where: str, prompt_id: str, group: str) -> Answer | None:
    f.keys(table, _ANSWER_KEYS, where)
    answer_id = f.ident(table, where)
    text = f.checked(table, "text", _STR, where, clean_text, required=True)
    captured = f.get(table, "captured_at", _WHEN, where, required=True)
    edited = f.get(table, "edited_at", _WHEN, where)
    votes = f.checked(table, "votes", INT, where, clean_votes) or 0
    starred = f.get(table, "starred", _BOOL, where) or False
    category = f.get(table, "category", _STR, where) or ""
    intervention = f.get(table, "intervention", _STR, where) or ""
    parsed = (_parse_conflict(f, raw, cwhere) for cwhere, raw in f.tables(table, "conflicts", where))
    conflicts = tuple(c for c in parsed if c is not None)
    if answer_id is None or text is None or captured is None:
        return None
    return Answer(answer_id, prompt_id, group, text, captured, edited, votes, starred, category, conflicts,
                  intervention)


def _parse_conflict(f: _File, table: dict[str, Any], where: str) -> Conflict | None:
    f.keys(table, _CONFLICT_KEYS, where)
    text = f.checked(table, "text", _STR, where, clean_text, required=True)
    group = f.checked(table, "group", _STR, where, clean_group, required=True)
    prompt_id = f.get(table, "prompt", _STR, where, required=True)
    edited = f.get(table, "edited_at", _WHEN, where)
    category = f.get(table, "category", _STR, where) or ""
    session_id = f.get(table, "session", _STR, where) or ""
    if text is None or group is None or prompt_id is None:
        return None
    return Conflict(text, group, prompt_id, edited, category, session_id)


def parse_item(
    f: _File, data: dict[str, Any], session_id: str, expected: str | None, seen: dict[str, str]
) -> tuple[ItemNotes, str | None] | None:
    f.keys(data, _ITEM_KEYS, "")
    if not f.schema_ok(data):
        return None
    programme = f.programme_ok(data, expected)
    session = f.get(data, "session", _STR, "", required=True)
    if session is not None and session != session_id:
        f.add("session", f"is {quote(session)} but the file is {session_id}.toml: they must match")
    answers: list[Answer] = []
    ids: set[str] = set()
    for pwhere, prompt in f.tables(data, "prompts", ""):
        f.keys(prompt, _PROMPT_KEYS, pwhere)
        prompt_id = f.get(prompt, "id", _STR, pwhere, required=True)
        for gwhere, table in f.tables(prompt, "groups", pwhere):
            f.keys(table, _GROUP_KEYS, gwhere)
            group = f.checked(table, "group", _STR, gwhere, clean_group, required=True)
            for awhere, raw in f.tables(table, "answers", gwhere):
                answer = _parse_answer(f, raw, awhere, prompt_id or "", group or "")
                answer_id = raw.get("id")
                if isinstance(answer_id, str) and answer_id:
                    if answer_id in seen:
                        f.add(f"{awhere}.id", f"answer id {quote(answer_id)} is used twice (also {seen[answer_id]})")
                        continue
                    seen[answer_id] = f"{f.name}: {awhere}"
                    ids.add(answer_id)
                if answer is not None and prompt_id is not None and group is not None:
                    answers.append(answer)
    themes = _parse_themes(f, data, ids)
    return ItemNotes(session_id, tuple(answers), themes, _parse_interventions(f, data)), programme


def _parse_interventions(f: _File, data: dict[str, Any]) -> tuple[Intervention, ...]:
    out: list[Intervention] = []
    seen: set[str] = set()
    for where, table in f.tables(data, "interventions", ""):
        spoke = _parse_intervention(f, table, where)
        if spoke is None:
            continue
        if spoke.id in seen:
            f.add(f"{where}.id", f"intervention id {quote(spoke.id)} is used twice in this file")
            continue
        seen.add(spoke.id)
        out.append(spoke)
    return tuple(out)


def _parse_themes(f: _File, data: dict[str, Any], ids: set[str]) -> tuple[Theme, ...]:
    themes: list[Theme] = []
    theme_ids: set[str] = set()
    member: dict[str, str] = {}  # answer id -> where the theme that holds it is
    for twhere, table in f.tables(data, "themes", ""):
        f.keys(table, _THEME_KEYS, twhere)
        theme_id = f.ident(table, twhere)
        if theme_id is not None and theme_id in theme_ids:
            f.add(f"{twhere}.id", f"theme id {quote(theme_id)} is used twice in this file")
        name = f.get(table, "name", _STR, twhere, required=True)
        votes = f.checked(table, "votes", INT, twhere, clean_votes) or 0
        answer_ids: list[str] = []
        for i, answer_id in enumerate(f.get(table, "answers", _LIST, twhere) or []):
            where = f"{twhere}.answers[{i}]"
            if not isinstance(answer_id, str):
                f.add(where, f"must be an answer id (a string), not {_describe(answer_id)}")
            elif answer_id not in ids:
                f.add(where, f"{quote(answer_id)} is not an answer in this file")
            elif answer_id in member:
                f.add(where, f"{quote(answer_id)} is already in {member[answer_id]}: an answer belongs to one theme")
            else:
                member[answer_id] = f"{twhere} ({quote(name or '')})"
                answer_ids.append(answer_id)
        if theme_id is not None and name is not None:
            theme_ids.add(theme_id)
            themes.append(Theme(theme_id, name, tuple(answer_ids), votes))
    return tuple(themes)


def first_answer_order(item: ItemNotes) -> tuple[bool, dt.datetime, str]:
    times = [a.captured_at.replace(tzinfo=None) for a in item.answers]
    return (not times, min(times, default=dt.datetime.min), item.session_id)
