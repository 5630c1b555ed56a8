"""Shared fixtures: the bundled programme, a fake clock, an app on a temp notes folder."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from facilitator.bundled import default_programme
from facilitator.clock import FakeClock
from facilitator.programme import Programme, load_programme


@pytest.fixture(scope="session")
def programme_2012() -> Programme:
    return load_programme(default_programme())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2012, 5, 22, 10, 14, 0))


@pytest.fixture
def sequential_ids(monkeypatch):
    """Answer ids a-0001, a-0002… so snapshots and file contents are deterministic."""
    counter = itertools.count(1)
    monkeypatch.setattr("facilitator.notes.new_id", lambda prefix="a": f"{prefix}-{next(counter):04d}")


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    return tmp_path / "notes"
