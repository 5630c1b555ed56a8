"""Wording shared by the exporters (times, dates, marks on an answer, headings) and text direction.

Direction: an answer in Arabic followed by our " — 2 votes" must not read
"2 — … votes". `is_rtl` says which way a captured string reads (the first
strong letter decides, as the Unicode bidi algorithm's rule P2 does), and
`isolate` wraps a string holding right-to-left letters in FIRST STRONG
ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069), so the text around it,
numbers and punctuation included, keeps its place whatever the string holds.
Each format marks direction its own way (Word: `w:bidi`/`w:rtl`; HTML: `dir`
and `<bdi>`; Markdown and the terminal: these isolates).
"""

from __future__ import annotations

import datetime as dt
import re

from facilitator.notes import Answer, Conflict
from facilitator.problems import plural
from facilitator.programme import Programme
from facilitator.summary import ItemSummary, KeyPoint, PromptSummary, Section, Summary

# Scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their
# presentation forms, and the right-to-left blocks of the supplementary planes.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script: the strong characters of the bidi algorithm
FSI, PDI = "\u2068", "\u2069"
_BREAK = re.compile(r"\r\n|[\r\n]")


def is_rtl(text: str) -> bool:
    """Whether `text` reads right to left: its first letter is of a right-to-left script."""
    letter = _LETTER.search(text)
    return letter is not None and _RTL.match(letter.group()) is not None


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def isolate(text: str) -> str:
    """`text` isolated from its neighbours' direction when it holds right-to-left letters (else as it is)."""
    return f"{FSI}{text}{PDI}" if _RTL.search(text) else text


def lines(text: str) -> list[str]:
    """The lines of a captured text: a line break is LF, CR LF or CR, as pasted from any system."""
    return _BREAK.split(text) if "\n" in text or "\r" in text else [text]


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


def how_many(summary: Summary) -> str:
    """ "57 answers from 12 groups", "1 answer from 1 group"."""
    return f"{plural(summary.answer_count, 'answer')} from {plural(len(summary.participation), 'group')}"


def day_ran(minutes: int | None) -> str:
    """The end of the summary's first sentence: "; the day ran 12 min late." or "."."""
    if minutes is None:
        return "."
    if minutes == 0:
        return "; the day ran on time."
    return f"; the day ran {abs(minutes)} min {'late' if minutes > 0 else 'early'}."


def ran(summary: Summary) -> str:
    """The end of the summary's first sentence, per day when the programme has several:
    "; day 1 ran 12 min late, day 2 on time so far." (a day without recorded times is left out)."""
    if not summary.several_days:
        return day_ran(summary.total_delay_minutes)
    parts = []
    for n, day in enumerate(summary.days, 1):
        if day.delay_minutes is None:
            continue
        how = "on time" if day.delay_minutes == 0 else (
            f"{abs(day.delay_minutes)} min {'late' if day.delay_minutes > 0 else 'early'}")
        parts.append(f"day {n} ({day.date.day} {day.date:%b}) ran {how}" + ("" if day.ended else " so far"))
    return "; " + ", ".join(parts) + "." if parts else "."


def day_title(day: dt.date) -> str:
    """ "Thursday 6 December 2012"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_heads(summary: Summary) -> dict[str, str]:
    """For a programme of several days: the first item of each day -> "Day 2 — Thursday 6 December 2012"."""
    if not summary.several_days:
        return {}
    return {day.items[0]: f"Day {n} — {day_title(day.date)}" for n, day in enumerate(summary.days, 1) if day.items}


def rehearsal_note(summary: Summary) -> str:
    """ "Recorded on a rehearsal clock started at 09:55, 30× real time: not notes of the meeting." or ""."""
    rehearsal = summary.rehearsal
    if rehearsal is None:
        return ""
    speed = f", {rehearsal.speed:g}× real time" if rehearsal.speed != 1 else ""
    return f"REHEARSAL — recorded on a rehearsal clock started at {rehearsal.clock_start:%H:%M}{speed}: " \
        "not notes of the meeting."


def title_prefix(summary: Summary) -> str:
    return "REHEARSAL — " if summary.rehearsal is not None else ""


def planned(item: ItemSummary, with_day: bool = False) -> str:
    """ "09:15–12:00 (165 min)"; with the day for a programme of several days: "Thu 6 Dec 09:15–12:00"."""
    text = span(item.planned_start, item.planned_end)
    if text and item.planned_minutes:
        text += f" ({item.planned_minutes} min)"
    if text and with_day and item.planned_start is not None:
        text = f"{item.planned_start:%a} {item.planned_start.day} {item.planned_start:%b} {text}"
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


def number(n: int) -> str:
    """How an answer's number is written in every format: "37."."""
    return f"{n}."


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


def section_heading(section: Section) -> str:
    """ "Theme: Funding" for a theme, "Not in a theme" for the rest, "" for a prompt without themes."""
    return f"Theme: {section.title}" if section.theme_id is not None else section.title


def section_votes(section: Section) -> str:
    """ "7 votes" for a theme that has votes, else ""."""
    return votes(section.votes) if section.votes else ""


Parts = list[tuple[str, bool]]  # a line as (text, captured?) pieces: each format marks the captured ones


def prompt_parts(prompt: PromptSummary) -> Parts:
    """ "1. What are the main challenges?", "Answers", or "Prompt “old” (not in the programme)"."""
    if prompt.in_programme and prompt.text:
        core: Parts = [(prompt.text, True)]
    elif not prompt.id:
        core = [("Answers", False)]
    else:
        core = [("Prompt “", False), (prompt.id, True), ("” (not in the programme)", False)]
    return ([(f"{prompt.number}. ", False)] if prompt.number else []) + core


def item_parts(item: ItemSummary) -> Parts:
    """ "2. Coordination…", "Monitoring… (dropped on the day)", or "side-event (not in the programme)"."""
    if item.dropped:
        return [(item.title, True), (" (dropped on the day)", False)]
    if item.number:
        return [(f"{item.number}. ", False), (item.title, True)]
    return [(item.title, True), (" (not in the programme)", False)]


def plain(parts: Parts) -> str:
    return "".join(text for text, _ in parts)


def prompt_heading(prompt: PromptSummary) -> str:
    return plain(prompt_parts(prompt))


def item_heading(item: ItemSummary) -> str:
    return plain(item_parts(item))


def bar_rows(summary: Summary) -> list[tuple[str, int]]:
    """(group, answers) for the participation chart, most first."""
    return [(p.group, p.contributions) for p in summary.participation]


def item_refs(summary: Summary) -> dict[str, str]:
    """How the participation table names an item: its number, or its id for one not in the programme."""
    return {i.id: (str(i.number) if i.number else i.title) for i in summary.items}


def share_widths(least: list[int], most: list[int], available: int) -> list[int]:
    """Column widths between each column's `least` (its longest word) and `most` (its longest line).

    Columns that want no more than an even share of the width left get all
    they want (times, numbers: they never wrap); the rest is shared by how much
    more each of the others wants, as a browser's automatic table layout does.
    When even the least does not fit, every column gets its share of it.
    """
    if sum(least) >= available:
        return [w * available // max(sum(least), 1) for w in least]
    widths = least[:]
    wanting = [i for i in range(len(widths)) if most[i] > widths[i]]
    while wanting:
        fair = (available - sum(widths)) // len(wanting)
        small = [i for i in wanting if most[i] - widths[i] <= fair]
        if not small:
            break
        for i in small:
            widths[i] = most[i]
        wanting = [i for i in wanting if i not in small]
    spare, wanted = available - sum(widths), sum(most[i] - widths[i] for i in wanting)
    for i in wanting:
        widths[i] += (most[i] - widths[i]) * spare // wanted
    return widths


def answer_ref(point: KeyPoint) -> str:
    """Where a key point is in the notes: "answer 37" (its number in every export of the notes)."""
    return f"answer {point.number}"


THEMES_NOTE = "most votes first"  # how every summary format says what orders its themes
