"""Requests already handled, so that a retried platform request changes nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.models import HandledRequest


def claim_request(session: Session, key: str, now: datetime) -> None:
    """Mark the request as being handled; a concurrent duplicate fails on the primary key."""
    session.add(HandledRequest(key=key, handled_at=now))
    session.flush()


def earlier_reply(session: Session, key: str) -> str | None:
    handled = session.get(HandledRequest, key)
    return handled.reply_text if handled is not None else None


def record_reply(session: Session, key: str, text: str) -> None:
    handled = session.get(HandledRequest, key)
    if handled is not None:
        handled.reply_text = text
        session.add(handled)


def prune_requests(session: Session, before: datetime) -> int:
    """Forget requests handled before `before` (platforms retry within minutes, not days)."""
    result = session.execute(delete(HandledRequest).where(col(HandledRequest.handled_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
