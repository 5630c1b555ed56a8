"""Exports of a run's notes and of the co-chairs' summary, one module per format.

`export(programme, notes, fmt)` renders the rapporteur's notes (every answer,
item by item); `export_summary(programme, notes, fmt)` renders the co-chairs'
summary. Both read their figures from `facilitator.summary`, so every format
agrees. Text formats return `str`, Word returns `bytes`. No Textual here.

`FORMATS` is the registry: name -> `Format`. A format's module is imported
only when it is used (python-docx takes a while to import).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from facilitator.notes import Notes
from facilitator.programme import Programme
from facilitator.summary import Summary, summarize


@dataclass(frozen=True)
class Format:
    """One export format: its file extension and the module that renders it."""

    name: str
    extension: str
    binary: bool
    module: str  # in facilitator.exporters, with render_notes(summary) and maybe render_summary(summary)
    description: str
    notes: bool = True  # `facilitator export` offers it
    summary: bool = False  # `facilitator summary` offers it

    def _module(self):  # noqa: ANN202 - a module
        return importlib.import_module(f"facilitator.exporters.{self.module}")

    def render_notes(self, summary: Summary) -> str | bytes:
        return self._module().render_notes(summary)

    def render_summary(self, summary: Summary) -> str | bytes:
        return self._module().render_summary(summary)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", ".md", False, "markdown", "Markdown", summary=True),
        Format("html", ".html", False, "html", "one self-contained HTML page", summary=True),
        Format("csv", ".csv", False, "csv_export", "one row per answer (UTF-8 with BOM)"),
        Format("json", ".json", False, "json_export", "the whole run, machine-readable"),
        Format("docx", ".docx", True, "docx_export", "Word document", summary=True),
        Format("text", ".txt", False, "text", "the summary laid out for a terminal", notes=False, summary=True),
    )
}
NOTES_FORMATS = tuple(name for name, f in FORMATS.items() if f.notes)
SUMMARY_FORMATS = ("text", *(name for name, f in FORMATS.items() if f.summary and name != "text"))


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}") from None


def export(programme: Programme, notes: Notes, fmt: str) -> str | bytes:
    """The rapporteur's notes in format `fmt` (see `NOTES_FORMATS`)."""
    return _format(fmt).render_notes(summarize(programme, notes))


def export_summary(programme: Programme, notes: Notes, fmt: str) -> str | bytes:
    """The co-chairs' summary in format `fmt` (see `SUMMARY_FORMATS`)."""
    return _format(fmt).render_summary(summarize(programme, notes))
