"""Injected time, so that tests and replay decide what "now" is."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Wall-clock UTC time and a monotonic counter, from one source."""

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...

    def monotonic_ns(self) -> int:
        """A counter that never goes backwards within a process."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic_ns(self) -> int:
        return time.monotonic_ns()


class ManualClock:
    """A clock that only moves when told to; for tests, snapshots and replay."""

    def __init__(self, start: datetime, monotonic_ns: int = 0) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._mono = monotonic_ns

    def now(self) -> datetime:
        return self._now

    def monotonic_ns(self) -> int:
        return self._mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a ManualClock cannot go backwards")
        self._now += timedelta(seconds=seconds)
        self._mono += int(seconds * 1_000_000_000)

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (forwards only), as replay seeks."""
        moment = moment.astimezone(UTC)
        if moment < self._now:
            raise ValueError("a ManualClock cannot go backwards")
        self.advance((moment - self._now).total_seconds())
