"""Reminders members set: theirs, one by id, how many are active."""

from __future__ import annotations

from sqlalchemy import func
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
