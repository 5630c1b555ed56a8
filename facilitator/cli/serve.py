"""`facilitator serve`: the app in a web browser, through textual-serve.

The command's side: arguments, the checks that the address can be listened on,
the printed address, and what each browser tab runs (`tab_main`, this module
run as `python -m facilitator.cli.serve`). The server itself, its guard at the
door (host, origin, token) and the refusal a tab shows live in `tui/serve.py`
and `tui/serve_tab.py`.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
from pathlib import Path

from facilitator import bundled
from facilitator.cli.common import CliError, print_problems
from facilitator.cli.parser import build_parser
from facilitator.problems import Problem
from facilitator.programme import ProgrammeError
from facilitator.store import StoreError
from facilitator.tui.serve import TOKEN_BYTES, address, can_serve, cannot_listen, is_loopback, make_server


def run_command(programme: str | None, notes: Path | None) -> str:
    """The shell command each browser tab runs: `facilitator run ...` through `tab_main`.

    Paths are made absolute, so the app finds them whatever directory it starts in.
    """
    parts = [sys.executable, "-m", "facilitator.cli.serve"]
    if programme is not None:
        parts.append(str(Path(programme).resolve()) if Path(programme).exists() else programme)
    if notes is not None:
        parts += ["--notes", str(Path(notes).resolve())]
    return shlex.join(parts)


def cmd_serve(args: argparse.Namespace) -> int:
    """`facilitator serve [PROGRAMME] [--notes DIR] [--host H] [--port P] [--no-token]`."""
    programme = bundled.resolve_programme(args.programme)  # a bad programme is reported now, not in a browser tab
    notes: Path | None = args.notes
    if notes is not None and notes.exists() and not notes.is_dir():
        raise CliError([Problem(str(notes), "", "is a file, not a notes folder")])
    refused = cannot_listen(args.host, args.port)
    if refused is not None:
        raise CliError([refused])
    token = None
    if args.no_token:
        if not is_loopback(args.host):
            message = (
                "only with a --host of this machine (127.0.0.1, ::1, localhost): "
                "on the network the token is what keeps others out"
            )
            raise CliError([Problem("--no-token", "", message)])
    else:
        token = secrets.token_urlsafe(TOKEN_BYTES)
    if not can_serve():
        message = "needs textual-serve: pip install textual-serve (it is among facilitator's dependencies)"
        raise CliError([Problem("facilitator serve", "", message)])

    server = make_server(
        run_command(args.programme, notes),
        args.host,
        args.port,
        f"facilitator — {programme.title}",
        token,
        lambda line: print(line, flush=True),
        lambda line: print(line, file=sys.stderr, flush=True),
    )
    try:
        server.serve()
    except OSError as exc:  # lost a race for the port since the check
        raise CliError([Problem(address(args.host, args.port), "", f"cannot listen ({exc.strerror or exc})")]) from None
    return 0


def tab_main(argv: list[str]) -> int:
    """One browser tab: `facilitator run ARGS`; when the meeting cannot be opened
    (the notes folder is locked by another tab), the reason on the tab's screen too.
    """
    args = build_parser().parse_args(["run", *argv])
    try:
        programme = bundled.resolve_programme(args.programme)
        from facilitator.cli.run import run_app

        return run_app(programme, notes_dir=args.notes)
    except (ProgrammeError, StoreError, CliError) as exc:
        print_problems(exc.problems)
        from facilitator.tui.serve_tab import show_refusal

        show_refusal([str(p) for p in exc.problems])
        return 2


if __name__ == "__main__":
    sys.exit(tab_main(sys.argv[1:]))
