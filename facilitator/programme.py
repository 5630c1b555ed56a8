"""The programme: what a meeting plans to do, read from a TOML file.

`load_programme(path)` reads and validates a programme file and returns a
frozen `Programme`. Every problem in the file is reported at once (not just
the first) as a `ProgrammeError` whose `problems` name the file, the key path
(``sessions[2].start``) and, where it can be found, the line.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.groups import Roster, group_key
from facilitator.problems import Problem, get_close_matches
from facilitator.toml_reading import (
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

SCHEMA = 1
KINDS = ("opening", "discussion", "break", "exercise", "closing")
# Ids become file names in the notes folder, so they are kept to a safe alphabet
# (matched with `fullmatch`: `$` alone would let a trailing newline through)
# and never a name Windows reserves for a device.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# A programme is a few kilobytes; anything far larger is a mistake, not a meeting.
MAX_FILE_BYTES = 2 * 1024 * 1024
# The time per intervention when the programme gives none (`speaking_time`, in minutes).
DEFAULT_SPEAKING_SECONDS = 180
MAX_SPEAKING_MINUTES = 60


class ProgrammeError(Exception):
    """A programme file that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def is_valid_id(value: str) -> bool:
    """Whether `value` can be an id: it becomes a file or folder name."""
    return bool(ID_PATTERN.fullmatch(value)) and value not in _RESERVED_NAMES


@dataclass(frozen=True)
class Prompt:
    """A question put to the room."""

    id: str
    text: str


@dataclass(frozen=True)
class Exercise:
    """How a participatory exercise sorts the room's answers."""

    categories: tuple[str, ...]
    instructions: str = ""


@dataclass(frozen=True)
class Person:
    """A chair or presenter, with the role they play."""

    name: str
    role: str = ""

    def __str__(self) -> str:
        return f"{self.role}: {self.name}" if self.role else self.name


@dataclass(frozen=True)
class Session:
    """One agenda item: a time slot in the programme."""

    id: str
    title: str
    kind: str
    date: dt.date
    start: dt.time | None = None
    duration: int | None = None  # planned minutes, when the programme gives them
    presenters: tuple[Person, ...] = ()
    location: str = ""
    purpose: str = ""
    description: str = ""
    references: tuple[str, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    exercise: Exercise | None = None
    speaking_time: int | None = None  # seconds per intervention; None: the programme's

    @property
    def is_break(self) -> bool:
        return self.kind == "break"

    def prompt(self, prompt_id: str) -> Prompt | None:
        """The prompt with this id, or None."""
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class Section:
    """A titled block of background text."""

    title: str
    text: str


@dataclass(frozen=True)
class Programme:
    """A whole meeting: metadata and the agenda items in order."""

    id: str
    title: str
    dates: tuple[dt.date, ...]
    sessions: tuple[Session, ...]
    subtitle: str = ""
    venue: str = ""
    organiser: str = ""
    contact: str = ""
    chairs: tuple[Person, ...] = ()
    background: tuple[Section, ...] = ()
    groups: tuple[str, ...] = ()
    aka: tuple[tuple[str, str], ...] = ()  # (another name, the group's name): "Yémen" is "Yemen"
    speaking_time: int | None = None  # seconds per intervention, for items that do not say
    source: Path | None = field(default=None, compare=False)

    def speaking_seconds(self, session: Session | None) -> int:
        """The time per intervention in an item: its own, else the programme's, else 3 minutes."""
        if session is not None and session.speaking_time is not None:
            return session.speaking_time
        return self.speaking_time if self.speaking_time is not None else DEFAULT_SPEAKING_SECONDS

    def roster(self, used: Iterable[str] = ()) -> Roster:
        """The meeting's groups: the programme's (with their other names), then `used` ones it does not name."""
        return Roster(self.groups, self.aka, used)

    def session(self, session_id: str) -> Session | None:
        """The agenda item with this id, or None."""
        return next((s for s in self.sessions if s.id == session_id), None)

    def index(self, session_id: str) -> int:
        """Position of an agenda item; ValueError if it is not in the programme."""
        for i, s in enumerate(self.sessions):
            if s.id == session_id:
                return i
        raise ValueError(session_id)


# ----------------------------------------------------------------- loading


def load_programme(path: str | Path) -> Programme:
    """Read, parse and validate a programme file.

    Raises `ProgrammeError` for anything wrong with it, including a missing or
    unreadable file; never any other exception for bad content.
    """
    path = Path(path)
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError([syntax_problem(str(path), exc, text)]) from None
    except RecursionError:
        raise ProgrammeError([Problem(str(path), "", "nested too deeply to be a programme")]) from None
    return parse_programme(data, path=path, text=text)


def parse_programme(data: dict[str, Any], *, path: Path | None = None, text: str = "") -> Programme:
    """Validate already-parsed TOML data and build the `Programme`."""
    checker = _Checker(str(path) if path else "<programme>", text)
    programme = checker.programme(data)
    if not checker.problems:
        assert programme is not None
        checker.schedulable(programme)
    if checker.problems:
        # In the order of the file, as a person reads it; problems about the
        # whole file (a missing key has no line) come first.
        raise ProgrammeError(sorted(checker.problems, key=lambda p: p.line or 0))
    assert programme is not None
    return programme if path is None else _with_source(programme, path)


def _with_source(programme: Programme, path: Path) -> Programme:
    from dataclasses import replace

    return replace(programme, source=path)


def _read_text(path: Path) -> str:
    name = str(path)
    too_big = ProgrammeError([Problem(name, "", "is larger than 2 MB; a programme file is a few kilobytes")])
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ProgrammeError([Problem(name, "", "is a folder, not a programme file")])
        # A device or a pipe (/dev/zero, a FIFO) could block or never end.
        if not stat.S_ISREG(info.st_mode):
            raise ProgrammeError([Problem(name, "", "is not a regular file")])
        if info.st_size > MAX_FILE_BYTES:
            raise too_big
        with path.open("rb") as handle:
            # Read no more than the limit even if the file grew since `stat`.
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise too_big
    except FileNotFoundError:
        raise ProgrammeError([Problem(name, "", "no such file")]) from None
    except PermissionError:
        raise ProgrammeError([Problem(name, "", "permission denied")]) from None
    except OSError as exc:
        raise ProgrammeError([Problem(name, "", f"cannot be read ({exc.strerror or exc})")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProgrammeError([Problem(name, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line)]) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProgrammeError([Problem(name, "", "contains a NUL byte: is it a binary file?", line)])
    text = text.removeprefix("\ufeff")
    if not _has_content(text):
        raise ProgrammeError(
            [Problem(name, "", "is empty: a programme needs schema, id, title, date and its [[sessions]]")]
        )
    return text


def _has_content(text: str) -> bool:
    """Whether the text has anything but blank lines and comments."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


# -------------------------------------------------------------- validation

_PROGRAMME_KEYS = {
    "schema", "id", "title", "subtitle", "date", "dates", "venue", "organiser",
    "contact", "chairs", "background", "groups", "sessions", "speaking_time",
}  # fmt: skip
_SESSION_KEYS = {
    "id", "start", "date", "duration", "title", "kind", "presenters", "location",
    "purpose", "description", "references", "prompts", "categories", "instructions", "speaking_time",
}  # fmt: skip
_PERSON_KEYS = {"name", "role"}
_GROUP_KEYS = {"name", "aka"}
_SECTION_KEYS = {"title", "text"}
_PROMPT_KEYS = {"id", "text"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # every control character but \t \n \r


class _Checker(TomlReader):
    """Walks the parsed TOML, collecting every problem rather than stopping (see `facilitator.toml_reading`)."""

    def get(self, table: dict[str, Any], key: str, kind: type | Kind, path: str, required: bool = False) -> Any:
        """`TomlReader.get` with a Python type for a kind (str, int, list, dict); text must be printable."""
        value = super().get(table, key, _KIND_OF.get(kind, kind), path, required)  # type: ignore[arg-type]
        if isinstance(value, str) and not self.printable(value, _key_path(path, key)):
            return None
        return value

    def printable(self, value: str, where: str) -> bool:
        """Text is shown on terminals and screens: a control character (ESC, NUL, a C1 code)
        could clear the screen or hide text, so it is refused; tabs and line breaks are fine."""
        found = _CONTROL.search(value)
        if found:
            self.add(where, f"contains the control character {found[0]!r} at character {found.start() + 1}: remove it")
        return found is None

    def text_field(self, table: dict[str, Any], key: str, path: str, required: bool = False) -> str:
        value = self.get(table, key, str, path, required)
        if value is None:
            return ""
        if required and not value.strip():
            self.add(_key_path(path, key), "must not be empty")
        return value.strip()

    def ident(self, table: dict[str, Any], path: str) -> str:
        value = self.get(table, "id", str, path, required=True)
        if value is None:
            return ""
        if not is_valid_id(value):
            self.add(
                _key_path(path, "id"),
                f"'{_clip(value)}' is not a valid id: use lower-case letters, digits, '-' or '_' (at most 64),"
                " starting with a letter or digit",
            )
        return value

    def strings(self, table: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        values = self.get(table, key, list, path)
        if values is None:
            return ()
        out = []
        for i, value in enumerate(values):
            if not isinstance(value, str):
                self.add(_key_path(path, f"{key}[{i}]"), f"must be a string, not {_describe(value)}")
            elif not value.strip():
                self.add(_key_path(path, f"{key}[{i}]"), "must not be empty")
            elif not self.printable(value, _key_path(path, f"{key}[{i}]")):
                pass
            else:
                out.append(value.strip())
        return tuple(out)

    def people(self, table: dict[str, Any], key: str, path: str) -> tuple[Person, ...]:
        out = []
        for where, person in self.tables(table, key, path):
            self.keys(person, _PERSON_KEYS, where)
            name = self.text_field(person, "name", where, required=True)
            out.append(Person(name, self.text_field(person, "role", where)))
        return tuple(out)

    def speaking_time(self, table: dict[str, Any], path: str) -> int | None:
        """`speaking_time`: minutes per intervention (3, or 1.5 for a minute and a half), as seconds."""
        value = self.get(table, "speaking_time", NUMBER, path)
        if value is None:
            return None
        if not 0 < value <= MAX_SPEAKING_MINUTES or round(value * 60) < 1:
            self.add(_key_path(path, "speaking_time"),
                     f"must be minutes per intervention, more than 0 and at most {MAX_SPEAKING_MINUTES}, not {value}")
            return None
        return round(value * 60)

    def date_value(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(path, f'must be a date like "2012-05-22", not {_describe(value)}')
        return None

    def time_value(self, value: Any, path: str) -> dt.time | None:
        if isinstance(value, dt.time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
            hours, minutes = (int(x) for x in value.strip().split(":"))
            if hours < 24 and minutes < 60:
                return dt.time(hours, minutes)
        self.add(path, f'must be a time like "10:15", not {_describe(value)}')
        return None

    # -- the programme --------------------------------------------------------

    def programme(self, data: dict[str, Any]) -> Programme | None:
        self.keys(data, _PROGRAMME_KEYS, "")
        schema = self.get(data, "schema", int, "", required=True)
        if schema is not None and schema != SCHEMA:
            self.add("schema", f"is {schema}; this version of facilitator reads schema {SCHEMA}")
        ident = self.ident(data, "")
        title = self.text_field(data, "title", "", required=True)
        dates = self.dates(data)
        groups, aka = self.groups(data)
        background = []
        for where, section in self.tables(data, "background", ""):
            self.keys(section, _SECTION_KEYS, where)
            background.append(
                Section(
                    self.text_field(section, "title", where, required=True),
                    self.text_field(section, "text", where, required=True),
                )
            )
        sessions = self.sessions(data, dates)
        return Programme(
            id=ident,
            title=title,
            dates=dates,
            sessions=sessions,
            subtitle=self.text_field(data, "subtitle", ""),
            venue=self.text_field(data, "venue", ""),
            organiser=self.text_field(data, "organiser", ""),
            contact=self.text_field(data, "contact", ""),
            chairs=self.people(data, "chairs", ""),
            background=tuple(background),
            groups=groups,
            aka=aka,
            speaking_time=self.speaking_time(data, ""),
        )

    def groups(self, data: dict[str, Any]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """`groups`: names, or tables `{ name = "Yemen", aka = ["Yémen", "اليمن"] }`.

        Two entries that are the same group by `group_key` (case, accents,
        zero-width characters...) are refused, names and other names alike:
        the capture would silently make them one.
        """
        values = self.get(data, "groups", list, "")
        names: list[str] = []
        aka: list[tuple[str, str]] = []
        spellings: list[tuple[str, str, str]] = []  # (where, spelling, its group) for the duplicate check
        for i, value in enumerate(values or ()):
            where = f"groups[{i}]"
            if isinstance(value, dict):
                self.keys(value, _GROUP_KEYS, where)
                name = self.text_field(value, "name", where, required=True)
                others = self.strings(value, "aka", where)
            elif isinstance(value, str):
                name, others = (value.strip() if self.printable(value, where) else ""), ()
                if not value.strip():
                    self.add(where, "must not be empty")
            else:
                self.add(where, f"must be a name or a table with name and aka, not {_describe(value)}")
                continue
            if not name:
                continue
            names.append(name)
            spellings.append((where, name, name))
            for j, other in enumerate(others):
                aka.append((other, name))
                spellings.append((f"{where}.aka[{j}]", other, name))
        self.same_groups(spellings)
        return tuple(names), tuple(aka)

    def same_groups(self, spellings: list[tuple[str, str, str]]) -> None:
        seen: dict[str, tuple[str, str, str]] = {}
        for where, spelling, group in spellings:
            key = group_key(spelling)
            if key in seen:
                first_where, first, first_group = seen[key]
                if first_group == group and where != first_where and ".aka[" in where:
                    continue  # "Yémen" as another name of "Yemen": redundant, harmless
                if first == spelling:
                    self.add(where, f"duplicate group '{_clip(first)}' (first at {first_where})")
                else:
                    same = f"'{_clip(spelling)}' is the same group as '{_clip(first)}' (first at {first_where})"
                    self.add(where, same + ": case, accents and invisible characters do not make another group")
            else:
                seen[key] = (where, spelling, group)

    def dates(self, data: dict[str, Any]) -> tuple[dt.date, ...]:
        if "date" in data and "dates" in data:
            self.add("dates", "give either 'date' (one day) or 'dates' (several), not both")
            return ()
        if "date" in data:
            day = self.date_value(data["date"], "date")
            return (day,) if day else ()
        if "dates" not in data:
            self.add("date", "is missing (or 'dates' for a programme of several days)")
            return ()
        values = data["dates"]
        if not isinstance(values, list) or not values:
            self.add("dates", f"must be a non-empty list of dates, not {_describe(values)}")
            return ()
        days = [self.date_value(v, f"dates[{i}]") for i, v in enumerate(values)]
        clean = tuple(d for d in days if d is not None)
        if list(clean) != sorted(set(clean)):
            self.add("dates", "must be in order, each day once")
        return clean

    def sessions(self, data: dict[str, Any], dates: tuple[dt.date, ...]) -> tuple[Session, ...]:
        if isinstance(data.get("sessions"), dict):  # the easy slip: [sessions] for [[sessions]]
            self.add("sessions", "must be a list of agenda items: write each one under [[sessions]], not [sessions]")
            items = []
        else:
            items = self.tables(data, "sessions", "")
        if "sessions" not in data:
            self.add("sessions", "is missing: a programme needs at least one agenda item ([[sessions]])")
        elif not items and isinstance(data.get("sessions"), list):
            self.add("sessions", "is empty: a programme needs at least one agenda item")
        out: list[Session] = []
        day = dates[0] if dates else dt.date.min
        last_start: dt.time | None = None
        day_has_start = False  # a start was given (even a wrong one, reported already) this day
        for where, item in items:
            session = self.session(item, where, day, dates)
            if session.date != day:
                if session.date < day:
                    self.add(f"{where}.date", f"{session.date} comes before the previous item's {day}")
                day, last_start, day_has_start = session.date, None, False
            day_has_start = day_has_start or "start" in item
            if not day_has_start:
                self.add(f"{where}.start", "is missing: the first item of a day needs a start time")
            if session.start is not None:
                if last_start is not None and session.start < last_start:
                    self.add(
                        f"{where}.start",
                        f"{session.start:%H:%M} is before the previous start {last_start:%H:%M}:"
                        " items must be in time order",
                    )
                last_start = session.start
            out.append(session)
        self.duplicates([(f"{w}.id", item.get("id")) for w, item in items], "agenda item id")
        return tuple(out)

    def session(self, item: dict[str, Any], where: str, day: dt.date, dates: tuple[dt.date, ...]) -> Session:
        self.keys(item, _SESSION_KEYS, where)
        ident = self.ident(item, where)
        if ident == "run":
            # The notes folder keeps the run state in run.toml, next to <item-id>.toml files.
            self.add(f"{where}.id", "'run' is reserved for the notes folder's run.toml: choose another id")
        kind = self.get(item, "kind", str, where, required=True) or "discussion"
        if kind not in KINDS:
            close = get_close_matches(kind, KINDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.add(f"{where}.kind", f"'{_clip(kind)}' is not one of {', '.join(KINDS)}{hint}")
        if "date" in item:
            day = self.date_value(item["date"], f"{where}.date") or day
            if dates and day not in dates:
                self.add(f"{where}.date", f"{day} is not one of the programme's dates")
        start = self.time_value(item["start"], f"{where}.start") if "start" in item else None
        duration = self.get(item, "duration", int, where)
        if duration is not None and not 0 < duration <= 24 * 60:
            self.add(f"{where}.duration", f"must be between 1 and 1440 minutes, not {duration}")
            duration = None
        prompts = []
        for p_where, prompt in self.tables(item, "prompts", where):
            self.keys(prompt, _PROMPT_KEYS, p_where)
            prompts.append(Prompt(self.ident(prompt, p_where), self.text_field(prompt, "text", p_where, required=True)))
        self.duplicates(
            [(f"{w}.id", p.get("id")) for w, p in self.tables(item, "prompts", where) if isinstance(p, dict)],
            "prompt id",
        )
        exercise = None
        categories = self.strings(item, "categories", where)
        instructions = self.text_field(item, "instructions", where)
        if kind in KINDS and kind != "exercise":  # an unknown kind is reported above
            for key in ("categories", "instructions"):
                if key in item:
                    self.add(f"{where}.{key}", f"only an item of kind 'exercise' has {key} (this one is '{kind}')")
        else:
            self.duplicates([(f"{where}.categories[{i}]", c) for i, c in enumerate(categories)], "category", fold=True)
            exercise = Exercise(categories, instructions)
        return Session(
            id=ident,
            title=self.text_field(item, "title", where, required=True),
            kind=kind,
            date=day,
            start=start,
            duration=duration,
            presenters=self.people(item, "presenters", where),
            location=self.text_field(item, "location", where),
            purpose=self.text_field(item, "purpose", where),
            description=self.text_field(item, "description", where),
            references=self.strings(item, "references", where),
            prompts=tuple(prompts),
            exercise=exercise,
            speaking_time=self.speaking_time(item, where),
        )

    def schedulable(self, programme: Programme) -> None:
        """The planned times must be computable: an item ending after 9999-12-31 would fail
        `show`, the run screen and every export, so it is refused here, naming its key."""
        from facilitator.schedule import PlanOverflowError, plan  # schedule imports this module

        try:
            plan(programme)
        except PlanOverflowError as exc:
            index = next(i for i, s in enumerate(programme.sessions) if s is exc.session)
            session = exc.session
            key = "duration" if session.duration is not None else "start" if session.start is not None else "date"
            self.add(f"sessions[{index}].{key}", f"the item cannot be planned: {exc}")

    def duplicates(self, entries: list[tuple[str, Any]], what: str, fold: bool = False) -> None:
        """Report every value seen before; `fold` ignores case ("Chad" = "chad")."""
        seen: dict[str, str] = {}
        for where, value in entries:
            if not isinstance(value, str) or not value:
                continue
            key = value.casefold() if fold else value
            if key in seen:
                self.add(where, f"duplicate {what} '{_clip(value)}' (first at {seen[key]})")
            else:
                seen[key] = where


_key_path = key_path
_describe = describe
_KIND_OF: dict[type, Kind] = {str: STRING, int: INTEGER, list: LIST, dict: TABLE}


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
