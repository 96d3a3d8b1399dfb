"""A clock the tests move by hand: no test waits for real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        # A Wednesday afternoon in New York, so business days are easy to follow.
        self.now = start or datetime(2026, 11, 18, 20, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
