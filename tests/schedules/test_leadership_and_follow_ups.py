"""One leader per deployment, and what the scheduler follows up: undecided cases, appeals, digests."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from handlers.kit.context import ProgramRules
from schedules.jobs import DIGEST, FOLLOW_UP_SWEEP, fire
from schedules.leader import LeaderLock
from schedules.service import SchedulerService
from storage.database import Database
from support.clock import FakeClock
from support.databases import create_schema, drop_schema, postgres_schema_url
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

TAOBAO = "https://item.taobao.com/item.htm?id={}"


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


def service(database: Database, clock: FakeClock) -> SchedulerService:
    return SchedulerService(database, ProgramRules(), clock=clock, scheduler=ManualScheduler())


def test_one_process_leads_and_a_standby_takes_over_when_it_dies(database: Database, clock: FakeClock) -> None:
    first, second = service(database, clock), service(database, clock)
    try:
        assert first.step() is True and first.running
        if not database.is_postgresql:
            # SQLite serves a single process, which always leads.
            assert first.leader.poll() is True
            return
        assert second.step() is False and not second.running, "a second scheduler would run jobs twice"
        first.stop()  # the leader dies: its lock goes with its connection
        assert second.step() is True and second.running
    finally:
        first.stop()
        second.stop()


def test_two_schedulers_sharing_postgresql_announce_each_occurrence_once(
    bot: Harness, database: Database, clock: FakeClock
) -> None:
    bot.ok('admin org add acme "ACME Corp"')
    first, second = service(database, clock), service(database, clock)
    try:
        first.step()
        second.step()
        for running in (first, second):
            if running.running:
                assert isinstance(running.scheduler, ManualScheduler)
                running.scheduler.tick()
        digest_jobs = [job for job in first.scheduler.get_jobs() if job.id.startswith(f"{DIGEST}:")]
        assert len(digest_jobs) == 1
        clock.now = digest_jobs[0].next_run_time
        fire(digest_jobs[0].id)
        fire(digest_jobs[0].id)  # even if both processes ran it: one message per organisation
        digests = [p for p in bot.delivered() if p.kind == "weekly_digest"]
        assert sorted(p.channel for p in digests) == ["org:acme", "team"]
    finally:
        first.stop()
        second.stop()


def test_the_weekly_digest_counts_listings_and_storefronts_reported_apart(program: Harness) -> None:
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok(f"complaint {TAOBAO.format(1)} {TAOBAO.format(2)} https://shop123456.taobao.com/", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.delivered()
    program.clock.advance(days=1)
    fire(f"{DIGEST}:20261119T200000Z")
    digests = {p.channel: p.text for p in program.delivered() if p.kind == "weekly_digest"}
    assert digests["org:acme"] == (
        "ACME Corp, the last 7 days: 2 listings and 1 storefront reported, 1 removed (100.0% taken down)."
    )
    assert digests["org:globex"].startswith("Globex Ltd, the last 7 days: 0 listings and 0 storefronts reported,")


def test_an_undecided_case_is_escalated_to_its_team_thread_each_day_until_decided(program: Harness) -> None:
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    program.delivered()
    fire(FOLLOW_UP_SWEEP)
    assert [p for p in program.delivered() if p.kind == "escalation"] == [], "not before a day has passed"
    program.clock.advance(hours=25)
    fire(FOLLOW_UP_SWEEP)
    fire(FOLLOW_UP_SWEEP)
    (first,) = [p for p in program.delivered() if p.kind == "escalation"]
    assert (first.channel, first.case_id, first.text) == (
        "team",
        "MS-000001",
        "MS-000001 has had no outcome for 1 day.",
    )
    program.clock.advance(days=1)
    fire(FOLLOW_UP_SWEEP)
    (second,) = [p for p in program.delivered() if p.kind == "escalation"]
    assert second.text == "MS-000001 has had no outcome for 2 days."
    program.ok("outcome MS-000001 all removed", as_="team1")
    program.clock.advance(days=1)
    fire(FOLLOW_UP_SWEEP)
    assert [p for p in program.delivered() if p.kind == "escalation"] == []


def test_an_appeal_is_reminded_to_the_brand_before_it_is_due_and_escalated_after(program: Harness) -> None:
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.ok("outcome MS-000001 1 counter_notice", as_="team1")  # Wed 15:00: due Mon 15:00 (3 business days)
    program.delivered()
    program.clock.advance(days=1, hours=23)  # Friday 14:00: more than a business day before it is due
    fire(FOLLOW_UP_SWEEP)
    assert [p for p in program.delivered() if p.kind.startswith("appeal")] == []
    program.clock.advance(hours=2)  # Friday 16:00: within one business day of Monday 15:00
    fire(FOLLOW_UP_SWEEP)
    (due,) = [p for p in program.delivered() if p.kind.startswith("appeal")]
    assert (due.channel, due.kind) == ("org:acme", "appeal_due")
    assert due.text == "The seller's appeal on item 1 of MS-000001 is due by 2026-11-23 15:00 EST."
    program.clock.advance(days=3)  # Monday 16:00: overdue
    fire(FOLLOW_UP_SWEEP)
    fire(FOLLOW_UP_SWEEP)
    (overdue,) = [p for p in program.delivered() if p.kind.startswith("appeal")]
    assert (overdue.channel, overdue.kind) == ("team", "appeal_overdue")


def test_deployments_in_other_schemas_of_one_database_each_have_their_own_leader(database: Database) -> None:
    """Advisory locks are per database: the lock is keyed by schema too, so neighbours never wait on us."""
    if not database.is_postgresql:
        assert LeaderLock(database).poll() is True  # SQLite: one process, always the leader
        return
    schema = f"marketsafe_neighbour_{os.getpid()}"
    create_schema(schema)
    neighbour = Database(postgres_schema_url(schema))
    ours, theirs, ours_again = LeaderLock(database), LeaderLock(neighbour), LeaderLock(database)
    try:
        assert ours.poll() is True
        assert theirs.poll() is True, "a deployment in another schema leads on its own"
        assert ours_again.poll() is False, "still one leader per deployment"
    finally:
        for lock in (ours, theirs, ours_again):
            lock.release()
        neighbour.dispose()
        drop_schema(schema)


def test_while_the_database_is_away_the_loop_backs_off_and_logs_the_outage_once(
    database: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A step that keeps failing is tried less and less often, and the log says so once with its
    traceback, not once an attempt (a replica must not spin nor flood its log while the database is down)."""
    running = SchedulerService(database, ProgramRules(), clock=clock, scheduler=ManualScheduler(), poll_interval=0.01)
    attempts: list[float] = []
    away = threading.Event()
    away.set()
    stepped = running.step

    def step() -> bool:
        attempts.append(time.monotonic())
        if away.is_set():
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        return stepped()

    monkeypatch.setattr(running, "step", step)
    with caplog.at_level(logging.INFO, logger="schedules.service"):
        running.run_forever()
        try:
            time.sleep(1.0)
            failed = len(attempts)
            away.clear()
            deadline = time.monotonic() + 15
            while not running.running and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            running.stop()
    # Waits of 0.01, 0.02, 0.04, ... s: about 7 attempts in a second, where a fixed wait made 100.
    assert 3 <= failed <= 10, failed
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(failures) == 1 and failures[0].exc_info is not None, [r.getMessage() for r in caplog.records]
    assert any("works again" in r.getMessage() for r in caplog.records)
