"""JSON: the whole run, machine-readable (documented in the README, and by the
JSON Schema in ``docs/export.schema.json``, which the tests check real exports against).

Top level: ``schema`` (2), ``generator``, ``programme`` (its metadata),
``run`` (current position, answer count, total delay), ``items`` (every agenda
item in order, then items the programme does not know), ``participation`` and
``silent_groups``. Times are ISO 8601 local date-times ("2012-05-22T10:15:00")
or null; minutes are whole numbers (delay: + late, - early).

A prompt's answers come in the order every format shows them, each with its
``number`` (the same in every export). ``group`` is the spelling captured;
``counted_as`` the group it counts for (the programme's spelling), which is
what ``participation``, themes' ``groups`` and exercise rows name. An answer
not yet classified has ``"category": ""``, and so has its exercise column.

The text is laid out by hand: containers one entry per line down to each
answer, theme, person or participation, which is one line of JSON made by
the C encoder (``json.dumps`` with an indent falls back to pure Python: 5x
slower).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from facilitator import __version__
from facilitator.notes import Answer
from facilitator.summary import NOT_YET_CLASSIFIED, CategoryTable, ItemSummary, PromptSummary, Summary

# 2: answers numbered in document order, the unclassified column is ""; 3: run.current_item is the item running
SCHEMA = 3


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer(number: int, answer: Answer, group: str, theme: str | None) -> dict[str, Any]:
    return {
        "id": answer.id,
        "number": number,
        "group": answer.group,
        "counted_as": group,
        "text": answer.text,
        "captured_at": _when(answer.captured_at),
        "edited_at": _when(answer.edited_at),
        "votes": answer.votes,
        "starred": answer.starred,
        "category": answer.category,
        "theme": theme,
        "conflicts": [  # other versions kept by `facilitator merge`
            {
                "text": c.text,
                "group": c.group,
                "prompt": c.prompt_id,
                "category": c.category,
                "edited_at": _when(c.edited_at),
                "item": c.session_id or None,
            }
            for c in answer.conflicts
        ],
    }


def _prompt(prompt: PromptSummary) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "number": prompt.number or None,
        "text": prompt.text,
        "in_programme": prompt.in_programme,
        "answers": [
            _answer(number, answer, group.group, section.theme_id)
            for section in prompt.sections
            for group in section.groups
            for number, answer in group.numbered()
        ],
    }


def _table(table: CategoryTable | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {
        "categories": ["" if name == NOT_YET_CLASSIFIED else name for name in table.categories],
        "groups": list(table.groups),
        "counts": [list(row) for row in table.counts],
        "row_totals": list(table.row_totals),
        "column_totals": list(table.column_totals),
        "total": table.total,
    }


def _item(item: ItemSummary) -> dict[str, Any]:
    return {
        "id": item.id,
        "number": item.number or None,
        "title": item.title,
        "kind": item.kind,
        "in_programme": item.in_programme,
        "date": _when(item.date),
        "presenters": [{"name": p.name, "role": p.role} for p in item.presenters],
        "location": item.location,
        "references": list(item.references),
        "planned_start": _when(item.planned_start),
        "planned_end": _when(item.planned_end),
        "planned_minutes": item.planned_minutes,
        "actual_start": _when(item.actual_start),
        "actual_end": _when(item.actual_end),
        "actual_minutes": item.actual_minutes,
        "start_delay_minutes": item.start_delay_minutes,
        "end_delay_minutes": item.end_delay_minutes,
        "answer_count": item.answer_count,
        "agenda": {"added": item.added, "dropped": item.dropped, "note": item.agenda_note},
        "prompts": [_prompt(p) for p in item.prompts],
        "themes": [
            {
                "id": t.id,
                "name": t.name,
                "votes": t.votes,
                "answers": [a.id for a in t.answers],
                "groups": list(t.groups),
            }
            for t in item.themes
        ],
        "exercise": _table(item.exercise),
    }


def _rehearsal(summary: Summary) -> dict[str, Any] | None:
    rehearsal = summary.rehearsal
    if rehearsal is None:
        return None
    return {"clock_start": _when(rehearsal.clock_start), "speed": rehearsal.speed,
            "wall_start": _when(rehearsal.wall_start)}


def as_data(summary: Summary) -> dict[str, Any]:
    """The run as plain JSON-ready data."""
    programme = summary.programme
    return {
        "schema": SCHEMA,
        "generator": f"facilitator {__version__}",
        "programme": {
            "id": programme.id,
            "title": programme.title,
            "subtitle": programme.subtitle,
            "dates": [d.isoformat() for d in programme.dates],
            "venue": programme.venue,
            "organiser": programme.organiser,
            "contact": programme.contact,
            "chairs": [{"name": p.name, "role": p.role} for p in programme.chairs],
            "groups": list(programme.groups),
        },
        "run": {
            "current_item": summary.current_item,
            "current_prompt": summary.current_prompt,
            "answer_count": summary.answer_count,
            "total_delay_minutes": summary.total_delay_minutes,
            "rehearsal": _rehearsal(summary),
            "days": [
                {"date": day.date.isoformat(), "items": list(day.items), "delay_minutes": day.delay_minutes,
                 "ended": day.ended}
                for day in summary.days
            ],
        },
        "items": [_item(item) for item in summary.items],
        "participation": [
            {
                "group": p.group,
                "contributions": p.contributions,
                "in_programme": p.expected,
                "items": [{"id": item_id, "answers": count} for item_id, count in p.items],
            }
            for p in summary.participation
        ],
        "silent_groups": list(summary.silent_groups),
    }


_encode = json.JSONEncoder(
    ensure_ascii=False
).encode  # one encoder: json.dumps(..., ensure_ascii=False) makes one a call
ONE_LINE = {"answers", "themes", "presenters", "chairs", "participation", "conflicts"}  # lists of records


def _lay_out(value: Any, indent: str, out: list[str], one_line: bool = False) -> None:
    """`value` as JSON text into `out`: one entry per line, each record (see `ONE_LINE`) on one line."""
    nested = isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict | list))
    if one_line or not value or not nested:  # a number, a string, a list of them: one line
        out.append(_encode(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        out.append("{\n")
        for n, (key, entry) in enumerate(value.items()):
            out.append(f",\n{inner}" if n else inner)
            out.append(_encode(key) + ": ")
            if key in ONE_LINE and isinstance(entry, list) and entry:
                out.append("[\n")
                out.append(",\n".join(inner + "  " + _encode(record) for record in entry))
                out.append(f"\n{inner}]")
            else:
                _lay_out(entry, inner, out)
        out.append(f"\n{indent}}}")
        return
    out.append("[\n")
    for n, entry in enumerate(value):
        out.append(f",\n{inner}" if n else inner)
        _lay_out(entry, inner, out, one_line=isinstance(entry, list))
    out.append(f"\n{indent}]")


def render_notes(summary: Summary) -> str:
    """The run as JSON text (UTF-8 characters kept as they are), laid out for reading and diffing."""
    out: list[str] = []
    _lay_out(as_data(summary), "", out)
    return "".join(out) + "\n"
