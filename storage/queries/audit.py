"""Writing and reading the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import AuditEntry, ComplaintItem, utcnow
from storage.queries.many_rows import insert_rows
from storage.vocabulary import AuditEntity


def record(
    session: Session,
    *,
    actor: str,
    entity: AuditEntity,
    entity_id: int,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    note_message: dict[str, object] | None = None,
    at: datetime | None = None,
) -> None:
    """One entry; `note_message` is a note the program wrote (its message id and values), `note` its English."""
    session.add(
        AuditEntry(
            at=at or utcnow(),
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            note=note,
            note_message=note_message,
        )
    )


_ENTRIES = AuditEntry.__table__  # type: ignore[attr-defined]
# An entry's columns `record_many` may be given, in the order they are inserted, and what those
# left out hold (`record`'s defaults); `at` left out is the time of writing.
_COLUMNS = ("at", "actor", "entity", "entity_id", "action", "from_status", "to_status", "note", "note_message")
_OPTIONAL = {"from_status": None, "to_status": None, "note": None, "note_message": None}


def record_many(session: Session, rows: Iterable[Mapping[str, object]]) -> None:
    """Bulk form of `record` for changes to many items at once, in one statement on the driver's
    cursor (`storage.queries.many_rows`): every filing writes one. The session is flushed first, as
    the ORM's own bulk insert would, so an entry it holds is written before these."""
    batch = list(rows)
    if not batch:
        return
    if session.autoflush:
        session.flush()
    values = []
    for row in batch:
        unknown = row.keys() - _COLUMNS
        if unknown:
            raise KeyError(f"audit entries have no {', '.join(sorted(unknown))}")
        entry = {**_OPTIONAL, **row}
        if "at" not in entry:
            entry["at"] = utcnow()
        values.append(tuple(entry[name] for name in _COLUMNS))
    insert_rows(session.connection(), _ENTRIES, {}, _COLUMNS, values)


def history(
    session: Session, entities: Sequence[tuple[AuditEntity, Sequence[int]]], *, limit: int = 30
) -> list[AuditEntry]:
    """The newest entries about any of the given (entity, ids), newest last."""
    clauses = [
        (col(AuditEntry.entity) == entity) & col(AuditEntry.entity_id).in_(ids) for entity, ids in entities if ids
    ]
    if not clauses:
        return []
    condition = clauses[0]
    for clause in clauses[1:]:
        condition = condition | clause
    rows = session.exec(select(AuditEntry).where(condition).order_by(col(AuditEntry.id).desc()).limit(limit)).all()
    return list(reversed(rows))


def latest_status_changes(session: Session, item_ids: Sequence[int], status: str) -> dict[int, AuditEntry]:
    """For each of these items, the latest entry that moved it to `status`."""
    rows = session.exec(
        select(AuditEntry)
        .where(
            col(AuditEntry.entity) == AuditEntity.ITEM,
            col(AuditEntry.entity_id).in_(item_ids),
            col(AuditEntry.action) == "status",
            col(AuditEntry.to_status) == status,
        )
        .order_by(col(AuditEntry.id))
    ).all()
    return {row.entity_id: row for row in rows}


def case_history(
    session: Session,
    complaint_id: int,
    *,
    hidden_actions: Sequence[str] = (),
    offset: int = 0,
    limit: int | None = None,
    latest: bool = False,
) -> tuple[list[AuditEntry], int]:
    """A page of the entries about a complaint and its items, oldest first (with `latest`, the last
    `limit` of them, still oldest first), and how many there are in all."""
    item_ids = select(ComplaintItem.id).where(ComplaintItem.complaint_id == complaint_id)
    about_case = (col(AuditEntry.entity) == AuditEntity.COMPLAINT) & (col(AuditEntry.entity_id) == complaint_id)
    about_items = (col(AuditEntry.entity) == AuditEntity.ITEM) & col(AuditEntry.entity_id).in_(item_ids)
    condition = (about_case | about_items) & col(AuditEntry.action).not_in(hidden_actions)
    total = session.exec(select(func.count()).select_from(AuditEntry).where(condition)).one()
    order = col(AuditEntry.id).desc() if latest else col(AuditEntry.id)
    rows = list(session.exec(select(AuditEntry).where(condition).order_by(order).offset(offset).limit(limit)).all())
    return (rows[::-1] if latest else rows), total


def item_positions(session: Session, item_ids: Sequence[int]) -> dict[int, int]:
    """Item id -> its position in its complaint, for the items named."""
    if not item_ids:
        return {}
    rows = session.exec(select(ComplaintItem.id, ComplaintItem.position).where(col(ComplaintItem.id).in_(item_ids)))
    return {item_id: position for item_id, position in rows if item_id is not None}
