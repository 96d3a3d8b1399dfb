"""The database itself refuses what the domain forbids, whoever writes to it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.database import Database
from storage.models import (
    AuditEntry,
    Complaint,
    ComplaintItem,
    IPRight,
    Listing,
    Member,
    Organisation,
    OutboxNotice,
    Proposal,
)
from storage.queries import audit
from storage.queries.outbox import write_notice
from storage.queries.proposals import add_numbered, next_number
from storage.vocabulary import (
    AuditEntity,
    Channel,
    NoticeKind,
    ProposalKind,
    ProposalStatus,
    Role,
    dm_channel,
    org_channel,
)

NOW = datetime(2026, 11, 18, tzinfo=UTC)


def seed(database: Database) -> int:
    """An organisation, a member, a right, a complaint; returns the complaint id."""
    with database.transaction() as session:
        organisation = Organisation(slug="acme", name="ACME")
        session.add(organisation)
        session.flush()
        member = Member(platform="console", user_id="brand1", role=Role.MEMBER, organisation_id=organisation.id)
        right = IPRight(
            organisation_id=cast(int, organisation.id),
            kind="trademark",
            mark="ACME",
            registration_number="1",
            jurisdiction="CN",
        )
        session.add_all([member, right])
        session.flush()
        complaint = Complaint(
            organisation_id=cast(int, organisation.id), filed_by_id=cast(int, member.id),
            ip_right_id=cast(int, right.id), platform="taobao",
            kind="listing", reason_code="counterfeit", item_count=1,
        )  # fmt: skip
        session.add(complaint)
        session.flush()
        listing = Listing(platform="taobao", external_id="1", canonical_url="https://item.taobao.com/item.htm?id=1")
        session.add(listing)
        session.flush()
        session.execute(insert(ComplaintItem), [item_row(complaint.id, organisation.id, listing.id)])
        assert complaint.id is not None
        return complaint.id


def item_row(
    complaint_id: int | None, organisation_id: int | None, listing_id: int | None, **extra: object
) -> dict[str, object]:
    return {
        "complaint_id": complaint_id, "position": 1, "organisation_id": organisation_id, "platform": "taobao",
        "kind": "listing", "listing_id": listing_id, "original_text": "x", "canonical_url": "x",
        "status": "reported", "reported_at": NOW, "reported_month": 202611,
    } | extra  # fmt: skip


def test_a_canonical_listing_key_exists_once(database: Database) -> None:
    seed(database)
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(Listing(platform="taobao", external_id="1", canonical_url="again"))


def test_the_same_id_on_another_platform_is_another_listing(database: Database) -> None:
    seed(database)
    with database.transaction() as session:
        session.add(Listing(platform="tmall", external_id="1", canonical_url="https://detail.tmall.com/item.htm?id=1"))


def test_an_item_status_outside_the_vocabulary_is_refused(database: Database) -> None:
    complaint_id = seed(database)
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(
            update(ComplaintItem).where(col(ComplaintItem.complaint_id) == complaint_id).values(status="deleted")
        )


def test_a_complaint_status_outside_the_vocabulary_is_refused(database: Database) -> None:
    complaint_id = seed(database)
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(text("UPDATE complaint SET status = 'closed' WHERE id = :id"), {"id": complaint_id})


def test_a_complaint_holds_at_most_300_items(database: Database) -> None:
    complaint_id = seed(database)
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(update(Complaint).where(col(Complaint.id) == complaint_id).values(item_count=301))


def test_a_listing_item_must_name_a_listing_and_not_a_storefront(database: Database) -> None:
    complaint_id = seed(database)
    with database.transaction() as session:
        organisation_id = session.get(Complaint, complaint_id).organisation_id  # type: ignore[union-attr]
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(insert(ComplaintItem), [item_row(complaint_id, organisation_id, None, position=2)])


def test_item_numbers_are_unique_within_a_complaint(database: Database) -> None:
    complaint_id = seed(database)
    with database.transaction() as session:
        complaint = session.get(Complaint, complaint_id)
        assert complaint is not None
        listing = Listing(platform="taobao", external_id="2", canonical_url="y")
        session.add(listing)
        session.flush()
        organisation_id, listing_id = complaint.organisation_id, listing.id
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(insert(ComplaintItem), [item_row(complaint_id, organisation_id, listing_id)])


def test_datetimes_come_back_aware_in_utc(database: Database) -> None:
    complaint_id = seed(database)
    with database.transaction() as session:
        item = session.get(ComplaintItem, 1)
        assert item is not None and item.complaint_id == complaint_id
        assert item.reported_at == NOW and item.reported_at.tzinfo is not None


def test_every_notice_kind_and_channel_the_code_knows_is_accepted(database: Database) -> None:
    channels = [*Channel, org_channel("acme"), dm_channel("discord", "112233445566778899")]
    with database.transaction() as session:
        for number, kind in enumerate(NoticeKind):
            write_notice(
                session, channel=channels[number % len(channels)], text=f"notice {number}", kind=kind, case_id=None,
                payload={}, dedupe_key=None, now=NOW,
            )  # fmt: skip
        for channel in channels:
            write_notice(
                session, channel=channel, text="x", kind=NoticeKind.INFO, case_id=None, payload={}, dedupe_key=None,
                now=NOW,
            )  # fmt: skip
    with database.transaction() as session:
        assert len(session.exec(select(OutboxNotice)).all()) == len(NoticeKind) + len(channels)


def test_every_audit_entity_the_code_knows_is_accepted(database: Database) -> None:
    with database.transaction() as session:
        for entity in AuditEntity:
            audit.record(session, actor="console:operator", entity=entity, entity_id=1, action="created", at=NOW)
    with database.transaction() as session:
        assert {entry.entity for entry in session.exec(select(AuditEntry)).all()} == set(AuditEntity)


def test_a_notice_kind_outside_the_vocabulary_is_refused(database: Database) -> None:
    with pytest.raises(IntegrityError, match="ck_notice_kind"), database.transaction() as session:
        session.add(OutboxNotice(channel=Channel.TEAM, kind="newsletter", text="x", created_at=NOW))


def test_two_items_of_one_kind_never_share_a_number_and_a_late_one_takes_the_next(database: Database) -> None:
    seed(database)
    with database.transaction() as session:
        member_id = cast(int, session.exec(select(Member.id)).one())

        def practice(number: int) -> Proposal:
            return Proposal(kind="practice", member_id=member_id, title="Tip", text="Some words",
                            status=ProposalStatus.SHARED, number=number)  # fmt: skip

        add_numbered(session, practice(next_number(session, ProposalKind.PRACTICE)))
        late = practice(1)  # read the same highest number as the first, before it was stored
        add_numbered(session, late)
        assert late.reference == "BP-0002"
        proposal = Proposal(kind="proposal", member_id=member_id, title="Idea", text="Some words",
                            status=ProposalStatus.OPEN, number=next_number(session, ProposalKind.PROPOSAL))  # fmt: skip
        add_numbered(session, proposal)
        assert proposal.reference == "P-0001"
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(practice(2))
        session.flush()


def test_a_language_the_bot_does_not_speak_is_refused_for_members_and_channels(database: Database) -> None:
    with database.transaction() as session:
        session.add(Member(platform="slack", user_id="U0LANG1", role=Role.MEMBER))
        session.execute(
            text(
                "INSERT INTO channel_mapping (platform, logical_name, external_id, language, updated_by, updated_at) "
                "VALUES ('slack', 'team', 'C0123ABCD', 'zh', 'console:operator', :at)"
            ),
            {"at": NOW},
        )
    for statement in (
        "UPDATE member SET language = 'fr' WHERE user_id = 'U0LANG1'",
        "UPDATE channel_mapping SET language = 'zh-CN' WHERE external_id = 'C0123ABCD'",
    ):
        with pytest.raises(IntegrityError), database.transaction() as session:
            session.execute(text(statement))
    with database.transaction() as session:
        session.execute(text("UPDATE member SET language = 'zh' WHERE user_id = 'U0LANG1'"))
        assert session.execute(text("SELECT language FROM member WHERE user_id = 'U0LANG1'")).scalar() == "zh"
