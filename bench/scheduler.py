"""The scheduler with 10,000 reminders in its job store: how long the bot takes to start, and how
late each due reminder reaches the outbox (real time, the production BackgroundScheduler)."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col, select

from bench.report import Figure
from bot.router import Incoming, Router
from handlers.kit.context import Caller, ProgramRules
from schedules.service import SchedulerService
from storage.database import Database
from storage.models import OutboxNotice, Reminder, utcnow
from storage.vocabulary import NoticeKind, dm_channel

REMINDERS = 10_000
DUE_SOON = 20
SET_UP = ('admin org add acme "ACME Corp"', "admin member add console:brand1 acme member")


def _program(url: str) -> Database:
    database = Database(url)
    database.upgrade()
    router = Router(database, ProgramRules(), frozenset({"console:operator"}))
    for command in SET_UP:
        assert not router.handle(Incoming(Caller("console", "operator"), command)).is_error
    return database


def _reminders(database: Database, first: timedelta, spacing: timedelta, count: int, text: str) -> None:
    now = utcnow()
    rows = [
        {"member_id": 2, "target": dm_channel("console", "brand1"), "text": f"{text} {n}",
         "first_at": now + first + n * spacing, "recurrence": None, "timezone": "America/New_York",
         "active": True, "created_at": now}
        for n in range(count)
    ]  # fmt: skip
    with database.transaction() as session:
        session.execute(insert(Reminder), rows)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench-scheduler.db'}"
        database = _program(url)
        _reminders(database, timedelta(days=1), timedelta(minutes=1), REMINDERS, "later")
        loading = SchedulerService(database, ProgramRules())
        loading.step()  # puts the 10,000 jobs in the store
        loading.stop()
        database.dispose()

        started = time.perf_counter()
        database = Database(url)
        database.upgrade()
        service = SchedulerService(database, ProgramRules())
        service.step()
        start_seconds = time.perf_counter() - started
        jobs = len(service.scheduler.get_jobs())

        _reminders(database, timedelta(seconds=2), timedelta(milliseconds=150), DUE_SOON, "soon")
        service.sync()
        lateness = _lateness(database)
        service.stop()
        database.dispose()
    assert jobs >= REMINDERS, jobs
    return [
        Figure(f"scheduler start with {jobs:,} jobs in the store", start_seconds * 1000, "ms", 3000),
        Figure("due reminder to the outbox, median lateness", statistics.median(lateness) * 1000, "ms", None),
        Figure("due reminder to the outbox, worst lateness", max(lateness) * 1000, "ms", 1000),
    ]


def _lateness(database: Database) -> list[float]:
    """Seconds between each soon reminder's time and its notice's arrival in the outbox."""
    with database.transaction() as session:
        due = {
            f"reminder:{reminder.id}:": reminder.first_at
            for reminder in session.exec(select(Reminder).where(col(Reminder.text).startswith("soon"))).all()
        }
    arrived: dict[str, float] = {}
    deadline = time.monotonic() + 15
    while len(arrived) < len(due) and time.monotonic() < deadline:
        with database.transaction() as session:
            keys = session.exec(
                select(OutboxNotice.dedupe_key).where(col(OutboxNotice.kind) == NoticeKind.REMINDER)
            ).all()
        seen = utcnow()
        for key in keys:
            prefix = next((p for p in due if key and key.startswith(p)), None)
            if prefix is not None and prefix not in arrived:
                arrived[prefix] = (seen - due[prefix]).total_seconds()
        time.sleep(0.01)
    missing = set(due) - set(arrived)
    assert not missing, f"{len(missing)} reminders never reached the outbox"
    return list(arrived.values())
