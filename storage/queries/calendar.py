"""The program calendar as the bot reads it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Milestone


def upcoming_milestones(session: Session, now: datetime, limit: int = 3) -> list[Milestone]:
    return list(
        session.exec(select(Milestone).where(col(Milestone.at) >= now).order_by(col(Milestone.at)).limit(limit)).all()
    )


def count_upcoming_milestones(session: Session, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(Milestone).where(col(Milestone.at) >= now)).one()


def past_milestones(session: Session, now: datetime, limit: int) -> list[Milestone]:
    """Milestones before `now`, the most recent first."""
    return list(
        session.exec(
            select(Milestone).where(col(Milestone.at) < now).order_by(col(Milestone.at).desc()).limit(limit)
        ).all()
    )


def count_past_milestones(session: Session, now: datetime) -> int:
    return session.exec(select(func.count()).select_from(Milestone).where(col(Milestone.at) < now)).one()


def identical_milestone(session: Session, kind: str, title: str, at: datetime) -> Milestone | None:
    """A milestone of the same kind and title at the same moment, if the calendar has one."""
    return session.exec(
        select(Milestone)
        .where(col(Milestone.kind) == kind, col(Milestone.title) == title, col(Milestone.at) == at)
        .order_by(col(Milestone.id))
        .limit(1)
    ).first()


def milestones_between(session: Session, after: datetime, until: datetime) -> list[Milestone]:
    """Milestones after `after`, up to `until`: those whose announcements may fall in a window."""
    return list(session.exec(select(Milestone).where(col(Milestone.at) > after, col(Milestone.at) <= until)).all())


def milestones_by_ids(session: Session, milestone_ids: list[int]) -> list[Milestone]:
    return list(session.exec(select(Milestone).where(col(Milestone.id).in_(milestone_ids))).all())
