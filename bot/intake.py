"""The intake: every command a platform hands over is written down before it is acknowledged, run
by a bounded pool, and finished by another process if the one that accepted it dies.

A platform does not send an acknowledged request again, so the row written here is the command's
only copy until it is answered. The process that accepts a command owns it and renews its lease
every `HEARTBEAT` while it lives; a row whose lease ran out is taken (compare-and-set) by any
process with room, which runs it again. The router's request key makes that second run safe: a
handler whose transaction committed answers from what it recorded instead of changing anything twice.

Each process keeps at most `CAPACITY` commands between acceptance and answer. Past that a command
is still written down, with no owner, and acknowledged at once with a word that the bot is busy;
whichever process has room first takes it. Memory stays bounded whatever arrives.
"""

from __future__ import annotations

import contextvars
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from bot.intake_batches import BatchWriter, NotWritten, ReadWhenQueued
from bot.logs import request_reference
from storage.database import Database
from storage.models import utcnow
from storage.outages import Outage
from storage.queries.intake import (
    Accepted,
    claim_orphans,
    finish_command,
    prune_finished,
    release_command,
    renew_leases,
)

log = logging.getLogger(__name__)
# Commands accepted and not yet answered, per process: past this the next ones wait in the database.
CAPACITY = 64
# Threads running commands: the work is Python holding the interpreter lock most of the time, so more
# threads would only take turns with the acknowledgements of the commands still arriving.
WORKERS = 2
# A command's owner renews its lease every HEARTBEAT; LEASE after the last renewal it is taken over.
HEARTBEAT = 1.0
LEASE = timedelta(seconds=5)
# The share of the room a sweep leaves for commands arriving while taken-over ones run.
RESERVED_SHARE = 4
# A command whose runs kept dying (or kept failing to answer) is answered with an apology instead.
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(seconds=30)
FINISHED_MEMORY = timedelta(days=1)
PRUNE_EVERY = 600.0
# Acknowledgements first: a command waits to start while others are being accepted, at most this long.
YIELD_LIMIT = 0.1
# ... and while commands keep arriving, the commands' work takes at most this share of the time, so
# that an arrival waits little for the interpreter and the work still goes on under a steady stream.
WORK_SHARE = 1 / 3
# How long after a command arrived the next of a burst is expected.
QUIET = 0.01
# Tests only: hold each command this many seconds before running it (to stop a process in between).
HOLD_VARIABLE = "MARKETSAFE_TEST_HOLD_SECONDS"


class Outcome(Enum):
    """What became of a command handed to the intake, as its acknowledgement tells it."""

    STARTED = "started"
    QUEUED = "queued"  # written down, waiting for a process with room
    REPEATED = "repeated"  # the platform sent a request it sent before
    UNAVAILABLE = "unavailable"  # the database did not answer: nothing was written


class Runner(Protocol):
    def run(self, command: Accepted, *, fresh: bool) -> None:
        """Run the command and answer it; raise only when the answer could not be given.

        `fresh`: accepted by this process moments ago (the platform's short-lived handles still work)."""

    def give_up(self, command: Accepted) -> None:
        """Tell the person their command could not be completed."""


class Intake:
    def __init__(
        self,
        database: Database,
        platform: str,
        runner: Runner,
        *,
        capacity: int = CAPACITY,
        workers: int = WORKERS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.platform = platform
        self.runner = runner
        self.capacity = capacity
        self.clock = clock
        self.owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.stopping = threading.Event()
        # Set while commands may be waiting in the database for room: a finished command then wakes
        # the sweep at once instead of leaving its room empty until the next heartbeat.
        self._backlog = threading.Event()
        self._wake = threading.Event()
        self._writer = BatchWriter(database, platform)
        self._work = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{platform}-work")
        self._in_flight = 0
        self._lock = threading.Lock()
        self._arrivals = threading.Condition()
        self._arriving = 0
        self._arrived_at = 0.0
        self._work_may_start = 0.0  # while commands arrive, no command's work starts before this
        self._hold = float(os.environ.get(HOLD_VARIABLE) or 0)
        self._pruned_at = 0.0

    # -- accepting -------------------------------------------------------------------------------

    def accept(self, kind: str, request_key: str, payload: dict[str, Any], response_url: str | None) -> Outcome:
        """Write the command down and start it when there is room; call before acknowledging."""
        return self.accept_reading(kind, request_key, payload, response_url)[0]

    def accept_reading(
        self,
        kind: str,
        request_key: str,
        payload: dict[str, Any],
        response_url: str | None,
        read: ReadWhenQueued | None = None,
    ) -> tuple[Outcome, Any]:
        """`accept`, and what `read` read in the same transaction when the command is QUEUED (else None)."""
        with self._arrivals:
            self._arriving += 1
        try:
            return self._accept(kind, request_key, payload, response_url, read)
        finally:
            with self._arrivals:
                self._arriving -= 1
                self._arrived_at = time.monotonic()

    def _accept(
        self,
        kind: str,
        request_key: str,
        payload: dict[str, Any],
        response_url: str | None,
        read: ReadWhenQueued | None,
    ) -> tuple[Outcome, Any]:
        now = self.clock()
        room = self._reserve(1) == 1
        try:
            accepted, said = self._writer.write(
                read,
                platform=self.platform, kind=kind, request_key=request_key, payload=payload,
                response_url=response_url, owner=self.owner if room else None, now=now,
                lease_until=now + LEASE if room else now,
            )  # fmt: skip
        except NotWritten:
            log.error("%s %s not accepted: the database did not take it", self.platform, kind)
            self._free(1 if room else 0)
            return Outcome.UNAVAILABLE, None
        if not room:
            if accepted is None:
                return Outcome.REPEATED, None
            self._backlog.set()
            return Outcome.QUEUED, said
        if accepted is None:
            # A platform's retry of a command already written down: its first run answers it, or,
            # when the process that took it died, the sweep does once the owner's lease runs out.
            # Running it here as well would answer twice.
            self._free(1)
            self._wake.set()
            return Outcome.REPEATED, None
        self._start(accepted, fresh=True)
        return Outcome.STARTED, None

    def later(self, work: Callable[..., Any], *arguments: Any) -> bool:
        """Run work that need not survive the process (refreshing a view) if there is room; False if not."""
        if self._reserve(1) == 0:
            return False

        def run() -> None:
            try:
                work(*arguments)
            except Exception:
                log.exception("%s work failed: %s", self.platform, getattr(work, "__name__", work))
            finally:
                self._free(1)

        self._work.submit(run)
        return True

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    # -- running ---------------------------------------------------------------------------------

    def _start(self, command: Accepted, *, fresh: bool) -> None:
        self._work.submit(self._run, command, fresh)

    def _run(self, command: Accepted, fresh: bool) -> None:
        """Run and answer the command, and record how it ended. Every log line written meanwhile,
        this one's own failure included, carries one reference: the router's, the one a user is
        shown when the command fails (the router takes the one set here)."""
        with request_reference():
            self._run_under_reference(command, fresh)

    def _run_under_reference(self, command: Accepted, fresh: bool) -> None:
        recorded = command.id != 0
        finishing = False
        try:
            if self._hold:
                time.sleep(self._hold)
            self._let_arrivals_pass()
            started = time.thread_time()
            try:
                if recorded and command.attempts > MAX_ATTEMPTS:
                    log.error("%s command id=%s given up after %s attempts", self.platform, command.id, MAX_ATTEMPTS)
                    self.runner.give_up(command)
                else:
                    self.runner.run(command, fresh=fresh)
            finally:
                self._worked(started)
        except Exception:
            log.exception("%s command id=%s could not be answered; trying again later", self.platform, command.id)
            if recorded and command.attempts > MAX_ATTEMPTS:  # not even the apology could be given
                now = self.clock()
                self._settle(lambda session: finish_command(session, command.id, self.owner, now))
            elif recorded:
                retry_at = self.clock() + RETRY_AFTER
                self._settle(lambda session: release_command(session, command.id, self.owner, retry_at))
            return
        else:
            if recorded:
                # Marked done with the next batch of acceptances; its room is freed once it is.
                # Told in the writer's thread, which logs under this command's reference too.
                under_reference = contextvars.copy_context()
                self._writer.finish(
                    command.id,
                    self.owner,
                    self.clock(),
                    lambda done: under_reference.run(self._finished, command, done),
                )
                finishing = True
        finally:
            if not finishing:
                self._vacate()

    def _finished(self, command: Accepted, done: bool) -> None:
        if not done:
            log.warning("%s command id=%s was taken over before it was marked done", self.platform, command.id)
        self._vacate()

    def _vacate(self) -> None:
        """A command's room is free again; a backlog waiting for room is taken on."""
        self._free(1)
        if self._backlog.is_set() and self.in_flight <= self.capacity // 2:
            self._wake.set()

    def _let_arrivals_pass(self) -> None:
        """Acknowledgements first: wait while commands are arriving (being written down, or one came
        moments ago, so more of a burst are on their way), so that the database's write lock and the
        interpreter go to them before this command's work; but no longer than the work's share of
        the time allows (`WORK_SHARE`), nor than YIELD_LIMIT."""
        deadline = time.monotonic() + YIELD_LIMIT
        with self._arrivals:
            while (now := time.monotonic()) < min(deadline, self._work_may_start):
                if not self._arriving and now - self._arrived_at >= QUIET:
                    return
                self._arrivals.wait(min(QUIET, deadline - now, self._work_may_start - now))

    def _worked(self, started: float) -> None:
        """A command's work ended, begun when its thread's CPU time was `started`: the next waits for
        arrivals for the rest of the time this work's share leaves them. CPU time, not the clock:
        while arrivals take turns with the work, the work's own time is what they waited for."""
        spent = max(0.0, time.thread_time() - started)
        with self._arrivals:
            rest = spent * (1 - WORK_SHARE) / WORK_SHARE
            self._work_may_start = max(self._work_may_start, time.monotonic()) + rest

    def _settle(self, change: Callable[[Any], bool]) -> bool:
        try:
            with self.database.transaction() as session:
                return change(session)
        except Exception:
            log.exception("%s intake: could not record a command's end", self.platform)
            return False

    # -- the heartbeat and the sweep ------------------------------------------------------------

    def start(self) -> threading.Thread:
        """Renew this process's leases and take over orphaned commands, every HEARTBEAT."""
        thread = threading.Thread(target=self._sweep_forever, name=f"{self.platform}-intake", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
        self._wake.set()

    def _sweep_forever(self) -> None:
        outage = Outage(f"{self.platform} intake sweep", log, first_wait=HEARTBEAT)
        while not self.stopping.is_set():
            try:
                self.sweep_once()
            except Exception:
                # Backing off, a finished command does not wake the sweep early: only stopping does.
                self.stopping.wait(outage.failed())
            else:
                outage.succeeded()
                self._wake.wait(HEARTBEAT)
            self._wake.clear()

    def sweep_once(self) -> int:
        """Renew this process's leases, then take on orphaned commands while there is room; how many."""
        now = self.clock()
        with self.database.connection() as connection:
            renew_leases(connection, self.owner, now + LEASE)
        room = self._reserve(max(0, self.capacity - self.capacity // RESERVED_SHARE - self.in_flight))
        if room:
            self._let_arrivals_pass()
        try:
            with self.database.connection() as connection:
                taken = claim_orphans(connection, self.owner, now, now + LEASE, room)
        except Exception:
            self._free(room)
            raise
        self._free(room - len(taken))
        if len(taken) < room:
            self._backlog.clear()  # all there was: nothing waits for room now
        else:
            self._backlog.set()
        for command in taken:
            if command.attempts > 1:  # not only queued: a process had it and died
                log.info("%s intake: took over command id=%s, attempt %s", self.platform, command.id, command.attempts)
            self._start(command, fresh=False)
        if time.monotonic() - self._pruned_at > PRUNE_EVERY:
            with self.database.transaction() as session:
                prune_finished(session, now - FINISHED_MEMORY)
            self._pruned_at = time.monotonic()
        return len(taken)

    # -- room ------------------------------------------------------------------------------------

    def _reserve(self, wanted: int) -> int:
        with self._lock:
            granted = max(0, min(wanted, self.capacity - self._in_flight))
            self._in_flight += granted
            return granted

    def _free(self, count: int) -> None:
        with self._lock:
            self._in_flight -= count
