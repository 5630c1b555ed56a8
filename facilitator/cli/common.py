"""What every command shares: its error, its exit statuses, how problems and output are printed."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console

from facilitator.problems import Problem

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input found by the command line; carries the problems to print."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"facilitator: {problem}", file=sys.stderr)


def console(**options: object) -> Console:
    """A console for the commands' output. Programme text is data, never Rich markup: a title such as
    "Report-back [optional]" prints as written (markup=False), with no colour guesses."""
    return Console(highlight=False, markup=False, emoji=False, **options)  # type: ignore[arg-type]
