"""APScheduler's job store in the bot's database, holding JSON documents (see `job_document.py`).

The table keeps the shape of APScheduler's own SQL store (`id`, `next_run_time`, `job_state`), so a
database that ran the pickling store needs no migration: its rows are not JSON documents, so they
are logged and removed like any other row we refuse, and reconciliation plans those occurrences
again from the program's tables. A refused row never stops the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore, ConflictingIdError, JobLookupError
from apscheduler.util import datetime_to_utc_timestamp, utc_timestamp_to_datetime
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Float,
    LargeBinary,
    MetaData,
    Row,
    Table,
    Unicode,
    select,
)
from sqlalchemy.exc import IntegrityError

from schedules.job_document import MAX_ID_LENGTH, RefusedJob, decode, encode
from storage.database import Database

log = logging.getLogger(__name__)
JOB_TABLE = "apscheduler_jobs"


class DocumentJobStore(BaseJobStore):
    """Jobs as validated JSON documents in one table of the bot's database, never as pickles."""

    def __init__(self, database: Database, tablename: str = JOB_TABLE) -> None:
        super().__init__()
        # The bot's, which the store neither owns nor disposes: on a SQLite file its transactions
        # take their turn on the one writing connection like every other (`Database.connection`).
        self.database = database
        self.jobs_t = Table(
            tablename,
            MetaData(),
            Column("id", Unicode(MAX_ID_LENGTH), primary_key=True),
            Column("next_run_time", Float(25), index=True),
            Column("job_state", LargeBinary, nullable=False),  # UTF-8 JSON; the name is APScheduler's
        )

    def start(self, scheduler: object, alias: str) -> None:
        super().start(scheduler, alias)
        with self.database.connection() as connection:
            self.jobs_t.create(connection, checkfirst=True)

    def lookup_job(self, job_id: str) -> Job | None:
        query = select(self.jobs_t.c.id, self.jobs_t.c.next_run_time, self.jobs_t.c.job_state)
        with self.database.connection() as connection:
            jobs = self._restore(connection, connection.execute(query.where(self.jobs_t.c.id == job_id)).all())
        return jobs[0] if jobs else None

    def get_due_jobs(self, now: datetime) -> list[Job]:
        return self._jobs(self.jobs_t.c.next_run_time <= datetime_to_utc_timestamp(now))

    def get_next_run_time(self) -> datetime | None:
        query = (
            select(self.jobs_t.c.next_run_time)
            .where(self.jobs_t.c.next_run_time.is_not(None))
            .order_by(self.jobs_t.c.next_run_time)
            .limit(1)
        )
        with self.database.connection() as connection:
            return utc_timestamp_to_datetime(connection.execute(query).scalar())

    def get_all_jobs(self) -> list[Job]:
        jobs = self._jobs()
        self._fix_paused_jobs_sorting(jobs)
        return jobs

    def add_job(self, job: Job) -> None:
        row = {"id": job.id, "next_run_time": datetime_to_utc_timestamp(job.next_run_time), "job_state": encode(job)}
        with self.database.connection() as connection:
            try:
                connection.execute(self.jobs_t.insert().values(row))
            except IntegrityError:
                raise ConflictingIdError(job.id) from None

    def update_job(self, job: Job) -> None:
        row = {"next_run_time": datetime_to_utc_timestamp(job.next_run_time), "job_state": encode(job)}
        with self.database.connection() as connection:
            if connection.execute(self.jobs_t.update().values(row).where(self.jobs_t.c.id == job.id)).rowcount == 0:
                raise JobLookupError(job.id)

    def remove_job(self, job_id: str) -> None:
        with self.database.connection() as connection:
            if connection.execute(self.jobs_t.delete().where(self.jobs_t.c.id == job_id)).rowcount == 0:
                raise JobLookupError(job_id)

    def remove_all_jobs(self) -> None:
        with self.database.connection() as connection:
            connection.execute(self.jobs_t.delete())

    def _jobs(self, *conditions: ColumnElement[bool]) -> list[Job]:
        query = select(self.jobs_t.c.id, self.jobs_t.c.next_run_time, self.jobs_t.c.job_state)
        with self.database.connection() as connection:
            rows = connection.execute(query.where(*conditions).order_by(self.jobs_t.c.next_run_time)).all()
            return self._restore(connection, rows)

    def _restore(self, connection: Connection, rows: Sequence[Row[Any]]) -> list[Job]:
        """The rows' jobs; a row that is not a valid document is logged and removed, never run."""
        jobs, refused = [], []
        for row in rows:
            job_id = row.id
            try:
                state = decode(row.job_state, job_id)
            except RefusedJob as reason:
                log.warning(
                    "Removed job %r from %s, due %s: not a job this bot schedules (%s). "
                    "Reconciliation plans its future occurrences again from the program's tables.",
                    job_id, self.jobs_t.name, _due(row.next_run_time), reason,
                )  # fmt: skip
                refused.append(job_id)
                continue
            job = Job.__new__(Job)
            job.__setstate__(state)
            job._scheduler = self._scheduler  # the store links what it restores, as APScheduler's stores do
            job._jobstore_alias = self._alias
            jobs.append(job)
        if refused:
            connection.execute(self.jobs_t.delete().where(self.jobs_t.c.id.in_(refused)))
        return jobs


def _due(timestamp: object) -> str:
    """A refused row's due time for the log, whatever the row holds."""
    try:
        return "never" if timestamp is None else utc_timestamp_to_datetime(timestamp).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return repr(timestamp)
