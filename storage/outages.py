"""Riding out an outage of the database in a loop that keeps trying (delivery, the intake's sweep, the
scheduler, the console).

A loop whose work fails tries again, but not at once: its wait doubles from its normal interval up
to `LONGEST_WAIT`, and is back to normal after one success. Its log says it once with the
traceback when the failures start, then at most once every `REPORT_EVERY` that they go on and how
many attempts failed, and once when the work succeeds again: a long outage writes a few lines a
minute, not a traceback per attempt.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

LONGEST_WAIT = 10.0
REPORT_EVERY = 60.0
# Doubling stops well before a float would overflow.
_MOST_DOUBLINGS = 30


class Outage:
    """The failures in a row of one loop's work (`what`, as the log names it), and the waits they call for."""

    def __init__(
        self,
        what: str,
        log: logging.Logger,
        *,
        first_wait: float,
        longest_wait: float = LONGEST_WAIT,
        report_every: float = REPORT_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.log = log
        self.first_wait = first_wait
        self.longest_wait = max(first_wait, longest_wait)
        self.report_every = report_every
        self.clock = clock
        self._failures = 0
        self._since = 0.0
        self._next_report = 0.0
        self._lock = threading.Lock()

    @property
    def failing(self) -> bool:
        """Whether the last attempt failed."""
        with self._lock:
            return self._failures > 0

    @property
    def wait(self) -> float:
        """The seconds to wait before the next attempt: `first_wait` after a success, doubling with
        each failure in a row up to `longest_wait`."""
        with self._lock:
            return self._wait_after(self._failures)

    def _wait_after(self, failures: int) -> float:
        return min(self.longest_wait, self.first_wait * 2 ** min(max(failures - 1, 0), _MOST_DOUBLINGS))

    def failed(self) -> float:
        """Note a failed attempt (call it where the exception is handled, for its traceback); the
        seconds to wait before the next attempt."""
        error = sys.exc_info()[1]
        with self._lock:
            now = self.clock()
            self._failures += 1
            failures = self._failures
            wait = self._wait_after(failures)
            if failures == 1:
                self._since, self._next_report = now, now + self.report_every
                report = "first"
            elif now >= self._next_report:
                self._next_report = now + self.report_every
                report = "again"
            else:
                report = ""
            since = now - self._since
        if report == "first":
            self.log.exception("%s failed; retrying in %.3g s", self.what, wait)
        elif report == "again":
            self.log.error(
                "%s still failing: %s attempts in %.0f s, now retrying every %.3g s (last: %s)",
                self.what, failures, since, wait, _summary(error),
            )  # fmt: skip
        return wait

    def succeeded(self) -> None:
        """Note a successful attempt: the waits are back to normal, and an outage's end is logged."""
        with self._lock:
            failures, since = self._failures, self.clock() - self._since
            self._failures = 0
        if failures:
            self.log.warning("%s works again, after %s failed attempts in %.0f s", self.what, failures, since)


def _summary(error: BaseException | None) -> str:
    """The error's type and the first line of what it says, short."""
    if error is None:
        return "no exception"
    said = str(error).strip().splitlines()
    return f"{type(error).__name__}: {said[0][:200]}" if said else type(error).__name__
