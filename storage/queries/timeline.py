"""A case's timeline: its audit log, relayed messages, counter-notice rounds and the bot's notices,
merged in time order and paged by the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, literal, union_all
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, select

from storage.models import AuditEntry, CaseMessage, ComplaintItem, OutboxNotice, SellerAppeal
from storage.vocabulary import AuditEntity, NoticeKind

# What a timeline entry is; also the order of entries made at the same moment.
AUDIT, MESSAGE, APPEAL, APPEAL_DECIDED, NOTICE = "1audit", "2message", "3appeal", "4appeal_decided", "5notice"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    source: str
    at: datetime
    row: Any  # the AuditEntry, CaseMessage, SellerAppeal or OutboxNotice it shows


def case_timeline(
    session: Session,
    complaint_id: int,
    case_ref: str,
    *,
    hidden_actions: Sequence[str] = (),
    notice_channels: Sequence[str] | None = None,
    offset: int = 0,
    limit: int | None = 30,
) -> tuple[list[TimelineEntry], int]:
    """A page of a case's timeline, oldest first, and how many entries it has in all.

    `notice_channels` limits the bot's notices shown to those posted to these channels (None: all);
    relayed messages are shown from `case_message`, not from the notices that carried them.
    """
    item_ids = select(ComplaintItem.id).where(ComplaintItem.complaint_id == complaint_id)
    about_case = (col(AuditEntry.entity) == AuditEntity.COMPLAINT) & (col(AuditEntry.entity_id) == complaint_id)
    about_items = (col(AuditEntry.entity) == AuditEntity.ITEM) & col(AuditEntry.entity_id).in_(item_ids)
    audit: Any = sql_select(
        literal(AUDIT, String).label("source"), col(AuditEntry.id).label("row_id"), col(AuditEntry.at).label("at")
    ).where(about_case | about_items, col(AuditEntry.action).not_in(hidden_actions))
    messages = sql_select(literal(MESSAGE, String), col(CaseMessage.id), col(CaseMessage.at)).where(
        col(CaseMessage.complaint_id) == complaint_id
    )
    appeals = sql_select(literal(APPEAL, String), col(SellerAppeal.id), col(SellerAppeal.received_at)).where(
        col(SellerAppeal.item_id).in_(item_ids)
    )
    decided = sql_select(literal(APPEAL_DECIDED, String), col(SellerAppeal.id), col(SellerAppeal.decided_at)).where(
        col(SellerAppeal.item_id).in_(item_ids), col(SellerAppeal.decided_at).is_not(None)
    )
    notices = sql_select(literal(NOTICE, String), col(OutboxNotice.id), col(OutboxNotice.created_at)).where(
        col(OutboxNotice.case_id) == case_ref, col(OutboxNotice.kind) != NoticeKind.CASE_MESSAGE
    )
    if notice_channels is not None:
        notices = notices.where(col(OutboxNotice.channel).in_(notice_channels))
    merged = union_all(audit, messages, appeals, decided, notices).subquery()
    total: int = session.execute(select(func.count()).select_from(merged)).scalar_one()
    page = session.execute(
        select(cast(merged.c.source, String), merged.c.row_id, merged.c.at)
        .order_by(merged.c.at, merged.c.source, merged.c.row_id)
        .offset(offset)
        .limit(limit)
    ).all()
    keys = [(str(source), cast_int(row_id)) for source, row_id, _ in page]
    rows = _rows_by_source(session, keys)
    entries = [
        TimelineEntry(source, rows[source][row_id].at_of(source), rows[source][row_id].row) for source, row_id in keys
    ]
    return entries, total


@dataclass(frozen=True, slots=True)
class _Loaded:
    row: Any

    def at_of(self, source: str) -> datetime:
        if source == APPEAL:
            return self.row.received_at
        if source == APPEAL_DECIDED:
            return self.row.decided_at
        if source == NOTICE:
            return self.row.created_at
        return self.row.at


def _rows_by_source(session: Session, keys: Sequence[tuple[str, int]]) -> dict[str, dict[int, _Loaded]]:
    wanted: dict[str, list[int]] = {}
    for source, row_id in keys:
        wanted.setdefault(source, []).append(row_id)
    tables: dict[str, Any] = {
        AUDIT: AuditEntry,
        MESSAGE: CaseMessage,
        APPEAL: SellerAppeal,
        APPEAL_DECIDED: SellerAppeal,
        NOTICE: OutboxNotice,
    }
    loaded: dict[str, dict[int, _Loaded]] = {}
    for source, ids in wanted.items():
        table = tables[source]
        found = session.exec(select(table).where(col(table.id).in_(ids))).all()
        loaded[source] = {row.id: _Loaded(row) for row in found}
    return loaded


def cast_int(value: object) -> int:
    """A row id read from the merged query."""
    assert isinstance(value, int)
    return value
