"""Requests already handled, so that a retried platform request changes nothing twice.

Every command that changes something goes through these three statements, so they are rendered
once and run on the driver's cursor of the command's transaction (`storage.direct`): the ORM's unit
of work, or even SQLAlchemy's execution, would cost more than the statements themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session, col

from storage.direct import Direct
from storage.models import HandledRequest

_TABLE = HandledRequest.__table__  # type: ignore[attr-defined]
_CLAIM = Direct(insert(_TABLE).values(key=bindparam("request_key"), handled_at=bindparam("handled"), reply_text=""))
_EARLIER = Direct(select(_TABLE.c.reply_text).where(_TABLE.c["key"] == bindparam("request_key")))
_RECORD = Direct(
    update(_TABLE).where(_TABLE.c["key"] == bindparam("request_key")).values(reply_text=bindparam("reply"))
)


def claim_request(session: Session, key: str, now: datetime) -> None:
    """Mark the request as being handled; a concurrent duplicate fails on the primary key."""
    _CLAIM.count(session.connection(), {"request_key": key, "handled": now})


def earlier_reply(session: Session, key: str) -> str | None:
    """The reply recorded for the request, "" when it was claimed with none; None when it is new."""
    found = _EARLIER.first(session.connection(), {"request_key": key})
    return str(found[0] or "") if found is not None else None


def record_reply(session: Session, key: str, text: str) -> None:
    _RECORD.count(session.connection(), {"request_key": key, "reply": text})


def prune_requests(session: Session, before: datetime) -> int:
    """Forget requests handled before `before` (platforms retry within minutes, not days)."""
    result = session.execute(delete(HandledRequest).where(col(HandledRequest.handled_at) < before))
    return int(getattr(result, "rowcount", 0) or 0)
