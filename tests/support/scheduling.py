"""APScheduler driven by the tests' clock: its own job processing, run when a test ticks it."""

from __future__ import annotations

from datetime import datetime, tzinfo

import pytest
from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.base import BaseScheduler

from support.clock import FakeClock


class ManualScheduler(BaseScheduler):
    """No thread and no waiting: `tick()` runs APScheduler's processing of due jobs once."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def _create_default_executor(self) -> DebugExecutor:
        return DebugExecutor()

    def tick(self) -> None:
        self._process_jobs()


def drive_scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    """APScheduler reads `datetime.now` in its scheduler and executor modules; both get the clock."""

    class ClockTime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> ClockTime:
            return cls.fromtimestamp(clock().timestamp(), tz)

    monkeypatch.setattr("apscheduler.schedulers.base.datetime", ClockTime)
    monkeypatch.setattr("apscheduler.executors.base.datetime", ClockTime)
