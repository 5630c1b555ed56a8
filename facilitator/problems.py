"""A problem found in a file a person wrote or the tool saved.

Every error the tool reports about a file is one `Problem`: the file, where in
it (a TOML key path such as ``sessions[2].start``, and the line when it can be
found) and what is wrong. Printed, it is one line: ``file:line: path: message``.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import lru_cache

import tomli_w

_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")
_HEADER = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return visible(text)


class StoreError(Exception):
    """A notes folder cannot be read or written; `problems` lists every reason (see `facilitator.store`)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def os_reason(exc: OSError) -> str:
    """Why the system refused, in its own words ("No space left on device")."""
    return exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__)


def quote(text: str, limit: int = 40) -> str:
    """A string from a file, shown in a message on one line, quoted as TOML writes it (cut at `limit`)."""
    clipped = text if len(text) <= limit else text[: limit - 1] + "…"
    if re.search(r'[\x00-\x1f\x7f"\\]', clipped) is None:
        return f'"{clipped}"'
    return tomli_w.dumps({"v": clipped})[4:-1]


# What a file may hold but a terminal must not receive: control characters (a line
# break, a carriage return, ESC starting a sequence that clears the screen or sets
# the title, C1 controls), line and paragraph separators, bidi overrides that
# reorder the rest of the line, and lone surrogates that cannot be printed.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def visible(text: str) -> str:
    """`text` on one line with nothing a terminal would act on: each unsafe character as an escape (\\x1b)."""
    return _UNSAFE.sub(_escape, text)


# Captured text is kept exactly as typed or pasted, control characters too; but on a
# terminal ESC starts sequences that clear the screen, set the window title or write
# the clipboard (OSC 52). Shown, each control character becomes the symbol that
# pictures it (ESC as "␛", NUL as "␀"); line breaks and tabs stay, a carriage return
# (of a Windows line end) goes, as Rich drops it.
CONTROL_PICTURES: dict[int, str | None] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
CONTROL_PICTURES[0x0D] = None
CONTROL_PICTURES[0x7F] = "\u2421"
CONTROL_PICTURES.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # C1 controls (0x9b is a CSI on its own)


def for_terminal(text: str) -> str:
    """`text` to show on a terminal: its control characters as visible symbols (see `CONTROL_PICTURES`)."""
    return text.translate(CONTROL_PICTURES)


def get_close_matches(word: str, possibilities: list[str] | tuple[str, ...], n: int = 1) -> list[str]:
    """difflib's "did you mean", imported only when a file has a problem (it is slow to import)."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n)


def locate_line(text: str, path: str) -> int | None:
    """Best-effort line number (1-based) of a key path in TOML source text.

    tomllib gives no positions, so this follows the path through the text:
    ``[[sessions]]`` headers for indexed tables, then ``key =`` (or a
    ``[[sessions.key]]`` header) within the table. Lines inside multi-line
    strings are never taken for keys or headers. It is a hint for the person
    reading the error, never used to decide anything, so a miss just returns
    the nearest enclosing table's line.
    """
    if not text or not path:
        return None
    index = _index(text)
    lines = index.lines
    start, end, found = 0, len(lines), None
    prefix = ""
    for name, position in _SEGMENT.findall(path):
        full = prefix + name
        if position:
            head = index.nth_header(full, int(position), start, end)
            if head is not None:
                start, end, found, prefix = head + 1, index.table_end(head, full, end), head + 1, full + "."
                continue
        key_line = _key_line(lines, start, end, name)
        if key_line is None:  # not `key = ...`: perhaps a `[[full]]` or `[full]` table of its own
            key_line = index.first_header(full, start, end)
        return key_line if key_line else found
    return found


_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*(.*?)\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[\[?\s*(.*?)\s*\]")


class _Index:
    """One text's lines and table headers, found once: a file with thousands of problems
    (a pasted block repeated 3,000 times) is then located in a moment, not minutes."""

    def __init__(self, text: str) -> None:
        self.lines = _blank_multiline_strings(text.splitlines())
        self.headers: list[int] = []  # every line that starts a table, in order
        self.arrays: dict[str, list[int]] = {}  # name -> lines of its [[name]] headers
        self.tables: dict[str, list[int]] = {}  # name -> lines of its [name] or [[name]] headers
        for i, line in enumerate(self.lines):
            if not _HEADER.match(line):
                continue
            self.headers.append(i)
            array = _ARRAY_HEADER.match(line)
            if array:
                self.arrays.setdefault(array[1], []).append(i)
            table = _ANY_HEADER.match(line)
            if table:
                self.tables.setdefault(table[1], []).append(i)
        self._ends: dict[tuple[int, str, int], int] = {}

    def nth_header(self, name: str, n: int, start: int, end: int) -> int | None:
        """The line of the n-th ``[[name]]`` header between `start` and `end`."""
        found = self.arrays.get(name, [])
        first = bisect.bisect_left(found, start)
        if first + n < len(found) and found[first + n] < end:
            return found[first + n]
        return None

    def table_end(self, head: int, name: str, end: int) -> int:
        """Where the table whose header is at `head` stops: the next header not nested in it."""
        key = (head, name, end)
        if key not in self._ends:
            nested = (f"[[{name}.", f"[{name}.")
            self._ends[key] = next(
                (
                    i
                    for i in self.headers[bisect.bisect_right(self.headers, head) :]
                    if i >= end or not self.lines[i].strip().startswith(nested)
                ),
                end,
            )
            self._ends[key] = min(self._ends[key], end)
        return self._ends[key]

    def first_header(self, name: str, start: int, end: int) -> int | None:
        """The line (1-based) of the first ``[name]`` or ``[[name]]`` header between `start` and `end`."""
        found = self.tables.get(name, [])
        first = bisect.bisect_left(found, start)
        return found[first] + 1 if first < len(found) and found[first] < end else None


@lru_cache(maxsize=8)
def _index(text: str) -> _Index:
    return _Index(text)


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
    for i in range(start, end):
        if _HEADER.match(lines[i]):
            break
        if pattern.match(lines[i]):
            return i + 1
    return None


def _blank_multiline_strings(lines: list[str]) -> list[str]:
    """The lines, with the inside of multi-line strings made blank.

    A paragraph of background text may well have a line that starts with "["
    or reads like ``id = ...``; it must not be taken for TOML structure. The
    opening line (``text = \"\"\"...``) is kept, so its key is still found.
    """
    out = []
    quote = ""  # the delimiter of the multi-line string we are in, if any
    for line in lines:
        if quote:
            out.append("")
            if line.count(quote) % 2 == 1:
                quote = ""
            continue
        out.append(line)
        for delimiter in ('"""', "'''"):
            if line.count(delimiter) % 2 == 1:
                quote = delimiter
                break
    return out


def plural(count: int, noun: str) -> str:
    """ "1 answer", "2 answers": the counts in messages and labels."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
