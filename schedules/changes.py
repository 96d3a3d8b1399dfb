"""The milestones and reminders changed since the leader last looked, read once each, in order.

Database triggers write a `schedule_change` row for every insert, delete and relevant update, so
the leader reconciles only those rows instead of every reminder ever set. Ids are handed out when
a row is inserted but transactions commit in any order (PostgreSQL), so an id may appear after a
later one was read. The feed therefore keeps a low-water mark: it passes an id only once every id
below it was read, or once a gap has stayed open longer than any transaction writing a milestone
or reminder runs (a rolled-back transaction leaves a gap for ever). Whatever a skipped gap hid is
still caught: a stale job checks its source before it posts, and due occurrences are found by time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from storage.queries.schedule_records import changes_after, forget_changes_through, latest_change

GAP_PATIENCE = 60.0  # seconds a hole in the ids is waited for


@dataclass(slots=True)
class Changed:
    milestones: set[int] = field(default_factory=set)
    reminders: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.milestones or self.reminders)


class ChangeFeed:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self.low = 0  # every change id at or below this was read (or given up)
        self._read_above: set[int] = set()
        self._gap_since: float | None = None

    def start(self, session: Session) -> None:
        """Start after every change so far: the caller plans from the tables themselves."""
        self.low = latest_change(session)
        self._read_above.clear()
        self._gap_since = None

    def read(self, session: Session) -> Changed:
        changed = Changed()
        for change in changes_after(session, self.low):
            assert change.id is not None
            if change.id in self._read_above:
                continue
            self._read_above.add(change.id)
            (changed.milestones if change.source == "milestone" else changed.reminders).add(change.source_id)
        self._advance()
        return changed

    def forget_read(self, session: Session) -> None:
        """Delete the rows the feed has passed: the log holds only what is still to be read."""
        forget_changes_through(session, self.low)

    def _advance(self) -> None:
        while self.low + 1 in self._read_above:
            self.low += 1
            self._read_above.discard(self.low)
        if not self._read_above:
            self._gap_since = None
            return
        now = self.monotonic()
        if self._gap_since is None:
            self._gap_since = now
        elif now - self._gap_since > GAP_PATIENCE:
            self.low = min(self._read_above) - 1  # the transaction that took these ids never committed
            self._gap_since = None
            self._advance()
