"""Cases and outcomes as flat rows, streamed, for `marketsafe export` and the `export` command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.models import Complaint, ComplaintItem, Organisation
from storage.queries.cases import CaseFilter, filtered

EXPORT_COLUMNS = (
    "case_id", "organisation", "platform", "kind", "reason", "case_status", "item", "canonical_url",
    "original_text", "item_status", "reported_at", "decided_at", "counter_rounds",
)  # fmt: skip


def export_rows(
    session: Session,
    *,
    organisation_id: int | None = None,
    since: datetime | None = None,
    where: CaseFilter | None = None,
    limit: int | None = None,
    batch: int = 2000,
) -> Iterator[tuple[Any, ...]]:
    """One row per item (`EXPORT_COLUMNS`), oldest case first, fetched `batch` rows at a time from
    the database (never all at once); at most `limit` rows."""
    columns: tuple[Any, ...] = (
        Complaint.id,
        Organisation.slug,
        Complaint.platform,
        Complaint.kind,
        Complaint.reason_code,
        Complaint.status,
        ComplaintItem.position,
        ComplaintItem.canonical_url,
        ComplaintItem.original_text,
        ComplaintItem.status,
        ComplaintItem.reported_at,
        ComplaintItem.decided_at,
        ComplaintItem.counter_rounds,
    )
    query = (
        select(*columns)
        .join(ComplaintItem, col(ComplaintItem.complaint_id) == col(Complaint.id))
        .join(Organisation, col(Organisation.id) == col(Complaint.organisation_id))
        .order_by(col(Complaint.id), col(ComplaintItem.position))
    )
    if organisation_id is not None:
        query = query.where(col(Complaint.organisation_id) == organisation_id)
    if since is not None:
        query = query.where(col(Complaint.created_at) >= since)
    if where is not None:
        query = filtered(query, where)
    if limit is not None:
        query = query.limit(limit)
    for row in session.execute(query.execution_options(yield_per=batch)):
        yield (f"MS-{row[0]:06d}", *row[1:])


def export_count(session: Session, where: CaseFilter) -> int:
    """How many rows (items) `export_rows` would give for `where`, with no limit."""
    query = filtered(
        select(func.count())
        .select_from(ComplaintItem)
        .join(Complaint, col(Complaint.id) == col(ComplaintItem.complaint_id)),
        where,
    )
    return int(session.execute(query).scalar_one())
