"""The scheduler end to end through the outbox: announcements once at their time, across
restarts, moves and removals, missed runs, and two processes on one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import delete

from handlers.kit.context import ProgramRules
from schedules.service import SchedulerService
from storage.database import Database
from storage.models import Milestone
from support.clock import FakeClock
from support.harness import Harness, Posted
from support.scheduling import ManualScheduler, drive_scheduler_time

DEADLINE = datetime(2026, 12, 15, 17, 0, tzinfo=UTC)  # 12:00 in New York


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


def service(database: Database, clock: FakeClock) -> SchedulerService:
    return SchedulerService(database, ProgramRules(), clock=clock, scheduler=ManualScheduler())


@pytest.fixture
def scheduler(database: Database, clock: FakeClock) -> Iterator[SchedulerService]:
    running = service(database, clock)
    yield running
    running.stop()


def add_milestone(database: Database, at: datetime = DEADLINE, offsets: str = "10080,1440,60,0") -> int:
    with database.transaction() as session:
        milestone = Milestone(
            kind="application_deadline", title="Application deadline", at=at, timezone="America/New_York",
            reminder_offsets=offsets, created_by="console:operator",
        )  # fmt: skip
        session.add(milestone)
        session.flush()
        assert milestone.id is not None
        return milestone.id


def tick_at(bot: Harness, scheduler: SchedulerService, moment: datetime) -> list[Posted]:
    bot.clock.now = moment
    scheduler.step()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    # Only the calendar's: a test that leaps weeks also leaps over weekly digests.
    return [p for p in bot.delivered() if p.kind == "milestone" or (p.kind == "missed" and "announcement" in p.text)]


def test_each_reminder_of_a_milestone_is_announced_once_at_its_time(bot: Harness, scheduler: SchedulerService) -> None:
    add_milestone(bot.database)
    scheduler.step()
    assert tick_at(bot, scheduler, DEADLINE - timedelta(days=7, seconds=1)) == []
    (week,) = tick_at(bot, scheduler, DEADLINE - timedelta(days=7))
    assert week.channel == "announcements"
    assert week.text == "Application deadline in 7 days: 2026-12-15 12:00 EST."
    assert tick_at(bot, scheduler, DEADLINE - timedelta(days=6)) == [], "never twice"
    (day,) = tick_at(bot, scheduler, DEADLINE - timedelta(days=1))
    (hour,) = tick_at(bot, scheduler, DEADLINE - timedelta(hours=1))
    (now,) = tick_at(bot, scheduler, DEADLINE)
    assert (day.text, hour.text, now.text) == (
        "Application deadline in 1 day: 2026-12-15 12:00 EST.",
        "Application deadline in 1 hour: 2026-12-15 12:00 EST.",
        "Now: Application deadline (2026-12-15 12:00 EST).",
    )


def test_jobs_survive_a_restart_and_fire_once_in_the_new_process(
    bot: Harness, database: Database, clock: FakeClock
) -> None:
    add_milestone(database, offsets="1440")
    first = service(database, clock)
    first.step()
    first.stop()
    restarted = service(database, clock)
    try:
        (announced,) = tick_at(bot, restarted, DEADLINE - timedelta(days=1))
        assert announced.text.startswith("Application deadline in 1 day")
        assert tick_at(bot, restarted, DEADLINE - timedelta(hours=20)) == []
    finally:
        restarted.stop()


def test_a_reminder_missed_while_down_fires_once_at_start_within_its_grace(
    bot: Harness, database: Database, clock: FakeClock
) -> None:
    add_milestone(database, offsets="1440")
    first = service(database, clock)
    first.step()
    first.stop()  # down from here
    restarted = service(database, clock)
    try:
        (late,) = tick_at(bot, restarted, DEADLINE - timedelta(days=1) + timedelta(minutes=40))
        assert late.kind == "milestone" and late.text.startswith("Application deadline in 1 day")
    finally:
        restarted.stop()


def test_a_reminder_missed_beyond_its_grace_is_reported_to_the_team_not_dropped(
    bot: Harness, database: Database, clock: FakeClock
) -> None:
    add_milestone(database, offsets="1440")
    first = service(database, clock)
    first.step()
    first.stop()
    restarted = service(database, clock)
    try:
        (missed,) = tick_at(bot, restarted, DEADLINE - timedelta(days=1) + timedelta(hours=3))
        assert missed.channel == "team" and missed.kind == "missed"
        assert missed.text == (
            "Missed while the bot was down: the announcement of Application deadline, due 2026-12-14 12:00 EST. "
            "It was not sent."
        )
    finally:
        restarted.stop()


def test_moving_a_milestone_moves_its_reminders(bot: Harness, scheduler: SchedulerService) -> None:
    milestone_id = add_milestone(bot.database, offsets="60")
    scheduler.step()
    moved = DEADLINE + timedelta(days=2)
    with bot.database.transaction() as session:
        milestone = session.get(Milestone, milestone_id)
        assert milestone is not None
        milestone.at = moved
        session.add(milestone)
    scheduler.sync()
    assert tick_at(bot, scheduler, DEADLINE - timedelta(hours=1)) == []
    (announced,) = tick_at(bot, scheduler, moved - timedelta(hours=1))
    assert announced.text == "Application deadline in 1 hour: 2026-12-17 12:00 EST."


def test_removing_a_milestone_removes_its_reminders(bot: Harness, scheduler: SchedulerService) -> None:
    add_milestone(bot.database)
    scheduler.step()
    with bot.database.transaction() as session:
        session.execute(delete(Milestone))
    scheduler.sync()
    assert tick_at(bot, scheduler, DEADLINE) == []
    assert [job.id for job in scheduler.scheduler.get_jobs() if job.id.startswith("milestone:")] == []


def test_a_day_before_keeps_the_local_time_across_a_daylight_saving_change(
    bot: Harness, scheduler: SchedulerService
) -> None:
    # Clocks go forward in New York at 02:00 on 14 March 2027; the meeting is 09:00 EDT that day.
    meeting = datetime(2027, 3, 14, 13, 0, tzinfo=UTC)
    add_milestone(bot.database, at=meeting, offsets="1440")
    scheduler.step()
    assert tick_at(bot, scheduler, meeting - timedelta(hours=24)) == [], "24 h before is 08:00 EST, too early"
    (announced,) = tick_at(bot, scheduler, datetime(2027, 3, 13, 14, 0, tzinfo=UTC))  # 09:00 EST
    assert announced.text == "Application deadline in 1 day: 2027-03-14 09:00 EDT."


def test_an_occurrence_run_twice_is_announced_once(bot: Harness, scheduler: SchedulerService) -> None:
    add_milestone(bot.database, offsets="0")
    scheduler.step()
    (job,) = [job for job in scheduler.scheduler.get_jobs() if job.id.startswith("milestone:")]
    bot.clock.now = DEADLINE
    job.func(*job.args)
    job.func(*job.args)
    assert [p.kind for p in bot.delivered() if p.kind == "milestone"] == ["milestone"]


def test_reconciliation_is_safe_against_itself_while_the_leader_starts(
    bot: Harness, database: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A console command asking to reconcile while the scheduler starts must not re-add known jobs."""
    add_milestone(database, offsets="1440")
    first = service(database, clock)
    first.step()
    first.stop()
    restarted = service(database, clock)
    try:
        restarted.step()
        restarted._known.clear()  # as a reconciler that has not loaded the store yet would see it
        restarted.sync_if_leading()
        assert "sync failed" not in caplog.text
        (announced,) = tick_at(bot, restarted, DEADLINE - timedelta(days=1))
        assert announced.text.startswith("Application deadline in 1 day")
    finally:
        restarted.stop()
