"""The program's figures per month: listings and storefronts reported, removed, takedown rate,
stores closed, median time.

Every count is an index-only scan of `complaint_item` (see its partial indexes), so the answer
stays fast at millions of items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TypeVar, cast

from sqlalchemy import Select, case, func
from sqlalchemy import select as sql_select  # five columns: more than sqlmodel's select types
from sqlmodel import Session, col, select

from storage.models import ComplaintItem, Storefront
from storage.months import month_bounds, month_of, months_between
from storage.vocabulary import DECIDED_STATUSES, REMOVAL_STATUSES, ItemKind, ItemStatus

S = TypeVar("S", bound=Select)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: int  # YYYYMM
    listings_reported: int
    storefronts_reported: int
    removed: int
    decided: int
    storefronts_closed: int
    median_removal_seconds: float | None
    rogueblock_referrals: int = 0

    @property
    def reported(self) -> int:
        """Items reported: listings and storefronts."""
        return self.listings_reported + self.storefronts_reported

    @property
    def takedown_rate(self) -> float | None:
        return self.removed / self.decided if self.decided else None


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Success and lost-appeal rates over a window, against the Good Faith thresholds."""

    removed: int
    decided: int
    appeals_decided: int
    appeals_lost: int

    @property
    def success_rate(self) -> float | None:
        return self.removed / self.decided if self.decided else None

    @property
    def lost_appeal_rate(self) -> float | None:
        return self.appeals_lost / self.appeals_decided if self.appeals_decided else None


def _scope(query: S, organisation_id: int | None) -> S:
    if organisation_id is not None:
        return query.where(col(ComplaintItem.organisation_id) == organisation_id)
    return query


def decisions_by_month(
    session: Session, organisation_id: int | None, first_month: int, last_month: int
) -> dict[int, Counter[str]]:
    month = col(ComplaintItem.decided_month)
    rows = session.exec(
        _scope(
            select(month, ComplaintItem.status, func.count())
            .where(month.is_not(None), month >= first_month, month <= last_month)
            .group_by(month, col(ComplaintItem.status)),
            organisation_id,
        )
    ).all()
    result: dict[int, Counter[str]] = {}
    for decided_month, status, count in rows:
        result.setdefault(cast(int, decided_month), Counter())[status] = count
    return result


def monthly_figures(
    session: Session,
    *,
    organisation_id: int | None,
    first_month: int,
    last_month: int,
    zone: tzinfo,
) -> list[MonthFigures]:
    """Figures for every month in [first_month, last_month], oldest first, months with no
    activity included as zeros."""
    reported_month, kind = col(ComplaintItem.reported_month), col(ComplaintItem.kind)
    reported: Counter[tuple[int, str]] = Counter()
    for month, item_kind, count in session.execute(
        _scope(
            select(reported_month, kind, func.count())
            .where(reported_month >= first_month, reported_month <= last_month)
            .group_by(reported_month, kind),
            organisation_id,
        )
    ).all():
        reported[(cast(int, month), str(item_kind))] = cast(int, count)
    decisions = decisions_by_month(session, organisation_id, first_month, last_month)
    closed = storefronts_closed_by_month(session, organisation_id, first_month, last_month, zone)
    referred = rogueblock_referrals_by_month(session, organisation_id, first_month, last_month, zone)
    figures = []
    for month in months_between(first_month, last_month):
        statuses = decisions.get(month, Counter())
        figures.append(
            MonthFigures(
                month=month,
                listings_reported=reported[(month, ItemKind.LISTING)],
                storefronts_reported=reported[(month, ItemKind.STOREFRONT)],
                removed=sum(statuses[s] for s in REMOVAL_STATUSES),
                decided=sum(statuses[s] for s in DECIDED_STATUSES),
                storefronts_closed=closed.get(month, 0),
                median_removal_seconds=median_removal_seconds(session, organisation_id, month),
                rogueblock_referrals=referred.get(month, 0),
            )
        )
    return figures


def median_removal_seconds(session: Session, organisation_id: int | None, month: int) -> float | None:
    """Median time from report to removal of the removals decided in `month`, read from the
    ordered partial index rather than sorted in memory."""
    seconds = col(ComplaintItem.removal_seconds)
    base = _scope(
        select(seconds).where(ComplaintItem.decided_month == month, seconds.is_not(None)),
        organisation_id,
    )
    count: int = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    if count == 0:
        return None
    middle: list[int] = list(
        session.execute(base.order_by(seconds).offset((count - 1) // 2).limit(2 - count % 2)).scalars().all()
    )
    return sum(int(value) for value in middle) / len(middle)


def storefronts_closed_by_month(
    session: Session, organisation_id: int | None, first_month: int, last_month: int, zone: tzinfo
) -> dict[int, int]:
    """Storefronts closed per month; for an organisation, those its complaints named."""
    return _storefronts_by_month(session, Storefront.closed_at, organisation_id, first_month, last_month, zone)


def rogueblock_referrals_by_month(
    session: Session, organisation_id: int | None, first_month: int, last_month: int, zone: tzinfo
) -> dict[int, int]:
    """Closed storefronts' sellers referred to RogueBlock per month, scoped like closures."""
    moment = Storefront.rogueblock_referred_at
    return _storefronts_by_month(session, moment, organisation_id, first_month, last_month, zone)


def _storefronts_by_month(
    session: Session,
    moment: datetime | None,
    organisation_id: int | None,
    first_month: int,
    last_month: int,
    zone: tzinfo,
) -> dict[int, int]:
    start, _ = month_bounds(first_month, zone)
    _, end = month_bounds(last_month, zone)
    query = select(Storefront.id, moment).where(col(moment) >= start, col(moment) < end)
    if organisation_id is not None:
        named = select(ComplaintItem.storefront_id).where(
            ComplaintItem.organisation_id == organisation_id,
            col(ComplaintItem.storefront_id).is_not(None),
        )
        query = query.where(col(Storefront.id).in_(named))
    counts: Counter[int] = Counter()
    for _store_id, happened_at in session.exec(query).all():
        assert happened_at is not None
        counts[month_of(happened_at, zone)] += 1
    return dict(counts)


def accuracy(session: Session, organisation_id: int | None, first_month: int, last_month: int) -> Accuracy:
    totals: Counter[str] = Counter()
    for statuses in decisions_by_month(session, organisation_id, first_month, last_month).values():
        totals.update(statuses)
    # An appeal is decided when the removal was upheld or the listing reinstated.
    upheld = totals[ItemStatus.UPHELD]
    lost = totals[ItemStatus.REINSTATED]
    return Accuracy(
        removed=sum(totals[s] for s in REMOVAL_STATUSES),
        decided=sum(totals[s] for s in DECIDED_STATUSES),
        appeals_decided=upheld + lost,
        appeals_lost=lost,
    )


@dataclass(frozen=True, slots=True)
class WindowFigures:
    listings_reported: int
    storefronts_reported: int
    removed: int
    decided: int

    @property
    def takedown_rate(self) -> float | None:
        return self.removed / self.decided if self.decided else None


def figures_between(session: Session, start: datetime, end: datetime, zone: tzinfo) -> dict[int | None, WindowFigures]:
    """Figures for [start, end) per organisation, and under None for the whole program. The
    month columns narrow the scan to the months the window touches."""
    months = months_between(month_of(start, zone), month_of(end, zone))
    reported_rows = session.exec(
        select(ComplaintItem.organisation_id, ComplaintItem.kind, func.count())
        .where(
            col(ComplaintItem.reported_month).in_(months),
            col(ComplaintItem.reported_at) >= start,
            col(ComplaintItem.reported_at) < end,
        )
        .group_by(col(ComplaintItem.organisation_id), col(ComplaintItem.kind))
    ).all()
    decided_rows = session.exec(
        select(ComplaintItem.organisation_id, ComplaintItem.status, func.count())
        .where(
            col(ComplaintItem.decided_month).in_(months),
            col(ComplaintItem.decided_at) >= start,
            col(ComplaintItem.decided_at) < end,
        )
        .group_by(col(ComplaintItem.organisation_id), col(ComplaintItem.status))
    ).all()
    listings: Counter[int | None] = Counter()
    storefronts: Counter[int | None] = Counter()
    removed: Counter[int | None] = Counter()
    decided: Counter[int | None] = Counter()
    for organisation_id, item_kind, count in reported_rows:
        reported = storefronts if item_kind == ItemKind.STOREFRONT else listings
        reported[organisation_id] += count
        reported[None] += count
    for organisation_id, status, count in decided_rows:
        for key in (organisation_id, None):
            if status in REMOVAL_STATUSES:
                removed[key] += count
            if status in DECIDED_STATUSES:
                decided[key] += count
    keys = set(listings) | set(storefronts) | set(decided) | {None}
    return {key: WindowFigures(listings[key], storefronts[key], removed[key], decided[key]) for key in keys}


DAY = 24 * 3600
SERVICE_WITHIN = (DAY, 3 * DAY)  # the service figures' two marks: decided within 24 h and within 72 h


@dataclass(frozen=True, slots=True)
class PlatformService:
    """How fast one platform's items got their first decision, for the items reported in a window."""

    platform: str
    reported: int
    decided: int
    within_day: int
    within_three_days: int
    median_decision_seconds: float | None

    @property
    def share_within_day(self) -> float | None:
        return self.within_day / self.reported if self.reported else None

    @property
    def share_within_three_days(self) -> float | None:
        return self.within_three_days / self.reported if self.reported else None


def service_by_platform(
    session: Session, organisation_id: int | None, first_month: int, last_month: int
) -> list[PlatformService]:
    """Per platform, of the items reported in [first_month, last_month]: how many, how many had a
    first decision, within 24 and 72 hours of the report, and the median time to it. The counts
    are one scan of the window in the service index, grouped in its order (no sort); each median
    sorts only one platform's decision times of the window, read from the same index."""
    month, platform, seconds = (
        col(ComplaintItem.reported_month),
        col(ComplaintItem.platform),
        col(ComplaintItem.decision_seconds),
    )
    day, three_days = SERVICE_WITHIN
    counts = session.execute(
        _scope(
            sql_select(
                platform,
                func.count(),
                func.count(seconds),
                func.count(case((seconds <= day, 1))),
                func.count(case((seconds <= three_days, 1))),
            )
            .where(month >= first_month, month <= last_month)
            .group_by(month, platform),
            organisation_id,
        )
    ).all()
    totals: dict[str, list[int]] = {}
    for name, *numbers in counts:
        running = totals.setdefault(str(name), [0, 0, 0, 0])
        for index, number in enumerate(numbers):
            running[index] += cast(int, number)
    months = months_between(first_month, last_month)
    services = []
    for name, (reported, decided, within_day, within_three) in sorted(totals.items()):
        median = _median_decision(session, organisation_id, name, months, decided)
        services.append(PlatformService(name, reported, decided, within_day, within_three, median))
    return services


def _median_decision(
    session: Session, organisation_id: int | None, platform: str, months: Sequence[int], count: int
) -> float | None:
    if count == 0:
        return None
    seconds, month = col(ComplaintItem.decision_seconds), col(ComplaintItem.reported_month)
    # The months listed (not a range) let the service index serve each (month, platform) directly.
    query = _scope(
        select(seconds).where(month.in_(months), ComplaintItem.platform == platform, seconds.is_not(None)),
        organisation_id,
    )
    middle: list[int] = list(
        session.execute(query.order_by(seconds).offset((count - 1) // 2).limit(2 - count % 2)).scalars().all()
    )
    return sum(int(value) for value in middle) / len(middle)
