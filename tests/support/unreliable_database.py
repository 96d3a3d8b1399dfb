"""A database that goes away and comes back when a test says so, as a lost server does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from storage.database import Database


class UnreliableDatabase(Database):
    """The same database (engine, connections, turns) as the one it is made from; while `down` is
    set, every unit of work raises OperationalError before it starts, and is counted in `refused`."""

    def __init__(self, database: Database) -> None:
        vars(self).update(vars(database))  # the same engine and turns: not a second pool on the same file
        self.down = threading.Event()
        self.refused = 0
        self._counting = threading.Lock()

    def _refuse_while_down(self) -> None:
        if self.down.is_set():
            with self._counting:
                self.refused += 1
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    @contextmanager
    def transaction(self, **options: Any) -> Iterator[Session]:
        self._refuse_while_down()
        with super().transaction(**options) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        self._refuse_while_down()
        with super().reading() as session:
            yield session

    @contextmanager
    def connection(self, **options: Any) -> Iterator[Connection]:
        self._refuse_while_down()
        with super().connection(**options) as connection:
            yield connection
