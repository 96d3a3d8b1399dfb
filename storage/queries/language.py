"""Language requests: one by id, lists for the team and for an organisation, and answering."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.models import LanguageRequest
from storage.vocabulary import LanguageRequestStatus


def open_requests(session: Session, *, limit: int, offset: int = 0) -> tuple[list[LanguageRequest], int]:
    """Open requests of every organisation, oldest first (the team's queue), and how many there are."""
    where = LanguageRequest.status == LanguageRequestStatus.OPEN
    rows = session.exec(
        select(LanguageRequest).where(where).order_by(col(LanguageRequest.id)).limit(limit).offset(offset)
    ).all()
    total = session.exec(select(func.count()).select_from(LanguageRequest).where(where)).one()
    return list(rows), total


def requests_of(
    session: Session, organisation_id: int | None, *, limit: int, offset: int = 0
) -> tuple[list[LanguageRequest], int]:
    """One organisation's requests (every organisation's for None), newest first, and how many."""
    query = select(LanguageRequest)
    count = select(func.count()).select_from(LanguageRequest)
    if organisation_id is not None:
        query = query.where(LanguageRequest.organisation_id == organisation_id)
        count = count.where(LanguageRequest.organisation_id == organisation_id)
    rows = session.exec(query.order_by(col(LanguageRequest.id).desc()).limit(limit).offset(offset)).all()
    return list(rows), session.exec(count).one()


def record_answer(session: Session, request: LanguageRequest, *, answer: str, by: str, at: datetime) -> bool:
    """Answer an open request; False when someone answered it first (the row is then reloaded).

    The update is conditional on the request still being open, so two team members answering at
    once cannot both succeed, on SQLite or PostgreSQL.
    """
    assert request.id is not None
    result = session.execute(
        update(LanguageRequest)
        .where(col(LanguageRequest.id) == request.id, col(LanguageRequest.status) == LanguageRequestStatus.OPEN)
        .values(status=LanguageRequestStatus.ANSWERED, answer=answer, answered_by=by, answered_at=at)
    )
    session.refresh(request)
    return getattr(result, "rowcount", 0) == 1
