"""One scheduler per deployment: the process holding a PostgreSQL advisory lock leads.

The lock lives on a dedicated connection, so it goes when the process or its connection dies and
a standby, polling, takes over. SQLite serves one process, which always leads.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.database import SCHEMA_LOCK, Database

log = logging.getLogger(__name__)
LOCK_ID = 0x4D53_5343  # "MSSC"


class LeaderLock:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or not self.database.is_postgresql

    def poll(self) -> bool:
        """Try to become (or check that we still are) the leader; True while we lead."""
        if not self.database.is_postgresql:
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except DBAPIError:
                log.warning("lost the scheduler lock's connection; no longer leading")
                self._drop()
                return False
        connection = self.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            locked = connection.execute(text(f"SELECT pg_try_advisory_lock({SCHEMA_LOCK})"), {"id": LOCK_ID})
            acquired = bool(locked.scalar())
        except DBAPIError:
            connection.close()
            return False
        if acquired:
            self._connection = connection
            log.info("this process now runs the scheduler")
        else:
            connection.close()
        return acquired

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.execute(text(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})"), {"id": LOCK_ID})
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.invalidate()
                self._connection.close()
        self._connection = None
