"""What the answer board lists, in its two views.

By group (the current prompt's answers under each group that gave them) and
by theme (the whole item's answers under each theme, then those in no theme).
Both take the filter text, the marked answers and the sort order from the
screen, and return plain rows for `AnswerBoard`.
"""

from __future__ import annotations

from collections.abc import Collection

from facilitator import themes
from facilitator.notes import Answer, ItemNotes, groups_in
from facilitator.programme import Session
from facilitator.tui.widgets.answer_board import Row

UNTHEMED = "Not in a theme yet"


def group_rows(
    item: ItemNotes, prompt_id: str, text: str = "", marked: Collection[str] = (), by_votes: bool = False
) -> list[Row]:
    """The current prompt's answers, grouped by group; each shows its theme."""
    by_answer = themes.themes_by_answer(item)
    answers: list[Answer] = list(item.for_prompt(prompt_id))
    if text:
        answers = themes.filter_answers(answers, text, by_answer)
    grouped = groups_in(answers)
    groups = list(grouped.items())
    if by_votes:
        groups.sort(key=lambda entry: -sum(a.votes for a in entry[1]))
    rows: list[Row] = []
    for group, members in groups:
        rows.append(Row(heading=group, count=len(members)))
        for answer in themes.sort_by_votes(members) if by_votes else members:
            theme = by_answer.get(answer.id)
            rows.append(Row(answer=answer, note=f"◆ {theme.name}" if theme else "", marked=answer.id in marked))
    return rows


def theme_rows(
    item: ItemNotes, session: Session, text: str = "", marked: Collection[str] = (), by_votes: bool = False
) -> list[Row]:
    """The whole item's answers under their themes, with the groups that raised each theme."""
    numbers = {p.id: n for n, p in enumerate(session.prompts, 1)}
    by_answer = themes.themes_by_answer(item)
    view = themes.answers_by_theme(item)
    if by_votes:
        # Themes by votes (the answers' votes when a theme has none of its own), unthemed last.
        view = sorted(view[:-1], key=lambda e: -(e[0].votes or sum(a.votes for a in e[1]))) + view[-1:]
    rows: list[Row] = []
    for theme, members in view:
        if text:
            members = themes.filter_answers(members, text, by_answer)
            if not members:
                continue
        if theme is None and not members:
            continue
        groups = ", ".join(dict.fromkeys(a.group for a in members))
        votes = f"+{theme.votes} · " if theme and theme.votes else ""
        heading = f"◆ {theme.name}" if theme else UNTHEMED
        rows.append(Row(heading=heading, count=len(members), note=f"{votes}{groups}" if groups or votes else ""))
        for answer in themes.sort_by_votes(members) if by_votes else members:
            where = f"Q{numbers[answer.prompt_id]} · " if answer.prompt_id in numbers and len(numbers) > 1 else ""
            rows.append(Row(answer=answer, note=f"{where}{answer.group}", marked=answer.id in marked))
    return rows
