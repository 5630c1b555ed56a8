"""JSON: the whole run, machine-readable (the format is documented in the README).

Top level: ``schema`` (1), ``generator``, ``programme`` (its metadata),
``run`` (current position, answer count, total delay), ``items`` (every agenda
item in order, then items the programme does not know), ``participation`` and
``silent_groups``. Times are ISO 8601 local date-times ("2012-05-22T10:15:00")
or null; minutes are whole numbers (delay: + late, - early).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from facilitator import __version__
from facilitator.notes import Answer
from facilitator.summary import CategoryTable, ItemSummary, PromptSummary, Summary, ThemeSummary

SCHEMA = 1


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer(answer: Answer, theme: ThemeSummary | None) -> dict[str, Any]:
    return {
        "id": answer.id,
        "group": answer.group,
        "text": answer.text,
        "captured_at": _when(answer.captured_at),
        "edited_at": _when(answer.edited_at),
        "votes": answer.votes,
        "starred": answer.starred,
        "category": answer.category,
        "theme": theme.id if theme else None,
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
    theme_of = {a.id: t for t in prompt.themes for a in t.answers}
    return {
        "id": prompt.id,
        "number": prompt.number or None,
        "text": prompt.text,
        "in_programme": prompt.in_programme,
        "answers": [_answer(a, theme_of.get(a.id)) for a in prompt.answers],
    }


def _table(table: CategoryTable | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {
        "categories": list(table.categories),
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


def render_notes(summary: Summary) -> str:
    """The run as JSON text (UTF-8 characters kept as they are, two-space indent)."""
    return json.dumps(as_data(summary), ensure_ascii=False, indent=2) + "\n"
