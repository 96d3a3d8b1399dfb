"""Recording a change in the audit log on behalf of the caller."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.context import Context
from storage.queries import audit
from storage.vocabulary import AuditEntity


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
