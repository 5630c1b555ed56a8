"""Clocks: the only place the tool asks what time it is.

Everything else takes a `Clock` (or a `now` value), so tests run on a
`FakeClock` and a facilitator can rehearse the day on a `RehearsalClock`
that starts at a chosen time and runs faster than real time.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    """Something that tells the meeting's current local time."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The laptop's local time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


class RehearsalClock:
    """Starts at `start` and runs `speed` times faster than real time."""

    def __init__(self, start: dt.datetime, speed: float = 1.0, monotonic=time.monotonic) -> None:
        self.start = start
        self.speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()

    def now(self) -> dt.datetime:
        elapsed = (self._monotonic() - self._origin) * self.speed
        return (self.start + dt.timedelta(seconds=elapsed)).replace(microsecond=0)


class FakeClock:
    """A clock that only moves when told to: for tests and snapshots."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        self.current += dt.timedelta(minutes=minutes, seconds=seconds)

    def set(self, value: dt.datetime) -> None:
        self.current = value
