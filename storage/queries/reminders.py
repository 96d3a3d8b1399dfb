"""Reminders members set: theirs, one by id, how many are active; and those the scheduler plans."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, true, update
from sqlmodel import Session, col, select

from storage.models import Member, Reminder


def active_reminders_of(session: Session, member_id: int) -> list[Reminder]:
    """A member's active reminders, oldest first."""
    return list(
        session.exec(
            select(Reminder).where(Reminder.member_id == member_id, col(Reminder.active)).order_by(col(Reminder.id))
        ).all()
    )


def all_active_reminders(session: Session) -> list[tuple[Reminder, Member]]:
    """Every active reminder with the member who set it, oldest first."""
    rows = session.exec(
        select(Reminder, Member)
        .join(Member, col(Member.id) == col(Reminder.member_id))
        .where(col(Reminder.active))
        .order_by(col(Reminder.id))
    ).all()
    return [(reminder, member) for reminder, member in rows]


def active_reminder(session: Session, reminder_id: int, member_id: int | None = None) -> Reminder | None:
    """An active reminder by id; with `member_id`, only if that member set it."""
    query = select(Reminder).where(Reminder.id == reminder_id, col(Reminder.active))
    if member_id is not None:
        query = query.where(Reminder.member_id == member_id)
    return session.exec(query).first()


def count_active_reminders(session: Session, member_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Reminder).where(Reminder.member_id == member_id, col(Reminder.active))
    ).one()


# --- what the scheduler reads: only reminders due soon, never every reminder ever set -----------


def reminders_due_by(
    session: Session, moment: datetime, after: datetime | None = None, limit: int | None = None
) -> list[Reminder]:
    """Active reminders whose next occurrence falls at or before `moment` (and after `after`),
    soonest first: a range of the (active, next_at) index."""
    query = select(Reminder).where(col(Reminder.active) == true(), col(Reminder.next_at) <= moment)
    if after is not None:
        query = query.where(col(Reminder.next_at) > after)
    return list(session.exec(query.order_by(col(Reminder.next_at), col(Reminder.id)).limit(limit)).all())


def unplanned_reminders(session: Session, limit: int = 1000) -> list[Reminder]:
    """Active reminders the scheduler has not given a next occurrence yet (new ones)."""
    query = select(Reminder).where(col(Reminder.active) == true(), col(Reminder.next_at).is_(None))
    return list(session.exec(query.order_by(col(Reminder.id)).limit(limit)).all())


def reminders_by_ids(session: Session, reminder_ids: Collection[int]) -> list[Reminder]:
    return list(session.exec(select(Reminder).where(col(Reminder.id).in_(list(reminder_ids)))).all())


def locked_reminder(session: Session, reminder_id: int) -> Reminder | None:
    """A reminder, its row locked until the transaction ends (PostgreSQL; SQLite's transactions
    hold the write lock from their start)."""
    return session.exec(select(Reminder).where(Reminder.id == reminder_id).with_for_update()).first()


def plan_reminder(session: Session, reminder_id: int, next_at: datetime) -> bool:
    """Give a new reminder its first occurrence, unless the scheduler already has (compare-and-set)."""
    planned = session.execute(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.next_at).is_(None), col(Reminder.active) == true())
        .values(next_at=next_at)
    )
    return bool(planned.rowcount)  # type: ignore[attr-defined]
