"""Requests already handled, so that a retried platform request changes nothing twice.

Every command a platform sends goes through these three statements, so they are built once, with
bound parameters, and run on the session's connection: the ORM's unit of work would cost more
than the statements themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session, col

from storage.models import HandledRequest

_TABLE = HandledRequest.__table__  # type: ignore[attr-defined]
_CLAIM = insert(_TABLE).values(key=bindparam("request_key"), handled_at=bindparam("handled"), reply_text="")
_EARLIER = select(_TABLE.c.reply_text).where(_TABLE.c["key"] == bindparam("request_key"))
_RECORD = update(_TABLE).where(_TABLE.c["key"] == bindparam("request_key")).values(reply_text=bindparam("reply"))


def claim_request(session: Session, key: str, now: datetime) -> None:
    """Mark the request as being handled; a concurrent duplicate fails on the primary key."""
    session.connection().execute(_CLAIM, {"request_key": key, "handled": now})


def earlier_reply(session: Session, key: str) -> str | None:
    """The reply recorded for the request, "" when it was claimed with none; None when it is new."""
    found = session.connection().execute(_EARLIER, {"request_key": key}).first()
    return str(found[0] or "") if found is not None else None


def record_reply(session: Session, key: str, text: str) -> None:
    session.connection().execute(_RECORD, {"request_key": key, "reply": text})


def prune_requests(session: Session, before: datetime) -> int:
    """Forget requests handled before `before` (platforms retry within minutes, not days)."""
    result = session.execute(delete(HandledRequest).where(col(HandledRequest.handled_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
