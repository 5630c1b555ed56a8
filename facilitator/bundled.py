"""The programmes shipped with facilitator (the `exercises/` folder)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_ID = "parallel-programme-2012-05-22"


def exercises_dir() -> Path:
    """Where the bundled programme files are.

    In an installed wheel they are inside the package (`facilitator/exercises`,
    put there by the build); in a source checkout they are the repository's
    top-level `exercises/` folder, which is what people edit and validate.
    """
    # (A plain path, not importlib.resources: that import alone costs ~18 ms of
    # start-up, and the wheel installs as files anyway.)
    packaged = Path(__file__).resolve().parent / "exercises"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "exercises"


def programme_files() -> list[Path]:
    """Every bundled programme file, sorted by name."""
    folder = exercises_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def find(name: str) -> Path | None:
    """A bundled programme by id (file stem) or file name, or None."""
    for path in programme_files():
        if name in (path.stem, path.name):
            return path
    return None


def default_programme() -> Path:
    """The 22 May 2012 Parallel Programme, the one `facilitator` runs by default."""
    return exercises_dir() / f"{DEFAULT_ID}.toml"
