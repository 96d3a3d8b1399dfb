"""Recording a change in the audit log on behalf of the caller."""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session

from handlers.kit.context import Context
from storage.queries import audit
from storage.vocabulary import AuditEntity


class Row(Protocol):
    """A table row whose primary key is `id`, known once the row is flushed."""

    @property
    def id(self) -> int | None: ...


def record_change(
    session: Session,
    ctx: Context,
    entity: AuditEntity,
    entity_id: int,
    action: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> None:
    """Who (the caller) changed what, now, from which status to which, and why."""
    audit.record(
        session,
        actor=ctx.caller.ref,
        entity=entity,
        entity_id=entity_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        at=ctx.now,
    )


def add_recorded(
    session: Session,
    ctx: Context,
    row: Row,
    entity: AuditEntity,
    action: str = "created",
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> int:
    """Save `row` (new or changed) and record the change in the audit log; returns the row's id.

    The row is flushed first: a new row has no id, and the audit entry must name it.
    """
    session.add(row)
    session.flush()
    assert row.id is not None
    record_change(session, ctx, entity, row.id, action, from_status=from_status, to_status=to_status, note=note)
    return row.id
