"""Complaints and their items, as members and the team look them up."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, func, literal
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.direct import Direct, numbered, numbered_values
from storage.models import Complaint, ComplaintItem, SellerAppeal, case_id
from storage.queries.many_rows import insert_rows
from storage.stats_counts import count_filed
from storage.vocabulary import ComplaintStatus, CounterNoticeStatus, ItemKind, ItemStatus

_COMPLAINTS = Complaint.__table__  # type: ignore[attr-defined]
_ITEMS = ComplaintItem.__table__  # type: ignore[attr-defined]
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


_ITEM = ComplaintItem.__table__  # type: ignore[attr-defined]
# Complaints whose items' statuses are counted in one statement at most.
STATUS_COUNTS_PAGE = 50


@functools.cache
def _status_counts(count: int) -> Direct:
    """Every list and view of cases counts its items' statuses with this: for `count` complaints
    (`id0`, `id1`, ...), how many items are in each status."""
    return Direct(
        select_columns(_ITEM.c.complaint_id, _ITEM.c.status, func.count())
        .where(_ITEM.c.complaint_id.in_(numbered("id", count)))
        .group_by(_ITEM.c.complaint_id, _ITEM.c.status)
    )


def item_status_counts(session: Session, complaint_ids: Sequence[int]) -> dict[int, Counter[ItemStatus]]:
    counts: dict[int, Counter[ItemStatus]] = {complaint_id: Counter() for complaint_id in complaint_ids}
    connection = session.connection()
    for start in range(0, len(complaint_ids), STATUS_COUNTS_PAGE):
        page = complaint_ids[start : start + STATUS_COUNTS_PAGE]
        values = numbered_values("id", page)
        for complaint_id, status, count in _status_counts(len(page)).rows(connection, values):
            counts[int(complaint_id)][ItemStatus(str(status))] = int(count)
    return counts


S = TypeVar("S", bound=Select[Any])


def filtered(query: S, where: CaseFilter) -> S:
    """`query` (over `complaint`) narrowed to the cases `where` names."""
    if where.organisation_id is not None:
        query = query.where(col(Complaint.organisation_id) == where.organisation_id)
    if where.open_only:
        # A value bound each, not a list: the statement is then rendered once (`storage.direct`).
        query = query.where(col(Complaint.status).in_([literal(status) for status in OPEN_COMPLAINT_STATUSES]))
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


# Counting every matching case would cost a read of each: the count stops this many cases past the
# page asked for, so a page costs the same at any size of the program.
COUNT_BEYOND_PAGE = 10_000


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case as a list shows it, read without the ORM's unit of work: a page of them is read on
    every `cases`, App Home and case suggestion."""

    id: int
    organisation_id: int
    platform: str
    kind: str
    status: ComplaintStatus
    item_count: int
    assigned_to_id: int | None
    created_at: datetime

    @property
    def case_id(self) -> str:
        return case_id(self.id)


_LINE_COLUMNS = tuple(_COMPLAINTS.c[name] for name in CaseLine.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class CasePage:
    """A page of complaints, newest first, and how many match: exactly, unless `at_least`."""

    cases: list[CaseLine]
    total: int
    at_least: bool


def cases_for(session: Session, where: CaseFilter, *, limit: int = 20, offset: int = 0) -> CasePage:
    """A page of complaints, newest first, and how many match in all (up to `COUNT_BEYOND_PAGE`
    past the page)."""
    count, page = _case_statements(tuple(name for name in _FILTER_VALUES if getattr(where, name) is not None),
                                   where.open_only)  # fmt: skip
    values = {name: getattr(where, name) for name in _FILTER_VALUES if getattr(where, name) is not None}
    counted_up_to = offset + limit + COUNT_BEYOND_PAGE
    total = int(count.scalar(session.connection(), {**values, "count_limit": counted_up_to}))
    found = page.rows(session.connection(), {**values, "page_limit": limit, "page_offset": offset})
    return CasePage([CaseLine(*row) for row in found], total, at_least=total >= counted_up_to)


# The filter's values, bound as parameters of statements built once for each set of them given.
_FILTER_VALUES = ("organisation_id", "status", "platform", "assigned_to_id", "month_start", "month_end")


@functools.cache
def _case_statements(given: tuple[str, ...], open_only: bool) -> tuple[Direct, Direct]:
    """The count and the page (`page_limit`, `page_offset`) of cases filtered by the values `given`."""
    bound: dict[str, Any] = {name: bindparam(name) for name in given}
    where = CaseFilter(open_only=open_only, **bound)
    query = filtered(select_columns(*_LINE_COLUMNS), where)
    count = select(func.count()).select_from(
        filtered(select_columns(_COMPLAINTS.c.id), where).limit(bindparam("count_limit")).subquery()
    )
    page = (
        query.order_by(_COMPLAINTS.c.created_at.desc(), _COMPLAINTS.c.id.desc())
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )
    return Direct(count), Direct(page)


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
    # `insert_rows` renders the statement once; a conflict still raises SQLAlchemy's IntegrityError.
    (row,) = insert_rows(session.connection(), _COMPLAINTS, values, (), [()], returning=("id",))
    new_id = int(row[0])
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
    insert_rows(session.connection(), _ITEMS, shared, ("position", target, "original_text", "canonical_url"), rows)
    # Rows inserted without the ORM are counted here; `stats` reads the running counts.
    count_filed(session, organisation_id=complaint.organisation_id, platform=complaint.platform, kind=complaint.kind,
                reported_month=reported_month, items=len(rows))  # fmt: skip
