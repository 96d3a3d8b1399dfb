"""Reconciliation follows what changed and what comes due, not every reminder ever set; and an
upgraded database's reminders carry on from where the last release left them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text, update
from sqlmodel import col, select

from handlers.kit.context import ProgramRules
from schedules.service import HORIZON, SchedulerService
from storage.database import Database
from storage.models import AuditEntry, Reminder, ScheduleChange
from support.clock import FakeClock
from support.databases import BACKENDS, create_schema, drop_schema, postgres_schema_url
from support.first_revision import FIRST_REVISION, NOW, fill_first_revision, insert
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

ZONE = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def scheduler(program: Harness) -> Iterator[SchedulerService]:
    running = SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    running.step()
    yield running
    running.stop()


def reminder_jobs(scheduler: SchedulerService) -> list[str]:
    return sorted(job.id for job in scheduler.scheduler.get_jobs() if job.id.startswith("reminder:"))


def test_a_reminder_far_ahead_enters_the_job_store_only_when_it_comes_within_the_horizon(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind me in 3 days to renew the mark", as_="brand1")
    scheduler.sync()
    assert reminder_jobs(scheduler) == [], "three days ahead: only in the table"
    due = program.clock.now + timedelta(days=3)
    program.clock.now = due - HORIZON + timedelta(minutes=1)
    scheduler.sync()
    assert reminder_jobs(scheduler) == ["reminder:1:20261121T200000Z"]
    program.clock.now = due
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    assert [p.text for p in program.delivered() if p.kind == "reminder"] == ["Reminder: renew the mark"]


def test_a_change_made_by_any_statement_reaches_the_scheduler_and_the_change_log_is_emptied(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind me in 30 minutes to call the platform", as_="brand1")
    program.ok("remind team in 40 minutes to check the queue", as_="team1")
    scheduler.sync()
    assert len(reminder_jobs(scheduler)) == 2
    with program.database.transaction() as session:  # a bulk statement, not the ORM's unit of work
        session.execute(update(Reminder).where(col(Reminder.id) == 1).values(active=False))
    scheduler.sync()
    assert reminder_jobs(scheduler) == ["reminder:2:20261118T204000Z"], "the other reminder's job stays"
    with program.database.transaction() as session:
        assert session.exec(select(ScheduleChange)).all() == [], "read changes are not kept"
    program.clock.advance(hours=1)
    scheduler.sync()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    assert [p.text for p in program.delivered() if p.kind == "reminder"] == ["Reminder: check the queue"]


def test_a_fired_one_off_reminder_is_inactive_with_nothing_left_to_plan(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind me in 10 minutes to call back", as_="brand1")
    program.clock.advance(minutes=10)
    scheduler.sync()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    with program.database.transaction() as session:
        reminder = session.get(Reminder, 1)
        assert reminder is not None and (reminder.active, reminder.next_at) == (False, None)


# --- upgrading: one-offs that fired under the last release -----------------------------------


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database at the last release's schema with a weekly reminder and two one-offs: one that
    fired (its notice is in the outbox) but stayed active, one still to come."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        schema = f"marketsafe_sched_upgrade_{os.getpid()}"
        create_schema(schema)
        database = Database(postgres_schema_url(schema))
    database.upgrade(FIRST_REVISION)
    fill_first_revision(database)
    database.upgrade("0005")
    later = datetime.now(UTC) + timedelta(days=2)
    with database.engine.begin() as connection:
        for reminder_id, first_at in ((2, NOW), (3, later)):
            insert(
                connection, "reminder", id=reminder_id, member_id=1, target="org:acme", text=f"once {reminder_id}",
                first_at=first_at, recurrence=None, timezone="America/New_York", active=True, created_at=NOW,
            )  # fmt: skip
        insert(
            connection, "notice", id=50, created_at=NOW, channel="org:acme", kind="reminder", text="Reminder: once 2",
            payload={}, dedupe_key="reminder:2:20261118T200000Z",
        )  # fmt: skip
        if database.is_postgresql:  # rows written with their ids leave the id sequence behind
            connection.execute(text("SELECT setval('audit_entry_id_seq', (SELECT max(id) FROM audit_entry))"))
    yield database
    database.dispose()
    if request.param != "sqlite":
        drop_schema(f"marketsafe_sched_upgrade_{os.getpid()}")


def test_the_upgrade_retires_one_offs_that_fired_and_plans_the_rest(old_database: Database) -> None:
    old_database.upgrade()
    with old_database.transaction() as session:
        fired, coming, weekly = (session.get(Reminder, n) for n in (2, 3, 1))
        assert fired is not None and (fired.active, fired.next_at) == (False, None)
        assert coming is not None and coming.active and coming.next_at == coming.first_at
        assert weekly is not None and weekly.active and weekly.next_at is not None
        assert weekly.next_at > datetime.now(UTC) - timedelta(hours=1), "no occurrence of its past comes back"
        assert weekly.next_at.astimezone(ZONE).strftime("%a %H:%M") == "Mon 09:00"
        audited = session.exec(select(AuditEntry).where(AuditEntry.entity == "reminder")).all()
        assert [(a.entity_id, a.action, a.to_status) for a in audited] == [(2, "fired", "fired")]
    with old_database.engine.begin() as connection:
        connection.execute(text("DELETE FROM schedule_change"))
        connection.execute(text("UPDATE reminder SET text = 'renamed' WHERE id = 3"))
        assert connection.execute(text("SELECT count(*) FROM schedule_change")).scalar() == 0, (
            "only what decides when a reminder fires is logged"
        )
        connection.execute(text("UPDATE reminder SET active = false WHERE id = 3"))
        assert connection.execute(text("SELECT source, source_id FROM schedule_change")).all() == [("reminder", 3)]


def test_metrics_can_tell_who_leads_and_how_late_each_occurrence_was_posted(
    program: Harness, scheduler: SchedulerService
) -> None:
    fired: list[tuple[str, float]] = []
    scheduler.on_fired(lambda job_id, lateness: fired.append((job_id, lateness)))
    assert scheduler.leading
    program.ok("remind me in 10 minutes to call back", as_="brand1")
    scheduler.sync()
    program.clock.advance(minutes=10, seconds=3)
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    assert ("reminder:1:20261118T201000Z", 3.0) in fired
    scheduler.stop()
    assert not scheduler.leading
