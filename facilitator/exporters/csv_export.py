"""CSV: one row per answer, for a spreadsheet.

Columns: number, item, prompt, group, theme, category, votes, starred, text,
other versions, captured at, then item id, prompt id and answer id (to join
with the JSON export). Rows come in the order every format shows the answers,
with the same numbers (see `facilitator.summary`). The group is the roster's
name for it ("Senegal" for an answer typed "Sénégal"), so a pivot table counts
each group once. An answer's line breaks stay inside its quoted cell; "other
versions" holds the versions a merge kept (see `facilitator.merge`), one per
line.

The text starts with a byte order mark (UTF-8 with BOM) so that Excel opens
accented and Arabic text correctly; rows end with CRLF as RFC 4180 says.

Formula injection: a spreadsheet runs a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula, and some do after a leading tab, carriage return
or NUL (LibreOffice drops a leading NUL, then sees the ``=``). Every text cell
that begins with one of these (OWASP's list, with the NUL of the OWASP ASVS,
1.2.10) gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets
show as text; the rest of the cell is unchanged. Numbers (the number, votes)
are written as digits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from facilitator.exporters import _common as c
from facilitator.summary import ItemSummary, PromptSummary, Summary

BOM = "\ufeff"
HEADER = (
    "number", "item", "prompt", "group", "theme", "category", "votes", "starred", "text", "other versions",
    "captured at", "item id", "prompt id", "answer id",
)  # fmt: skip
TRIGGERS = frozenset("=+-@\t\r\0")


def neutralise(cell: str) -> str:
    """A text cell made safe from formula injection (see the module docstring)."""
    return "'" + cell if cell[:1] in TRIGGERS else cell


def _prompt_rows(item: ItemSummary, prompt: PromptSummary) -> Iterator[tuple[str, ...]]:
    where = (neutralise(item.title), neutralise(prompt.label))
    ids = (neutralise(item.id), neutralise(prompt.id))
    for section in prompt.sections:
        theme = neutralise(section.title) if section.theme_id is not None else ""
        for group in section.groups:
            name = neutralise(group.group)
            for number, a in group.numbered():
                others = "\n".join(f"{c.other_version(a, x)}: {x.text}" for x in a.conflicts) if a.conflicts else ""
                yield (
                    str(number), *where, name, theme, neutralise(a.category), str(a.votes),
                    "yes" if a.starred else "", neutralise(a.text), neutralise(others),
                    a.captured_at.isoformat(" ", "seconds"), *ids, neutralise(a.id),
                )  # fmt: skip


def rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """Every answer as a row of strings (already neutralised), header first."""
    yield HEADER
    for item in summary.items:
        for prompt in item.prompts:
            yield from _prompt_rows(item, prompt)


def render_notes(summary: Summary) -> str:
    """The CSV text, BOM first."""
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerows(rows(summary))
    return out.getvalue()
