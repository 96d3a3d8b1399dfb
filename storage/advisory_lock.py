"""A role only one process of a deployment may hold at a time (the scheduler, the Discord gateway), held as a
PostgreSQL session advisory lock on a dedicated connection.

The lock goes when its process or connection dies, so a standby polling `poll` takes over. On
SQLite one process serves the database, and it always holds the role.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from storage.database import SCHEMA_LOCK, Database

log = logging.getLogger(__name__)


class AdvisoryLock:
    def __init__(self, database: Database, lock_id: int, role: str) -> None:
        self.database = database
        self.lock_id = lock_id
        self.role = role
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or not self.database.is_postgresql

    def poll(self) -> bool:
        """Take the role, or check that it is still ours; True while this process holds it."""
        if not self.database.is_postgresql:
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                log.warning("lost the connection holding the %s lock; no longer holding it", self.role)
                self._drop()
                return False
        try:
            connection = self.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError:
            return False
        try:
            locked = connection.execute(text(f"SELECT pg_try_advisory_lock({SCHEMA_LOCK})"), {"id": self.lock_id})
            acquired = bool(locked.scalar())
        except SQLAlchemyError:
            connection.close()
            return False
        if acquired:
            self._connection = connection
            log.info("this process now holds the %s", self.role)
        else:
            connection.close()
        return acquired

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.execute(text(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})"), {"id": self.lock_id})
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.invalidate()
                self._connection.close()
        self._connection = None
