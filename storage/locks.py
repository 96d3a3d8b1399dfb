"""Locking the rows a change depends on, from reading them until the transaction ends.

A command reads a row's state, checks the change against it and writes the change. On PostgreSQL
the row is read with SELECT … FOR UPDATE: a concurrent command changing the same row waits until
this transaction ends, then reads what it wrote. SQLite leaves FOR UPDATE out; there every
transaction holds the database's write lock from its start (`storage.database`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session
from sqlmodel.sql.expression import Select, SelectOfScalar

Row = TypeVar("Row")
Query = TypeVar("Query", Select[Any], SelectOfScalar[Any])


def locked(session: Session, model: type[Row], key: Any) -> Row | None:
    """The row with this primary key, read afresh and locked until the transaction ends."""
    return session.get(model, key, with_for_update=True, populate_existing=True)


def locking(statement: Query) -> Query:
    """`statement`, locking the rows it reads and reading them afresh."""
    return statement.with_for_update().execution_options(populate_existing=True)
