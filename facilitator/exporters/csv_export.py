"""CSV: one row per answer, for a spreadsheet.

Columns: item, prompt, group, theme, category, votes, starred, text, captured
at, then item id, prompt id and answer id (to join with the JSON export).
Items in agenda order, prompts in programme order, answers grouped by group.

The text starts with a byte order mark (UTF-8 with BOM) so that Excel opens
accented and Arabic text correctly; rows end with CRLF as RFC 4180 says.

Formula injection: a spreadsheet runs a cell that begins with ``=``, ``+``,
``-`` or ``@`` (and some also after a leading tab or carriage return) as a
formula, so an answer such as ``=HYPERLINK("http://x","y")`` could act when
the file is opened. Every text cell that begins with one of these characters
gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as
text; the rest of the cell is unchanged. Numbers (votes) are written as digits.
"""

from __future__ import annotations

import csv
import io

from facilitator.summary import Summary

BOM = "\ufeff"
HEADER = (
    "item", "prompt", "group", "theme", "category", "votes", "starred", "text", "captured at",
    "item id", "prompt id", "answer id",
)  # fmt: skip
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell made safe from formula injection (see the module docstring)."""
    return "'" + cell if cell.startswith(_TRIGGERS) else cell


def rows(summary: Summary):  # noqa: ANN201 - a generator of rows
    """Every answer as a row of strings (already neutralised), header first."""
    yield HEADER
    for item in summary.items:
        for prompt in item.prompts:
            theme_of = {a.id: t.name for t in prompt.themes for a in t.answers}
            for group in prompt.by_group:
                for a in group.answers:
                    cells = (
                        item.title, prompt.label, a.group, theme_of.get(a.id, ""), a.category,
                    )  # fmt: skip
                    yield (
                        *map(neutralise, cells),
                        str(a.votes),
                        "yes" if a.starred else "",
                        neutralise(a.text),
                        f"{a.captured_at:%Y-%m-%d %H:%M:%S}",
                        *map(neutralise, (item.id, prompt.id, a.id)),
                    )


def render_notes(summary: Summary) -> str:
    """The CSV text, BOM first."""
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerows(rows(summary))
    return out.getvalue()
