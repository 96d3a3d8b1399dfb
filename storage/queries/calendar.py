"""The program calendar as the bot reads it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Milestone


def upcoming_milestones(session: Session, now: datetime, limit: int = 3) -> list[Milestone]:
    return list(
        session.exec(select(Milestone).where(col(Milestone.at) >= now).order_by(col(Milestone.at)).limit(limit)).all()
    )
