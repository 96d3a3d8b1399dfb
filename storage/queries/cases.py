"""Complaints and their items, as members and the team look them up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, insert
from sqlmodel import Session, col, select

from storage.models import Complaint, ComplaintItem, SellerAppeal
from storage.queries.many_rows import insert_rows
from storage.vocabulary import ComplaintStatus, CounterNoticeStatus, ItemKind, ItemStatus

_COMPLAINTS = Complaint.__table__  # type: ignore[attr-defined]
_ITEMS = ComplaintItem.__table__  # type: ignore[attr-defined]
_NEW_COMPLAINT = insert(_COMPLAINTS).returning(_COMPLAINTS.c.id)
OPEN_COMPLAINT_STATUSES = (
    ComplaintStatus.SUBMITTED,
    ComplaintStatus.IN_REVIEW,
    ComplaintStatus.PARTIALLY_ACTIONED,
    ComplaintStatus.RETURNED,
)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    organisation_id: int | None = None
    open_only: bool = False
    platform: str | None = None
    month_start: object | None = None  # aware datetime bounds of a month, when filtering by month
    month_end: object | None = None
    status: str | None = None
    assigned_to_id: int | None = None  # only the cases assigned to this team member


def items_of(session: Session, complaint_id: int, positions: Sequence[int] | None = None) -> list[ComplaintItem]:
    query = select(ComplaintItem).where(ComplaintItem.complaint_id == complaint_id)
    if positions is not None:
        query = query.where(col(ComplaintItem.position).in_(positions))
    return list(session.exec(query.order_by(col(ComplaintItem.position))).all())


def item_status_counts(session: Session, complaint_ids: Sequence[int]) -> dict[int, Counter[ItemStatus]]:
    counts: dict[int, Counter[ItemStatus]] = {complaint_id: Counter() for complaint_id in complaint_ids}
    if not complaint_ids:
        return counts
    rows = session.exec(
        select(ComplaintItem.complaint_id, ComplaintItem.status, func.count())
        .where(col(ComplaintItem.complaint_id).in_(complaint_ids))
        .group_by(col(ComplaintItem.complaint_id), col(ComplaintItem.status))
    ).all()
    for complaint_id, status, count in rows:
        # The column reads back as ItemStatus; select()'s typing only says str.
        counts[int(complaint_id)][ItemStatus(status)] = int(count)
    return counts


S = TypeVar("S", bound=Select[Any])


def filtered(query: S, where: CaseFilter) -> S:
    """`query` (over `complaint`) narrowed to the cases `where` names."""
    if where.organisation_id is not None:
        query = query.where(col(Complaint.organisation_id) == where.organisation_id)
    if where.open_only:
        query = query.where(col(Complaint.status).in_(OPEN_COMPLAINT_STATUSES))
    if where.status is not None:
        query = query.where(col(Complaint.status) == where.status)
    if where.platform is not None:
        query = query.where(col(Complaint.platform) == where.platform)
    if where.assigned_to_id is not None:
        query = query.where(col(Complaint.assigned_to_id) == where.assigned_to_id)
    if where.month_start is not None:
        query = query.where(col(Complaint.created_at) >= where.month_start)
        query = query.where(col(Complaint.created_at) < where.month_end)
    return query


def cases_for(session: Session, where: CaseFilter, *, limit: int = 20, offset: int = 0) -> tuple[list[Complaint], int]:
    """A page of complaints, newest first, and how many match in all."""
    query = filtered(select(Complaint), where)
    total: int = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = session.exec(
        query.order_by(col(Complaint.created_at).desc(), col(Complaint.id).desc()).limit(limit).offset(offset)
    ).all()
    return list(page), total


def appeals_of(session: Session, item_ids: Sequence[int]) -> list[SellerAppeal]:
    if not item_ids:
        return []
    return list(
        session.exec(
            select(SellerAppeal)
            .where(col(SellerAppeal.item_id).in_(item_ids))
            .order_by(col(SellerAppeal.item_id), col(SellerAppeal.round))
        ).all()
    )


def open_appeal(session: Session, item_id: int) -> SellerAppeal | None:
    return session.exec(
        select(SellerAppeal).where(SellerAppeal.item_id == item_id, SellerAppeal.status == CounterNoticeStatus.OPEN)
    ).first()


def complaint_by_request_key(session: Session, request_key: str) -> list[Complaint]:
    return list(
        session.exec(select(Complaint).where(Complaint.request_key == request_key).order_by(col(Complaint.id))).all()
    )


def add_complaint(session: Session, complaint: Complaint) -> int:
    """Store a new complaint and give it its id, in one INSERT .. RETURNING: filing adds dozens in
    one transaction, and a flush of the session for each would cost more than the inserts."""
    values = {column.key: getattr(complaint, column.key) for column in _COMPLAINTS.c if column.key != "id"}
    new_id: int = session.connection().execute(_NEW_COMPLAINT, values).scalar_one()
    complaint.id = new_id
    return new_id


def add_items(
    session: Session,
    complaint: Complaint,
    targets: Sequence[tuple[int, str, str]],
    *,
    reported_at: datetime,
    reported_month: int,
) -> None:
    """The complaint's items, reported at `reported_at`: one per (listing or storefront id, link as
    written, canonical URL) of `targets`, at positions 1, 2, ... in that order."""
    shared = {
        "complaint_id": complaint.id,
        "organisation_id": complaint.organisation_id,
        "platform": complaint.platform,
        "kind": complaint.kind,
        "status": ItemStatus.REPORTED,
        "reported_at": reported_at,
        "reported_month": reported_month,
        "counter_rounds": 0,
    }
    target = "listing_id" if complaint.kind == ItemKind.LISTING else "storefront_id"
    rows = [(position, *item) for position, item in enumerate(targets, start=1)]
    insert_rows(session, _ITEMS, shared, ("position", target, "original_text", "canonical_url"), rows)
