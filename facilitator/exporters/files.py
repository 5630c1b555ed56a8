"""Writing an export to disk, and where the app puts the ones it makes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from facilitator.exporters import FORMATS, export, export_summary
from facilitator.notes import Notes
from facilitator.programme import Programme
from facilitator.store import write_atomic as write_file  # one atomic write for notes and exports


def export_to_folder(
    programme: Programme, notes: Notes, fmt: str, folder: Path, *, summary: bool = False, now: dt.datetime
) -> Path:
    """Export into `folder` under a new, dated file name (never over an older export)."""
    kind = "summary" if summary else "notes"
    data = (export_summary if summary else export)(programme, notes, fmt)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{programme.id}-{kind}-{now:%Y%m%d-%H%M%S}"
    target = folder / f"{stem}{FORMATS[fmt].extension}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}{FORMATS[fmt].extension}"
    write_file(target, raw)
    return target
