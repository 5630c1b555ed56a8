"""`facilitator merge NOTES... -o NOTES_OUT`: several rapporteurs' notes folders into one."""

from __future__ import annotations

import argparse
from pathlib import Path

from facilitator.merge_folders import merge_folders
from facilitator.problems import plural


def cmd_merge(args: argparse.Namespace) -> int:
    """Bad input raises `StoreError` (one line per problem, exit 2), as load and save do."""
    output = Path(args.output)
    done = merge_folders(args.notes, output)
    print(
        f"merged {plural(done.folders, 'folder')} into {output}: {plural(done.answers, 'answer')} "
        f"({done.shared} from more than one folder), {plural(done.conflicts, 'conflict')} kept"
    )
    return 0
