"""Acceptances written together: every command that arrives while one transaction is being written
goes into the next, so a burst of commands costs a few commits instead of one each.

The commands of a burst wait for each other's transaction rather than for the database's write lock
one by one; that keeps each acknowledgement close to a bare app's even when 50 arrive at once. A
batch that fails is written again one command at a time, so one bad command fails alone.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from storage.database import Database
from storage.queries.intake import Accepted, accept_command

log = logging.getLogger(__name__)
# At most this many commands in one transaction.
MAX_BATCH = 100


class NotWritten(Exception):
    """The database did not take the command."""


@dataclass
class _Arrival:
    values: dict[str, Any]
    written: threading.Event = field(default_factory=threading.Event)
    result: Accepted | None = None
    failed: bool = False


class BatchWriter:
    def __init__(self, database: Database, name: str) -> None:
        self.database = database
        self._waiting: deque[_Arrival] = deque()
        self._ready = threading.Condition()
        threading.Thread(target=self._write_forever, name=f"{name}-accept", daemon=True).start()

    def write(self, **values: Any) -> Accepted | None:
        """`accept_command(session, **values)` in the next batch; raises `NotWritten` if it failed."""
        arrival = _Arrival(values)
        with self._ready:
            self._waiting.append(arrival)
            self._ready.notify()
        arrival.written.wait()
        if arrival.failed:
            raise NotWritten
        return arrival.result

    def _write_forever(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: bool(self._waiting))
                batch = [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]
            try:
                self._write(batch)
            except Exception:
                if len(batch) == 1:
                    log.exception("a command could not be written down")
                    batch[0].failed = True
                else:
                    for arrival in batch:
                        try:
                            self._write([arrival])
                        except Exception:
                            log.exception("a command could not be written down")
                            arrival.failed = True
            for arrival in batch:
                arrival.written.set()

    def _write(self, batch: list[_Arrival]) -> None:
        with self.database.transaction() as session:
            results = [accept_command(session, **arrival.values) for arrival in batch]
        for arrival, result in zip(batch, results, strict=True):
            arrival.result = result
