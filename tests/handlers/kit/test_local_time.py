"""Local time: skipped and repeated hours, whole days across daylight saving, business days, months."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.kit.errors import UserError
from handlers.kit.local_time import (
    add_business_days,
    before,
    job_stamp,
    local_time,
    month_bounds,
    month_of,
    next_weekly,
    read_wall_clock,
    typed_local_time,
    utc_stamp,
    zone_named,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def test_a_time_the_clocks_skip_is_refused_with_a_time_to_choose_instead() -> None:
    with pytest.raises(UserError) as refused:
        typed_local_time(date(2027, 3, 14), time(2, 30), NEW_YORK, "time")
    assert str(refused.value) == (
        "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward an hour that night and skip "
        "it. Choose a time outside the skipped hour, e.g. 03:30."
    )
    assert refused.value.field == "time"


def test_a_time_the_clocks_pass_twice_is_the_first_and_the_note_names_it() -> None:
    at, note = typed_local_time(date(2027, 11, 7), time(1, 30), NEW_YORK, "time")
    assert at == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)
    assert note == (
        "2027-11-07 01:30 happens twice in America/New_York (the clocks go back an hour that night): "
        "this is the first, 01:30 EDT, which is 05:30 UTC."
    )
    assert typed_local_time(date(2027, 11, 8), time(1, 30), NEW_YORK, "time")[1] is None


def test_a_wall_clock_reading_says_how_far_the_clocks_jump_or_go_back() -> None:
    skipped = read_wall_clock(date(2027, 3, 28), time(1, 30), LONDON)
    assert (skipped.skipped, skipped.repeated) == (timedelta(hours=1), timedelta(0))
    assert skipped.at.astimezone(LONDON).time() == time(2, 30)  # just after the jump
    repeated = read_wall_clock(date(2027, 10, 31), time(1, 30), LONDON)
    assert (repeated.skipped, repeated.repeated) == (timedelta(0), timedelta(hours=1))


def test_one_day_before_across_a_clock_change_keeps_the_local_time() -> None:
    meeting = datetime(2027, 3, 14, 13, 0, tzinfo=UTC)  # Sunday 09:00 EDT; the clocks went forward at 02:00
    day_before = before(meeting, 24 * 60, NEW_YORK)
    assert local_time(day_before, NEW_YORK) == "2027-03-13 09:00 EST"
    assert meeting - day_before == timedelta(hours=23)
    assert local_time(before(meeting, 60, NEW_YORK), NEW_YORK) == "2027-03-14 08:00 EDT"
    assert before(meeting, 0, NEW_YORK) == meeting


def test_business_days_skip_a_weekend_and_a_holiday() -> None:
    friday = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # Friday 15:00 EST
    holidays = frozenset({date(2026, 11, 24)})  # the Tuesday after
    assert local_time(add_business_days(friday, 1, NEW_YORK, frozenset()), NEW_YORK) == "2026-11-23 15:00 EST"
    assert local_time(add_business_days(friday, 2, NEW_YORK, holidays), NEW_YORK) == "2026-11-25 15:00 EST"


def test_business_days_across_a_clock_change_keep_the_local_time() -> None:
    friday = datetime(2027, 3, 12, 15, 0, tzinfo=UTC)  # Friday 10:00 EST; the clocks go forward on Sunday
    assert local_time(add_business_days(friday, 1, NEW_YORK, frozenset()), NEW_YORK) == "2027-03-15 10:00 EDT"


def test_a_weekly_time_stays_at_its_local_time_across_a_clock_change() -> None:
    after = datetime(2027, 3, 9, 12, 0, tzinfo=UTC)  # Tuesday, EST
    first = next_weekly(after, 0, time(9, 0), NEW_YORK)
    second = next_weekly(first, 0, time(9, 0), NEW_YORK)
    assert [local_time(at, NEW_YORK, weekday=True) for at in (first, second)] == [
        "Mon 2027-03-15 09:00 EDT",
        "Mon 2027-03-22 09:00 EDT",
    ]
    assert next_weekly(after, None, time(9, 0), NEW_YORK) == datetime(2027, 3, 9, 14, 0, tzinfo=UTC)  # 07:00 -> 09:00


def test_month_bounds_are_local_midnights_of_the_program_zone() -> None:
    start, end = month_bounds(202703, NEW_YORK)
    assert (start, end) == (datetime(2027, 3, 1, 5, 0, tzinfo=UTC), datetime(2027, 4, 1, 4, 0, tzinfo=UTC))
    assert month_bounds(202612, NEW_YORK)[1] == datetime(2027, 1, 1, 5, 0, tzinfo=UTC)
    late_evening = datetime(2027, 4, 1, 3, 59, tzinfo=UTC)  # still 31 March in New York
    assert month_of(late_evening, NEW_YORK) == 202703
    assert month_of(end, NEW_YORK) == 202704


def test_zones_are_found_by_name_in_any_case_and_nothing_else() -> None:
    assert zone_named("asia/shanghai") == ZoneInfo("Asia/Shanghai")
    for name in ("Mars/Base", "../etc/passwd", "localtime", "America", ""):
        assert zone_named(name) is None


def test_stamps_are_written_in_utc_whatever_the_zone_of_the_moment() -> None:
    moment = datetime(2027, 2, 7, 10, 0, tzinfo=NEW_YORK)
    assert utc_stamp(moment) == "2027-02-07T15:00Z"
    assert job_stamp(moment) == "20270207T150000Z"
    assert local_time(None, NEW_YORK) == "-"
