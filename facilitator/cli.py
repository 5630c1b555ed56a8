"""The command line: `facilitator [run|list|validate|show|import|export|summary|merge|present|serve] ...`.

This module loads files and turns every kind of bad input into one clear line
per problem on stderr and exit status 2. It imports the TUI only when a
command needs it, so `list`, `validate` and `show` start fast and never load
Textual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from facilitator import bundled
from facilitator.exporters import NOTES_FORMATS, SUMMARY_FORMATS
from facilitator.exporters.files import notes_folder_problem, write_file
from facilitator.notes import Notes
from facilitator.notes_toml import file_kind
from facilitator.problems import Problem, for_terminal, plural, visible
from facilitator.programme import Programme, ProgrammeError, Session, load_programme
from facilitator.store import StoreError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input found by the command line; carries the problems to print."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitator",
        description="Run a participatory expert meeting from a laptop.",
        epilog="With no command, runs the bundled 22 May 2012 programme.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run a programme in the terminal (the default)")
    run.add_argument("programme", nargs="?", help="programme file or bundled id (default: the 2012 programme)")
    run.add_argument("--notes", type=Path, help="notes folder (default: notes/<programme-id>/)")
    run.add_argument("--clock", type=_clock_time, metavar="[DATE]THH:MM",
                     help="rehearsal: start the clock at HH:MM, or at a date and time (2012-12-06T09:55)")
    run.add_argument("--speed", type=_speed, default=1.0, help="rehearsal: run the clock X times faster")

    commands.add_parser("list", help="list the bundled programmes")

    validate = commands.add_parser("validate", help="check programme files")
    validate.add_argument("programmes", nargs="+", metavar="PROGRAMME")

    show = commands.add_parser("show", help="print a programme's agenda and prompts")
    show.add_argument("programme", metavar="PROGRAMME")

    importer = commands.add_parser("import", help="write a programme file from a programme's text (.txt, .md, .docx)")
    importer.add_argument("source", type=Path, metavar="FILE", help="the programme's text: .txt, .md or .docx")
    written = importer.add_mutually_exclusive_group()
    written.add_argument("-o", "--output", metavar="PROGRAMME",
                         help="the programme file to write (default: FILE's name with .toml; - for standard output)")
    written.add_argument("--check", action="store_true", help="print the agenda as `show` would; write nothing")
    importer.add_argument("--force", action="store_true", help="overwrite PROGRAMME if it exists")

    export = commands.add_parser("export", help="export a run's notes: " + ", ".join(NOTES_FORMATS))
    export.add_argument("--format", "-f", choices=NOTES_FORMATS, default="md", help="default: md")
    summary = commands.add_parser("summary", help="the co-chairs' summary of a run: " + ", ".join(SUMMARY_FORMATS))
    summary.add_argument("--format", "-f", choices=SUMMARY_FORMATS, default="text", help="default: text (terminal)")
    for sub in (export, summary):
        sub.add_argument("notes", type=Path, metavar="NOTES", help="the notes folder of the run")
        # A string, not a Path: Path("newdir/") drops the slash that says "a folder" (see _check_output).
        sub.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
        sub.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
        sub.add_argument("--programme", metavar="PROGRAMME", help="programme file or bundled id (default: the notes')")

    merge = commands.add_parser("merge", help="combine several rapporteurs' notes folders into one")
    merge.add_argument("notes", nargs="+", type=Path, metavar="NOTES", help="notes folders to combine")
    merge.add_argument("-o", "--output", type=Path, required=True, metavar="NOTES_OUT",
                       help="the combined folder (created, or merged into if it holds notes of the same programme)")

    present = commands.add_parser("present", help="the projector view: follows a run from a second terminal")
    present.add_argument("notes", nargs="?", type=Path, metavar="NOTES",
                         help="the notes folder of the run to follow (default: the 2012 programme's)")
    present.add_argument("--programme", metavar="PROGRAMME", help="programme file or bundled id (default: the notes')")

    serve = commands.add_parser("serve", help="serve the app to a web browser (textual-serve)")
    serve.add_argument("programme", nargs="?", help="programme file or bundled id (default: the 2012 programme)")
    serve.add_argument("--notes", type=Path, help="notes folder (default: notes/<programme-id>/)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1: this machine)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--no-token", action="store_true",
                       help="no secret token in the address (only with a --host of this machine)")
    return parser


def _clock_time(value: str) -> dt.time | dt.datetime:
    """HH:MM (today), or a date and time: 2012-12-06T09:55 or "2012-12-06 09:55" (a day of the programme)."""
    text = value.strip()
    try:
        if len(text) > 5:
            return dt.datetime.fromisoformat(text.replace(" ", "T")).replace(second=0, microsecond=0)
        hours, minutes = (int(x) for x in text.split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a time like 09:45 nor a date and time like "
                                         "2012-12-06T09:55") from None


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        speed = 0.0
    if not 0 < speed <= 3600:
        raise argparse.ArgumentTypeError(f"'{value}' is not a speed: give a number more than 0 and at most 3600 "
                                         "(30 runs the day 30 times faster)")
    return speed


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `facilitator` console script."""
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "list":
            return cmd_list()
        if command == "validate":
            return cmd_validate(args.programmes)
        if command == "show":
            return cmd_show(args.programme)
        if command == "import":
            from facilitator.import_command import cmd_import

            return cmd_import(args)
        if command in ("export", "summary"):
            return cmd_export(args, summary=command == "summary")
        if command == "merge":
            from facilitator.merge import cmd_merge

            return cmd_merge(args)
        if command == "present":
            from facilitator.present import cmd_present

            return cmd_present(args)
        if command == "serve":
            from facilitator.tui.serve import cmd_serve

            return cmd_serve(args)
        if args.command is None:
            args = build_parser().parse_args(["run"])
        return cmd_run(args)
    except (ProgrammeError, StoreError, CliError) as exc:
        print_problems(exc.problems)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"facilitator: {problem}", file=sys.stderr)


def resolve_programme(name: str | None) -> Programme:
    """A programme from a file path, or a bundled programme by id or file name."""
    if name is None:
        return load_programme(bundled.default_programme())
    path = Path(name)
    if not path.exists():
        found = bundled.find(name)
        if found:
            return load_programme(found)
        if not path.is_symlink():  # a dangling link is reported by load_programme
            message = "no such file, nor a bundled programme of that id (see `facilitator list`)"
            raise CliError([Problem(name, "", message)])
    return load_programme(path)


def _console(**options: object) -> Console:
    # Programme text is data, never Rich markup: a title such as "Report-back
    # [optional]" must print as written (markup=False), and no colour guesses.
    return Console(highlight=False, markup=False, emoji=False, **options)  # type: ignore[arg-type]


# ---------------------------------------------------------------- commands


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
    console = _console()
    # The folder once, unbroken (soft_wrap), rather than a long path on every row.
    console.print(Text(f"Bundled programmes in {folder}:"), soft_wrap=True)
    console.print(Padding(table, (1, 0, 1, 2), expand=False))
    console.print(Text("Print one's agenda: facilitator show ID   Run it: facilitator run ID"), soft_wrap=True)
    return EXIT_OK


def cmd_validate(names: Sequence[str]) -> int:
    failed = False
    console = _console(soft_wrap=True)
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
        console.print(f"{name}: ok — {title}, {plural(items, 'agenda item')}, {plural(prompts, 'prompt')}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_show(name: str) -> int:
    programme = resolve_programme(name)
    _console().print(*agenda_renderables(programme))
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


def cmd_run(args: argparse.Namespace) -> int:
    programme = resolve_programme(args.programme)
    from facilitator.launch import run_app

    return run_app(programme, notes_dir=args.notes, clock_start=args.clock, speed=args.speed, confirm=_confirm)


def _confirm(question: str) -> bool:
    """Ask yes or no on the terminal; no terminal to ask on is a no."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    sys.stderr.write(f"{visible(question)} [y/N] ")
    sys.stderr.flush()
    try:
        return sys.stdin.readline().strip().lower() in ("y", "yes")
    except (EOFError, KeyboardInterrupt):
        return False


def load_run(folder: Path, programme_name: str | None) -> tuple[Programme, Notes]:
    """A notes folder and its programme: `programme_name`, else the bundled one the notes name."""
    from facilitator.store import load_notes

    notes = load_notes(folder)  # StoreError, one problem per line, for a missing or corrupt folder
    return programme_for_notes(folder, notes.programme_id, programme_name), notes


def programme_for_notes(folder: Path, named: str, programme_name: str | None) -> Programme:
    """The programme of a notes folder whose run names `named`: `programme_name` if given
    (and it must be that one), else the bundled programme of that id."""
    if programme_name is not None:
        programme = resolve_programme(programme_name)
    else:
        found = bundled.find(named) if named else None
        if found is None:
            message = (
                f"the notes are for programme '{named}', which is not a bundled one: "
                "give its file with --programme FILE"
            )
            raise CliError([Problem(str(folder), "", message)])
        programme = load_programme(found)
    if named and programme.id != named:
        message = f"the notes are for programme '{named}', not '{programme.id}'"
        raise CliError([Problem(str(folder), "", message)])
    return programme


def cmd_export(args: argparse.Namespace, summary: bool) -> int:
    """`export` (the notes) and `summary` (the co-chairs' summary) in one format."""
    from facilitator.exporters import FORMATS, export, export_summary

    fmt = FORMATS[args.format]
    output = None if args.output is None else Path(args.output)
    if output is None and fmt.binary:
        raise CliError([Problem(f"--format {fmt.name}", "", "writes a file: give one with -o FILE")])
    if output is not None:
        _check_output(args.output, args.force, args.notes)
    programme, notes = load_run(args.notes, args.programme)
    if output is None and summary and fmt.name == "text":
        from facilitator.exporters.text import renderable
        from facilitator.summary import summarize

        _console().print(renderable(summarize(programme, notes)))
        return EXIT_OK
    data = (export_summary if summary else export)(programme, notes, fmt.name)
    if output is None:
        assert isinstance(data, str)
        # On a terminal, captured text's control characters show as symbols; redirected, the bytes are exact.
        sys.stdout.write(for_terminal(data) if sys.stdout.isatty() else data)
        sys.stdout.flush()
        return EXIT_OK
    _write_output(output, data if isinstance(data, bytes) else data.encode("utf-8", "replace"))
    what = "summary" if summary else f"{notes.answer_count()} answers"
    _console(soft_wrap=True).print(f"wrote {output} ({fmt.description}, {what})")
    return EXIT_OK


def _check_output(name: str, force: bool, notes: Path) -> None:
    """Refuse an -o that is not a file to write: a folder (or a name ending in '/'), anything that is
    not a regular file (a device, a FIFO, /proc/self/fd/1: even --force never renames over those),
    a file inside a notes folder (it would be read as notes, or replace them), an existing file
    without --force. A symlink to a regular file is replaced, never written through."""
    output = Path(name)
    if name.endswith((os.sep, "/")):
        message = "ends with a '/', so names a folder: give a file name with -o (such as DIR/report.md)"
        raise CliError([Problem(name, "", message)])
    _refuse_non_regular(output)
    inside = notes_folder_problem(output, notes)
    if inside:
        raise CliError([Problem(name, "", inside)])
    if os.path.lexists(output) and not force:
        raise CliError([Problem(name, "", "already exists: use --force to overwrite it")])


def _refuse_non_regular(output: Path) -> None:
    """A folder, a device, a FIFO or a socket, also behind a symlink, is refused; absent is fine."""
    try:
        mode = output.stat().st_mode
    except FileNotFoundError:
        return  # absent, or a dangling symlink: the export takes its place
    except OSError as exc:
        raise CliError([Problem(str(output), "", f"cannot be checked: {exc.strerror or exc}")]) from None
    if stat.S_ISDIR(mode):
        raise CliError([Problem(str(output), "", "is a folder: give a file name with -o")])
    if not stat.S_ISREG(mode):
        message = f"is {file_kind(mode)}, not a regular file: exports are written to files only"
        raise CliError([Problem(str(output), "", message)])


def _write_output(output: Path, data: bytes) -> None:
    _refuse_non_regular(output)  # again, right before the rename: it may have been swapped since the check
    try:
        write_file(output, data)
    except OSError as exc:
        raise CliError([Problem(str(output), "", f"cannot be written: {exc.strerror or exc}")]) from None


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



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
