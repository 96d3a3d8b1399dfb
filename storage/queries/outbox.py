"""The outbox: notices written with the change they announce, delivered later per platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import Delivery, DeliveryCursor, OutboxNotice, PostedMessage
from storage.vocabulary import DeliveryStatus, NoticeKind

# Far longer than any transaction that writes a notice runs (and than the clocks of the
# processes writing notices drift apart): a notice this old was committed, or never will be.
SETTLED = timedelta(minutes=10)


def write_notice(
    session: Session,
    *,
    channel: str,
    text: str,
    kind: NoticeKind,
    case_id: str | None,
    payload: dict[str, object],
    dedupe_key: str | None,
    now: datetime,
) -> bool:
    """Add a notice; False (and nothing written) when one with the same dedupe key exists."""
    if dedupe_key is not None:
        exists = session.exec(select(OutboxNotice.id).where(OutboxNotice.dedupe_key == dedupe_key)).first()
        if exists is not None:
            return False
    session.add(
        OutboxNotice(
            created_at=now,
            channel=channel,
            case_id=case_id,
            kind=kind,
            text=text,
            payload=payload,
            dedupe_key=dedupe_key,
        )
    )
    return True


def latest_notice_id(session: Session) -> int:
    return session.execute(select(func.coalesce(func.max(OutboxNotice.id), 0))).scalar_one()


def start_cursor(session: Session, platform: str, *, skip_history: bool) -> None:
    """Create the platform's cursor at the newest notice (history is never replayed to a new
    platform); with `skip_history`, move an existing cursor there too (the console)."""
    cursor = session.get(DeliveryCursor, platform)
    newest = latest_notice_id(session)
    if cursor is None:
        session.add(DeliveryCursor(platform=platform, last_notice_id=newest))
    elif skip_history:
        cursor.last_notice_id = newest
        session.add(cursor)


def enqueue(session: Session, platform: str, now: datetime) -> int:
    """Give the platform a pending delivery for every notice past its cursor that has none yet.

    Ids are handed out when a notice is inserted, but transactions commit in any order, so a
    notice may become visible after a later one was taken on. The cursor is therefore a low-water
    mark: it moves only past notices older than `SETTLED`, by when every transaction that was
    writing below them has ended; until then each pass looks again, and the unique (notice,
    platform) pair keeps a notice from being taken twice."""
    cursor = session.get(DeliveryCursor, platform, with_for_update=True)
    if cursor is None:
        cursor = DeliveryCursor(platform=platform, last_notice_id=0)
    taken = select(Delivery.id).where(col(Delivery.notice_id) == col(OutboxNotice.id), Delivery.platform == platform)
    ids = session.exec(
        select(OutboxNotice.id)
        .where(col(OutboxNotice.id) > cursor.last_notice_id, ~taken.exists())
        .order_by(col(OutboxNotice.id))
    ).all()
    if ids:
        session.execute(
            insert(Delivery),
            [{"notice_id": notice_id, "platform": platform, "status": DeliveryStatus.PENDING,
              "attempts": 0, "next_attempt_at": now} for notice_id in ids],
        )  # fmt: skip
    settled: int | None = session.execute(
        select(func.max(OutboxNotice.id)).where(
            col(OutboxNotice.id) > cursor.last_notice_id, col(OutboxNotice.created_at) < now - SETTLED
        )
    ).scalar_one()
    if settled is not None:
        cursor.last_notice_id = settled
    session.add(cursor)
    return len(ids)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    delivery_id: int
    attempts: int
    claimed_at: datetime | None
    uncertain: bool
    notice: OutboxNotice

    @property
    def may_be_posted(self) -> bool:
        return self.uncertain or self.claimed_at is not None


def due_deliveries(session: Session, platform: str, now: datetime, limit: int = 50) -> list[DueDelivery]:
    """Pending deliveries whose time has come, oldest first. A notice waits while an earlier
    notice of the same case thread waits for a retry, so a thread is never posted out of order
    (the caller keeps the order within the batch it is given)."""
    earlier = aliased(Delivery)
    earlier_notice = aliased(OutboxNotice)
    held_back = (
        select(earlier.id)
        .join(earlier_notice, col(earlier_notice.id) == col(earlier.notice_id))
        .where(
            earlier.platform == platform,
            earlier.status == DeliveryStatus.PENDING,
            col(earlier.next_attempt_at) > now,
            col(earlier.notice_id) < col(Delivery.notice_id),
            earlier_notice.channel == OutboxNotice.channel,
            earlier_notice.case_id == OutboxNotice.case_id,
        )
        .exists()
    )
    rows = session.exec(
        select(Delivery, OutboxNotice)
        .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
        .where(
            Delivery.platform == platform,
            Delivery.status == DeliveryStatus.PENDING,
            col(Delivery.next_attempt_at) <= now,
            ~held_back,
        )
        .order_by(col(Delivery.notice_id))
        .limit(limit)
    ).all()
    return [
        DueDelivery(int(delivery.id or 0), delivery.attempts, delivery.claimed_at, delivery.uncertain, notice)
        for delivery, notice in rows
    ]


def mark_delivery(
    session: Session,
    delivery_id: int,
    *,
    status: DeliveryStatus,
    now: datetime,
    message_ref: str | None = None,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
    maybe_posted: bool = False,
) -> None:
    """Record an attempt and release the claim; `maybe_posted` when the platform may have it."""
    values: dict[str, object] = {
        "status": status, "attempts": Delivery.attempts + 1, "claimed_at": None, "uncertain": maybe_posted,
    }  # fmt: skip
    if status is DeliveryStatus.SENT:
        values |= {"sent_at": now, "message_ref": message_ref, "last_error": None}
    if error is not None:
        values["last_error"] = error[:500]
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    session.execute(update(Delivery).where(col(Delivery.id) == delivery_id).values(**values))


def claim_delivery(session: Session, delivery_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the delivery for one worker; False when another worker holds an unexpired claim."""
    free = col(Delivery.claimed_at).is_(None) | (col(Delivery.claimed_at) < now - lease)
    result = session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.status) == DeliveryStatus.PENDING, free)
        .values(claimed_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def posted_thread(session: Session, platform: str, channel_ref: str, message_ref: str) -> tuple[str, str] | None:
    """The (logical channel, case id) whose first message on the platform is this one."""
    found = session.exec(
        select(PostedMessage.channel, PostedMessage.case_id).where(
            PostedMessage.platform == platform,
            PostedMessage.channel_ref == channel_ref,
            PostedMessage.message_ref == message_ref,
        )
    ).first()
    return (found[0], found[1]) if found else None


def posted_message(session: Session, platform: str, channel: str, case_id: str) -> PostedMessage | None:
    return session.exec(
        select(PostedMessage).where(
            PostedMessage.platform == platform,
            PostedMessage.channel == channel,
            PostedMessage.case_id == case_id,
        )
    ).first()
