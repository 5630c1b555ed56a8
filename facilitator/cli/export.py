"""`facilitator export` and `facilitator summary`: a run's notes, or the co-chairs' summary, as a document."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from facilitator import bundled
from facilitator.cli.common import EXIT_OK, CliError, console
from facilitator.exporters import FORMATS, export, export_summary
from facilitator.exporters.files import notes_folder_problem, write_file
from facilitator.notes import Notes
from facilitator.notes_toml import file_kind
from facilitator.problems import Problem, for_terminal
from facilitator.programme import Programme
from facilitator.store import load_notes


def load_run(folder: Path, programme_name: str | None) -> tuple[Programme, Notes]:
    """A notes folder and its programme: `programme_name`, else the bundled one the notes name."""
    notes = load_notes(folder)  # StoreError, one problem per line, for a missing or corrupt folder
    return bundled.programme_for_notes(folder, notes.programme_id, programme_name), notes


def cmd_export(args: argparse.Namespace, summary: bool) -> int:
    """`export` (the notes) and `summary` (the co-chairs' summary) in one format."""
    fmt = FORMATS[args.format]
    output = None if args.output is None else Path(args.output)
    if output is None and fmt.binary:
        raise CliError([Problem(f"--format {fmt.name}", "", "writes a file: give one with -o FILE")])
    if output is not None:
        _refuse_output_file(args.output, args.force, args.notes)
    programme, notes = load_run(args.notes, args.programme)
    if output is None and summary and fmt.name == "text":
        from facilitator.exporters.text import renderable
        from facilitator.summary import summarize

        console().print(renderable(summarize(programme, notes)))
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
    console(soft_wrap=True).print(f"wrote {output} ({fmt.description}, {what})")
    return EXIT_OK


def _refuse_output_file(name: str, force: bool, notes: Path) -> None:
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
