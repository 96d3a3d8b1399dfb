"""One scheduler per deployment: the process holding a PostgreSQL advisory lock leads.

The lock lives on a dedicated connection (`storage.advisory_lock`), so it goes when the process or
its connection dies and a standby, polling, takes over. SQLite serves one process, which always
leads.
"""

from __future__ import annotations

from storage.advisory_lock import AdvisoryLock
from storage.database import Database

LOCK_ID = 0x4D53_5343  # "MSSC"


class LeaderLock(AdvisoryLock):
    def __init__(self, database: Database) -> None:
        super().__init__(database, LOCK_ID, "scheduler")
