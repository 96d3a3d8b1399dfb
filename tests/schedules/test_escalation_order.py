"""The follow-up of undecided cases goes to the assigned team member first (a direct message on
day 1), then to the team thread (day 2 and later), naming the assignee."""

from __future__ import annotations

import pytest

from handlers.kit.context import ProgramRules
from schedules.jobs import FOLLOW_UP_SWEEP, fire
from schedules.service import SchedulerService
from support.clock import FakeClock
from support.harness import Harness, Posted
from support.scheduling import ManualScheduler, drive_scheduler_time

TAOBAO = "https://item.taobao.com/item.htm?id={}"


@pytest.fixture(autouse=True)
def scheduler_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    drive_scheduler_time(monkeypatch, clock)


@pytest.fixture
def routed(program: Harness) -> Harness:
    """team1 covers Taobao; the scheduler's runtime is set up for `fire`."""
    SchedulerService(program.database, ProgramRules(), clock=program.clock, scheduler=ManualScheduler())
    program.ok("admin team console:team1 platforms=taobao")
    return program


def escalations(bot: Harness) -> list[Posted]:
    fire(FOLLOW_UP_SWEEP)
    fire(FOLLOW_UP_SWEEP)  # the sweep runs every few minutes: each message is written once
    return [p for p in bot.delivered() if p.kind == "escalation"]


def test_day_one_goes_to_the_assignee_by_direct_message_and_day_two_to_the_team_thread(routed: Harness) -> None:
    routed.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    team_thread = next(f"msg-{routed.poster.posted.index(p) + 1}" for p in routed.delivered() if p.channel == "team")
    assert escalations(routed) == [], "not before a day has passed"

    routed.clock.advance(hours=25)
    (first,) = escalations(routed)
    assert (first.channel, first.case_id, first.text) == (
        "dm:console:team1",
        None,
        "MS-000001 has had no outcome for 1 day; it is assigned to you. `case MS-000001` shows it.",
    )

    routed.clock.advance(days=1)
    (second,) = escalations(routed)
    assert (second.channel, second.case_id, second.thread_ref, second.text) == (
        "team",
        "MS-000001",
        team_thread,
        "MS-000001 has had no outcome for 2 days; assigned to console:team1.",
    )

    routed.clock.advance(days=1)
    (third,) = escalations(routed)
    assert (third.channel, third.text) == (
        "team",
        "MS-000001 has had no outcome for 3 days; assigned to console:team1.",
    )

    routed.ok("outcome MS-000001 all removed", as_="team1")
    routed.clock.advance(days=1)
    assert escalations(routed) == []


def test_a_case_nobody_is_assigned_goes_to_the_team_thread_from_day_one(routed: Harness) -> None:
    routed.ok("complaint https://detail.tmall.com/item.htm?id=1", as_="brand1")  # nobody covers Tmall
    routed.delivered()
    routed.clock.advance(hours=25)
    (first,) = escalations(routed)
    assert (first.channel, first.case_id, first.text) == (
        "team",
        "MS-000001",
        "MS-000001 has had no outcome for 1 day.",
    )
    routed.clock.advance(days=1)
    (second,) = escalations(routed)
    assert (second.channel, second.text) == ("team", "MS-000001 has had no outcome for 2 days.")


def test_day_one_goes_to_whoever_holds_the_case_then(routed: Harness) -> None:
    routed.ok("admin member add console:team2 - team")
    routed.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    routed.ok("case MS-000001 assign console:team2", as_="team1")
    routed.delivered()
    routed.clock.advance(hours=25)
    (first,) = escalations(routed)
    assert first.channel == "dm:console:team2"
    routed.clock.advance(days=1)
    (second,) = escalations(routed)
    assert second.text == "MS-000001 has had no outcome for 2 days; assigned to console:team2."


def test_an_assignee_who_left_the_team_is_skipped_for_the_team_thread(routed: Harness) -> None:
    routed.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    routed.ok("admin member remove console:team1")
    routed.delivered()
    routed.clock.advance(hours=25)
    (first,) = escalations(routed)
    assert (first.channel, first.text) == ("team", "MS-000001 has had no outcome for 1 day.")


def test_each_member_hears_of_their_own_cases(routed: Harness) -> None:
    routed.ok("admin member add console:team2 - team")
    routed.ok("admin team console:team2 platforms=taobao")
    routed.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")  # team1
    routed.ok(f"complaint {TAOBAO.format(2)}", as_="brand2")  # team2
    routed.delivered()
    routed.clock.advance(hours=25)
    told = {p.channel: p.text for p in escalations(routed)}
    assert told == {
        "dm:console:team1": "MS-000001 has had no outcome for 1 day; it is assigned to you. `case MS-000001` shows it.",
        "dm:console:team2": "MS-000002 has had no outcome for 1 day; it is assigned to you. `case MS-000002` shows it.",
    }
