"""`facilitator present [NOTES] [--programme P]`: the projector view in a second terminal, following a run."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from facilitator import bundled
from facilitator.cli.common import CliError
from facilitator.clock import Clock
from facilitator.present import RunFollower
from facilitator.problems import Problem, os_reason
from facilitator.store import RUN_FILE, StoreError, default_notes_dir, read_run_state


def follower_for(notes: Path | None, programme_name: str | None, clock: Clock | None = None) -> RunFollower:
    """The programme and notes folder `facilitator present` follows; CliError for bad input.

    Reads at most run.toml; never creates the folder.
    """
    if notes is None:
        programme = bundled.resolve_programme(programme_name)
        folder = default_notes_dir(programme.id)
    else:
        folder = Path(notes)
        if folder.exists() and not folder.is_dir():
            raise CliError([Problem(str(folder), "", "is a file, not a notes folder")])
        try:
            named = read_run_state(folder / RUN_FILE).programme_id
        except StoreError:
            named = ""  # no run.toml yet (or unreadable for now): the follower waits for one
        # Until a run names its programme, the one given (or the default) is shown.
        if named:
            programme = bundled.programme_for_notes(folder, named, programme_name)
        else:
            programme = bundled.resolve_programme(programme_name)
    follower = RunFollower(folder, programme, clock, programme_given=programme_name is not None)
    if follower.path.parent.is_dir():
        try:
            os.listdir(follower.folder)
        except OSError as exc:
            raise CliError([Problem(str(folder), "", f"cannot be read ({os_reason(exc)})")]) from None
    return follower


def cmd_present(args: argparse.Namespace) -> int:
    """`facilitator present [NOTES] [--programme P]`: the projector view, following a run."""
    follower = follower_for(args.notes, args.programme)
    from facilitator.tui.present_app import PresentApp  # Textual, only now

    PresentApp(follower).run()
    return 0
