"""One gateway connection per deployment.

Every replica that connected Discord's gateway would receive every interaction and message, and
each would handle it. So only the process holding the gateway lock (a PostgreSQL advisory lock,
like the scheduler's) connects, and posts Discord's outbox; the others stand by, polling, and one
of them connects when the holder dies. A holder that loses its lock's connection disconnects.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from storage.advisory_lock import AdvisoryLock
from storage.database import Database

if TYPE_CHECKING:
    from bot.discord.service import DiscordService

log = logging.getLogger(__name__)
GATEWAY_LOCK_ID = 0x4D53_4447  # "MSDG"
POLL_INTERVAL = 0.5


class Lock(Protocol):
    def poll(self) -> bool: ...

    def release(self) -> None: ...


class Connected(Protocol):
    def run(self) -> None:
        """Block while connected."""

    def close(self) -> None:
        """Disconnect, from any thread: `run` then returns."""


def gateway_lock(database: Database) -> AdvisoryLock:
    return AdvisoryLock(database, GATEWAY_LOCK_ID, "Discord gateway")


class GatewayHolder:
    """Runs `connect()`'s connection while this process holds `lock`, and stands by otherwise."""

    def __init__(
        self,
        lock: Lock,
        connect: Callable[[], Connected],
        *,
        poll_interval: float = POLL_INTERVAL,
        stopping: threading.Event | None = None,
    ) -> None:
        self.lock = lock
        self.connect = connect
        self.poll_interval = poll_interval
        self.stopping = stopping or threading.Event()
        self.holding = False

    def run(self) -> None:
        """Until stopped: wait for the lock, stay connected while it is held. A connection that
        ends by itself (not by losing the lock) ends this too; its error is raised."""
        try:
            while not self.stopping.is_set():
                if not self.lock.poll():
                    self.stopping.wait(self.poll_interval)
                    continue
                if not self._hold():
                    return
        finally:
            self.holding = False
            self.lock.release()

    def _hold(self) -> bool:
        """Connect and stay connected while the lock is ours; True when the lock was lost."""
        connection = self.connect()
        lost = threading.Event()
        done = threading.Event()

        def watch() -> None:
            while not done.wait(self.poll_interval):
                if self.stopping.is_set() or lost.is_set() or not self.lock.poll():
                    if not self.stopping.is_set():
                        lost.set()
                    connection.close()  # again at each poll until `run` returns

        watcher = threading.Thread(target=watch, name="discord-gateway-lock", daemon=True)
        self.holding = True
        log.info("Discord: this process holds the gateway")
        watcher.start()
        try:
            connection.run()
        finally:
            self.holding = False
            done.set()
            watcher.join()
        if lost.is_set():
            log.warning("Discord: the gateway lock was lost; disconnected, standing by")
        return lost.is_set()

    def stop(self) -> None:
        self.stopping.set()


class DiscordConnection:
    """A `DiscordService` as a `Connected`: `close` ends its client from another thread."""

    def __init__(self, service: DiscordService) -> None:
        self.service = service

    def run(self) -> None:
        self.service.run()

    def close(self) -> None:
        client = self.service.client
        try:
            loop = client.loop
        except AttributeError:  # not logged in yet: nothing to close
            return
        if not client.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(client.close(), loop)
            except RuntimeError:  # its loop has ended meanwhile
                return
