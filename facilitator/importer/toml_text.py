"""The draft programme written as TOML in the documented format, with comments where it guessed.

Written by hand rather than by a TOML library so that it reads like the bundled
programmes (keys in the same order, background as multi-line text, a comment
above every guess) — and every string goes through `basic` or `multiline`,
which escape whatever the source held: quotes, backslashes, three quotes in a
row, control characters. `render` also returns, for each key, the line of the
source it came from, so the validator's problems point at the source.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from facilitator.importer.draft import DraftItem, DraftProgramme, DraftSection
from facilitator.programme import Person

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
# Every control character TOML refuses in a string, as \uXXXX; in a multi-line string line
# breaks and tabs stay, and quotes are seen to by `_break_quote_run`.
_BASIC = {code: f"\\u{code:04x}" for code in (*range(0x20), 0x7F)} | {ord(k): v for k, v in _ESCAPES.items()}
_MULTILINE = {code: text for code, text in _BASIC.items() if chr(code) not in '\n\t"'}
_QUOTE_RUN = re.compile('"{3,}')


def _break_quote_run(run: re.Match[str]) -> str:
    return "".join('\\"' if i % 3 == 2 else '"' for i in range(len(run[0])))
_COMMENT_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_ONE_LINE = 100  # a list longer than this on one line is written one entry per line


def basic(text: str) -> str:
    """A TOML basic string: "..." with every character that needs it escaped."""
    return '"' + text.translate(_BASIC) + '"'


def multiline(text: str) -> str:
    """A TOML multi-line basic string, opened on its own line as the bundled programmes write them.

    Quotes stay as they are except every third in a row (three would close the
    string) and those at the very end (they would run into the closing quotes).
    """
    body = text.rstrip('"')
    escaped = _QUOTE_RUN.sub(_break_quote_run, body.translate(_MULTILINE))
    return '"""\n' + escaped + '\\"' * (len(text) - len(body)) + '"""'


def string(text: str) -> str:
    return multiline(text) if "\n" in text else basic(text)


def person(who: Person) -> str:
    role = f", role = {basic(who.role)}" if who.role else ""
    return f"{{ name = {basic(who.name)}{role} }}"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: dict[str, int] = {}

    def comment(self, text: str) -> None:
        for line in text.split("\n"):
            self.lines.append(("# " + _COMMENT_UNSAFE.sub(" ", line)).rstrip())

    def key(self, key: str, value: str, guess: str = "", origin: tuple[str, int] | None = None) -> None:
        if guess:
            self.comment(f"guessed: {guess}")
        if origin and origin[1]:
            self.origins[origin[0]] = origin[1]
        self.lines.append(f"{key} = {value}")

    def array(self, key: str, values: list[str], guess: str = "") -> None:
        one_line = f"[{', '.join(values)}]"
        if len(key) + len(one_line) + 3 <= _ONE_LINE:
            self.key(key, one_line, guess)
            return
        if guess:
            self.comment(f"guessed: {guess}")
        self.lines.append(f"{key} = [")
        self.lines.extend(f"  {value}," for value in values)
        self.lines.append("]")

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")


def render(draft: DraftProgramme, source: str) -> tuple[str, dict[str, int]]:
    """The programme's TOML text, and the source line of each key path it can name."""
    out = _Writer()
    out.comment(f"Imported by `facilitator import` from {PurePath(source).name}.")
    out.comment('A "guessed" comment marks the importer\'s reading of the text: check those lines, then run')
    out.comment("`facilitator validate` on this file, and `facilitator show` to see the agenda.")
    out.lines.append("schema = 1")
    out.key("id", basic(draft.id))
    _header(out, draft)
    for index, section in enumerate(draft.background):
        _section(out, section, index)
    out.blank()
    out.comment("---------------------------------------------------------------- the agenda")
    several_days = len(draft.dates) > 1
    for index, item in enumerate(draft.items):
        _item(out, item, index, several_days)
    return "\n".join(out.lines) + "\n", out.origins


def _header(out: _Writer, draft: DraftProgramme) -> None:
    line = draft.lines.get
    if draft.title:
        out.key("title", basic(draft.title), draft.guesses.get("title", ""), ("title", line("title", 0)))
    else:
        out.comment('title = ""  # not found in the text: write the programme\'s title here')
    for key in ("subtitle",):
        if getattr(draft, key):
            out.key(key, basic(getattr(draft, key)), draft.guesses.get(key, ""), (key, line(key, 0)))
    if len(draft.dates) == 1:
        out.key("date", basic(draft.dates[0].isoformat()), draft.guesses.get("date", ""), ("date", line("date", 0)))
    elif draft.dates:
        out.key("dates", f"[{', '.join(basic(d.isoformat()) for d in draft.dates)}]", "", ("dates", line("dates", 0)))
    else:
        out.comment('date = "YYYY-MM-DD"  # no date found in the text: write the programme\'s date here')
    for key in ("venue", "organiser", "contact"):
        if getattr(draft, key):
            out.key(key, basic(getattr(draft, key)), draft.guesses.get(key, ""), (key, line(key, 0)))
    if draft.chairs:
        out.origins["chairs"] = line("chairs", 0)
        out.blank()
        out.array("chairs", [person(p) for p in draft.chairs], draft.guesses.get("chairs", ""))
    if draft.comments:
        out.blank()
        out.comment("Text of the source that the importer could not place (it listed each when it ran):")
        for comment in draft.comments:
            out.comment(comment)


def _section(out: _Writer, section: DraftSection, index: int) -> None:
    out.blank()
    if section.guess:
        out.comment(f"guessed: the title ({section.guess})")
    out.lines.append("[[background]]")
    out.origins[f"background[{index}]"] = section.line
    out.key("title", basic(section.title))
    out.key("text", multiline(section.text))


def _item(out: _Writer, item: DraftItem, index: int, several_days: bool) -> None:
    out.blank()
    for heading in item.headings:
        out.comment(heading)
    if item.start is None:
        out.comment("no time of its own in the text: it follows the previous item")
    out.lines.append("[[sessions]]")
    out.origins[f"sessions[{index}]"] = item.line
    out.key("id", basic(item.id))
    if item.start is not None:
        out.key("start", basic(f"{item.start:%H:%M}"), item.guesses.get("start", ""))
    minutes = _minutes(item)
    if minutes:
        out.lines.append(f"duration = {minutes}  # {item.start:%H:%M} – {item.end:%H:%M} in the text")
    if several_days and item.date is not None:
        out.key("date", basic(item.date.isoformat()), item.guesses.get("date", ""))
    if item.title:
        out.key("title", basic(item.title), item.guesses.get("title", ""))
    else:
        out.key("title", '""', "no title found in the text: write one")
    out.key("kind", basic(item.kind), item.guesses.get("kind", ""))
    if item.presenters:
        out.array("presenters", [person(p) for p in item.presenters], item.guesses.get("presenters", ""))
    for key in ("location", "purpose"):
        if getattr(item, key):
            out.key(key, basic(getattr(item, key)), item.guesses.get(key, ""))
    if item.description:
        out.key("description", string(item.description.join()))
    if item.references:
        out.array("references", [basic(r) for r in item.references], item.guesses.get("references", ""))
    for comment in item.comments:
        out.comment(comment)
    for number, prompt in enumerate(item.prompts):
        out.blank()
        out.lines.append("[[sessions.prompts]]")
        out.origins[f"sessions[{index}].prompts[{number}]"] = prompt.line
        out.key("id", basic(prompt.id))
        out.key("text", basic(prompt.text), prompt.guess)


def _minutes(item: DraftItem) -> int:
    """Planned minutes from a time range ("10:00 – 10:15"), 0 when the text gives no end."""
    if item.start is None or item.end is None:
        return 0
    day = dt.date(2000, 1, 1)
    minutes = int((dt.datetime.combine(day, item.end) - dt.datetime.combine(day, item.start)).total_seconds() // 60)
    return minutes if 0 < minutes <= 24 * 60 else 0
