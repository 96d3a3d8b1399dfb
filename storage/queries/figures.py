"""The program's figures per month: listings and storefronts reported, removed, takedown rate,
stores closed, median time.

The monthly figures are sums of the running counts (`stats_count`, kept by storage/stats_counts.py):
a few rows per month and organisation whatever the number of items. A median reads only the time
bucket that holds it, in order, from an ordered partial index of `complaint_item`. Closures are
read from the storefronts closed in the months asked for. `figures_between`, whose windows need
not be whole months, scans the items of the months its window touches.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, TypeVar, cast

from sqlalchemy import Select, case, func
from sqlalchemy import select as sql_select  # five columns: more than sqlmodel's select types
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import WHOLE_PROGRAM, ComplaintItem, StatsCount, Storefront
from storage.months import month_bounds, month_of, months_between
from storage.stats_counts import bucket_floor
from storage.vocabulary import DECIDED_STATUSES, REMOVAL_STATUSES, CountedFigure, ItemKind, ItemStatus

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


def _counts(
    session: Session, organisation_id: int | None, figure: CountedFigure, first_month: int, last_month: int, *by: str
) -> dict[tuple[Any, ...], int]:
    """The running counts of one figure in [first_month, last_month], for an organisation or the
    whole program, summed by the columns `by` (month, platform, label, bucket): a few rows a month,
    whatever the number of items."""
    table = StatsCount.__table__  # type: ignore[attr-defined]
    grouped = [table.c[name] for name in by]
    rows = (
        session.connection()
        .execute(
            sql_select(*grouped, func.sum(table.c.n))
            .where(
                table.c.organisation_id == (WHOLE_PROGRAM if organisation_id is None else organisation_id),
                table.c.figure == figure,
                table.c.month >= first_month,
                table.c.month <= last_month,
            )
            .group_by(*grouped)
        )
        .all()
    )
    return {tuple(row[:-1]): int(row[-1]) for row in rows if row[-1]}


def decisions_by_month(
    session: Session, organisation_id: int | None, first_month: int, last_month: int
) -> dict[int, Counter[str]]:
    """Items decided per month, by their status now."""
    result: defaultdict[int, Counter[str]] = defaultdict(Counter)
    counts = _counts(session, organisation_id, CountedFigure.DECIDED, first_month, last_month, "month", "label")
    for (month, status), count in counts.items():
        result[month][status] = count
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
    reported = _counts(session, organisation_id, CountedFigure.REPORTED, first_month, last_month, "month", "label")
    decisions = decisions_by_month(session, organisation_id, first_month, last_month)
    medians = median_removal_seconds(session, organisation_id, first_month, last_month)
    closed = storefronts_closed_by_month(session, organisation_id, first_month, last_month, zone)
    referred = rogueblock_referrals_by_month(session, organisation_id, first_month, last_month, zone)
    figures = []
    for month in months_between(first_month, last_month):
        statuses = decisions.get(month, Counter())
        figures.append(
            MonthFigures(
                month=month,
                listings_reported=reported.get((month, ItemKind.LISTING), 0),
                storefronts_reported=reported.get((month, ItemKind.STOREFRONT), 0),
                removed=sum(statuses[s] for s in REMOVAL_STATUSES),
                decided=sum(statuses[s] for s in DECIDED_STATUSES),
                storefronts_closed=closed.get(month, 0),
                median_removal_seconds=medians.get(month),
                rogueblock_referrals=referred.get(month, 0),
            )
        )
    return figures


def median_removal_seconds(
    session: Session, organisation_id: int | None, first_month: int, last_month: int
) -> dict[int, float]:
    """Per month, the median time from report to removal of the removals decided in it. The
    counts per time bucket say which bucket holds the middle; only that bucket is read, in order,
    from the ordered partial index."""
    buckets: defaultdict[int, Counter[int]] = defaultdict(Counter)
    counts = _counts(session, organisation_id, CountedFigure.REMOVAL_TIME, first_month, last_month, "month", "bucket")
    for (month, bucket), count in counts.items():
        buckets[month][bucket] = count
    seconds = col(ComplaintItem.removal_seconds)
    medians = {}
    for month, in_buckets in buckets.items():
        in_month = _scope(select(seconds).where(ComplaintItem.decided_month == month), organisation_id)
        median = _median(session, in_month, seconds, in_buckets)
        if median is not None:
            medians[month] = median
    return medians


def _median(session: Session, query: SelectOfScalar[int | None], seconds: Any, counts: Counter[int]) -> float | None:
    """The median of the times `query` selects, counted per time bucket in `counts`: each middle
    value is read at its offset inside its bucket."""
    total = sum(counts.values())
    if total <= 0:
        return None
    middle: list[int] = []
    below = 0
    ranks = [(total - 1) // 2, total // 2]  # the same rank twice when the total is odd
    for bucket in sorted(counts):
        wanted = [rank - below for rank in dict.fromkeys(ranks) if below <= rank < below + counts[bucket]]
        if wanted:
            floor = bucket_floor(bucket)
            inside = query.where(seconds <= bucket)
            if floor is not None:
                inside = inside.where(seconds > floor)
            page = inside.order_by(seconds).offset(wanted[0]).limit(len(wanted))
            found: Sequence[int | None] = session.connection().execute(page).scalars().all()
            middle.extend(int(value) for value in found if value is not None)
        below += counts[bucket]
        if below > ranks[-1]:
            break
    return sum(middle) / len(middle) if middle else None


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
    """Per month, how many storefronts have `moment` in it, counted by the database in one pass: each
    is numbered by the first month whose end is after it (the months' bounds in the program's zone)."""
    months = months_between(first_month, last_month)
    ends = [month_bounds(month, zone)[1] for month in months]
    happened = col(moment)
    index = case(*[(happened < end, number) for number, end in enumerate(ends)])
    query = sql_select(index, func.count()).where(happened >= month_bounds(first_month, zone)[0], happened < ends[-1])
    if organisation_id is not None:
        named = select(ComplaintItem.storefront_id).where(
            ComplaintItem.organisation_id == organisation_id,
            col(ComplaintItem.storefront_id).is_not(None),
        )
        query = query.where(col(Storefront.id).in_(named))
    rows = session.connection().execute(query.group_by(index)).all()
    return {months[cast(int, number)]: cast(int, count) for number, count in rows}


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
    first decision, within 24 and 72 hours of the report, and the median time to it. All but the
    median are sums of the running counts (24 h and 72 h are bounds of their time buckets); the
    median reads the one bucket that holds it from the service indexes."""
    by_platform = _counts(session, organisation_id, CountedFigure.REPORTED, first_month, last_month, "platform")
    reported = {name: count for (name,), count in by_platform.items()}
    times: defaultdict[str, Counter[int]] = defaultdict(Counter)
    counts = _counts(
        session, organisation_id, CountedFigure.DECISION_TIME, first_month, last_month, "platform", "bucket"
    )
    for (name, bucket), count in counts.items():
        times[name][bucket] = count
    months = months_between(first_month, last_month)
    day, three_days = SERVICE_WITHIN
    services = []
    for name in sorted(name for name, count in reported.items() if count > 0):
        buckets = times.get(name, Counter())
        services.append(
            PlatformService(
                platform=name,
                reported=reported[name],
                decided=sum(buckets.values()),
                within_day=sum(count for bucket, count in buckets.items() if bucket <= day),
                within_three_days=sum(count for bucket, count in buckets.items() if bucket <= three_days),
                median_decision_seconds=_median_decision(session, organisation_id, name, months, buckets),
            )
        )
    return services


def _median_decision(
    session: Session, organisation_id: int | None, platform: str, months: Sequence[int], buckets: Counter[int]
) -> float | None:
    seconds, month = col(ComplaintItem.decision_seconds), col(ComplaintItem.reported_month)
    # The months listed (not a range) let the service index serve each (month, platform) directly.
    query = _scope(select(seconds).where(month.in_(months), ComplaintItem.platform == platform), organisation_id)
    return _median(session, query, seconds, buckets)
