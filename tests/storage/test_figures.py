"""The figures queries agree with a plain recomputation over the same rows."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import col, select

from storage.database import Database
from storage.models import Complaint, ComplaintItem, IPRight, Listing, Member, Organisation, Storefront, month_of
from storage.queries.figures import accuracy, monthly_figures
from storage.stats_counts import recount
from storage.vocabulary import DECIDED_STATUSES, REMOVAL_STATUSES, ItemStatus, Role, StorefrontStatus

ZONE = ZoneInfo("America/New_York")
START = datetime(2026, 1, 1, 5, tzinfo=UTC)
OUTCOMES = [
    ItemStatus.REPORTED, ItemStatus.REMOVED, ItemStatus.REMOVED, ItemStatus.NOT_REMOVED, ItemStatus.NOT_FOUND,
    ItemStatus.COUNTER_NOTICE, ItemStatus.UPHELD, ItemStatus.REINSTATED, ItemStatus.WITHDRAWN,
]  # fmt: skip


def populate(database: Database, seed: int) -> list[dict[str, object]]:
    """Two organisations, 600 items over six months with random outcomes, some stores closed."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    with database.transaction() as session:
        organisations = [Organisation(slug=f"org{n}", name=f"Org {n}") for n in range(2)]
        session.add_all(organisations)
        session.flush()
        for number, organisation in enumerate(organisations):
            member = Member(platform="console", user_id=f"m{number}", role=Role.MEMBER, organisation_id=organisation.id)
            right = IPRight(
                organisation_id=cast(int, organisation.id),
                kind="trademark",
                mark="M",
                registration_number=str(number),
                jurisdiction="CN",
            )
            session.add_all([member, right])
            session.flush()
            for case in range(6):
                complaint = Complaint(
                    organisation_id=cast(int, organisation.id), filed_by_id=cast(int, member.id),
            ip_right_id=cast(int, right.id), platform="taobao",
                    kind="listing", reason_code="counterfeit", item_count=50,
                )  # fmt: skip
                session.add(complaint)
                session.flush()
                listings = [
                    {
                        "platform": "taobao",
                        "external_id": f"{number}-{case}-{p}",
                        "canonical_url": "u",
                        "first_seen_at": START,
                    }
                    for p in range(50)
                ]
                session.execute(insert(Listing), listings)
                for position in range(1, 51):
                    reported = START + timedelta(days=rng.uniform(0, 180))
                    status = rng.choice(OUTCOMES)
                    decided = (
                        reported + timedelta(hours=rng.uniform(1, 24 * 20))
                        if status not in (ItemStatus.REPORTED, ItemStatus.WITHDRAWN)
                        else None
                    )
                    removal = (
                        int((decided - reported).total_seconds()) if decided and status in REMOVAL_STATUSES else None
                    )
                    rows.append({
                        "complaint_id": complaint.id, "position": position, "organisation_id": organisation.id,
                        "platform": "taobao", "kind": "listing", "listing_id": None, "original_text": "u",
                        "canonical_url": "u", "status": status, "reported_at": reported,
                        "reported_month": month_of(reported, ZONE), "decided_at": decided,
                        "decided_month": month_of(decided, ZONE) if decided else None,
                        "removal_seconds": removal,
                    })  # fmt: skip
        listing_ids = session.exec(select(Listing.id).order_by(col(Listing.id))).all()
        for row, listing_id in zip(rows, listing_ids, strict=True):
            row["listing_id"] = listing_id
        session.execute(insert(ComplaintItem), rows)
        recount(session.connection())  # rows written as they are stored, not as the program writes them
        for store in range(12):
            closed = START + timedelta(days=rng.uniform(0, 180)) if store % 3 else None
            session.add(
                Storefront(
                    platform="aliexpress",
                    external_id=str(store),
                    canonical_url="s",
                    status=StorefrontStatus.CLOSED if closed else StorefrontStatus.ACTIVE,
                    closed_at=closed,
                )
            )
    return rows


def expected(
    rows: list[dict[str, object]], organisation_id: int | None, month: int
) -> tuple[int, int, int, float | None]:
    scoped = [row for row in rows if organisation_id is None or row["organisation_id"] == organisation_id]
    reported = sum(1 for row in scoped if row["reported_month"] == month)
    decided_rows = [row for row in scoped if row["decided_month"] == month]
    removed = sum(1 for row in decided_rows if row["status"] in REMOVAL_STATUSES)
    decided = sum(1 for row in decided_rows if row["status"] in DECIDED_STATUSES)
    times = [cast(int, row["removal_seconds"]) for row in decided_rows if row["removal_seconds"] is not None]
    median = float(statistics.median(times)) if times else None
    return reported, removed, decided, median


def test_monthly_figures_match_a_plain_recomputation(database: Database) -> None:
    rows = populate(database, seed=7)
    with database.transaction() as session:
        for organisation_id in (None, 1, 2):
            figures = monthly_figures(
                session, organisation_id=organisation_id, first_month=202601, last_month=202608, zone=ZONE
            )
            assert [f.month for f in figures] == [202601, 202602, 202603, 202604, 202605, 202606, 202607, 202608]
            for figure in figures:
                reported, removed, decided, median = expected(rows, organisation_id, figure.month)
                assert (figure.reported, figure.removed, figure.decided) == (reported, removed, decided), figure.month
                assert figure.median_removal_seconds == median
        everything = monthly_figures(session, organisation_id=None, first_month=202601, last_month=202608, zone=ZONE)
    assert sum(f.reported for f in everything) == 600


def test_storefronts_closed_are_counted_in_their_month(database: Database) -> None:
    populate(database, seed=3)
    with database.transaction() as session:
        closed = [moment for moment in session.exec(select(Storefront.closed_at)).all() if moment is not None]
        figures = monthly_figures(session, organisation_id=None, first_month=202512, last_month=202608, zone=ZONE)
    by_month: dict[int, int] = defaultdict(int)
    for moment in closed:
        by_month[month_of(moment, ZONE)] += 1
    assert {f.month: f.storefronts_closed for f in figures if f.storefronts_closed} == dict(by_month)
    assert sum(by_month.values()) == 8


def test_accuracy_counts_removals_and_lost_appeals_over_the_window(database: Database) -> None:
    rows = populate(database, seed=11)
    window = [row for row in rows if row["decided_month"] is not None and 202604 <= row["decided_month"] <= 202606]  # type: ignore[operator]
    with database.transaction() as session:
        result = accuracy(session, None, 202604, 202606)
    assert result.removed == sum(1 for row in window if row["status"] in REMOVAL_STATUSES)
    assert result.decided == sum(1 for row in window if row["status"] in DECIDED_STATUSES)
    assert result.appeals_lost == sum(1 for row in window if row["status"] == ItemStatus.REINSTATED)
    assert result.appeals_decided == result.appeals_lost + sum(
        1 for row in window if row["status"] == ItemStatus.UPHELD
    )
