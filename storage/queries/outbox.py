"""The outbox: notices written with the change they announce, delivered later per platform."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, bindparam, delete, func, insert, true, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.direct import Direct, numbered, numbered_values
from storage.models import Delivery, DeliveryCursor, DeliveryWorkerBeat, OutboxNotice, PostedMessage
from storage.queries.many_rows import insert_rows
from storage.vocabulary import DeliveryStatus, NoticeKind

# Far longer than any transaction that writes a notice runs (and than the clocks of the
# processes writing notices drift apart): a notice this old was committed, or never will be.
SETTLED = timedelta(minutes=10)
_NOTICES = OutboxNotice.__table__  # type: ignore[attr-defined]


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


# The columns of a notice `write_notices` is given, in the order they are inserted.
_WRITTEN = ("channel", "text", "kind", "case_id", "payload", "dedupe_key")
# Dedupe keys looked up in one statement at most.
_KEYS_PAGE = 100


@functools.lru_cache(maxsize=_KEYS_PAGE)
def _stored_keys(count: int) -> Direct:
    """Which of `count` dedupe keys (`key0`, `key1`, ...) are stored already."""
    return Direct(select_columns(_NOTICES.c.dedupe_key).where(_NOTICES.c.dedupe_key.in_(numbered("key", count))))


def write_notices(session: Session, notices: Sequence[Mapping[str, Any]], now: datetime) -> int:
    """Add notices in their order, in one statement (a filing writes dozens): each a mapping of
    `write_notice`'s channel, text, kind, case_id, payload and dedupe_key. A notice whose dedupe
    key is stored already, or came earlier in `notices`, is left out. How many were written.

    Every command writes its notices with it, on the driver's cursor (`storage.direct`,
    `storage.queries.many_rows`): the session is flushed first, as a query of it would be, so a
    notice it holds is seen, and written before these."""
    keys = [notice["dedupe_key"] for notice in notices if notice["dedupe_key"] is not None]
    taken: set[str] = set()
    if keys:
        if session.autoflush:
            session.flush()
        connection = session.connection()
        for start in range(0, len(keys), _KEYS_PAGE):
            page = keys[start : start + _KEYS_PAGE]
            values = numbered_values("key", page)
            taken.update(row[0] for row in _stored_keys(len(page)).rows(connection, values))
    rows = []
    for notice in notices:
        key = notice["dedupe_key"]
        if key is not None:
            if key in taken:
                continue
            taken.add(key)
        rows.append(tuple(notice[name] for name in _WRITTEN))
    if not rows:
        return 0
    if not keys:
        insert_rows(session.connection(), _NOTICES, {"created_at": now}, _WRITTEN, rows)
        return len(rows)
    # A concurrent command may store one of these keys between the read above and this insert: its
    # notice then stands for this one (as if read above) instead of failing this whole command.
    written = insert_rows(
        session.connection(), _NOTICES, {"created_at": now}, _WRITTEN, rows,
        skip_conflicts_on=("dedupe_key",), returning=("id",),
    )  # fmt: skip
    return len(written)


def latest_notice_id(session: Session) -> int:
    return session.execute(select(func.coalesce(func.max(OutboxNotice.id), 0))).scalar_one()


def start_cursor(session: Session, platform: str, *, skip_history: bool) -> None:
    """Create the platform's cursor at the newest notice (history is never replayed to a new
    platform); with `skip_history`, move an existing cursor there too (the console)."""
    newest = latest_notice_id(session)
    # Replicas starting together each create it: the first one's row stands, the others' do nothing.
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    session.execute(
        dialect.insert(DeliveryCursor.__table__)  # type: ignore[attr-defined]
        .values(platform=platform, last_notice_id=newest)
        .on_conflict_do_nothing(index_elements=["platform"])
    )
    if skip_history:
        session.execute(
            update(DeliveryCursor).where(col(DeliveryCursor.platform) == platform).values(last_notice_id=newest)
        )


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


# A delivery worker beats every HEARTBEAT; one not seen for WORKER_TIMEOUT has stopped, and its
# claims are taken over. The processes' clocks must agree to well within WORKER_TIMEOUT.
HEARTBEAT = timedelta(seconds=2)
WORKER_TIMEOUT = timedelta(seconds=10)
# A claim that names no worker (written before workers beat) is taken over after this lease.
CLAIM_LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    delivery_id: int
    attempts: int
    may_be_posted: bool  # an earlier attempt may have posted it: look it up before posting
    first_attempt_at: datetime  # when the first attempt that may have posted it began
    notice: OutboxNotice

    @property
    def thread(self) -> tuple[str, str] | None:
        """The case thread the notice belongs to, whose order must be kept."""
        return (self.notice.channel, self.notice.case_id) if self.notice.case_id else None


def beat(session: Session, worker_id: str, platform: str, now: datetime) -> None:
    """Record that the worker is alive."""
    seen = session.execute(
        update(DeliveryWorkerBeat).where(col(DeliveryWorkerBeat.worker_id) == worker_id).values(last_seen=now)
    )
    if getattr(seen, "rowcount", 0) == 0:
        session.add(DeliveryWorkerBeat(worker_id=worker_id, platform=platform, last_seen=now))


def retire(session: Session, worker_id: str) -> None:
    """A worker stopping cleanly: its remaining claims are released and its beat removed."""
    session.execute(
        update(Delivery)
        .where(col(Delivery.claimed_by) == worker_id, col(Delivery.status) == DeliveryStatus.PENDING)
        .values(claimed_at=None, claimed_by=None, uncertain=True)
    )
    session.execute(delete(DeliveryWorkerBeat).where(col(DeliveryWorkerBeat.worker_id) == worker_id))


def _claim_is_free(worker_id: str, now: datetime) -> ColumnElement[bool]:
    """No claim; or one whose worker stopped beating; or a workerless one past its lease."""
    alive = (
        select(DeliveryWorkerBeat.worker_id)
        .where(
            col(DeliveryWorkerBeat.worker_id) == col(Delivery.claimed_by),
            col(DeliveryWorkerBeat.last_seen) >= now - WORKER_TIMEOUT,
        )
        .exists()
    )
    return (
        col(Delivery.claimed_at).is_(None)
        | (col(Delivery.claimed_by).is_(None) & (col(Delivery.claimed_at) < now - CLAIM_LEASE))
        | (col(Delivery.claimed_by).is_not(None) & (col(Delivery.claimed_by) != worker_id) & ~alive)
    )


# An earlier notice of a channel due again within this long holds the channel's later notices back.
CHANNEL_HOLD = timedelta(minutes=5)


def _first_waiting(platform: str, waiting: ColumnElement[bool], *, by_case: bool = False) -> Subquery:
    """Per channel (or case thread), the earliest pending notice that is `waiting`."""
    keys = [col(OutboxNotice.channel), col(OutboxNotice.case_id)] if by_case else [col(OutboxNotice.channel)]
    return (
        select_columns(*keys, func.min(Delivery.notice_id).label("first"))
        .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
        .where(col(Delivery.platform) == platform, col(Delivery.status) == DeliveryStatus.PENDING, waiting)
        .group_by(*keys)
        .subquery()
    )


def claim_due(
    session: Session,
    platform: str,
    worker_id: str,
    now: datetime,
    limit: int,
    *,
    busy_channels: frozenset[str] = frozenset(),
) -> list[DueDelivery]:
    """Claim for `worker_id` up to `limit` pending deliveries whose time has come, oldest first,
    leaving out the logical channels in `busy_channels` (the worker has enough queued there).

    Order is kept per case thread, and per channel through short waits: a notice waits while an
    earlier notice of its case thread waits for a retry, or while an earlier notice of its channel
    is due again within `CHANNEL_HOLD` (a rate limit's Retry-After, a passing outage), or is
    another worker's (the worker posts the notices of a channel in the order given). A notice that
    keeps failing for longer stops holding its channel back, not its thread. Claims are taken under
    the platform's cursor row lock, so replicas sharing the database take disjoint work; rows another
    transaction is writing are skipped (PostgreSQL's SKIP LOCKED) rather than waited for."""
    session.get(DeliveryCursor, platform, with_for_update=True)
    others = col(Delivery.claimed_at).is_not(None) & (func.coalesce(Delivery.claimed_by, "") != worker_id)
    waits = col(Delivery.next_attempt_at) > now
    channel_held = _first_waiting(platform, (waits & (col(Delivery.next_attempt_at) <= now + CHANNEL_HOLD)) | others)
    thread_held = _first_waiting(platform, (waits | others) & col(OutboxNotice.case_id).is_not(None), by_case=True)
    rows = session.exec(
        select(Delivery, OutboxNotice)
        .join(OutboxNotice, col(OutboxNotice.id) == col(Delivery.notice_id))
        .outerjoin(channel_held, channel_held.c.channel == OutboxNotice.channel)
        .outerjoin(
            thread_held,
            (thread_held.c.channel == OutboxNotice.channel) & (thread_held.c.case_id == OutboxNotice.case_id),
        )
        .where(
            Delivery.platform == platform,
            Delivery.status == DeliveryStatus.PENDING,
            col(Delivery.next_attempt_at) <= now,
            _claim_is_free(worker_id, now),
            channel_held.c.first.is_(None) | (col(Delivery.notice_id) <= channel_held.c.first),
            thread_held.c.first.is_(None) | (col(Delivery.notice_id) <= thread_held.c.first),
            col(OutboxNotice.channel).not_in(busy_channels) if busy_channels else true(),
        )
        .order_by(col(Delivery.notice_id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=Delivery)
    ).all()
    claimed = [
        DueDelivery(
            int(delivery.id or 0),
            delivery.attempts,
            delivery.uncertain or delivery.claimed_at is not None,
            delivery.first_attempt_at or now,
            notice,
        )
        for delivery, notice in rows
    ]
    if claimed:
        session.execute(
            update(Delivery)
            .where(col(Delivery.id).in_([due.delivery_id for due in claimed]))
            .values(
                claimed_at=now, claimed_by=worker_id, first_attempt_at=func.coalesce(Delivery.first_attempt_at, now)
            )
        )
    return claimed


def release(session: Session, worker_id: str, deliveries: list[DueDelivery]) -> None:
    """Give back claims not attempted (a notice before them in their channel must wait); one that
    may already be posted stays marked so, for whoever takes it next to look it up first."""
    for uncertain in (False, True):
        ids = [due.delivery_id for due in deliveries if due.may_be_posted is uncertain]
        if ids:
            values: dict[str, object] = {"claimed_at": None, "claimed_by": None}
            if uncertain:
                values["uncertain"] = True
            session.execute(
                update(Delivery)
                .where(col(Delivery.id).in_(ids), col(Delivery.claimed_by) == worker_id)
                .values(**values)
            )


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
        "status": status, "attempts": Delivery.attempts + 1, "claimed_at": None, "claimed_by": None,
        "uncertain": maybe_posted,
    }  # fmt: skip
    if status is DeliveryStatus.SENT:
        values |= {"sent_at": now, "message_ref": message_ref, "last_error": None}
    if error is not None:
        values["last_error"] = error[:500]
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    session.execute(update(Delivery).where(col(Delivery.id) == delivery_id).values(**values))


@dataclass(frozen=True, slots=True)
class Posted:
    """A delivery its worker posted and has yet to record; `thread`, a case's first message."""

    delivery_id: int
    message_ref: str
    at: datetime
    thread: PostedMessage | None = None


def record_posted(session: Session, worker_id: str, posted: list[Posted]) -> None:
    """Record many posts at once as sent, and the case threads they started. A delivery is marked
    only while still pending under this worker's claim: one taken over meanwhile (the worker was
    thought dead) is left to its new worker, which looks the message up before posting it."""
    if not posted:
        return
    table = Delivery.__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(
            table.c.id == bindparam("posted_id"),
            table.c.claimed_by == worker_id,
            table.c.status == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.SENT, attempts=table.c.attempts + 1, claimed_at=None, claimed_by=None,
                uncertain=False, sent_at=bindparam("posted_at"), message_ref=bindparam("posted_ref"), last_error=None),
        [{"posted_id": p.delivery_id, "posted_at": p.at, "posted_ref": p.message_ref} for p in posted],
    )  # fmt: skip
    threads = [p.thread for p in posted if p.thread is not None]
    if threads:
        # Another worker that took a claim over and found the message may have recorded the thread.
        dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
        session.execute(
            dialect.insert(PostedMessage.__table__)  # type: ignore[attr-defined]
            .values([thread.model_dump(exclude={"id"}) for thread in threads])
            .on_conflict_do_nothing(index_elements=["platform", "channel", "case_id"])
        )


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
