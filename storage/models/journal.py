"""The audit log and the outbox: what changed, and what must be posted about it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, UniqueConstraint, text
from sqlmodel import Column, Field, SQLModel

from storage.models._base import logical_channel, one_of, stored_as_text, utcnow
from storage.vocabulary import AuditEntity, DeliveryStatus, NoticeKind


class AuditEntry(SQLModel, table=True):
    """Who changed what, when, from which status to which, and why."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index(None, "entity", "entity_id", "at"), one_of("entity", AuditEntity))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=100)
    entity: str = Field(max_length=30)
    entity_id: int
    action: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=30)
    to_status: str | None = Field(default=None, max_length=30)
    note: str | None = Field(default=None, max_length=1000)
    # A note the program wrote, as its message id and values (`handlers.kit.i18n.Message.as_json`),
    # read in each reader's language; `note` holds its English. None: `note` is what someone typed,
    # or the entry predates it.
    note_message: dict[str, object] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )


class OutboxNotice(SQLModel, table=True):
    """A row of the outbox: a handler's `Notice` as written for the posters to post to a logical
    channel, optionally inside a case's thread. `payload` holds the rest of the notice (fields,
    buttons, ...), in the shape `handlers.kit.outbox.NoticePayload` defines."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        logical_channel("channel"),
        one_of("kind", NoticeKind),
        Index(None, "case_id", "created_at"),  # a case's timeline
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    channel: str = Field(max_length=60)
    case_id: str | None = Field(default=None, max_length=20)
    kind: str = Field(max_length=30)
    text: str
    payload: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Set by producers that may run twice (scheduled jobs): the second write is refused.
    dedupe_key: str | None = Field(default=None, max_length=200)


class Delivery(SQLModel, table=True):
    """One platform's attempt to post one notice; the unique pair makes posting idempotent."""

    __table_args__ = (
        UniqueConstraint("notice_id", "platform"),
        one_of("status", DeliveryStatus),
        Index(
            None,
            "platform",
            "next_attempt_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id")
    platform: str = Field(max_length=16)
    status: DeliveryStatus = Field(default=DeliveryStatus.PENDING, sa_type=stored_as_text(DeliveryStatus, 16))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    message_ref: str | None = Field(default=None, max_length=120)
    last_error: str | None = Field(default=None, max_length=500)
    # A worker's claim while it posts: when, and which worker (`DeliveryWorkerBeat`). A claim
    # whose worker stopped beating is taken over; one left without a worker, after a lease.
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=80)
    # When the first attempt that may have reached the platform began: a lookup for the message
    # after a crash reads the channel from there on, however busy it is.
    first_attempt_at: datetime | None = None
    # An attempt failed in a way that may have posted the message (a timeout): the next attempt
    # first asks the platform whether the message exists.
    uncertain: bool = False
    sent_at: datetime | None = None


class HandledRequest(SQLModel, table=True):
    """A platform request already handled (Slack retries, double clicks): its first answer."""

    __tablename__ = "handled_request"

    key: str = Field(primary_key=True, max_length=200)
    handled_at: datetime = Field(default_factory=utcnow)
    reply_text: str = ""


class DeliveryWorkerBeat(SQLModel, table=True):
    """A delivery worker's heartbeat: a claim of a worker not seen for a few seconds is taken over."""

    __tablename__ = "delivery_worker"

    worker_id: str = Field(primary_key=True, max_length=80)
    platform: str = Field(max_length=16)
    last_seen: datetime = Field(default_factory=utcnow)


class DeliveryCursor(SQLModel, table=True):
    """Each platform's low-water mark: every notice up to it has a delivery for the platform (or
    came before the platform started); later ones are checked on every pass."""

    __tablename__ = "delivery_cursor"

    platform: str = Field(primary_key=True, max_length=16)
    last_notice_id: int = 0


class PostedMessage(SQLModel, table=True):
    """Where a case's message and thread live on a platform, for threads and in-place edits."""

    __tablename__ = "posted_message"
    __table_args__ = (
        UniqueConstraint("platform", "channel", "case_id"),
        Index(None, "platform", "channel_ref", "message_ref"),
        logical_channel("channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel: str = Field(max_length=60)
    case_id: str = Field(max_length=20)
    channel_ref: str = Field(max_length=64)
    message_ref: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
