"""Cases and outcomes as flat rows, streamed, for `marketsafe export`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Complaint, ComplaintItem, Organisation

EXPORT_COLUMNS = (
    "case_id", "organisation", "platform", "kind", "reason", "case_status", "item", "canonical_url",
    "original_text", "item_status", "reported_at", "decided_at", "counter_rounds",
)  # fmt: skip


def export_rows(
    session: Session, *, organisation_id: int | None = None, since: datetime | None = None
) -> Iterator[tuple[Any, ...]]:
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
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield (f"MS-{row[0]:06d}", *row[1:])
