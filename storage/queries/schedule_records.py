"""The scheduler's records: occurrences recorded once, how far the calendar is recorded, and the
log of changed milestones and reminders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, select

from storage.models import ScheduleChange, ScheduledOccurrence, SchedulerMark
from storage.vocabulary import OccurrenceOutcome


def record_occurrence(
    session: Session, kind: str, source_id: int, due_at: datetime, outcome: OccurrenceOutcome, now: datetime
) -> bool:
    """Record an occurrence as posted or missed; False (nothing written) when it was recorded
    already. A concurrent recorder waits for the first to commit, then records nothing."""
    table = SQLModel.metadata.tables[ScheduledOccurrence.__tablename__]
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(table)
        .values(kind=kind, source_id=source_id, due_at=due_at, outcome=outcome.value, recorded_at=now)
        .on_conflict_do_nothing(index_elements=["kind", "source_id", "due_at"])
        .returning(table.c.id)
    )
    return session.connection().execute(statement).first() is not None


def recorded_occurrences(
    session: Session, kind: str, source_ids: Iterable[int], since: datetime
) -> set[tuple[int, datetime]]:
    """(source id, due time) of the occurrences of these sources recorded with a due time after `since`."""
    ids = list(source_ids)
    if not ids:
        return set()
    rows = session.exec(
        select(ScheduledOccurrence.source_id, ScheduledOccurrence.due_at).where(
            ScheduledOccurrence.kind == kind, col(ScheduledOccurrence.source_id).in_(ids),
            col(ScheduledOccurrence.due_at) > since,
        )
    ).all()  # fmt: skip
    return {(source_id, due_at) for source_id, due_at in rows}


def mark(session: Session, name: str) -> datetime | None:
    row = session.get(SchedulerMark, name)
    return None if row is None else row.at


def set_mark(session: Session, name: str, at: datetime) -> None:
    row = session.get(SchedulerMark, name, with_for_update=True)
    if row is None:
        session.add(SchedulerMark(name=name, at=at))
    elif at > row.at:  # a mark only moves forward, whoever writes it
        row.at = at
        session.add(row)


def latest_change(session: Session) -> int:
    return session.execute(select(func.coalesce(func.max(ScheduleChange.id), 0))).scalar_one()


def changes_after(session: Session, change_id: int, limit: int = 10_000) -> list[ScheduleChange]:
    query = select(ScheduleChange).where(col(ScheduleChange.id) > change_id)
    return list(session.exec(query.order_by(col(ScheduleChange.id)).limit(limit)).all())


def forget_changes_through(session: Session, change_id: int) -> None:
    session.execute(delete(ScheduleChange).where(col(ScheduleChange.id) <= change_id))
