"""`facilitator list`, `validate` and `show`: the programmes, without the TUI."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from facilitator import bundled
from facilitator.cli.common import EXIT_BAD_INPUT, EXIT_OK, console, print_problems
from facilitator.problems import plural, visible
from facilitator.programme import Programme, ProgrammeError, Session, load_programme


def run(command: str, args: argparse.Namespace) -> int:
    if command == "list":
        return cmd_list()
    if command == "validate":
        return cmd_validate(args.programmes)
    return cmd_show(args.programme)


def cmd_list() -> int:
    folder = bundled.exercises_dir()
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    # The id is what `run` and `show` take, so it is never wrapped or cut.
    table.add_column("id", no_wrap=True, overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("title")
    for path in bundled.programme_files():
        try:
            programme = load_programme(path)
        except ProgrammeError as exc:
            print_problems(exc.problems)
            continue
        table.add_row(path.stem, _short_dates(programme), str(len(programme.sessions)), Text(programme.title))
    out = console()
    # The folder once, unbroken (soft_wrap), rather than a long path on every row.
    out.print(Text(f"Bundled programmes in {folder}:"), soft_wrap=True)
    out.print(Padding(table, (1, 0, 1, 2), expand=False))
    out.print(Text("Print one's agenda: facilitator show ID   Run it: facilitator run ID"), soft_wrap=True)
    return EXIT_OK


def cmd_validate(names: Sequence[str]) -> int:
    failed = False
    out = console(soft_wrap=True)
    for name in names:
        try:
            programme = load_programme(Path(name))
        except ProgrammeError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        prompts = sum(len(s.prompts) for s in programme.sessions)
        items = len(programme.sessions)
        title = visible(" ".join(programme.title.split()))  # one line, whatever the title holds
        out.print(f"{name}: ok — {title}, {plural(items, 'agenda item')}, {plural(prompts, 'prompt')}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_show(name: str) -> int:
    programme = bundled.resolve_programme(name)
    console().print(*agenda_renderables(programme))
    return EXIT_OK


def agenda_renderables(programme: Programme) -> list[object]:
    """The agenda as Rich renderables: a heading, the table, then each item's prompts.

    Every piece of programme text goes in as `Text`, never as markup.
    """
    from facilitator.schedule import plan

    slots = {slot.session_id: slot for slot in plan(programme)}
    several_days = len(programme.dates) > 1

    def when(session: Session) -> str:
        slot = slots[session.id]
        time = f"{slot.planned_start:%H:%M}"
        if slot.planned_end > slot.planned_start:
            time += f"–{slot.planned_end:%H:%M}"
        # Brackets mark a time the programme does not give: it follows the previous item.
        return time if session.start else f"({time})"

    heading = Text(programme.title, style="bold")
    if programme.subtitle:
        heading.append("\n" + programme.subtitle, style="dim")
    details = [_dates(programme), programme.venue]
    if programme.chairs:
        details.append("Chairs: " + ", ".join(p.name for p in programme.chairs))
    heading.append("\n" + "\n".join(d for d in details if d))

    # No vertical rules: at 80 columns every character goes to the titles.
    table = Table(
        expand=True,
        header_style="bold",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1, 0, 0),
    )
    if any(session.start is None for session in programme.sessions):
        table.caption = "(time in brackets): the programme gives no start; it follows the previous item"
    if several_days:
        table.add_column("day", no_wrap=True)
    table.add_column("time", no_wrap=True)
    # A long word folds onto the next line rather than being cut with "…".
    table.add_column("item", ratio=3, overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("presenter", ratio=2, overflow="fold")
    table.add_column("prompts", justify="right", no_wrap=True)
    for session in programme.sessions:
        row = [
            Text(when(session)),
            Text(session.title),
            Text(session.kind),
            Text("\n".join(p.name for p in session.presenters)),
            Text(str(len(session.prompts) or "")),
        ]
        if several_days:
            row.insert(0, Text(f"{session.date:%a %d %b}"))
        table.add_row(*row, style="dim" if session.is_break else None)

    out: list[object] = [heading, Text(""), table]
    for session in programme.sessions:
        if session.prompts or session.exercise or session.references or any(p.role for p in session.presenters):
            out.append(_item_details(session, (f"{session.date:%a %d %b} " if several_days else "") + when(session)))
    return out


def _item_details(session: Session, time: str) -> Group:
    """One agenda item's presenters, references, numbered prompts and exercise."""
    title = Text(f"\n{time}  ", style="bold")
    title.append(session.title, style="bold")
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True, justify="right")
    body.add_column()
    for person in session.presenters:
        body.add_row(Text("·"), Text(str(person)))
    for reference in session.references:
        body.add_row(Text("§"), Text(reference, style="italic"))
    for number, prompt in enumerate(session.prompts, 1):
        body.add_row(Text(f"{number}."), Text(prompt.text))
    if session.exercise:
        if session.exercise.categories:
            body.add_row(Text("▸"), Text("Categories: " + " / ".join(session.exercise.categories), style="cyan"))
        if session.exercise.instructions:
            body.add_row(Text(""), Text(session.exercise.instructions, style="dim"))
    return Group(title, Padding(body, (0, 0, 0, 2), expand=False))


def _dates(programme: Programme) -> str:
    return ", ".join(f"{d:%A} {d.day} {d:%B %Y}" for d in programme.dates)


def _short_dates(programme: Programme) -> str:
    """ "22 May 2012"; several days as a range: "10–11 Mar 2026", "30 Mar – 2 Apr 2026"."""
    first, last = programme.dates[0], programme.dates[-1]
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
