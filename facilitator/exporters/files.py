"""Writing an export to disk, and where the app puts the ones it makes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from facilitator.exporters import FORMATS, export, export_summary
from facilitator.notes import Notes
from facilitator.programme import Programme


def write_file(output: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `output`, then rename it over: never a half-written file.

    Raises OSError (the caller says which file and why).
    """
    tmp = output.with_name(f".{output.name}.{os.urandom(4).hex()}.tmp")
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, output)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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
