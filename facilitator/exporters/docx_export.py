"""Word (.docx): the rapporteur's notes and the co-chairs' summary as a meeting report.

The page: A4 (a programme may ask for US Letter with ``paper = "letter"``), 2 cm
margins, a header with the programme's title and date, a footer "Page X of Y"
(Word's PAGE and NUMPAGES fields). The properties: title, subject, author (the
organiser), created now, and the generator in a custom property "Generator".

The body: the title and the programme's facts, a Heading 1 per agenda item
with its times and presenters, a Heading 2 per prompt, a Heading 3 per theme
("Theme: …"), each group's name (kept on the page of its first answer), then
its answers: the answer's number, a tab, its words (line breaks kept), and its
marks in italics; the versions a merge kept follow, indented. Numbers are the
answer's number in every export, written as text rather than Word list
numbering, so "37." is the same answer here, in the CSV and in the JSON.

Tables: columns sized to their content (as a browser's automatic table layout:
each column gets at least its longest word, the rest of the width is shared
by how much more each wants) and fixed, so Word and LibreOffice lay them out
alike; numbers right-aligned; the header row repeats on every page; rows never
split; a short table stays on one page and a total row is never alone.

Direction: a paragraph whose text reads right to left is marked ``w:bidi`` and
its right-to-left runs ``w:rtl``; a piece of the other direction inside a
paragraph (a "— 2 votes" after an Arabic answer) is bracketed with directional
marks (LRM, RLM) so it keeps its place, as an isolate would (Word does not
implement the Unicode isolates). Bold and italics are set for complex scripts
too (``w:bCs``, ``w:iCs``), so Arabic and Thai names are bold like Latin ones.

Speed: python-docx makes the package (styles, section, header, footer,
properties) and saves it; the body is written as WordprocessingML text and
parsed once. Adding paragraphs through python-docx costs time proportional to
the document so far (each one looks up the body's section properties among
every paragraph before it): 50,000 answers took 157 s.

Text is added as text, never parsed as markup: XML-escaped, characters XML
cannot hold (control characters from a paste) as U+FFFD, tabs and line breaks
as Word's.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Twips

from facilitator import __version__
from facilitator.exporters import _common as c
from facilitator.notes import Answer
from facilitator.problems import plural
from facilitator.summary import CategoryTable, ItemSummary, KeyPoint, PromptSummary, Section, Summary

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GENERATOR = f"facilitator {__version__}"
PAPER = {"a4": (11906, 16838), "letter": (12240, 15840)}  # width, height in twips (1/20 pt)
MARGIN, EDGE = 1134, 567  # 2 cm around the text; header and footer 1 cm from the paper's edge
KEEP_ROWS = 12  # a table this short is kept on one page; a longer one keeps its first and last rows together
FONT = "Arial"  # on every Windows and Mac; LibreOffice uses its metric twin, Liberation Sans
LRM, RLM = "\u200e", "\u200f"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("[\t\n\r]")

# Run formats, in the order the schema wants them inside w:rPr.
BOLD = "<w:b/><w:bCs/>"
ITALIC = "<w:i/><w:iCs/>"
MUTED = '<w:color w:val="5F6368"/>'


def clean(text: str) -> str:
    """Text Word's XML can hold."""
    return _NOT_XML.sub("\ufffd", text)


# ------------------------------------------------------------------ runs and paragraphs


def _t(text: str) -> str:
    """The content of a run: escaped text, tabs as w:tab, line breaks as w:br."""
    text = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not _BREAKS.search(text):
        return f'<w:t xml:space="preserve">{text}</w:t>'
    return "<w:br/>".join(
        "<w:tab/>".join(f'<w:t xml:space="preserve">{part}</w:t>' for part in line.split("\t"))
        for line in c.lines(text)
    )


def _run(text: str, fmt: str = "", rtl: bool = False) -> str:
    props = fmt + ("<w:rtl/>" if rtl else "")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_t(text)}</w:r>"


# A piece of a paragraph: (text, run format, kind). Kinds: "auto", captured or programme text that
# reads its own way; "ltr", our English (labels, numbers, marks); "neutral", spaces and dashes that
# take the paragraph's direction.
Piece = tuple[str, str, str]


def _runs(pieces: Sequence[Piece], rtl: bool) -> str:
    """The runs of a paragraph reading right to left (`rtl`) or not, each piece in its own direction."""
    out = []
    for text, fmt, kind in pieces:
        piece_rtl = kind == "auto" and c.is_rtl(text)
        if kind != "neutral" and piece_rtl != rtl:
            # As an isolate would: the piece's own direction on both sides, so its numbers and
            # punctuation stay inside it ("2." not ".2" in an Arabic paragraph)...
            # Then the paragraph's direction again, so a number after it is not taken into it.
            mark = RLM if piece_rtl else LRM
            text = mark + text + mark + (RLM if rtl else LRM)
        out.append(_run(text, fmt, piece_rtl))
    return "".join(out)


def _p(pieces: Sequence[Piece], style: str = "", *, rtl: bool = False, keep: bool = False, jc: str = "") -> str:
    """A paragraph: its style, kept with the next one (`keep`), right to left (`rtl`), aligned (`jc`)."""
    props = (
        (f'<w:pStyle w:val="{style}"/>' if style else "")
        + ("<w:keepNext/>" if keep else "")
        + ("<w:bidi/>" if rtl else "")
        + (f'<w:jc w:val="{jc}"/>' if jc else "")
    )
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{_runs(pieces, rtl)}</w:p>"


def _text_p(text: str, style: str = "", fmt: str = "", *, keep: bool = False) -> str:
    """A paragraph of one captured or programme string, in its own direction."""
    return _p([(text, fmt, "auto")], style, rtl=c.is_rtl(text), keep=keep)


def _heading(parts: c.Parts, level: int) -> str:
    captured = next((text for text, is_captured in parts if is_captured), "")
    pieces = [(text, "", "auto" if is_captured else "ltr") for text, is_captured in parts]
    return _p(pieces, f"Heading{level}", rtl=c.is_rtl(captured))


def _facts(facts: list[tuple[str, str]], keep: bool = False) -> list[str]:
    """ "Label: value" lines; `keep`: with what follows (an item's facts stay with its heading and first prompt)."""
    pieces = [[(f"{label}: ", BOLD, "ltr"), (value, "", "auto")] for label, value in facts if value]
    return [_p(line, "Facts", keep=keep) for line in pieces]


# ------------------------------------------------------------------ tables


def _width(text: str, bold: bool) -> int:
    """How wide `text` is in a 10 pt Arial table cell, in twips, erring wide: 6 pt a character, 12 a wide one."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text) if not text.isascii() else 0
    return (len(text) + wide) * (130 if bold else 120)


def _longest_word(text: str, bold: bool) -> int:
    return max((_width(word, bold) for word in text.split()), default=0)


def _column_widths(columns: list[list[tuple[str, bool]]], available: int) -> list[int]:
    """Each column at least its longest word and at most its longest line (see `_common.share_widths`)."""
    pad = 2 * 108 + 30  # the table style's cell margins, and a little air
    least = [max(_longest_word(text, bold) for text, bold in col) + pad for col in columns]
    most = [max(_width(text, bold) for text, bold in col) + pad for col in columns]
    return c.share_widths(least, most, available)


def _cell(text: str, width: int, *, bold: bool, numeric: bool, header: bool, keep: bool) -> str:
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="E8EDF2"/>' if header else ""
    kind = "ltr" if numeric or header else "auto"
    rtl = kind == "auto" and c.is_rtl(text)
    paragraph = _p([(text, BOLD if bold else "", kind)], "TableText", rtl=rtl, keep=keep, jc="right" if numeric else "")
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraph}</w:tc>'


def _table(head: list[str], rows: list[list[str]], available: int, numeric: set[int], bold_last: bool = False) -> str:
    """A table sized to its content: see the module docstring for how it prints."""
    grid = [head, *rows]
    columns = [
        [(row[i], n == 0 or (bold_last and n == len(grid) - 1)) for n, row in enumerate(grid)] for i in range(len(head))
    ]
    widths = _column_widths(columns, available)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1"'
        ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
    ]
    last = len(grid) - 1
    for n, row in enumerate(grid):
        # Kept with the next row: every row of a short table; else the header and the row before the last.
        keep = n < last and (len(grid) <= KEEP_ROWS or n in (0, last - 1))
        bold = n == 0 or (bold_last and n == last)
        cells = "".join(
            _cell(text, width, bold=bold, numeric=i in numeric and n > 0, header=n == 0, keep=keep)
            for i, (text, width) in enumerate(zip(row, widths, strict=True))
        )
        header = "<w:tblHeader/>" if n == 0 else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def exercise_table(table: CategoryTable, available: int) -> str:
    rows = [
        [group, *map(str, counts), str(total)]
        for group, counts, total in zip(table.groups, table.counts, table.row_totals, strict=True)
    ]
    rows.append(["Total", *map(str, table.column_totals), str(table.total)])
    numeric = set(range(1, len(table.categories) + 2))
    return _table(["Group", *table.categories, "Total"], rows, available, numeric, bold_last=True)


# ------------------------------------------------------------------ the notes


def _answer(number: int, answer: Answer) -> list[str]:
    pieces: list[Piece] = [(c.number(number), "", "ltr"), ("\t", "", "neutral"), (answer.text, "", "auto")]
    marks = c.marks(answer)
    if marks:
        pieces += [(" — ", ITALIC + MUTED, "neutral"), (" · ".join(marks), ITALIC + MUTED, "ltr")]
    out = [_p(pieces, "Answer", rtl=c.is_rtl(answer.text))]
    for conflict in answer.conflicts:
        label = (f"{c.other_version(answer, conflict)}: ", ITALIC + MUTED, "ltr")
        out.append(_p([label, (conflict.text, "", "auto")], "OtherVersion", rtl=c.is_rtl(conflict.text)))
    return out


def _section(section: Section) -> list[str]:
    out = []
    if section.title:
        votes = c.section_votes(section)
        if section.theme_id is not None:
            pieces: list[Piece] = [("Theme: ", "", "ltr"), (section.title, "", "auto")]
        else:
            pieces = [(section.title, "", "ltr")]
        pieces += [(" — ", "", "neutral"), (votes, "", "ltr")] if votes else []
        out.append(_p(pieces, "Heading3"))
    for group in section.groups:
        out.append(_text_p(group.group, "Group", BOLD))
        for number, answer in group.numbered():
            out += _answer(number, answer)
    return out


def _item(item: ItemSummary, width: int) -> list[str]:
    out = [_heading(c.item_parts(item), 1)]
    out += _facts(
        [
            ("Planned", c.planned(item)),
            ("Actual", (c.actual(item) or "not recorded") if item.in_programme and not item.dropped else ""),
            ("On the day", item.agenda_note),
            ("Presenters", "; ".join(str(p) for p in item.presenters)),
            ("Location", item.location),
        ],
        keep=True,
    )
    for prompt in item.prompts:
        out.append(_heading(c.prompt_parts(prompt), 2))
        for section in prompt.sections:
            out += _section(section)
    if item.exercise:
        out += [_p([("Exercise results", "", "ltr")], "Heading2"), exercise_table(item.exercise, width)]
    return out


def _participation(summary: Summary, width: int) -> list[str]:
    if not summary.participation:
        return []
    refs = c.item_refs(summary)
    rows = [
        [p.group, str(p.contributions), ", ".join(f"{refs[i]} ({n})" for i, n in p.items)]
        for p in summary.participation
    ]
    out = [
        _p([("Participation", "", "ltr")], "Heading1"),
        _table(["Group", "Answers", "Items (answers)"], rows, width, {1}),
    ]
    if summary.silent_groups:
        silent: list[Piece] = [("Did not contribute: ", BOLD, "ltr")]
        for k, group in enumerate(summary.silent_groups):
            silent += [(", ", "", "neutral")] if k else []
            silent.append((group, "", "auto"))
        out.append(_p(silent, "Lead"))
    return out


def _opening(summary: Summary, prefix: str, line: str) -> list[str]:
    programme = summary.programme
    out = [_p([(c.title_prefix(summary) + prefix, "", "ltr"), (programme.title, "", "auto")], "Title")]
    if programme.subtitle:
        out.append(_text_p(programme.subtitle, "Subtitle"))
    if summary.rehearsal is not None:
        out.append(_p([(c.rehearsal_note(summary), BOLD, "ltr")], "Lead"))
    out += _facts(
        [("Date", c.dates(programme)), ("Venue", programme.venue), ("Chairs", "; ".join(c.chairs(programme)))]
    )
    return out + [_p([(line, "", "ltr")], "Lead")]


def render_notes(summary: Summary, now: dt.datetime | None = None) -> bytes:
    """The rapporteur's notes as a .docx file's bytes (`now`: when it was made, for its properties)."""
    doc, width = _document(summary, "Rapporteur's notes", now)
    body = _opening(summary, "", f"{c.how_many(summary)}.")
    body += _participation(summary, width)
    days = c.day_heads(summary)
    for item in summary.items:
        if item.id in days:
            body.append(_p([(days[item.id], "", "ltr")], "Heading1"))
        body += _item(item, width)
    return _save(doc, body)


# ------------------------------------------------------------------ the summary


def _key_point(point: KeyPoint, n: int) -> list[str]:
    """The point in its own direction, then where it was said on a line of its own (always left to right)."""
    pieces: list[Piece] = [
        (f"{n}.", "", "ltr"), ("\t", "", "neutral"), (point.group, BOLD, "auto"), (": ", BOLD, "neutral"),
        (point.answer.text, "", "auto"),
    ]  # fmt: skip
    muted = ITALIC + MUTED
    where: list[Piece] = [
        (point.item_title, muted, "auto"), (" › ", muted, "neutral"), (point.prompt, muted, "auto"),
        (f", {c.answer_ref(point)}", muted, "ltr"),
    ]  # fmt: skip
    return [_p(pieces, "KeyPoint", rtl=c.is_rtl(point.answer.text)), _p(where, "KeyPointSource")]


def _themes(prompt: PromptSummary) -> list[str]:
    out = [_p([(f"Themes, {c.THEMES_NOTE}:", ITALIC + MUTED, "ltr")], "Facts", keep=True)] if prompt.themes else []
    for theme in prompt.themes:
        pieces: list[Piece] = [(theme.name, BOLD, "auto"), (" — ", "", "neutral")]
        pieces.append((f"{c.votes(theme.votes)} · {plural(len(theme.answers), 'answer')}", "", "ltr"))
        pieces.append((" — ", "", "neutral"))
        for k, group in enumerate(theme.groups):
            pieces += [(", ", "", "neutral")] if k else []
            pieces.append((group, "", "auto"))
        out.append(_p(pieces, "ListBullet", rtl=c.is_rtl(theme.name)))
    pieces = [("Answers by group: ", ITALIC + MUTED, "ltr")]
    for k, group in enumerate(prompt.by_group):
        pieces += [(" · ", "", "neutral")] if k else []
        pieces += [(group.group, "", "auto"), (f" {len(group.answers)}", "", "ltr")]
    return out + [_p(pieces)]


def _time_table(summary: Summary, width: int) -> str:
    rows = [
        [c.item_heading(i) + (f" ({i.agenda_note})" if i.agenda_note else ""), c.planned(i, summary.several_days),
         c.actual(i), c.delay(i.end_delay_minutes)]
        for i in summary.items
        if i.in_programme
    ]
    return _table(["Item", "Planned", "Actual", "End delay"], rows, width, {3})


def render_summary(summary: Summary, now: dt.datetime | None = None) -> bytes:
    """The co-chairs' summary as a .docx file's bytes."""
    doc, width = _document(summary, "Co-chairs' summary", now)
    line = c.how_many(summary)
    body = _opening(summary, "Summary: ", line + c.ran(summary))
    if summary.key_points:
        body.append(_p([("Key points", "", "ltr")], "Heading1"))
        for n, point in enumerate(summary.key_points, 1):
            body += _key_point(point, n)
    body += _participation(summary, width)
    body += [_p([("Time", "", "ltr")], "Heading1"), _time_table(summary, width)]
    for item in summary.items:
        if not item.prompts:
            continue
        body.append(_heading(c.item_parts(item), 1))
        for prompt in item.prompts:
            body.append(_heading(c.prompt_parts(prompt), 2))
            body += _themes(prompt)
        if item.exercise:
            body += [_p([("Exercise results", "", "ltr")], "Heading2"), exercise_table(item.exercise, width)]
    return _save(doc, body)


# ------------------------------------------------------------------ the package

STYLES = f"""<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Facts"><w:name w:val="Facts"/><w:basedOn w:val="Normal"/>
 <w:qFormat/><w:pPr><w:spacing w:after="40"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Lead"><w:name w:val="Lead"/><w:basedOn w:val="Normal"/>
 <w:qFormat/><w:pPr><w:spacing w:before="160"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Group"><w:name w:val="Group"/><w:basedOn w:val="Normal"/>
 <w:next w:val="Answer"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="40"/></w:pPr>
 <w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Answer"><w:name w:val="Answer"/><w:basedOn w:val="Normal"/>
 <w:qFormat/><w:pPr><w:tabs><w:tab w:val="left" w:pos="567"/></w:tabs><w:spacing w:after="60"/>
 <w:ind w:left="567" w:hanging="567"/></w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="KeyPoint"><w:name w:val="Key point"/>
 <w:basedOn w:val="Answer"/><w:next w:val="KeyPointSource"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="0"/>
 </w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="KeyPointSource"><w:name w:val="Key point source"/>
 <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="100"/><w:ind w:left="567"/></w:pPr>
 <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="OtherVersion"><w:name w:val="Other version"/>
 <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:ind w:left="1134"/></w:pPr>
 <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>
 <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>
 </w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
</w:styles>"""


def _custom_properties(properties: dict[str, str]) -> bytes:
    entries = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{_escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), 2)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{entries}</Properties>"
    ).encode()


def _app_properties() -> bytes:
    """docProps/app.xml naming this program (python-docx's template says "Microsoft Macintosh Word")."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        f' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{_escape(GENERATOR)}</Application></Properties>"
    ).encode()


def _escape(text: str) -> str:
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _package_parts(doc: DocumentType) -> None:
    """Our own app.xml and a custom "Generator" property; no thumbnail of python-docx's template page."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RT.EXTENDED_PROPERTIES, RT.THUMBNAIL, RT.CUSTOM_PROPERTIES):
            package.rels.pop(rel_id)
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, _app_properties(), package)
    custom = Part(
        PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, _custom_properties({"Generator": GENERATOR}), package
    )
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def _properties(doc: DocumentType, summary: Summary, subject: str, now: dt.datetime | None) -> None:
    programme = summary.programme
    when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)

    def text(value: str) -> str:  # python-docx refuses a property longer than 255 characters
        return clean(value)[:255]

    props = doc.core_properties
    props.title = text(programme.title)
    props.subject = subject
    props.author = props.last_modified_by = text(programme.organiser)
    props.comments = text(f"{subject} of {programme.title}, {c.dates(programme)}")
    props.keywords = text(programme.id)
    props.category = "Meeting report"
    props.language = "en"
    props.created = props.modified = when
    props.revision = 1


def _header_footer(doc: DocumentType, summary: Summary, width: int) -> None:
    section = doc.sections[0]
    title = summary.programme.title
    # The Header style's tab stops are for US Letter: cleared, and one at the right margin of this paper.
    tabs = (
        '<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
        f'<w:tab w:val="right" w:pos="{width}"/></w:tabs>'
    )
    fmt = MUTED + '<w:sz w:val="18"/><w:szCs w:val="18"/>'
    header = (
        f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="Header"/>{tabs}</w:pPr>'
        + _runs([(title, fmt, "auto"), ("\t", fmt, "neutral"), (c.dates(summary.programme), fmt, "ltr")], False)
        + "</w:p>"
    )
    number = f'<w:rPr>{fmt}</w:rPr><w:t xml:space="preserve">1</w:t>'
    footer = (
        f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
        + _run("Page ", fmt)
        + f'<w:fldSimple w:instr=" PAGE "><w:r>{number}</w:r></w:fldSimple>'
        + _run(" of ", fmt)
        + f'<w:fldSimple w:instr=" NUMPAGES "><w:r>{number}</w:r></w:fldSimple></w:p>'
    )
    for part, xml in ((section.header, header), (section.footer, footer)):
        part.is_linked_to_previous = False
        root = part.part.element
        for child in list(root):
            root.remove(child)
        root.append(parse_xml(xml))


def _fonts(doc: DocumentType) -> None:
    """One font for every style and script, named rather than taken from the theme.

    The template's theme fonts (Calibri, Cambria) are not on Linux, where
    LibreOffice falls back to whatever it finds; a theme font also wins over a
    named one in the same style, so the theme attributes go.
    """
    for fonts in doc.styles.element.iter(f"{{{W}}}rFonts"):
        for attribute in ("asciiTheme", "hAnsiTheme", "cstheme"):
            fonts.attrib.pop(f"{{{W}}}{attribute}", None)
        for attribute in ("ascii", "hAnsi", "cs"):
            fonts.set(f"{{{W}}}{attribute}", FONT)


def _document(summary: Summary, subject: str, now: dt.datetime | None) -> tuple[DocumentType, int]:
    """A new document set up as a report: paper, margins, styles, header, footer, properties; and its text width."""
    doc = Document()
    paper = str(getattr(summary.programme, "paper", "a4") or "a4").lower()
    page_width, page_height = PAPER.get(paper, PAPER["a4"])
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(page_width), Twips(page_height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Twips(MARGIN)
    section.header_distance = section.footer_distance = Twips(EDGE)
    _fonts(doc)
    styles = doc.styles.element
    for style in parse_xml(STYLES):
        styles.append(style)
    width = page_width - 2 * MARGIN
    _header_footer(doc, summary, width)
    _properties(doc, summary, subject, now)
    _package_parts(doc)
    return doc, width


def _save(doc: DocumentType, body: list[str]) -> bytes:
    """The document with `body` (WordprocessingML text) before its section properties, as .docx bytes."""
    section = doc.element.body[-1]  # the section properties (paper, margins, header, footer) end the body
    # Moved in one by one: lxml moves a whole body at once in time that grows faster than its size.
    for block in parse_xml(f'<w:body xmlns:w="{W}">{"".join(body)}</w:body>'):
        section.addprevious(block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
