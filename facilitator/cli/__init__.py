"""The command line: `facilitator [run|list|validate|show|import|export|summary|merge|present|serve] ...`.

The top of the code (docs/architecture.md): each command's arguments,
printing and exit status live here, one module per command (`run`,
`programmes`, `importing`, `export`, `merge`, `present`, `serve`), with what
they share in `common` and the arguments in `parser`; nothing below imports
this package. Every kind of bad input becomes one clear line per problem on
stderr and exit status 2. A command's module is imported only when it runs, so
`list`, `validate` and `show` start fast and never load Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from facilitator.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, console, print_problems
from facilitator.cli.parser import build_parser
from facilitator.programme import ProgrammeError
from facilitator.store import StoreError

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "CliError", "build_parser", "console", "main", "print_problems"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `facilitator` console script."""
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command in ("list", "validate", "show"):
            from facilitator.cli import programmes

            return programmes.run(command, args)
        if command == "import":
            from facilitator.cli.importing import cmd_import

            return cmd_import(args)
        if command in ("export", "summary"):
            from facilitator.cli.export import cmd_export

            return cmd_export(args, summary=command == "summary")
        if command == "merge":
            from facilitator.cli.merge import cmd_merge

            return cmd_merge(args)
        if command == "present":
            from facilitator.cli.present import cmd_present

            return cmd_present(args)
        if command == "serve":
            from facilitator.cli.serve import cmd_serve

            return cmd_serve(args)
        if args.command is None:
            args = build_parser().parse_args(["run"])
        from facilitator.cli.run import cmd_run

        return cmd_run(args)
    except (ProgrammeError, StoreError, CliError) as exc:
        print_problems(exc.problems)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
