"""A programme's text as paragraphs: what the importer reads.

A Word document gives its paragraphs, list numbering and tables directly (the
edge module `facilitator.import_sources` turns them into `Paragraph`s). Plain
text and Markdown are cut into paragraphs here: blank lines separate them, and
so does a line that starts something new (a bullet, a number, a time, a
"Location:" label, a Markdown heading or table row), because a programme pasted
from a web page often has no blank line between its time and its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every control character but tab and line break: a programme may hold none of
# them (the validator refuses them), and a terminal would act on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the source, with what its layout says about it."""

    text: str
    line: int = 0  # a text's line, a Word document's paragraph; 0 for a page header or footer
    style: str = ""  # "title", "subtitle" or "heading": a Word style or a Markdown heading
    bold: bool = False  # the whole paragraph in bold (a heading that has no heading style)
    list_item: bool = False  # a bulleted or numbered list item (Word numbering, "-", "1.")
    cells: tuple[tuple[Paragraph, ...], ...] = ()  # a table row: each cell's paragraphs
    furniture: bool = False  # from a page header or footer


def clean(text: str) -> str:
    """The text on one line, without control characters, its spaces collapsed."""
    text = _CONTROL.sub("", text.replace("\n", " ").replace("\r", " "))
    return _SPACES.sub(" ", text).strip()


# ------------------------------------------------------------------ plain text and Markdown

LIST_MARKER = re.compile(
    r"^\s*(?:[-–•*·▪◦●○■□➢►]|\d{1,2}[.)]|[a-zA-Z][.)]|\((?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})\)|[ivx]{1,4}[.)])\s+"
)
_TIME_START = re.compile(r"^\s*(?:from\s+)?\d{1,2}(?:[:.hH]\d{2}|[hH]\b|\s*[aApP]\.?[mM]\b)")
_LABEL_START = re.compile(r"^\s*[A-Z][\w’'()/&-]*+(?: [\w’'()/&-]++){0,4}\s*:\s+\S")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_TABLE_RULE = re.compile(r"^[\s|:\-]+$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# A line ending with one of these words (or a comma, a hyphen) cannot end a paragraph.
_UNFINISHED = re.compile(
    r"(?:[,;\-–]|\b(?:and|or|of|the|to|in|for|on|with|a|an|by|at|from|as|that|its|their))\s*$", re.I
)
# Lines longer than this are paragraphs of their own (text pasted from a web page or
# a word processor), not a paragraph wrapped at a fixed width.
_WRAPPED_WIDTH = 100
_WRAPPED_MIN = 40


def text_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a plain-text or Markdown programme, each with its first line's number."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    wrapped = all(len(line) <= _WRAPPED_WIDTH for line in lines)
    out: list[Paragraph] = []
    block: list[str] = []
    first = 0
    marks = 0  # bold marks (** or __) in the block so far: an odd count is a bold span not closed yet
    fenced = False

    def flush(style: str = "") -> None:
        nonlocal block, marks
        if block:
            out.append(_markdown_paragraph(" ".join(s.strip() for s in block), first, style))
        block, marks = [], 0

    for number, raw in enumerate(lines, 1):
        for part in raw.split("\f"):  # a form feed is a page break: it ends a paragraph
            if _MD_FENCE.match(part):
                fenced = not fenced
                flush()
                continue
            line = part.rstrip()
            if not line.strip():
                flush()
                continue
            if not fenced and _MD_SETEXT.match(line) and len(block) == 1 and not LIST_MARKER.match(block[0]):
                flush("heading")  # "Title" underlined with === or ---
                continue
            if not fenced and _MD_RULE.match(line):
                flush()  # a horizontal rule holds no words
                continue
            if not fenced and _MD_TABLE_ROW.match(line):
                flush()
                if not _MD_TABLE_RULE.match(line):
                    out.append(_table_row(line, number))
                continue
            if block and not _continues(block, line, wrapped, marks % 2 == 1):
                flush()
            if not block:
                first = number
            block.append(line)
            marks += line.count("**") + line.count("__")
        if "\f" in raw:
            flush()
    flush()
    return [p for p in out if p.text or p.cells]


def joined_lines(lines: list[str]) -> list[str]:
    """Lines (a Word paragraph's, parted by Shift+Enter) grouped as `text_paragraphs` groups a text's."""
    out: list[str] = []
    block: list[str] = []
    marks = 0
    for line in lines:
        if block and (not line.strip() or not _continues(block, line, False, marks % 2 == 1)):
            out.append(" ".join(s.strip() for s in block))
            block, marks = [], 0
        if line.strip():
            block.append(line)
            marks += line.count("**") + line.count("__")
    if block:
        out.append(" ".join(s.strip() for s in block))
    return out


def _continues(block: list[str], line: str, wrapped: bool, bold_open: bool) -> bool:
    """Whether `line` goes on with the paragraph in `block` rather than starting a new one."""
    if LIST_MARKER.match(line) or _TIME_START.match(line) or _LABEL_START.match(line) or _MD_HEADING.match(line):
        return False
    previous = block[-1].rstrip()
    if bold_open:
        return True
    if _UNFINISHED.search(previous):
        return True
    if LIST_MARKER.match(block[0]) and line[:1].isspace():
        return True  # a list item's text wrapped under its bullet
    return wrapped and len(previous.strip()) >= _WRAPPED_MIN


def _table_row(line: str, number: int) -> Paragraph:
    """A Markdown table row `| 10:00 | Opening |`: a cell's `<br>` separates its paragraphs."""
    cells = line.strip().strip("|").split("|")
    row = tuple(
        tuple(
            _markdown_paragraph(part, number)
            for part in re.split(r"<br\s*/?>", cell, flags=re.I)
            if clean(_strip_inline(part))
        )
        for cell in cells
    )
    return Paragraph(" | ".join(clean(c) for c in cells), number, cells=row)


_HEADING_OR_BOLD = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)[:.]?$", re.S)
# Bounded spans: an opening mark with no closing one costs a short look ahead, not the rest of the text.
_LINK = re.compile(r"!?\[([^\]\[]{0,300})\]\(([^)(\s]{0,300})(?:\s+\"[^\"]{0,300}\")?\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*|_)(?=[^\s*_])([^*_]{1,300}?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)


def _markdown_paragraph(text: str, line: int, style: str = "") -> Paragraph:
    """One paragraph with Markdown's marks taken off: they are layout, not the programme's words."""
    heading = _MD_HEADING.match(text)
    if heading:
        style = style or ("title" if len(heading[1]) == 1 else "heading")
        text = heading[2].rstrip().rstrip("#")  # "## Title ##": the closing marks are optional
    stripped = text.strip()
    bold = bool(_HEADING_OR_BOLD.match(stripped)) and stripped.count("**") + stripped.count("__") == 2
    return Paragraph(clean(_strip_inline(text)), line, style=style, bold=bold)


def _strip_inline(text: str) -> str:
    text = _HTML_BREAK.sub(" ", text)
    text = _LINK.sub(_link_text, text)
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        text = _EMPHASIS.sub(r"\2", text)
    text = text.replace("**", "").replace("`", "")
    return _ESCAPE.sub(r"\1", text)


def _link_text(match: re.Match[str]) -> str:
    label, target = match[1], match[2]
    target = target.removeprefix("mailto:")
    if not target or target == label or match[0].startswith("!"):
        return label
    return f"{label} ({target})" if label else target
