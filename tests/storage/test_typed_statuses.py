"""Statuses and roles read back from the database as members of their vocabulary, whoever wrote them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Enum, insert, text
from sqlmodel import SQLModel, select

from storage.database import Database
from storage.models import Complaint, ComplaintItem, IPRight, Listing, Member, Organisation, Storefront
from storage.vocabulary import ComplaintStatus, ItemStatus, RightStatus, RogueBlockStatus, Role, StorefrontStatus

NOW = datetime(2026, 11, 18, tzinfo=UTC)


def test_a_loaded_row_carries_its_status_as_the_vocabulary_member(database: Database) -> None:
    with database.transaction() as session:
        organisation = Organisation(slug="acme", name="ACME")
        session.add(organisation)
        session.flush()
        assert organisation.id is not None
        member = Member(platform="console", user_id="brand1", role=Role.MEMBER, organisation_id=organisation.id)
        right = IPRight(organisation_id=organisation.id, kind="trademark", mark="ACME", registration_number="1",
                        jurisdiction="CN")  # fmt: skip
        session.add_all([member, right])
        session.flush()
        assert member.id is not None and right.id is not None
        complaint = Complaint(organisation_id=organisation.id, filed_by_id=member.id, ip_right_id=right.id,
                              platform="taobao", kind="listing", reason_code="counterfeit", item_count=1)  # fmt: skip
        listing = Listing(platform="taobao", external_id="1", canonical_url="https://item.taobao.com/item.htm?id=1")
        session.add_all([complaint, listing])
        session.flush()
        # Plain strings written below the ORM, as bulk inserts and older code do.
        session.execute(
            insert(ComplaintItem),
            [{"complaint_id": complaint.id, "position": 1, "organisation_id": organisation.id, "platform": "taobao",
              "kind": "listing", "listing_id": listing.id, "original_text": "x", "canonical_url": "x",
              "status": "removed", "reported_at": NOW, "reported_month": 202611}],
        )  # fmt: skip
        session.execute(
            text(
                "INSERT INTO storefront"
                " (platform, external_id, canonical_url, status, rogueblock_status, first_seen_at)"
                " VALUES ('taobao', 's1', 'https://shop1.taobao.com', 'closed', 'referred', :now),"
                " ('taobao', 's2', 'https://shop2.taobao.com', 'active', NULL, :now)"
            ),
            {"now": NOW},
        )
    with database.transaction() as session:
        loaded_complaint = session.exec(select(Complaint)).one()
        loaded_item = session.exec(select(ComplaintItem)).one()
        loaded_member = session.exec(select(Member)).one()
        loaded_right = session.exec(select(IPRight)).one()
        closed, active = session.exec(select(Storefront).order_by(Storefront.external_id)).all()
        item_statuses = session.exec(select(ComplaintItem.status)).all()
        assert loaded_complaint.status is ComplaintStatus.SUBMITTED
        assert loaded_item.status is ItemStatus.REMOVED
        assert loaded_member.role is Role.MEMBER
        assert loaded_right.status is RightStatus.PENDING
        assert (closed.status, closed.rogueblock_status) == (StorefrontStatus.CLOSED, RogueBlockStatus.REFERRED)
        assert closed.status is StorefrontStatus.CLOSED and closed.rogueblock_status is RogueBlockStatus.REFERRED
        assert active.status is StorefrontStatus.ACTIVE and active.rogueblock_status is None
        assert [type(status) for status in item_statuses] == [ItemStatus]


def test_every_status_and_role_column_reads_back_as_its_vocabulary() -> None:
    untyped = [
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if (column.name in ("status", "role") or column.name.endswith("_status"))
        and table.name != "audit_entry"  # from/to_status there record any column's values, not one vocabulary
        and not isinstance(column.type, Enum)
    ]
    assert untyped == []
