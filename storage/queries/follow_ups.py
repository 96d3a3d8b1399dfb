"""What the scheduler follows up: cases waiting for the team, appeals waiting for the brand."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Complaint, ComplaintItem, SellerAppeal
from storage.vocabulary import ComplaintStatus, CounterNoticeStatus

WAITING_FOR_THE_TEAM = (ComplaintStatus.SUBMITTED, ComplaintStatus.IN_REVIEW)


def undecided_cases_filed_before(session: Session, moment: datetime, limit: int = 5000) -> list[Complaint]:
    """Cases with no outcome yet that were filed before `moment`, oldest first."""
    return list(
        session.exec(
            select(Complaint)
            .where(col(Complaint.status).in_(WAITING_FOR_THE_TEAM), col(Complaint.created_at) <= moment)
            .order_by(col(Complaint.created_at))
            .limit(limit)
        ).all()
    )


def open_appeals_due_before(session: Session, moment: datetime) -> list[tuple[SellerAppeal, ComplaintItem, Complaint]]:
    """Open appeals whose answer is due before `moment`, with their item and case."""
    rows = session.exec(
        select(SellerAppeal, ComplaintItem, Complaint)
        .join(ComplaintItem, col(ComplaintItem.id) == col(SellerAppeal.item_id))
        .join(Complaint, col(Complaint.id) == col(ComplaintItem.complaint_id))
        .where(SellerAppeal.status == CounterNoticeStatus.OPEN, col(SellerAppeal.due_at) <= moment)
        .order_by(col(SellerAppeal.due_at))
    ).all()
    return [(appeal, item, complaint) for appeal, item, complaint in rows]
