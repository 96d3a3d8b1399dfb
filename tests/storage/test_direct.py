"""Statements run on the driver's cursor read and write exactly what SQLAlchemy's own execution does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.direct import Direct
from storage.models import AcceptedCommand
from storage.vocabulary import IntakeStatus

TABLE = AcceptedCommand.__table__  # type: ignore[attr-defined]
NOW = datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=UTC)
VALUES = {
    "platform": "slack", "kind": "command", "request_key": "slack:1", "payload": {"text": "cases 案件 ' \" %s ?"},
    "response_url": None, "status": IntakeStatus.ACCEPTED, "accepted_at": NOW, "owner": "host:1",
    "lease_until": NOW, "attempts": 1,
}  # fmt: skip
INSERT = Direct(
    insert(TABLE)
    .values(**{name: bindparam(name) for name in VALUES})
    .returning(TABLE.c.id, TABLE.c.payload, TABLE.c.accepted_at, TABLE.c.status)
)
BY_KEY = select(TABLE.c.id, TABLE.c.payload, TABLE.c.accepted_at, TABLE.c.status, TABLE.c.response_url).where(
    TABLE.c.request_key == bindparam("key")
)
# A literal in the statement (the status) is bound with its value, converted once.
WAITING_FOR = select(func.count()).where(TABLE.c.owner == bindparam("owner"), TABLE.c.status == IntakeStatus.ACCEPTED)
FINISH = (
    update(TABLE)
    .where(TABLE.c.id == bindparam("command_id"))
    .values(status=IntakeStatus.DONE, finished_at=bindparam("at"))
)


def test_rows_inserted_and_read_directly_are_what_sqlalchemy_writes_and_reads(database: Database) -> None:
    with database.transaction() as session:
        inserted = INSERT.first(session.connection(), VALUES)
        assert inserted is not None
        assert inserted[1:] == (VALUES["payload"], NOW, IntakeStatus.ACCEPTED)
    with database.transaction() as session:
        connection = session.connection()
        ours = Direct(BY_KEY).rows(connection, {"key": "slack:1"})
        theirs = [tuple(row) for row in connection.execute(BY_KEY, {"key": "slack:1"})]
        assert ours == theirs == [(inserted[0], VALUES["payload"], NOW, IntakeStatus.ACCEPTED, None)]
        assert isinstance(ours[0][2], datetime) and ours[0][2].tzinfo is not None
        assert Direct(BY_KEY).rows(connection, {"key": "slack:2"}) == []
        assert Direct(WAITING_FOR).scalar(connection, {"owner": "host:1"}) == 1
        assert Direct(WAITING_FOR).scalar(connection, {"owner": "host:2"}) == 0


def test_a_change_says_how_many_rows_it_changed_and_stores_what_sqlalchemy_would(database: Database) -> None:
    with database.transaction() as session:
        command_id = INSERT.scalar(session.connection(), VALUES)
        finish = Direct(FINISH)
        assert finish.count(session.connection(), {"command_id": command_id, "at": NOW}) == 1
        assert finish.count(session.connection(), {"command_id": command_id + 1, "at": NOW}) == 0
    with database.transaction() as session:
        row = session.connection().execute(select(TABLE.c.status, TABLE.c.finished_at).where(TABLE.c.id == command_id))
        assert tuple(row.one()) == (IntakeStatus.DONE, NOW)


def test_a_statement_is_refused_a_missing_value_and_a_list_it_cannot_render_once(database: Database) -> None:
    with database.transaction() as session, pytest.raises(KeyError, match="key"):
        Direct(BY_KEY).rows(session.connection(), {})
    listed = select(TABLE.c.id).where(TABLE.c.id.in_(bindparam("ids", expanding=True)))
    with database.transaction() as session, pytest.raises(ValueError, match="ids"):
        Direct(listed).rows(session.connection(), {"ids": [1, 2]})


def test_the_drivers_errors_are_raised_as_sqlalchemy_raises_them(database: Database) -> None:
    """A conflict is an IntegrityError, so the router runs the command again as after any other."""
    with database.transaction() as session:
        INSERT.first(session.connection(), VALUES)
    with pytest.raises(IntegrityError), database.transaction() as session:
        INSERT.first(session.connection(), VALUES)
