"""One Discord gateway connection per deployment: the process holding the gateway lock connects,
the others stand by, and one of them connects when the holder dies or loses its lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from sqlalchemy import text

from bot.discord.gateway import GatewayHolder, gateway_lock
from storage.advisory_lock import AdvisoryLock
from storage.database import Database
from support.databases import POSTGRES_URL


class SharedLock:
    """One lock between several holders, as the database's advisory lock is."""

    def __init__(self) -> None:
        self.owner: object | None = None
        self.guard = threading.Lock()

    def handle(self) -> OneHoldersLock:
        return OneHoldersLock(self)


class OneHoldersLock:
    def __init__(self, shared: SharedLock) -> None:
        self.shared = shared

    def poll(self) -> bool:
        with self.shared.guard:
            if self.shared.owner is None:
                self.shared.owner = self
            return self.shared.owner is self

    def release(self) -> None:
        with self.shared.guard:
            if self.shared.owner is self:
                self.shared.owner = None


class Connection:
    """A gateway connection that records when it is open."""

    open: ClassVar[list[str]] = []

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = threading.Event()

    def run(self) -> None:
        Connection.open.append(self.name)
        try:
            self.closed.wait(10)
        finally:
            Connection.open.remove(self.name)

    def close(self) -> None:
        self.closed.set()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_only_the_holder_connects_and_a_standby_takes_over_when_it_stops() -> None:
    shared = SharedLock()
    holders = [GatewayHolder(shared.handle(), partial(Connection, f"r{n}"), poll_interval=0.02) for n in range(3)]
    threads = [threading.Thread(target=holder.run) for holder in holders]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(Connection.open) == 1)
        time.sleep(0.1)
        assert len(Connection.open) == 1 and sum(holder.holding for holder in holders) == 1
        first = Connection.open[0]
        leader = next(holder for holder in holders if holder.holding)
        leader.stop()
        wait_until(lambda: len(Connection.open) == 1 and Connection.open[0] != first)
        time.sleep(0.1)
        assert len(Connection.open) == 1
    finally:
        for holder in holders:
            holder.stop()
        for thread in threads:
            thread.join(5)
    assert Connection.open == []


def test_a_holder_that_loses_its_lock_disconnects_and_stands_by() -> None:
    shared = SharedLock()
    lock = shared.handle()
    connections: list[Connection] = []

    def connect() -> Connection:
        connections.append(Connection("only"))
        return connections[-1]

    holder = GatewayHolder(lock, connect, poll_interval=0.02)
    thread = threading.Thread(target=holder.run)
    thread.start()
    try:
        wait_until(lambda: Connection.open == ["only"])
        with shared.guard:
            shared.owner = object()  # the lock's connection died and another process took it
        wait_until(lambda: Connection.open == [] and not holder.holding)
        time.sleep(0.1)
        assert len(connections) == 1  # standing by, not reconnecting
        with shared.guard:
            shared.owner = None
        wait_until(lambda: Connection.open == ["only"] and len(connections) == 2)
    finally:
        holder.stop()
        thread.join(5)


def test_on_sqlite_the_single_process_always_holds_the_gateway(database: Database) -> None:
    if database.is_postgresql:
        return
    assert gateway_lock(database).poll() and gateway_lock(database).poll()


if POSTGRES_URL:

    def test_one_process_at_a_time_holds_the_postgresql_gateway_lock_and_it_passes_on_when_its_connection_dies(
        postgres_database: Database,
    ) -> None:
        first, second = gateway_lock(postgres_database), gateway_lock(postgres_database)
        try:
            assert first.poll() and not second.poll()
            assert first.poll()  # still held
            scheduler = AdvisoryLock(postgres_database, 0x4D53_5343, "scheduler")
            assert scheduler.poll()  # another role's lock is independent
            scheduler.release()
            assert first._connection is not None
            backend = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()
            with postgres_database.engine.connect() as other:  # as when the holder's process is killed
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            assert not first.poll()
            assert second.poll() and not first.poll()
        finally:
            first.release()
            second.release()
