"""Rows filed in bulk are stored exactly as SQLAlchemy's own insert stores them, in any number of pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import insert
from sqlmodel import Session, col, select

from storage.database import Database
from storage.models import Complaint, ComplaintItem, IPRight, Listing, Member, Organisation
from storage.queries.cases import add_complaint, add_items
from storage.queries.marketplace_items import ensure_targets
from storage.vocabulary import ComplaintStatus, ItemKind, ItemStatus, Platform, Role

# Whole seconds: a driver left to convert a time itself would write it differently.
NOW = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
ITEM_COLUMNS = (
    "organisation_id, platform, kind, listing_id, storefront_id, original_text, canonical_url, status, reported_at, "
    "reported_month, counter_rounds, decided_at, decided_month"
)


def stored(session: Session, sql: str) -> list[tuple[Any, ...]]:
    """Rows as the database holds them, read without SQLAlchemy's conversions."""
    return [tuple(row) for row in session.connection().exec_driver_sql(sql)]


def new_complaint(session: Session) -> Complaint:
    organisation = Organisation(slug="acme", name="ACME")
    session.add(organisation)
    session.flush()
    organisation_id = cast(int, organisation.id)
    member = Member(platform="console", user_id="brand1", role=Role.MEMBER, organisation_id=organisation_id)
    right = IPRight(organisation_id=organisation_id, kind="trademark", mark="ACME", registration_number="1",
                    jurisdiction="CN")  # fmt: skip
    session.add_all([member, right])
    session.flush()
    complaint = Complaint(
        organisation_id=organisation_id, filed_by_id=cast(int, member.id), ip_right_id=cast(int, right.id),
        platform=Platform.TAOBAO, kind=ItemKind.LISTING, reason_code="counterfeit", status=ComplaintStatus.SUBMITTED,
        item_count=2, created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    add_complaint(session, complaint)
    return complaint


def test_a_complaint_and_its_items_are_stored_as_sqlalchemys_insert_stores_them(database: Database) -> None:
    with database.transaction() as session:
        complaint = new_complaint(session)
        ids, _existed = ensure_targets(
            session, Platform.TAOBAO, ItemKind.LISTING, {"1": "https://item.taobao.com/item.htm?id=1"}, NOW
        )
        session.execute(
            insert(Listing),
            [{"platform": Platform.TAOBAO, "external_id": "2", "canonical_url": "https://item.taobao.com/item.htm?id=2",
              "first_seen_at": NOW}],
        )  # fmt: skip
        add_items(session, complaint, [(ids["1"], "item.taobao.com/item.htm?id=1", "https://item.taobao.com/item.htm?id=1")],
                  reported_at=NOW, reported_month=202611)  # fmt: skip
        session.execute(
            insert(ComplaintItem),
            [{"complaint_id": complaint.id, "position": 2, "organisation_id": complaint.organisation_id,
              "platform": Platform.TAOBAO, "kind": ItemKind.LISTING, "listing_id": ids["1"],
              "original_text": "item.taobao.com/item.htm?id=1", "canonical_url": "https://item.taobao.com/item.htm?id=1",
              "status": ItemStatus.REPORTED, "reported_at": NOW, "reported_month": 202611, "counter_rounds": 0}],
        )  # fmt: skip
    with database.transaction() as session:
        bulk, orm = stored(session, f"SELECT {ITEM_COLUMNS} FROM complaint_item ORDER BY position")
        assert bulk == orm
        first, second = stored(session, "SELECT platform, first_seen_at FROM listing ORDER BY external_id")
        assert first == second
        reread = session.exec(select(ComplaintItem).order_by(col(ComplaintItem.position))).all()
        assert [(item.status, item.reported_at) for item in reread] == [(ItemStatus.REPORTED, NOW)] * 2


def test_thousands_of_listings_get_their_ids_over_several_pages_and_known_ones_are_kept(database: Database) -> None:
    urls = {str(n): f"https://item.taobao.com/item.htm?id={n}" for n in range(1, 2501)}
    known = {key: url for key, url in urls.items() if int(key) % 3 == 0}
    with database.transaction() as session:
        before, _ = ensure_targets(session, Platform.TAOBAO, ItemKind.LISTING, known, NOW)
    with database.transaction() as session:
        ids, existed = ensure_targets(session, Platform.TAOBAO, ItemKind.LISTING, urls, NOW)
    with database.transaction() as session:
        rows = session.exec(select(Listing.external_id, Listing.id, Listing.canonical_url)).all()
    assert existed == set(known)
    assert {key: ids[key] for key in known} == before
    assert {external_id: (row_id, url) for external_id, row_id, url in rows} == {
        key: (ids[key], url) for key, url in urls.items()
    }


COMPLAINT_COLUMNS = (
    "organisation_id, filed_by_id, ip_right_id, platform, kind, reason_code, reason_text, status, item_count, "
    "assigned_to_id, request_key, created_at, updated_at"
)


def test_a_complaint_is_stored_as_sqlalchemys_insert_stores_it(database: Database) -> None:
    with database.transaction() as session:
        complaint = new_complaint(session)
        table = Complaint.__table__  # type: ignore[attr-defined]
        values = {column.key: getattr(complaint, column.key) for column in table.c if column.key != "id"}
        session.connection().execute(insert(table), {**values, "request_key": None})
        complaint.request_key = "slack:1"
        complaint.reason_text = "假冒 ' \" %s ?"
        third = add_complaint(session, complaint)
        rows = stored(session, f"SELECT {COMPLAINT_COLUMNS} FROM complaint ORDER BY id")
    assert rows[0] == rows[1]
    assert rows[2][6] == "假冒 ' \" %s ?" and rows[2][10] == "slack:1"
    assert rows[2][:6] + rows[2][7:10] + rows[2][11:] == rows[0][:6] + rows[0][7:10] + rows[0][11:]
    assert complaint.id == third
