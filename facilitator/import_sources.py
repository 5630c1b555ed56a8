"""Reading the file a programme arrives in (.txt, .md, .docx) into paragraphs, defensively.

The edge of `facilitator import`: everything about files is here, the reading
of the programme is in `facilitator.importer`. A file is checked before it is
read: a regular file (a folder, a device or a pipe is refused before it is
opened for reading), no bigger than a programme's text can be (checked on its
size, so a 50 MB file is never read), text rather than a binary file, and a
Word document's zip archive is looked at member by member before python-docx
unpacks anything, so a zip bomb is refused by its declared sizes.
Each refusal is one `Problem`: one line, no traceback.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.importer.paragraphs import Paragraph, joined_lines, text_paragraphs
from facilitator.problems import Problem

MB = 1024 * 1024
# A programme's text is a few kilobytes; a Word document may carry a logo or two.
MAX_TEXT_BYTES = 2 * MB
MAX_WORD_BYTES = 20 * MB
# What a Word document may unpack to, and how much one part may grow: text parts
# compress ten or twenty times; a part that grows a hundred times is built to.
MAX_UNPACKED_BYTES = 100 * MB
MAX_PART_RATIO = 100
SMALL_PART_BYTES = MB  # below this a part's ratio does not matter
MAX_PARTS = 5000
# A programme of a hundred pages has a few thousand paragraphs; past this it is not one
# (and reading it would take the importer minutes).
MAX_PARAGRAPHS = 10_000
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
WORD_SUFFIX = ".docx"

# What a file starts with, for the formats people most often mistake for text.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive (a Word .docx named otherwise?): give it the .docx extension"),
    (b"%PDF", "a PDF: copy its text into a .txt file, or save it from Word as .docx"),
    (b"\xd0\xcf\x11\xe0", "an old Word .doc file: open it in Word and save it as .docx"),
    (b"{\\rtf", "an RTF file: save it as .docx or .txt"),
)
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class SourceError(Exception):
    """A file that cannot be imported; `problems` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Source:
    """A file's paragraphs, and what a person should know about how it was read."""

    paragraphs: list[Paragraph]
    notes: list[Problem] = field(default_factory=list)


def read_source(path: Path) -> Source:
    """The paragraphs of a .txt, .md or .docx file; `SourceError` for anything that cannot be one."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, WORD_SUFFIX, ""):
        raise _refuse(name, _wrong_suffix(suffix))
    limit = MAX_WORD_BYTES if suffix == WORD_SUFFIX else MAX_TEXT_BYTES
    raw = _read_bytes(path, limit)
    source = Source(word_paragraphs(raw, name)) if suffix == WORD_SUFFIX else _text_source(raw, name)
    if len(source.paragraphs) > MAX_PARAGRAPHS:
        count = len(source.paragraphs)
        raise _refuse(name, f"has {count} paragraphs: a programme has a few hundred (at most {MAX_PARAGRAPHS} read)")
    return source


def _wrong_suffix(suffix: str) -> str:
    if suffix == ".doc":
        return "is an old Word .doc file: open it in Word and save it as .docx"
    if suffix == ".pdf":
        return "is a PDF: copy its text into a .txt file, or save it from Word as .docx"
    if suffix == ".toml":
        return "is already a programme file: check it with `facilitator validate`"
    return f"is a {suffix} file: facilitator import reads .txt, .md and .docx"


def _refuse(name: str, message: str, line: int | None = None) -> SourceError:
    return SourceError([Problem(name, "", message, line)])


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, once it is known to be a regular file no bigger than `limit`."""
    name = str(path)
    try:
        # Non-blocking, so that opening a FIFO cannot hang; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _refuse(name, "no such file") from None
    except IsADirectoryError:
        raise _refuse(name, "is a folder: give the programme's .txt, .md or .docx file") from None
    except PermissionError:
        raise _refuse(name, "permission denied") from None
    except OSError as exc:
        raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    info = os.fstat(fd)  # of what was opened, not of what the name pointed to a moment before
    refusal = _refusal(info, limit)
    if refusal:
        os.close(fd)
        raise _refuse(name, refusal)
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limit + 1)  # no more than the limit, even if the file grew since fstat
        except OSError as exc:
            raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > limit:
        raise _refuse(name, _too_big(len(raw), limit))
    if not raw.strip():
        raise _refuse(name, "is empty: there is no programme in it")
    return raw


def _refusal(info: os.stat_result, limit: int) -> str:
    """Why a file of this kind and size is not read ("" when it is)."""
    if stat.S_ISDIR(info.st_mode):
        return "is a folder: give the programme's .txt, .md or .docx file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device or a pipe?): give the programme's file"
    if info.st_size > limit:
        return _too_big(info.st_size, limit)
    return ""


def _too_big(size: int, limit: int) -> str:
    return f"is {size / MB:.1f} MB: a programme's text is a few kilobytes (the most read is {limit // MB} MB)"


# ------------------------------------------------------------------ text


def _text_source(raw: bytes, name: str) -> Source:
    text, notes = decode_text(raw, name)
    paragraphs = text_paragraphs(text)
    if not paragraphs:
        raise _refuse(name, "is empty: there is no programme in it")
    return Source(paragraphs, notes)


def decode_text(raw: bytes, name: str) -> tuple[str, list[Problem]]:
    """The text of a file: UTF-8 (with or without a byte order mark), UTF-16 with one, else Windows-1252."""
    notes: list[Problem] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(name, "is not text: it starts like UTF-16 but is not") from None
    else:
        for magic, what in _MAGIC:
            if raw.startswith(magic):
                raise _refuse(name, f"is not text: it is {what}")
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            raise _refuse(name, "is not text: it holds NUL bytes (a binary file?)", line)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            text = raw.decode("cp1252", errors="replace")
            notes.append(Problem(name, "", "is not UTF-8: read as Windows-1252; check accented letters", line))
    controls = len(_BINARY_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise _refuse(name, f"is not text: {controls} control characters (a binary file?)")
    if not text.strip():
        raise _refuse(name, "is empty: there is no programme in it")
    return text, notes


# ------------------------------------------------------------------ Word


def word_paragraphs(raw: bytes, name: str) -> list[Paragraph]:
    """The paragraphs, list items and table rows of a .docx, in document order."""
    _check_archive(raw, name)
    import docx  # imported here: only `import` of a .docx needs it

    try:
        document = docx.Document(io.BytesIO(raw))
        paragraphs = _body(document)
    except Exception as exc:  # python-docx and lxml raise many kinds for a broken file; each is one line here
        raise _refuse(name, f"cannot be read as a Word document ({type(exc).__name__}: {_first_line(exc)})") from None
    if not paragraphs:
        raise _refuse(name, "has no text: there is no programme in it")
    return paragraphs


def _check_archive(raw: bytes, name: str) -> None:
    """Refuse what is not a Word document, or would unpack to far more than one (a zip bomb)."""
    if not raw.startswith(b"PK"):
        old = raw.startswith(b"\xd0\xcf\x11\xe0")
        raise _refuse(name, "is an old Word .doc file renamed .docx: open it in Word and save it as .docx"
                      if old else "is not a Word .docx file (not a zip archive)")  # fmt: skip
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _refuse(name, "is not a Word .docx file: its zip archive is damaged") from None
    if len(parts) > MAX_PARTS:
        raise _refuse(name, f"has {len(parts)} parts: refused, a Word document has a few dozen")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(name, f"would unpack to {total / MB:.0f} MB: refused (a zip bomb?)")
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(name, f"part {part.filename} is compressed in a way Word never uses: refused")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > SMALL_PART_BYTES and ratio > MAX_PART_RATIO:
            raise _refuse(name, f"part {part.filename} unpacks to {ratio:.0f} times its size: refused (a zip bomb?)")
    if "word/document.xml" not in {part.filename for part in parts}:
        raise _refuse(name, "is a zip archive but not a Word document (it has no word/document.xml)")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:120] if text else "no detail"


def _body(document: Any) -> list[Paragraph]:
    """Body paragraphs and table rows numbered as a person counts them (empty paragraphs do not count),
    then the page headers and footers, marked as such."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph as WordParagraph

    body = document.element.body
    parent = document._body
    out: list[Paragraph] = []
    number = 0
    for element in _blocks(body, qn):
        if element.tag == qn("w:p"):
            paragraph = WordParagraph(element, parent)
            if paragraph.text.strip():
                number += 1
                out.extend(_paragraphs(paragraph, number))
        else:
            for row in Table(element, parent).rows:
                number += 1
                out.append(_row(row, number))
    out.extend(_furniture(document))
    return out


def _blocks(body: Any, qn: Any) -> list[Any]:
    """Paragraphs and tables in order, looking inside content controls (w:sdt) that wrap some of them."""
    found = []
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            found.append(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                found.extend(_blocks(content, qn))
    return found


def _paragraphs(paragraph: Any, number: int) -> list[Paragraph]:
    """One Word paragraph; its line breaks (Shift+Enter) part it where a new line starts something."""
    style = _style(paragraph)
    listed = _is_list(paragraph)
    bold = _is_bold(paragraph)
    texts = joined_lines(paragraph.text.split("\n"))
    return [Paragraph(text, number, style=style, bold=bold, list_item=listed) for text in texts]


def _style(paragraph: Any) -> str:
    name = (getattr(paragraph.style, "name", "") or "").lower()
    if name in ("title", "subtitle"):
        return name
    return "heading" if name.startswith("heading") else ""


def _is_list(paragraph: Any) -> bool:
    """Word list numbering on the paragraph or its style ("List Number", "List Bullet", "List Paragraph")."""
    numbering = _numbering(paragraph._p.pPr)
    if numbering is not None:
        return numbering
    style = paragraph.style
    if style is None:
        return False
    return (style.name or "").lower().startswith("list") or bool(_numbering(style.element.pPr))


def _numbering(properties: Any) -> bool | None:
    """Whether paragraph (or style) properties number the paragraph; None when they do not say.

    A numId of 0 takes numbering off, and a level without a numId (Word's own
    "Subtitle" style has one) numbers nothing.
    """
    numbered = properties.numPr if properties is not None else None
    if numbered is None:
        return None
    number = numbered.numId
    return number is not None and number.val != 0


def _is_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    style = paragraph.style
    style_bold = bool(style is not None and style.font.bold)
    return bool(runs) and all(run.bold or (run.bold is None and style_bold) for run in runs)


def _row(row: Any, number: int) -> Paragraph:
    """A table row: each cell's paragraphs (a merged cell once, however many columns it spans)."""
    cells = []
    seen = None
    for cell in row.cells:
        if cell._tc is seen:
            continue
        seen = cell._tc
        parts = [p for paragraph in cell.paragraphs if paragraph.text.strip() for p in _paragraphs(paragraph, number)]
        for inner in cell.tables:  # a table in a cell: its rows' text, in order
            parts.extend(Paragraph(" | ".join(c.text for c in r.cells), number) for r in inner.rows)
        cells.append(tuple(parts))
    return Paragraph(" | ".join(" ".join(p.text for p in c) for c in cells), number, cells=tuple(cells))


def _furniture(document: Any) -> list[Paragraph]:
    """The page headers and footers' text, once each: the importer may find the contact or subtitle there."""
    seen: set[str] = set()
    out = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            if part.is_linked_to_previous:  # no header of its own (reading one would add it)
                continue
            for paragraph in part.paragraphs:
                text = paragraph.text.strip()
                if text and text not in seen:
                    seen.add(text)
                    out.append(Paragraph(text, 0, bold=_is_bold(paragraph), furniture=True))
    return out
