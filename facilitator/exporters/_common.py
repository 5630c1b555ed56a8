"""Wording shared by the exporters: times, dates, marks on an answer, sections of a prompt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilitator.notes import Answer, Conflict
from facilitator.problems import plural
from facilitator.programme import Programme
from facilitator.summary import GroupAnswers, ItemSummary, PromptSummary, Summary


def hm(when: dt.datetime | None) -> str:
    return f"{when:%H:%M}" if when else ""


def span(start: dt.datetime | None, end: dt.datetime | None) -> str:
    """ "10:15–10:30", "10:15" for an item of no length, "" when unknown."""
    if start is None:
        return ""
    return f"{start:%H:%M}" if end is None or end == start else f"{start:%H:%M}–{end:%H:%M}"


def delay(minutes: int | None) -> str:
    """ "+5 min" late, "−5 min" early, "on time", "" unknown."""
    if minutes is None:
        return ""
    if minutes == 0:
        return "on time"
    return f"+{minutes} min" if minutes > 0 else f"−{-minutes} min"


def day_ran(minutes: int | None) -> str:
    """The end of the summary's first sentence: "; the day ran 12 min late." or "."."""
    if minutes is None:
        return "."
    if minutes == 0:
        return "; the day ran on time."
    return f"; the day ran {abs(minutes)} min {'late' if minutes > 0 else 'early'}."


def planned(item: ItemSummary) -> str:
    """ "09:15–12:00 (165 min)"."""
    text = span(item.planned_start, item.planned_end)
    if text and item.planned_minutes:
        text += f" ({item.planned_minutes} min)"
    return text


def actual(item: ItemSummary) -> str:
    """ "09:20–12:10 (170 min, ended +10 min)", "started 13:05", or "" when not recorded."""
    if item.actual_start is None and item.actual_end is None:
        return ""
    if item.actual_end is None:
        lateness = delay(item.start_delay_minutes)
        return f"started {hm(item.actual_start)}" + (f" ({lateness})" if lateness else "")
    text = span(item.actual_start or item.actual_end, item.actual_end)
    details = []
    if item.actual_minutes is not None and item.actual_minutes:
        details.append(f"{item.actual_minutes} min")
    if item.end_delay_minutes is not None:
        details.append(f"ended {delay(item.end_delay_minutes)}")
    return text + (f" ({', '.join(details)})" if details else "")


def dates(programme: Programme) -> str:
    return ", ".join(f"{d:%A} {d.day} {d:%B %Y}" for d in programme.dates)


def chairs(programme: Programme) -> list[str]:
    return [f"{p.name} ({p.role})" if p.role else p.name for p in programme.chairs]


def marks(answer: Answer, *, category: bool = True) -> list[str]:
    """What an answer carries besides its text: key point, votes, category."""
    out = []
    if answer.starred:
        out.append("★ key point")
    if answer.votes:
        out.append(votes(answer.votes))
    if category and answer.category:
        out.append(answer.category)
    return out


def other_version(answer: Answer, conflict: Conflict) -> str:
    """The label of a version kept by a merge: how it differs from the answer shown."""
    parts = [conflict.group] if conflict.group != answer.group else []
    if conflict.session_id:
        parts.append(f"item {conflict.session_id}")
    if conflict.prompt_id != answer.prompt_id:
        parts.append(f"prompt {conflict.prompt_id}" if conflict.prompt_id else "no prompt")
    if conflict.category != answer.category:
        parts.append(conflict.category or "not yet classified")
    parts.append(f"edited {hm(conflict.edited_at)}" if conflict.edited_at else "as captured")
    return f"other version ({', '.join(parts)})"


def votes(count: int) -> str:
    return plural(count, "vote")


@dataclass(frozen=True)
class Section:
    """A block of a prompt's answers: one theme (most votes first), or the answers in no theme."""

    title: str  # "" when the prompt has no themes at all
    votes: int | None  # the theme's votes; None for the unthemed block
    groups: tuple[GroupAnswers, ...]


def sections(prompt: PromptSummary) -> list[Section]:
    """The prompt's answers to show, each exactly once: by theme, then the rest, by group."""
    if not prompt.themes:
        return [Section("", None, prompt.by_group)]
    out = [Section(t.name, t.votes, t.by_group) for t in prompt.themes]
    if prompt.unthemed:
        out.append(Section("Not in a theme", None, prompt.unthemed))
    return out


def prompt_heading(prompt: PromptSummary) -> str:
    return f"{prompt.number}. {prompt.label}" if prompt.number else prompt.label


def item_heading(item: ItemSummary) -> str:
    return f"{item.number}. {item.title}" if item.number else f"{item.title} (not in the programme)"


def bar_rows(summary: Summary) -> list[tuple[str, int]]:
    """(group, answers) for the participation chart, most first."""
    return [(p.group, p.contributions) for p in summary.participation]
