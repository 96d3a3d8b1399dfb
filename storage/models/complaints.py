"""Complaints and what they name: listings and storefronts, each item with its own outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models._base import one_of, stored_as_text, utcnow
from storage.vocabulary import (
    ComplaintStatus,
    CounterNoticeStatus,
    ItemKind,
    ItemStatus,
    Platform,
    ReasonCode,
    RogueBlockStatus,
    StorefrontStatus,
)


def case_id(complaint_id: int) -> str:
    """The case id members see, e.g. MS-000123."""
    return f"MS-{complaint_id:06d}"


class Complaint(SQLModel, table=True):
    """One notice to the team: one IP right, one platform, one kind, 1 to 300 items."""

    __table_args__ = (
        one_of("platform", Platform),
        one_of("kind", ItemKind),
        one_of("reason_code", ReasonCode),
        one_of("status", ComplaintStatus),
        CheckConstraint("item_count BETWEEN 1 AND 300", name="item_count"),
        Index(None, "organisation_id", "created_at"),
        Index(None, "organisation_id", "status", "created_at"),
        Index(None, "status", "created_at"),
        Index(None, "platform", "created_at"),
        Index(None, "created_at", "id"),
        Index(None, "assigned_to_id", "created_at", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    filed_by_id: int = Field(foreign_key="member.id")
    ip_right_id: int = Field(foreign_key="ip_right.id")
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    reason_code: str = Field(max_length=20)
    reason_text: str | None = Field(default=None, max_length=1000)
    status: ComplaintStatus = Field(default=ComplaintStatus.SUBMITTED, sa_type=stored_as_text(ComplaintStatus, 20))
    item_count: int
    # The team member the case is routed to (by platform and load); None: the whole team.
    assigned_to_id: int | None = Field(default=None, foreign_key="member.id")
    # The paste or import row group this complaint came from; a repeated request finds it here.
    request_key: str | None = Field(default=None, max_length=120, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def case_id(self) -> str:
        assert self.id is not None
        return case_id(self.id)


class Storefront(SQLModel, table=True):
    """A seller's store on one platform, known by its canonical key."""

    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        one_of("platform", Platform),
        one_of("status", StorefrontStatus),
        one_of("rogueblock_status", RogueBlockStatus, nullable=True),
        Index(
            None,
            "closed_at",
            sqlite_where=text("closed_at IS NOT NULL"),
            postgresql_where=text("closed_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    canonical_url: str = Field(max_length=300)
    status: StorefrontStatus = Field(default=StorefrontStatus.ACTIVE, sa_type=stored_as_text(StorefrontStatus, 16))
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=100)
    rogueblock_status: RogueBlockStatus | None = Field(default=None, sa_type=stored_as_text(RogueBlockStatus, 20))
    rogueblock_referred_at: datetime | None = None
    first_seen_at: datetime = Field(default_factory=utcnow)


class Listing(SQLModel, table=True):
    """A product listing on one platform, known by its canonical key."""

    __table_args__ = (UniqueConstraint("platform", "external_id"), one_of("platform", Platform))

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    canonical_url: str = Field(max_length=300)
    storefront_id: int | None = Field(default=None, foreign_key="storefront.id")
    first_seen_at: datetime = Field(default_factory=utcnow)


_DECIDED = text("decided_month IS NOT NULL")
_LISTING = text("listing_id IS NOT NULL")
_STOREFRONT = text("storefront_id IS NOT NULL")
_REMOVAL_TIMED = text("removal_seconds IS NOT NULL")
_DECISION_TIMED = text("decision_seconds IS NOT NULL")


class ComplaintItem(SQLModel, table=True):
    """One listing or storefront inside a complaint, with its own outcome.

    Organisation, platform and months are copied from the complaint and the timestamps so that
    the figures are index-only scans; indexes on decisions are partial, so filing pays nothing
    for them. When an item changed is in the audit log.
    """

    __tablename__ = "complaint_item"
    __table_args__ = (
        UniqueConstraint("complaint_id", "position"),
        one_of("kind", ItemKind),
        one_of("status", ItemStatus),
        CheckConstraint(
            "(kind = 'listing' AND listing_id IS NOT NULL AND storefront_id IS NULL) OR "
            "(kind = 'storefront' AND storefront_id IS NOT NULL AND listing_id IS NULL)",
            name="one_target",
        ),
        CheckConstraint("counter_rounds BETWEEN 0 AND 3", name="counter_rounds"),
        Index(None, "listing_id", "status", sqlite_where=_LISTING, postgresql_where=_LISTING),
        Index(None, "storefront_id", "status", sqlite_where=_STOREFRONT, postgresql_where=_STOREFRONT),
        # The storefronts an organisation's complaints named, for its closures in the figures.
        Index(None, "organisation_id", "storefront_id", sqlite_where=_STOREFRONT, postgresql_where=_STOREFRONT),
        Index(None, "reported_month", "kind"),
        Index(None, "organisation_id", "reported_month", "kind"),
        Index(None, "decided_month", "status", sqlite_where=_DECIDED, postgresql_where=_DECIDED),
        Index(None, "organisation_id", "decided_month", "status", sqlite_where=_DECIDED, postgresql_where=_DECIDED),
        Index(None, "decided_month", "removal_seconds", sqlite_where=_REMOVAL_TIMED, postgresql_where=_REMOVAL_TIMED),
        Index(
            None,
            "organisation_id",
            "decided_month",
            "removal_seconds",
            sqlite_where=_REMOVAL_TIMED,
            postgresql_where=_REMOVAL_TIMED,
        ),
        # Service figures per platform: shares decided within a time, from the index alone, and the
        # median time to a first decision read in order from the partial ones.
        # (Named here: the conventional names would pass PostgreSQL's 63 characters.)
        Index("ix_complaint_item_service", "reported_month", "platform", "decision_seconds"),
        Index("ix_complaint_item_service_org", "organisation_id", "reported_month", "platform", "decision_seconds"),
        Index(
            "ix_complaint_item_decision_time", "platform", "decision_seconds", "reported_month",
            sqlite_where=_DECISION_TIMED, postgresql_where=_DECISION_TIMED,
        ),
        Index(
            "ix_complaint_item_decision_time_org", "organisation_id", "platform", "decision_seconds", "reported_month",
            sqlite_where=_DECISION_TIMED, postgresql_where=_DECISION_TIMED,
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(sa_column=Column(Integer, ForeignKey("complaint.id", ondelete="CASCADE"), nullable=False))
    position: int
    organisation_id: int = Field(foreign_key="organisation.id")
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    listing_id: int | None = Field(default=None, foreign_key="listing.id")
    storefront_id: int | None = Field(default=None, foreign_key="storefront.id")
    original_text: str = Field(max_length=2000)
    canonical_url: str = Field(max_length=300)
    status: ItemStatus = Field(default=ItemStatus.REPORTED, sa_type=stored_as_text(ItemStatus, 20))
    reported_at: datetime = Field(default_factory=utcnow)
    reported_month: int
    decided_at: datetime | None = None
    decided_month: int | None = None
    removal_seconds: int | None = None
    # Seconds from report to the item's first decision (withdrawals are not decisions).
    decision_seconds: int | None = None
    counter_rounds: int = 0


class HeldLink(SQLModel, table=True):
    """A short link a member pasted that cannot be resolved offline: held, never guessed."""

    __tablename__ = "held_link"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    platform: str | None = Field(default=None, max_length=16)
    original_text: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class SellerAppeal(SQLModel, table=True):
    """A seller's appeal against a removal (its counter-notice); at most three rounds per item."""

    __tablename__ = "counter_notice"
    __table_args__ = (
        UniqueConstraint("item_id", "round"),
        one_of("status", CounterNoticeStatus),
        CheckConstraint("round BETWEEN 1 AND 3", name="round"),
        Index(None, "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="complaint_item.id")
    round: int
    received_at: datetime = Field(default_factory=utcnow)
    due_at: datetime
    status: CounterNoticeStatus = Field(
        default=CounterNoticeStatus.OPEN, sa_type=stored_as_text(CounterNoticeStatus, 20)
    )
    decided_at: datetime | None = None
    note: str | None = Field(default=None, max_length=1000)


class Strike(SQLModel, table=True):
    """A serious (counterfeit) finding against a storefront; it expires after 365 days."""

    __table_args__ = (Index(None, "storefront_id", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    storefront_id: int = Field(foreign_key="storefront.id")
    item_id: int | None = Field(default=None, foreign_key="complaint_item.id")
    recorded_by: str = Field(max_length=100)
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class CaseMessage(SQLModel, table=True):
    """A message relayed in a case's threads, from the brand to the team or back: part of the case record."""

    __tablename__ = "case_message"
    __table_args__ = (
        CheckConstraint("side IN ('brand', 'team')", name="side"),
        Index(None, "complaint_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(sa_column=Column(Integer, ForeignKey("complaint.id", ondelete="CASCADE"), nullable=False))
    at: datetime = Field(default_factory=utcnow)
    side: str = Field(max_length=8)  # who wrote it: the brand's side or the team's
    author: str = Field(max_length=100)  # platform:user
    author_name: str | None = Field(default=None, max_length=120)
    text: str = Field(sa_type=Text)  # as written, however long a thread message the platform allows
