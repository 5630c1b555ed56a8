"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from facilitator.exporters import NOTES_FORMATS, SUMMARY_FORMATS


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
