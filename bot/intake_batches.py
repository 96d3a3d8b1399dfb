"""Acceptances written together: every command that arrives while one transaction is being written
goes into the next, so a burst of commands costs a few commits instead of one each.

A transaction waits `GATHER` (2 ms) after its first command for more to join it. The commands of a
burst wait for each other's transaction rather than for the database's write lock one by one; that
keeps each acknowledgement close to a bare app's even when 50 arrive at once. A batch that fails is
written again one command at a time, so one bad command fails alone.

Commands answered are marked done in the same transactions: the thread that answered goes on at
once, and is told (`Finished`) once the mark is committed or refused (another process took the
command over meanwhile).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from storage.database import Database
from storage.queries.intake import Accepted, accept_commands, finish_commands

log = logging.getLogger(__name__)
# At most this many commands in one transaction.
MAX_BATCH = 100
# A transaction waits this long after the first command for others to join it: under a steady
# stream the writer would otherwise be quick enough to write nearly every command alone, and a
# transaction's own cost (taking the connection, beginning, committing) is most of a command's.
GATHER = 0.002


# Told, in the writer's thread, whether the command was marked done by its owner.
Finished = Callable[[bool], None]


class NotWritten(Exception):
    """The database did not take the command."""


# Read in the transaction that writes a command down with no owner (queued for later), for what its
# acknowledgement says, so that saying it costs no transaction of its own.
ReadWhenQueued = Callable[[Connection], Any]


@dataclass
class _Arrival:
    values: dict[str, Any]
    read: ReadWhenQueued | None = None
    read_result: Any = None
    written: threading.Event = field(default_factory=threading.Event)
    result: Accepted | None = None
    failed: bool = False


@dataclass(frozen=True, slots=True)
class _Done:
    command_id: int
    owner: str
    now: datetime
    then: Finished


class BatchWriter:
    def __init__(self, database: Database, name: str) -> None:
        self.database = database
        self._waiting: deque[_Arrival] = deque()
        self._done: list[_Done] = []
        self._ready = threading.Condition()
        threading.Thread(target=self._write_forever, name=f"{name}-accept", daemon=True).start()

    def write(self, read: ReadWhenQueued | None = None, **values: Any) -> tuple[Accepted | None, Any]:
        """`accept_command(session, **values)` in the next batch, and what `read` read in its
        transaction when the command was written down with no owner; raises `NotWritten` if it failed."""
        arrival = _Arrival(values, read)
        with self._ready:
            self._waiting.append(arrival)
            self._wake_if_due()
        arrival.written.wait()
        if arrival.failed:
            raise NotWritten
        return arrival.result, arrival.read_result

    def finish(self, command_id: int, owner: str, now: datetime, then: Finished) -> None:
        """Mark the command done in the next batch (`finish_commands`), then call `then` with
        whether it was; returns at once."""
        with self._ready:
            self._done.append(_Done(command_id, owner, now, then))
            self._wake_if_due()

    def _wake_if_due(self) -> None:
        """Wake the writer for the first of a batch, or once the batch is full; the ones between
        would only wake it to go on gathering. (Called holding `_ready`.)"""
        pending = len(self._waiting) + len(self._done)
        if pending == 1 or pending >= MAX_BATCH:
            self._ready.notify()

    def _write_forever(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: bool(self._waiting or self._done))
                self._ready.wait_for(lambda: len(self._waiting) + len(self._done) >= MAX_BATCH, GATHER)
                batch = [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]
                done, self._done = self._done, []
            finished: set[int] = set()
            try:
                finished = self._write(batch, done)
            except Exception:
                log.exception("a batch of commands could not be written down; writing them one by one")
                finished = self._write_one_by_one(batch, done)
            for arrival in batch:
                arrival.written.set()
            for mark in done:
                try:
                    mark.then(mark.command_id in finished)
                except Exception:
                    log.exception("what follows a command's end failed")

    def _write_one_by_one(self, batch: list[_Arrival], done: list[_Done]) -> set[int]:
        for arrival in batch:
            try:
                self._write([arrival], [])
            except Exception:
                log.exception("a command could not be written down")
                arrival.failed = True
        finished: set[int] = set()
        for mark in done:
            try:
                finished |= self._write([], [mark])
            except Exception:
                log.exception("a command's end could not be recorded")
        return finished

    def _write(self, batch: list[_Arrival], done: list[_Done]) -> set[int]:
        """The batch's commands written down and `done` marked, in one transaction; the ids marked."""
        with self.database.connection(urgent=True) as connection:
            results = accept_commands(connection, [arrival.values for arrival in batch]) if batch else []
            read = [self._read(connection, arrival, result) for arrival, result in zip(batch, results, strict=True)]
            finished = finish_commands(connection, [(mark.command_id, mark.owner, mark.now) for mark in done])
        for arrival, result, said in zip(batch, results, read, strict=True):
            arrival.result, arrival.read_result = result, said
        return finished

    @staticmethod
    def _read(connection: Connection, arrival: _Arrival, accepted: Accepted | None) -> Any:
        """What the arrival reads when it was written down queued (with no owner)."""
        queued = accepted is not None and arrival.values.get("owner") is None
        return arrival.read(connection) if queued and arrival.read is not None else None
