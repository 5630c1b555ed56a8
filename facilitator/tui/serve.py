"""`facilitator serve`: the app in a web browser, through textual-serve.

textual-serve answers HTTP with a page holding a terminal, and each browser
tab that opens it starts its own `facilitator run` process behind a
websocket (`tab_main`, below). Two tabs on one notes folder are therefore two
apps: the second meets the folder's lock (as a second `facilitator run` in a
terminal would) and shows why instead of the meeting; nothing is corrupted.

It listens on 127.0.0.1 (this machine only) unless `--host` says otherwise:
anyone who can reach the port can type into the meeting.
"""

from __future__ import annotations

import argparse
import errno
import shlex
import socket
import sys
from pathlib import Path

from facilitator.problems import Problem

WILDCARDS = {"0.0.0.0", "::", ""}


def run_command(programme: str | None, notes: Path | None) -> str:
    """The shell command each browser tab runs: `facilitator run ...` through `tab_main`.

    Paths are made absolute, so the app finds them whatever directory it starts in.
    """
    parts = [sys.executable, "-m", "facilitator.tui.serve"]
    if programme is not None:
        parts.append(str(Path(programme).resolve()) if Path(programme).exists() else programme)
    if notes is not None:
        parts += ["--notes", str(Path(notes).resolve())]
    return shlex.join(parts)


def address(host: str, port: int) -> str:
    """The URL to open: http://127.0.0.1:8000, http://[::1]:8000."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def check_can_listen(host: str, port: int) -> None:
    """Refuse, as one line, a port out of range, an unknown host or an address in use."""
    from facilitator.cli import CliError

    if not 1 <= port <= 65535:
        raise CliError([Problem(f"--port {port}", "", "must be between 1 and 65535")])
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CliError([Problem(f"--host {host}", "", f"not an address of this machine ({exc.strerror})")]) from None
    family, kind, proto, _, where = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
        try:
            probe.bind(where)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = "already in use (another facilitator serve?): choose another port with --port"
                raise CliError([Problem(address(host, port), "", message)]) from None
            reason = exc.strerror or str(exc)
            raise CliError([Problem(address(host, port), "", f"cannot listen there ({reason})")]) from None


def make_server(command: str, host: str, port: int, title: str, announce):
    """A textual-serve `Server` that announces itself with `announce(line)` and logs only problems."""
    import logging

    from textual_serve.server import Server

    class FacilitatorServer(Server):
        def initialize_logging(self) -> None:
            # Warnings and errors only (a tab whose app could not start, with its
            # reason); not a line per HTTP request.
            super().initialize_logging()
            logging.getLogger().setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            announce(f"Serving facilitator at {address(host, port)} (each browser tab runs its own app; Ctrl+C stops)")
            if host in WILDCARDS:
                announce(f"  on every address of this machine, e.g. {address(socket.gethostname(), port)}")

        async def handle_index(self, request):
            # The page's websocket goes back to the address the browser used, not
            # to --host: 0.0.0.0 is no address to connect to.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    return FacilitatorServer(command, host=host, port=port, title=title)


def cmd_serve(args: argparse.Namespace) -> int:
    """`facilitator serve [PROGRAMME] [--notes DIR] [--host H] [--port P]`."""
    from facilitator.cli import CliError, resolve_programme

    programme = resolve_programme(args.programme)  # a bad programme is reported now, not in a browser tab
    notes: Path | None = args.notes
    if notes is not None and notes.exists() and not notes.is_dir():
        raise CliError([Problem(str(notes), "", "is a file, not a notes folder")])
    check_can_listen(args.host, args.port)
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        message = "needs textual-serve: pip install textual-serve (it is among facilitator's dependencies)"
        raise CliError([Problem("facilitator serve", "", message)]) from None

    server = make_server(
        run_command(args.programme, notes),
        args.host,
        args.port,
        f"facilitator — {programme.title}",
        lambda line: print(line, flush=True),
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
    from facilitator.cli import CliError, build_parser, print_problems, resolve_programme
    from facilitator.programme import ProgrammeError
    from facilitator.store import StoreError

    args = build_parser().parse_args(["run", *argv])
    try:
        programme = resolve_programme(args.programme)
        from facilitator.launch import run_app

        return run_app(programme, notes_dir=args.notes)
    except (ProgrammeError, StoreError, CliError) as exc:
        print_problems(exc.problems)
        from facilitator.tui.serve_tab import show_refusal

        show_refusal([str(p) for p in exc.problems])
        return 2


if __name__ == "__main__":
    sys.exit(tab_main(sys.argv[1:]))
