"""What the scheduler posts is written in each channel's language: the team channel and the working
group read Chinese, a brand's channel English, for the same digest, agenda and reminders.

The harness clock starts on Wednesday 2026-11-18 at 20:00 UTC (15:00 in New York).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.kit.context import ProgramRules
from handlers.working_group.meetings import meeting_agenda_notices
from schedules.jobs import DIGEST, fire
from schedules.service import SchedulerService
from storage.models import Milestone
from support.clock import FakeClock
from support.harness import Harness
from support.scheduling import ManualScheduler, drive_scheduler_time

TAOBAO = "https://item.taobao.com/item.htm?id={}"
MONDAY_NINE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
DAY_BEFORE_MEETING = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # the agenda of the 3 December meeting


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def scheduler(program: Harness) -> Iterator[SchedulerService]:
    running = SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    running.step()
    yield running
    running.stop()


@pytest.fixture
def channels(program: Harness) -> None:
    program.ok("admin channel team slack C0123ABCD lang=zh")
    program.ok("admin channel working-group slack C0999WXYZ lang=zh")
    program.ok("admin channel org:acme slack C0456EFGH lang=en")
    program.delivered()


def tick_to(program: Harness, scheduler: SchedulerService, moment: datetime) -> dict[str, list[str]]:
    """Let time reach `moment` as the running bot does; what was posted, by kind."""
    scheduler.sync()
    program.clock.now = moment
    scheduler.sync()
    assert isinstance(scheduler.scheduler, ManualScheduler)
    scheduler.scheduler.tick()
    posted: dict[str, list[str]] = {}
    for notice in program.delivered():
        posted.setdefault(notice.kind, []).append(f"{notice.channel}: {notice.text}")
    return posted


@pytest.mark.usefixtures("channels")
def test_the_weekly_digest_reads_chinese_in_the_team_channel_and_english_in_the_brands(program: Harness) -> None:
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok(f"complaint {TAOBAO.format(1)} {TAOBAO.format(2)}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.delivered()
    program.clock.advance(days=1)
    fire(f"{DIGEST}:20261119T200000Z")
    digests = {p.channel: p.text for p in program.delivered() if p.kind == "weekly_digest"}
    assert digests["team"] == "整个项目，最近 7 天：已投诉2 个商品链接和0 个店铺，已删除 1 个（删除率 100.0%）。"
    assert digests["org:acme"] == (
        "ACME Corp, the last 7 days: 2 listings and 0 storefronts reported, 1 removed (100.0% taken down)."
    )


@pytest.mark.usefixtures("channels")
def test_reminders_and_the_meeting_agenda_read_each_channels_language(
    program: Harness, scheduler: SchedulerService
) -> None:
    program.ok("remind team every monday 09:00 weekly triage", as_="team1")
    program.ok("remind org:acme every monday 09:00 send the figures", as_="team1")
    program.ok('calendar add meeting 2026-12-03 10:00 "December working group" remind=1h')
    program.ok('propose title="Flag repeat sellers" Sellers removed twice should be named.', as_="brand1")
    program.delivered()

    reminders = tick_to(program, scheduler, MONDAY_NINE)["reminder"]
    assert sorted(reminders) == ["org:acme: Reminder: send the figures", "team: 提醒：weekly triage"]

    (agenda,) = tick_to(program, scheduler, DAY_BEFORE_MEETING)["agenda"]
    assert agenda == "working-group: December working group议程（2026-12-03 10:00 EST）："


@pytest.mark.usefixtures("channels")
def test_the_agenda_carries_its_fields_in_both_languages(program: Harness) -> None:
    program.ok('calendar add meeting 2026-12-03 10:00 "December working group"')
    program.ok('propose title="Flag repeat sellers" Sellers removed twice should be named.', as_="brand1")
    program.ok("propose vote P-0001 up", as_="team1")
    with program.database.transaction() as session:
        meeting = session.get(Milestone, 1)
        assert meeting is not None
        (notice,) = meeting_agenda_notices(session, meeting, DAY_BEFORE_MEETING, ZoneInfo("America/New_York"))
    wordings = dict(notice.variants)
    assert wordings["en"].fields[0] == (
        "Proposals with the most votes, still open",
        "1. P-0001 · Flag repeat sellers · +1 (1 for, 0 against) · open",
    )
    assert wordings["zh"].fields[0] == (
        "得票最多、尚未决定的提案",
        "1. P-0001 · Flag repeat sellers · +1（赞成 1，反对 0） · open",
    )
    assert wordings["zh"].fields[1] == ("最近 30 天分享的最佳实践", "没有分享新的最佳实践。")
    assert wordings["zh"].fields[2][0] == "最近 30 天的项目数据"
    assert wordings["zh"].fields[2][1].endswith("暂无删除率（尚无处理结果）")
