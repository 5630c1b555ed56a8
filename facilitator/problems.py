"""A problem found in a file a person wrote or the tool saved.

Every error the tool reports about a file is one `Problem`: the file, where in
it (a TOML key path such as ``sessions[2].start``, and the line when it can be
found) and what is wrong. Printed, it is one line: ``file:line: path: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    lines = _blank_multiline_strings(text.splitlines())
    start, end, found = 0, len(lines), None
    prefix = ""
    for name, index in _SEGMENT.findall(path):
        full = prefix + name
        if index:
            headers = [i for i in range(start, end) if _header_match(lines[i], full, array=True)]
            if len(headers) > int(index):
                head = headers[int(index)]
                nested = (f"[[{full}.", f"[{full}.")
                end = next(
                    (
                        i
                        for i in range(head + 1, end)
                        if _HEADER.match(lines[i]) and not lines[i].strip().startswith(nested)
                    ),
                    end,
                )
                start, found, prefix = head + 1, head + 1, full + "."
                continue
        key_line = _key_line(lines, start, end, name)
        if key_line is None:  # not `key = ...`: perhaps a `[[full]]` or `[full]` table of its own
            key_line = next((i + 1 for i in range(start, end) if _header_match(lines[i], full)), None)
        return key_line if key_line else found
    return found


def _header_match(line: str, name: str, array: bool = False) -> bool:
    """Whether the line is the header ``[[name]]`` (or, unless `array`, ``[name]``)."""
    pattern = rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]" if array else rf"^\s*\[\[?\s*{re.escape(name)}\s*\]"
    return re.match(pattern, line) is not None


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
