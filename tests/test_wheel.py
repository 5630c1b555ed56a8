"""The wheel ships the bundled programmes, and an installed copy finds them.

Built offline: `pip wheel --no-build-isolation` uses the hatchling already
installed with the test extras instead of downloading it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROGRAMMES = sorted(p.name for p in (REPO / "exercises").glob("*.toml"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = list(out.glob("facilitator-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_the_programmes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "facilitator/exercises/parallel-programme-2012-05-22.toml" in names
    assert {f"facilitator/exercises/{name}" for name in PROGRAMMES} <= names
    # Every file of the package ships, Python or not (the TUI's stylesheets).
    package = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "facilitator").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert "facilitator/cli/__init__.py" in package
    assert set(package) <= names
    # What the console script needs.
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "facilitator = facilitator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_programmes_are_the_repositorys(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    for name in PROGRAMMES:
        assert archive.read(f"facilitator/exercises/{name}") == (REPO / "exercises" / name).read_bytes()


def test_installed_copy_lists_its_own_programmes(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "facilitator", "list"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=elsewhere,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"Bundled programmes in {site / 'facilitator' / 'exercises'}:" in result.stdout
    assert str(REPO / "exercises") not in result.stdout
    assert "parallel-programme-2012-05-22" in result.stdout
    assert "small-group-workshop-half-day" in result.stdout

    # ... and shows one by id from there.
    shown = subprocess.run(
        [sys.executable, "-m", "facilitator", "show", "parallel-programme-2012-05-22"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=elsewhere,
        env=env,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Scene-setting presentation: ICBL" in shown.stdout
