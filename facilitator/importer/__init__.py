"""Read a programme's own text (a Word document, a web page's text) and write it as a programme file.

Pure: paragraphs (or text) in, the programme's TOML text, the notes on what it
could not place and the validator's problems out. No file is read or written
here and nothing is printed: `facilitator.import_sources` reads the files and
`facilitator.import_command` is the command.

The passes, each in its module:

- `paragraphs`: plain text and Markdown cut into paragraphs;
- `layout`: page furniture, sentences cut by a page break, where the agenda starts;
- `front`: the title block and the background sections before the agenda;
- `agenda`: day headings, times and what each agenda item holds;
- `links`: dates, kinds, what the background says about each item, chairs, ids;
- `toml_text`: the programme written out, a comment above every guess.

The result is validated with the programme format's own validator
(`facilitator.programme.parse_programme`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from facilitator.importer.agenda import read_agenda
from facilitator.importer.draft import DraftProgramme, Note
from facilitator.importer.front import read_front
from facilitator.importer.layout import agenda_start, prepare
from facilitator.importer.links import finish
from facilitator.importer.paragraphs import Paragraph, text_paragraphs
from facilitator.importer.recognise import abbreviations, acronyms_of
from facilitator.importer.toml_text import render
from facilitator.problems import Problem
from facilitator.programme import Programme, ProgrammeError, parse_programme

__all__ = ["ImportResult", "Paragraph", "import_paragraphs", "import_text", "text_paragraphs"]


@dataclass(frozen=True)
class ImportResult:
    """A programme read from a text: its TOML, and what a person should look at."""

    toml: str  # the programme file, whether or not it validates
    programme: Programme | None  # None when it does not validate
    notes: tuple[Problem, ...]  # text it could not place, dates to check: one per source line
    problems: tuple[Problem, ...]  # why it does not validate, at the source line the key came from
    guesses: int  # how many "# guessed" comments the file holds

    @property
    def valid(self) -> bool:
        return self.programme is not None


def import_text(text: str, source: str = "programme") -> ImportResult:
    """A plain-text or Markdown programme."""
    return import_paragraphs(text_paragraphs(text), source)


def import_paragraphs(paragraphs: list[Paragraph], source: str = "programme") -> ImportResult:
    """A programme from its paragraphs; `source` names it in comments and messages."""
    paragraphs = prepare(paragraphs)
    texts = [p.text for p in paragraphs] + [q.text for p in paragraphs for cell in p.cells for q in cell]
    short, acronyms = abbreviations(texts), acronyms_of(texts)
    start = agenda_start(paragraphs)
    draft = DraftProgramme()
    read_front(paragraphs[:start], draft, acronyms)
    if start == len(paragraphs):
        draft.note(0, "no times found (like 10:00 or 10:00 – 10:15): the programme has no agenda items")
    read_agenda(paragraphs[start:], draft, short)
    finish(draft, paragraphs, short, acronyms)
    toml, origins = render(draft, source)
    programme, problems = _validate(toml, origins, source)
    notes = tuple(Problem(source, "", note.message, note.line or None) for note in _in_order(draft))
    guesses = sum(line.startswith("# guessed:") for line in toml.splitlines())
    return ImportResult(toml, programme, notes, problems, guesses)


def _in_order(draft: DraftProgramme) -> list[Note]:
    return sorted(draft.notes, key=lambda note: note.line)


def _validate(toml: str, origins: dict[str, int], source: str) -> tuple[Programme | None, tuple[Problem, ...]]:
    """The programme, or the validator's problems pointed at the source lines their keys came from."""
    try:
        return parse_programme(tomllib.loads(toml), text=toml), ()
    except tomllib.TOMLDecodeError as exc:  # the writer escapes every string: this is a bug, said plainly
        return None, (Problem(source, "", f"the importer wrote TOML that does not parse ({exc}): please report it"),)
    except ProgrammeError as exc:
        return None, tuple(Problem(source, p.path, p.message, _origin(p.path, origins)) for p in exc.problems)


def _origin(path: str, origins: dict[str, int]) -> int | None:
    """The source line of a key path, or of the nearest table that holds it."""
    while path:
        if origins.get(path):
            return origins[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
