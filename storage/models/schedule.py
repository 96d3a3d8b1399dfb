"""What the scheduler records so that no occurrence is lost or posted twice, and what it reads to
reconcile only what changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import one_of, utcnow
from storage.vocabulary import OccurrenceOutcome


class ScheduledOccurrence(SQLModel, table=True):
    """One occurrence of a scheduled job (a reminder's, an announcement's, an agenda's, a digest's),
    recorded once, in the transaction that writes its notice: posted, or reported missed. The unique
    key is what keeps it from being posted twice, or both posted and reported missed."""

    __tablename__ = "scheduled_occurrence"
    __table_args__ = (UniqueConstraint("kind", "source_id", "due_at"), one_of("outcome", OccurrenceOutcome))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # what the job id names before its first colon
    source_id: int  # the reminder's or milestone's id; 0 for the digest
    due_at: datetime  # to the second, as the job id writes it
    outcome: str = Field(max_length=8)
    recorded_at: datetime = Field(default_factory=utcnow)


class ScheduleChange(SQLModel, table=True):
    """A milestone or reminder was added, changed or removed. Database triggers write these rows
    (so every writer is seen, bulk statements too); the leader reads them in order to reconcile only
    what changed, and deletes those it has read."""

    __tablename__ = "schedule_change"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: the reader keeps a cursor

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)  # "milestone" or "reminder"
    source_id: int


class SchedulerMark(SQLModel, table=True):
    """A moment the scheduler has recorded everything up to: `calendar` means every announcement,
    agenda and digest due at or before `at` is recorded in `scheduled_occurrence` (or was due before
    the scheduler first ran with this table)."""

    __tablename__ = "scheduler_mark"

    name: str = Field(primary_key=True, max_length=40)
    at: datetime
