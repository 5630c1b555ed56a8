"""Finding a programme: the ones shipped with facilitator (the `exercises/` folder), a file, and the
programme a notes folder belongs to. Every command that takes a PROGRAMME resolves it here."""

from __future__ import annotations

from pathlib import Path

from facilitator.problems import Problem
from facilitator.programme import Programme, ProgrammeError, load_programme

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


# ------------------------------------------------------------------ finding a programme


def resolve_programme(name: str | None) -> Programme:
    """A programme from a file path, or a bundled programme by id or file name."""
    if name is None:
        return load_programme(default_programme())
    path = Path(name)
    if not path.exists():
        found = find(name)
        if found:
            return load_programme(found)
        if not path.is_symlink():  # a dangling link is reported by load_programme
            message = "no such file, nor a bundled programme of that id (see `facilitator list`)"
            raise ProgrammeError([Problem(name, "", message)])
    return load_programme(path)


def programme_for_notes(folder: Path, named: str, programme_name: str | None) -> Programme:
    """The programme of a notes folder whose run names `named`: `programme_name` if given
    (and it must be that one), else the bundled programme of that id."""
    if programme_name is not None:
        programme = resolve_programme(programme_name)
    else:
        found = find(named) if named else None
        if found is None:
            message = (
                f"the notes are for programme '{named}', which is not a bundled one: "
                "give its file with --programme FILE"
            )
            raise ProgrammeError([Problem(str(folder), "", message)])
        programme = load_programme(found)
    if named and programme.id != named:
        message = f"the notes are for programme '{named}', not '{programme.id}'"
        raise ProgrammeError([Problem(str(folder), "", message)])
    return programme
