"""Reading a TOML file a person may have written: every problem at once, each with its key path and line.

The programme loader (`facilitator.programme`) and the notes loader
(`facilitator.notes_toml`) read different files by the same rules, so they
share this kit: the kinds a value may be, how a wrong value is described, a
syntax error turned into a line and column, and `TomlReader`, which walks the
parsed tables, records a `Problem` for each thing wrong (an unknown key with a
"did you mean", a missing key, a value of the wrong kind) and goes on, so a
person fixes the whole file in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from typing import Any

from facilitator.problems import Problem, get_close_matches, locate_line, quote

Kind = tuple[str, Callable[[Any], bool]]  # (how a message names it, whether a value is one)

STRING: Kind = ("a string", lambda v: isinstance(v, str))
# TOML booleans are ints to Python; a file never means true as 1, nor 1 as true.
INTEGER: Kind = ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool))
NUMBER: Kind = ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool))
BOOLEAN: Kind = ("true or false", lambda v: isinstance(v, bool))
LIST: Kind = ("a list", lambda v: isinstance(v, list))
TABLE: Kind = ("a table", lambda v: isinstance(v, dict))

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = " (at end of document)"


def key_path(path: str, key: str) -> str:
    """`key` inside the table at `path` ("" is the top of the file)."""
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    """A value as a message names it: "the number 3", "the string "x"", "a list"."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {quote(value.replace(chr(10), ' '))}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return f"a date and time with a time zone offset ({_offset(value)}): notes keep local times, without one"
        return f"the date-time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dt.time):
        return f"the time {value.isoformat()}"
    return type(value).__name__


def _offset(value: dt.datetime) -> str:
    minutes = int((value.utcoffset() or dt.timedelta()).total_seconds() // 60)
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def syntax_problem(file: str, exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    """tomllib's error as one line of ours: "TOML syntax: … (column 12)" at its line."""
    message = str(exc)
    match = _AT.search(message)
    if match:
        message = _AT.sub("", message).strip()
        return Problem(file, "", f"TOML syntax: {message} (column {match[2]})", int(match[1]))
    if message.endswith(_AT_END):  # an unclosed string, list or table header: the reader ran off the end
        message = message.removesuffix(_AT_END)
        return Problem(file, "", f"TOML syntax: {message} at the end of the file", len(text.splitlines()) or 1)
    return Problem(file, "", f"TOML syntax: {message}")


class TomlReader:
    """One file being read: each problem recorded with its key path and line, and the walk goes on."""

    def __init__(
        self, file: str, text: str, problems: list[Problem] | None = None,
        locate: Callable[[str, str], int | None] = locate_line,
    ) -> None:
        self.file = file
        self.text = text
        self.problems: list[Problem] = [] if problems is None else problems
        self._locate = locate

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, path, message, self._locate(self.text, path)))

    def keys(self, table: dict[str, Any], allowed: set[str], path: str) -> None:
        """An unknown key is a problem, with the closest known key as a hint."""
        for key in table:
            if key not in allowed:
                close = get_close_matches(key, sorted(allowed), n=1)
                self.add(key_path(path, key), "unknown key" + (f" (did you mean '{close[0]}'?)" if close else ""))

    def get(self, table: dict[str, Any], key: str, kind: Kind, path: str, required: bool = False) -> Any:
        """The value at `key` if it is of `kind`; None (and a problem) when it is not, or missing but required."""
        where = key_path(path, key)
        if key not in table:
            if required:
                self.add(where, "is missing")
            return None
        value = table[key]
        if not kind[1](value):
            self.add(where, f"must be {kind[0]}, not {describe(value)}")
            return None
        return value

    def tables(self, table: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        """The tables of an array of tables, each with its key path; anything else in it is a problem."""
        out = []
        for i, value in enumerate(self.get(table, key, LIST, path) or []):
            where = f"{key_path(path, key)}[{i}]"
            if isinstance(value, dict):
                out.append((where, value))
            else:
                self.add(where, f"must be a table, not {describe(value)}")
        return out
