"""An organisation hears 30 and 7 days before a verified IP right expires, and when it expires; each
notice once, from a check the scheduler runs every hour, which speaks from 08:00 program time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.kit.context import ProgramRules
from schedules.jobs import fire
from schedules.plan import EXPIRY_SWEEP
from schedules.service import SchedulerService
from support.clock import FakeClock
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

RIGHT = "trademark ACME2 (US 555, #3)"


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def expiring(program: Harness) -> Harness:
    """ACME holds a verified right that expires 30 days from the clock's day (2026-11-18)."""
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok('admin right add acme trademark 555 mark="ACME2" jurisdiction=US expires=2026-12-18')
    program.ok("admin right verify 3")
    program.ok("admin member add console:brand3 acme representative")
    program.delivered()
    return program


def check(bot: Harness) -> list[tuple[str, str]]:
    """Run the daily check twice (a restart, two leaders): what was posted."""
    fire(EXPIRY_SWEEP)
    fire(EXPIRY_SWEEP)
    return [(posted.channel, posted.text) for posted in bot.delivered()]


def test_30_days_7_days_and_the_expiry_are_each_heard_once_in_the_channel_and_by_each_member(
    expiring: Harness,
) -> None:
    thirty = check(expiring)
    assert [channel for channel, _ in thirty] == ["org:acme", "dm:console:brand1", "dm:console:brand3"]
    assert thirty[0][1] == (
        f"Your {RIGHT} expires on 2026-12-18, in 30 days: complaints can rely on it until then. "
        "An admin records a renewal with `admin right verify 3 expires=YYYY-MM-DD`."
    )
    expiring.clock.advance(days=22)  # 8 days left: nothing new
    assert check(expiring) == []
    expiring.clock.advance(days=1)
    seven = check(expiring)
    assert len(seven) == 3 and "expires on 2026-12-18, in 7 days" in seven[0][1]
    expiring.clock.advance(days=7)  # the expiry day: still usable
    assert check(expiring) == []
    expiring.ok("complaint right=3 https://item.taobao.com/item.htm?id=1", as_="brand1")
    expiring.delivered()
    expiring.clock.advance(days=1)
    expired = check(expiring)
    assert len(expired) == 3
    assert expired[0][1].startswith(f"Your {RIGHT} expired on 2026-12-18: complaints can no longer rely on it.")
    assert "right" in expiring.refused("complaint right=3 https://item.taobao.com/item.htm?id=2", as_="brand1")
    assert check(expiring) == []


def test_a_renewal_arms_the_notices_again(expiring: Harness) -> None:
    assert len(check(expiring)) == 3
    expiring.ok("admin right verify 3 expires=2027-01-10")  # renewed: 53 days left
    assert check(expiring) == []
    expiring.clock.advance(days=23)
    assert "expires on 2027-01-10, in 30 days" in check(expiring)[0][1]


def test_pending_and_unlimited_rights_are_not_announced(program: Harness) -> None:
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok('admin right add acme trademark 556 mark="ACME3" jurisdiction=US expires=2026-11-20')  # pending
    program.ok('admin right add acme trademark 557 mark="ACME4" jurisdiction=US')
    program.ok("admin right verify 4")
    program.delivered()
    assert check(program) == []


def test_admin_org_show_marks_rights_close_to_expiry(expiring: Harness) -> None:
    lines = expiring.ok("admin org show acme").lines
    assert "right #3 trademark ACME2 US 555 verified, expires 2026-12-18 (expires in 30 days)" in lines
    assert "right #1 trademark ACME CN 1234567 verified, expires 2030-12-31" in lines
    expiring.clock.advance(days=31)
    assert any(
        line.endswith("(expired: complaints cannot rely on it)") for line in expiring.ok("admin org show acme").lines
    )


def test_the_check_speaks_from_eight_in_the_program_zone(program: Harness) -> None:
    program.clock.now = datetime(2026, 11, 19, 12, 30, tzinfo=UTC)  # 07:30 in New York
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok('admin right add acme trademark 555 mark="ACME2" jurisdiction=US expires=2026-12-19')
    program.ok("admin right verify 3")
    program.delivered()
    assert check(program) == []
    program.clock.advance(minutes=30)  # 08:00
    assert [channel for channel, _ in check(program)] == ["org:acme", "dm:console:brand1"]


def test_the_check_is_an_hourly_job_of_the_leader(expiring: Harness) -> None:
    service = SchedulerService(expiring.database, ProgramRules(), clock=expiring.clock, scheduler=ManualScheduler())
    service.step()
    job = service.scheduler.get_job(EXPIRY_SWEEP)
    assert job is not None and job.trigger.interval.total_seconds() == 3600
