"""Notices and audit entries written in bulk on the driver's cursor are stored exactly as SQLAlchemy's
own insert stores them, in their order, after what the session holds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import false, insert
from sqlmodel import Session, select

from storage.database import Database
from storage.direct import Direct
from storage.models import AuditEntry, OutboxNotice
from storage.queries import audit, outbox
from storage.queries.outbox import write_notice, write_notices
from storage.vocabulary import AuditEntity, NoticeKind

NOW = datetime(2026, 11, 30, 9, 15, 30, 123456, tzinfo=UTC)
NOTICE_COLUMNS = "created_at, channel, case_id, kind, text, payload, dedupe_key"
ENTRY_COLUMNS = "at, actor, entity, entity_id, action, from_status, to_status, note, note_message"


def stored(session: Session, sql: str) -> list[tuple[Any, ...]]:
    """Rows as the database holds them, read without SQLAlchemy's conversions."""
    return [tuple(row) for row in session.connection().exec_driver_sql(sql)]


def notice(text: str, dedupe_key: str | None = None) -> dict[str, Any]:
    payload = {"fields": [["Reason", "假冒商品 ' \" %s ?"]], "replace": False}
    return {"channel": "team", "text": text, "kind": NoticeKind.CASE_OPENED, "case_id": "MS-000001",
            "payload": payload, "dedupe_key": dedupe_key}  # fmt: skip


def test_notices_are_stored_as_sqlalchemys_insert_stores_them(database: Database) -> None:
    with database.transaction() as session:
        assert write_notices(session, [notice("New case")], NOW) == 1
        session.connection().execute(
            insert(OutboxNotice.__table__),  # type: ignore[attr-defined]
            [{**notice("New case"), "created_at": NOW}],
        )
        first, second = stored(session, f"SELECT {NOTICE_COLUMNS} FROM notice ORDER BY id")
    assert first == second


def test_a_notice_whose_dedupe_key_is_taken_is_left_out_and_the_others_keep_their_order(database: Database) -> None:
    with database.transaction() as session:
        write_notice(session, **{**notice("held by the session", "a"), "now": NOW})
        written = write_notices(
            session,
            [notice("one", "a"), notice("two"), notice("three", "b"), notice("four", "b"), notice("five")],
            NOW,
        )
        rows = stored(session, "SELECT text, dedupe_key FROM notice ORDER BY id")
    assert written == 3
    assert rows == [("held by the session", "a"), ("two", None), ("three", "b"), ("five", None)]


def test_dedupe_keys_past_a_page_are_all_looked_up(database: Database) -> None:
    with database.transaction() as session:
        write_notices(session, [notice(f"first {n}", f"key {n}") for n in range(150)], NOW)
    with database.transaction() as session:
        written = write_notices(session, [notice(f"again {n}", f"key {n}") for n in range(151)], NOW)
        rows = stored(session, "SELECT text FROM notice ORDER BY id")
    assert written == 1
    assert rows[150:] == [("again 150",)]


def entry(entity_id: int, **more: Any) -> dict[str, Any]:
    return {"at": NOW, "actor": "console:brand1", "entity": AuditEntity.COMPLAINT, "entity_id": entity_id,
            "action": "filed", "to_status": "submitted", **more}  # fmt: skip


def test_audit_entries_are_stored_as_sqlalchemys_bulk_insert_stores_them(database: Database) -> None:
    rows = [
        entry(1, note="2 listing items on Taobao", note_message={"id": "{count} listing items", "values": {"n": 2}}),
        entry(2, from_status="submitted", note="typed ' \" %s ?"),
        entry(3),
    ]
    with database.transaction() as session:
        audit.record_many(session, rows)
        session.execute(insert(AuditEntry), rows)
        written = stored(session, f"SELECT {ENTRY_COLUMNS} FROM audit_entry ORDER BY id")
    assert written[:3] == written[3:]


def test_an_audit_entry_held_by_the_session_is_written_before_the_bulk_ones(database: Database) -> None:
    with database.transaction() as session:
        audit.record(session, actor="console:team1", entity=AuditEntity.COMPLAINT, entity_id=9, action="assigned",
                     at=NOW)  # fmt: skip
        audit.record_many(session, [entry(1), {key: value for key, value in entry(2).items() if key != "at"}])
        written = stored(session, "SELECT entity_id, note_message FROM audit_entry ORDER BY id")
    assert written == [(9, None), (1, None), (2, None)]


def test_a_dedupe_key_stored_by_a_concurrent_command_after_the_look_up_is_left_out_not_a_failure(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the look-up of the keys and the insert another command commits one of them: the
    insert leaves that notice out (it stands for this one) instead of failing the whole command."""
    with database.transaction() as session:
        write_notices(session, [notice("Theirs", "routing-warning:taobao")], NOW)
    monkeypatch.setattr(outbox, "_stored_keys", lambda count: Direct(select(OutboxNotice.id).where(false())))
    with database.transaction() as session:
        written = write_notices(session, [notice("Ours", "routing-warning:taobao"), notice("Another", "k:2")], NOW)
    assert written == 1
    with database.transaction() as session:
        assert stored(session, "SELECT text FROM notice ORDER BY id") == [("Theirs",), ("Another",)]
