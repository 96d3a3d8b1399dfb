"""What members set with commands is announced by the scheduler at its time, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers.kit.context import ProgramRules
from schedules.service import SchedulerService
from storage.models import AuditEntry, Reminder
from support.clock import FakeClock
from support.harness import Harness, Posted
from support.scheduling import ManualScheduler, drive_scheduler_time


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def scheduler(program: Harness) -> Iterator[SchedulerService]:
    running = SchedulerService(program.database, program.router.rules, clock=program.clock, scheduler=ManualScheduler())
    running.step()
    yield running
    running.stop()


def stored(bot: Harness) -> list[Reminder]:
    with bot.database.transaction() as session:
        return list(session.exec(select(Reminder).order_by(col(Reminder.id))).all())


def at(bot: Harness, scheduler: SchedulerService, moment: datetime, kinds: tuple[str, ...]) -> list[Posted]:
    """Reconcile as the running bot does every few seconds, then let time reach `moment`
    (reconciling there too: reminders enter the job store within an hour of their time)."""
    scheduler.sync()
    bot.clock.now = moment
    scheduler.sync()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    return [posted for posted in bot.delivered() if posted.kind in kinds]


def test_a_milestone_added_with_calendar_is_announced_at_each_reminder(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok('calendar add orientation 2026-12-01 10:00 "Orientation for new members" remind=1d,0')
    program.delivered()
    day_before = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 10:00 in New York
    (announced,) = at(program, scheduler, day_before, ("milestone",))
    assert announced.channel == "announcements"
    assert announced.text == "Orientation for new members in 1 day: 2026-12-01 10:00 EST."
    assert at(program, scheduler, day_before + timedelta(hours=2), ("milestone",)) == []
    (now,) = at(program, scheduler, day_before + timedelta(days=1), ("milestone",))
    assert now.text == "Now: Orientation for new members (2026-12-01 10:00 EST)."


def test_a_milestone_reminder_one_minute_before_says_minute_not_minutes(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok('calendar add orientation 2026-12-01 10:00 "Orientation" remind=1m,2m')
    program.delivered()
    at_ten = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    (two,) = at(program, scheduler, at_ten - timedelta(minutes=2), ("milestone",))
    (one,) = at(program, scheduler, at_ten - timedelta(minutes=1), ("milestone",))
    assert (two.text, one.text) == (
        "Orientation in 2 minutes: 2026-12-01 10:00 EST.",
        "Orientation in 1 minute: 2026-12-01 10:00 EST.",
    )


def test_a_personal_reminder_arrives_in_a_direct_message_at_its_time(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind me in 2 hours to check MS-000001", as_="brand1")
    assert at(program, scheduler, program.clock.now + timedelta(hours=1), ("reminder",)) == []
    (reminder,) = at(program, scheduler, program.clock.now + timedelta(hours=1), ("reminder",))
    assert (reminder.channel, reminder.text) == ("dm:console:brand1", "Reminder: check MS-000001")


def test_a_one_off_reminder_that_fired_leaves_the_list_and_the_limit(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind me in 2 hours to check MS-000001", as_="brand1")
    program.ok("remind me every day 09:00 to read the outcomes", as_="brand1")
    assert "2 active reminders" in program.ok("remind list", as_="brand1").text
    (fired,) = at(program, scheduler, program.clock.now + timedelta(hours=2), ("reminder",))
    assert fired.text == "Reminder: check MS-000001"
    listed = program.ok("remind list", as_="brand1")
    assert listed.text == "You have 1 active reminder:"
    assert "check MS-000001" not in "\n".join(listed.lines)
    assert "read the outcomes" in "\n".join(listed.lines), "a repeating reminder stays"
    assert "There is no active reminder #1" in program.refused("remind cancel 1", as_="brand1")


def test_a_one_off_reminder_missed_while_down_is_no_longer_active(program: Harness) -> None:
    program.ok("remind me in 2 hours to check MS-000001", as_="brand1")
    first = SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    first.step()
    first.stop()  # down until long after the reminder was due
    restarted = SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    try:
        program.clock.now += timedelta(hours=5)
        restarted.step()
        assert isinstance(restarted.scheduler, ManualScheduler)
        restarted.scheduler.tick()
        (missed,) = [p for p in program.delivered() if p.kind == "missed"]
        assert "reminder #1" in missed.text
        assert program.ok("remind list", as_="brand1").text == "You have no active reminders."
    finally:
        restarted.stop()


def test_a_weekly_reminder_comes_back_every_week_until_cancelled(program: Harness, scheduler: SchedulerService) -> None:
    reply = program.ok("remind team every monday 09:00 weekly triage", as_="team1")
    reminder_id = reply.text.split("#")[1].split()[0]
    monday = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
    (first,) = at(program, scheduler, monday, ("reminder",))
    assert (first.channel, first.text) == ("team", "Reminder: weekly triage")
    (second,) = at(program, scheduler, monday + timedelta(days=7), ("reminder",))
    assert second.text == "Reminder: weekly triage"
    program.ok(f"remind cancel {reminder_id}", as_="team1")
    assert at(program, scheduler, monday + timedelta(days=14), ("reminder",)) == []


# -- reminders whose setter may no longer post where they go -------------------------------------------


def withdrawals(bot: Harness) -> list[tuple[int, str, str | None]]:
    with bot.database.transaction() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "withdrawn")).all()
        return [(entry.entity_id, entry.actor, entry.note) for entry in entries]


def test_a_team_reminder_is_not_posted_once_its_setter_is_removed_and_is_retired_saying_why(
    program: Harness, scheduler: SchedulerService, caplog: pytest.LogCaptureFixture
) -> None:
    program.ok("remind announcements in 1 minute to submissions close today", as_="team1")
    program.ok("remind me in 1 minute to tidy the queue", as_="team1")
    program.ok("admin member remove console:team1")
    assert at(program, scheduler, program.clock.now + timedelta(minutes=1), ("reminder",)) == []
    assert [(r.id, r.active) for r in stored(program)] == [(1, False), (2, False)]
    assert withdrawals(program) == [
        (1, "scheduler", "its setter may no longer have reminders posted in announcements"),
        (2, "scheduler", "its setter may no longer have reminders posted in dm:console:team1"),
    ]
    assert "reminder #1 to announcements retired, not posted: You need to be in the program" in caplog.text


def test_a_repeating_organisation_reminder_stops_when_its_setter_moves_to_another_organisation(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind org every day 09:00 to check the new listings", as_="brand1")
    program.ok("remind me every day 09:00 to read the outcomes", as_="brand1")
    morning = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)  # 09:00 in New York
    fired = at(program, scheduler, morning, ("reminder",))
    assert sorted(posted.channel for posted in fired) == ["dm:console:brand1", "org:acme"]
    program.ok("admin member add console:brand1 globex member move=yes")
    listed = program.ok("remind list", as_="brand1")
    assert listed.text == "You have 1 active reminder:" and "read the outcomes" in listed.lines[0]
    assert "There is no active reminder #1" in program.refused("remind cancel 1", as_="brand1")
    (posted,) = at(program, scheduler, morning + timedelta(days=1), ("reminder",))
    assert (posted.channel, posted.text) == ("dm:console:brand1", "Reminder: read the outcomes")
    assert [(r.id, r.active) for r in stored(program)] == [(1, False), (2, True)]
    assert withdrawals(program) == [(1, "scheduler", "its setter may no longer have reminders posted in org:acme")]
    assert at(program, scheduler, morning + timedelta(days=2), ("reminder",))[0].channel == "dm:console:brand1"


def test_a_reminder_of_an_admin_named_in_the_settings_is_posted(program: Harness, scheduler: SchedulerService) -> None:
    program.ok("remind announcements in 1 minute to submissions close today")
    (posted,) = at(program, scheduler, program.clock.now + timedelta(minutes=1), ("reminder",))
    assert (posted.channel, posted.text) == ("announcements", "Reminder: submissions close today")


def test_the_status_update_milestone_tells_every_applicant_where_they_stand(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok('calendar add status_update 2026-12-01 10:00 "Status update" remind=0')
    program.ok('calendar add orientation 2027-01-12 10:00 "Orientation" remind=0')
    program.ok('calendar add launch 2027-02-01 09:00 "Launch" remind=0')
    apply = (
        'apply legal_name="{}" country=US size=large contact="x@example.com" role=rights_holder good_faith=no marks=M'
    )
    program.ok(apply.format("First Co"), as_="first")
    program.ok(apply.format("Second Co"), as_="second")
    program.ok("applications seats north-america:large 1", as_="team1")
    program.ok("applications select", as_="team1")
    program.delivered()
    told = at(program, scheduler, datetime(2026, 12, 1, 15, 0, tzinfo=UTC), ("application",))
    by_person = {posted.channel: posted.text for posted in told}
    assert set(by_person) == {"dm:console:first", "dm:console:second"}
    assert "selected" in by_person["dm:console:first"] and "2027-01-12" in by_person["dm:console:first"]
    assert "waitlist" in by_person["dm:console:second"]


def test_a_meetings_agenda_is_posted_the_day_before_with_the_top_proposals(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok('calendar add meeting 2026-12-03 10:00 "Working-group call" remind=1h')
    program.ok('propose title="Faster 1688 takedowns" tags=1688 Please shorten the 1688 review window.', as_="brand1")
    program.ok("propose vote P-0001 up", as_="brand2")
    program.delivered()
    day_before = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York
    assert at(program, scheduler, day_before - timedelta(minutes=1), ("agenda",)) == []
    (agenda,) = at(program, scheduler, day_before, ("agenda",))
    assert agenda.channel == "working-group" and agenda.text.startswith("Agenda for Working-group call")
    assert at(program, scheduler, day_before + timedelta(hours=2), ("agenda",)) == [], "posted once"
