"""A leader that dies as its jobs fire loses nothing: APScheduler has already removed each job from
its store, but the occurrence is recorded only with its notice, so the next leader posts every due
occurrence once, or reports it missed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from handlers.kit.context import ProgramRules
from handlers.kit.replies import Notice
from schedules import jobs
from schedules.service import SchedulerService
from storage.database import Database
from storage.models import Reminder, ScheduledOccurrence
from support.clock import FakeClock
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

DUE = datetime(2026, 11, 18, 21, 0, tzinfo=UTC)  # an hour after the clock's start


ALL_SEVEN = [f"Reminder: check batch {n}" for n in range(6)] + ["Reminder: daily triage"]


class LeaderDied(BaseException):
    """The process ends inside a job, before its transaction commits (kill -9, power loss)."""


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


def service(database: Database, clock: FakeClock) -> SchedulerService:
    return SchedulerService(database, ProgramRules(), clock=clock, scheduler=ManualScheduler())


def set_reminders(program: Harness) -> None:
    """Seven reminders due at 16:00 New York time: six once, one every day."""
    for n in range(6):
        program.ok(f"remind me on 2026-11-18 16:00 to check batch {n}", as_="brand1")
    program.ok("remind team every day 16:00 daily triage", as_="team1")
    program.delivered()


def kill_the_leader_as_it_fires(
    program: Harness, monkeypatch: pytest.MonkeyPatch, survivors: int
) -> tuple[SchedulerService, list[str]]:
    """The leader runs the due jobs; after `survivors` of them committed, the process dies inside
    the next one. Returns the dead leader and the ids of the jobs it had taken from its store."""
    leader = service(program.database, program.clock)
    leader.step()
    program.clock.now = DUE
    leader.sync()
    due = [job.id for job in leader.scheduler.get_jobs() if job.id.startswith("reminder:")]
    assert len(due) == 7, due
    committed = 0
    real_save = jobs.save_notices

    def save_then_maybe_die(session: Session, notices: list[Notice], now: datetime) -> None:
        nonlocal committed
        if any(notice.kind == "reminder" for notice in notices):
            if committed >= survivors:
                raise LeaderDied
            committed += 1
        real_save(session, notices, now)

    monkeypatch.setattr(jobs, "save_notices", save_then_maybe_die)
    assert isinstance(leader.scheduler, ManualScheduler)
    leader.scheduler.tick()  # APScheduler's executor logs the death of each job and goes on: all die
    monkeypatch.setattr(jobs, "save_notices", real_save)
    taken = [job_id for job_id in due if leader.scheduler.get_job(job_id) is None]
    leader.leader.release()  # the dead process's connection, and with it the lock, goes
    return leader, taken


def reminders_posted(program: Harness) -> dict[str, int]:
    counts: dict[str, int] = {}
    for posted in program.delivered():
        if posted.kind == "reminder":
            counts[posted.text] = counts.get(posted.text, 0) + 1
    return counts


def test_a_new_leader_posts_each_reminder_the_dead_one_left_unsent_once(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_reminders(program)
    _, taken = kill_the_leader_as_it_fires(program, monkeypatch, survivors=3)
    assert len(taken) == 7, "APScheduler took the jobs from its store before running them"
    before = reminders_posted(program)
    assert len(before) == 3, "three committed before the leader died"
    program.clock.advance(seconds=2)  # the standby takes over
    successor = service(program.database, program.clock)
    try:
        successor.step()
        assert isinstance(successor.scheduler, ManualScheduler)
        successor.scheduler.tick()
        program.clock.advance(minutes=1)
        successor.sync()
        successor.scheduler.tick()
        after = reminders_posted(program)
        assert set(before).isdisjoint(after), "what the dead leader committed is not posted again"
        assert {**before, **after} == dict.fromkeys(ALL_SEVEN, 1), "the rest are posted, each once"
        assert [p for p in program.delivered() if p.kind == "missed"] == []
        assert program.ok("remind list", as_="brand1").text == "You have no active reminders."
    finally:
        successor.stop()


def test_each_occurrence_the_dead_leader_left_is_reported_missed_once_after_its_grace(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_reminders(program)
    kill_the_leader_as_it_fires(program, monkeypatch, survivors=2)
    program.delivered()
    program.clock.now = DUE + timedelta(hours=3)  # nobody led for three hours: beyond the 1-hour grace
    successor = service(program.database, program.clock)
    try:
        successor.step()
        assert isinstance(successor.scheduler, ManualScheduler)
        successor.scheduler.tick()
        successor.sync()
        delivered = program.delivered()
        missed = sorted(p.text for p in delivered if p.kind == "missed")
        assert [p for p in delivered if p.kind == "reminder"] == [], "too late to send"
        assert len(missed) == 5 and len(set(missed)) == 5
        assert all(text.startswith("Missed while the bot was down: reminder #") for text in missed)
        with program.database.transaction() as session:
            daily = session.get(Reminder, 7)
            assert daily is not None and daily.active and daily.next_at == DUE + timedelta(days=1)
            outcomes = sorted(o.outcome for o in session.exec(select(ScheduledOccurrence)).all())
        assert outcomes == ["missed"] * 5 + ["posted"] * 2
    finally:
        successor.stop()


def test_an_occurrence_is_never_posted_twice_nor_both_posted_and_reported_missed(program: Harness) -> None:
    set_reminders(program)
    leader = service(program.database, program.clock)
    try:
        leader.step()
        program.clock.now = DUE
        leader.sync()
        due = [job.id for job in leader.scheduler.get_jobs() if job.id.startswith("reminder:")]
        assert isinstance(leader.scheduler, ManualScheduler)
        leader.scheduler.tick()
        jobs.fire(due[0])  # a second leader in a network split runs one again
        program.clock.advance(hours=2)  # and a pass that finds them all past their grace
        leader._catch_up(program.clock.now, timedelta(0))
        delivered = program.delivered()
        assert sorted(p.text for p in delivered if p.kind == "reminder") == sorted(ALL_SEVEN)
        assert [p for p in delivered if p.kind == "missed"] == []
        with program.database.transaction() as session:
            recorded = [(o.kind, o.source_id, o.due_at) for o in session.exec(select(ScheduledOccurrence)).all()]
        assert len(recorded) == len(set(recorded)) == 7
    finally:
        leader.stop()
