"""`facilitator import FILE [-o PROGRAMME] [--force] [--check]`: a programme file from the programme's own text.

The command's arguments, output and exit status; the reading of files is
`facilitator.import_sources`, the reading of the programme `facilitator.importer`.

- Without `-o`, the programme is written next to FILE under its name with
  `.toml` (`programme.docx` -> `programme.toml`); `-o -` writes it to standard
  output. An existing file is never overwritten without `--force`, and never
  when it is FILE itself, a folder, a device or a pipe.
- `--check` writes nothing: it prints the agenda as `facilitator show` would.
- Every note (text it could not place, a date to check) and every problem is
  one line on stderr, `facilitator: FILE:LINE: what`. Exit 0 when the programme
  validates; 2 when it does not (it is still written, to be finished by hand)
  and when FILE or the output cannot be used (then nothing is written).
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from facilitator.cli.common import EXIT_BAD_INPUT, EXIT_OK, console, print_problems
from facilitator.cli.programmes import agenda_renderables
from facilitator.import_sources import SourceError, read_source
from facilitator.importer import ImportResult, import_paragraphs
from facilitator.problems import Problem, plural, visible
from facilitator.store import write_atomic

STDOUT = "-"


def cmd_import(args: argparse.Namespace) -> int:
    source: Path = args.source
    target = None if args.check else default_target(source, args.output)
    if target is not None and target != STDOUT:
        refusal = _refuse_target(target, source, args.force, explicit=args.output is not None)
        if refusal:
            print_problems([Problem(target, "", refusal)])
            return EXIT_BAD_INPUT
    try:
        read = read_source(source)
    except SourceError as exc:
        print_problems(exc.problems)
        return EXIT_BAD_INPUT
    result = import_paragraphs(read.paragraphs, str(source))
    print_problems([*read.notes, *result.notes])
    if target is None:
        return _check(result, source)
    return _write(result, source, target)


def default_target(source: Path, output: str | None) -> str:
    """Where the programme goes: `-o`, else FILE's name with .toml beside it."""
    if output is not None:
        return output
    return str(source.with_suffix(".toml") if source.suffix else source.with_name(source.name + ".toml"))


def _refuse_target(target: str, source: Path, force: bool, explicit: bool) -> str:
    """Why the programme cannot be written to `target` ("" when it can)."""
    if target.endswith((os.sep, "/")):  # Path() would drop the slash that says "a folder"
        return "ends with a '/', so names a folder: give a file name with -o"
    path = Path(target)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink() and not force:
            return "already exists (a link to nothing): use --force to replace it"
        return ""
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    kind = _not_a_file(info)
    if kind:
        return kind
    if _same_file(path, source):
        return "is the file being imported: give another name with -o"
    if not force:
        return "already exists: use --force to overwrite it" + ("" if explicit else ", or -o to write another file")
    return ""


def _not_a_file(info: os.stat_result) -> str:
    if stat.S_ISDIR(info.st_mode):
        return "is a folder: give a file name with -o"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device or a pipe?): give a file name with -o"
    return ""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check(result: ImportResult, source: Path) -> int:
    """`--check`: the agenda as `show` prints it, or why there is none."""
    if result.programme is None:
        print_problems(result.problems)
        message = "does not give a programme that validates: no agenda to show (import it with -o FILE to finish it)"
        print_problems([Problem(str(source), "", message)])
        return EXIT_BAD_INPUT
    console().print(*agenda_renderables(result.programme))
    return EXIT_OK


def _write(result: ImportResult, source: Path, target: str) -> int:
    data = result.toml.encode("utf-8")
    if target == STDOUT:
        sys.stdout.write(result.toml)
        sys.stdout.flush()
    else:
        try:
            # Again right before the rename: a FIFO or a folder may have taken the name since the check.
            kind = _not_a_file(os.stat(target)) if os.path.exists(target) else ""
            if not kind:
                write_atomic(Path(target), data)
        except OSError as exc:
            kind = f"cannot be written ({exc.strerror or exc})"
        if kind:
            print_problems([Problem(target, "", kind)])
            return EXIT_BAD_INPUT
    where = "standard output" if target == STDOUT else target
    if result.programme is None:
        print_problems(result.problems)
        print_problems([Problem(where, "", "written, but it does not validate yet: finish it by hand"
                                + ("" if target == STDOUT else f", then run `facilitator validate {target}`"))])
        return EXIT_BAD_INPUT
    programme = result.programme
    prompts = sum(len(s.prompts) for s in programme.sessions)
    summary = (
        f"wrote {where} from {source.name}: {visible(' '.join(programme.title.split()))}, "
        f"{plural(len(programme.sessions), 'agenda item')}, {plural(prompts, 'prompt')}; "
        f"{result.guesses} {'guess' if result.guesses == 1 else 'guesses'} marked '# guessed' to check"
    )
    # The summary is for the person; with -o - the programme itself is on stdout.
    console(soft_wrap=True, stderr=target == STDOUT).print(summary)
    return EXIT_OK
