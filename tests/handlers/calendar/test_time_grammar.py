"""When reminders are due: the "when" words of `remind`, and the next firing of a weekly or daily rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.calendar.time_grammar import When, next_occurrence, parse_when
from handlers.kit.errors import UserError

NEW_YORK = ZoneInfo("America/New_York")
# Wednesday 2026-11-18, 15:00 in New York.
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)


def when(text: str, now: datetime = NOW) -> tuple[str, int]:
    """What the reply would say for these words, and how many words the time used."""
    parsed, used = parse_when(text.split(), now, NEW_YORK)
    return parsed.describe(NEW_YORK), used


def refused(text: str, now: datetime = NOW) -> str:
    with pytest.raises(UserError) as caught:
        parse_when(text.split(), now, NEW_YORK)
    assert caught.value.field == "when"
    return str(caught.value)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- in <n> <unit> ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 1 minute", "on Wed 2026-11-18 15:01 EST"),
        ("in 90 minutes", "on Wed 2026-11-18 16:30 EST"),
        ("in 45 mins", "on Wed 2026-11-18 15:45 EST"),
        ("in 2 hours", "on Wed 2026-11-18 17:00 EST"),
        ("in an hour", "on Wed 2026-11-18 16:00 EST"),
        ("in 1 day", "on Thu 2026-11-19 15:00 EST"),
        ("in 3 days", "on Sat 2026-11-21 15:00 EST"),
        ("in a week", "on Wed 2026-11-25 15:00 EST"),
        ("In 2 WEEKS", "on Wed 2026-12-02 15:00 EST"),
    ],
)
def test_in_counts_from_now(text: str, expected: str) -> None:
    assert when(text) == (expected, 3)


def test_in_days_keeps_the_local_time_across_the_change_of_clocks() -> None:
    friday = utc(2027, 3, 12, 20, 0)  # 15:00 EST; the clocks go forward on Sunday the 14th
    assert when("in 3 days", friday)[0] == "on Mon 2027-03-15 15:00 EDT"
    # Hours are elapsed time: 72 hours later the wall clock reads an hour more.
    assert when("in 72 hours", friday)[0] == "on Mon 2027-03-15 16:00 EDT"


def test_in_leaves_the_text_alone() -> None:
    assert when("in 3 days to check MS-000123") == ("on Sat 2026-11-21 15:00 EST", 3)


def test_in_reaches_ten_years_and_no_further() -> None:
    assert when("in 3650 days")[0] == "on Sat 2036-11-15 15:00 EST"
    assert when("in 521 weeks")[0] == "on Wed 2036-11-12 15:00 EST"
    for text in (
        "in 3651 days",
        "in 522 weeks",
        "in 87601 hours",
        "in 5256001 minutes",
        "in 99999999999999999999 days",
    ):
        assert refused(text) == (f"`{text}` is too far ahead. Reminders can be set at most 3650 days (10 years) ahead.")


def test_in_needs_a_count_and_a_unit() -> None:
    how = "Write in <number> minutes, hours, days or weeks, e.g. in 3 days."
    assert refused("in") == f"Missing how long after `in`. {how}"
    assert refused("in three days") == f"'three' is not a number. {how}"
    assert refused("in -2 days") == f"'-2' is not a number. {how}"
    assert refused("in 3") == f"Missing the unit after `in 3`. {how}"
    assert refused("in 3 fortnights") == (
        "'fortnights' is not a unit of time. Use minutes, hours, days or weeks, e.g. in 3 days."
    )
    assert refused("in 0 days") == "`in 0 days` is not in the future. Use 1 or more, e.g. in 1 day."


# --- on <date> [time], tomorrow [time] --------------------------------------------------------


def test_on_a_date_defaults_to_nine_in_the_morning() -> None:
    assert when("on 2027-01-18") == ("on Mon 2027-01-18 09:00 EST", 2)
    assert when("on 2027-01-18 14:30 send the figures") == ("on Mon 2027-01-18 14:30 EST", 3)
    assert when("ON 2027-01-18 at 7:05") == ("on Mon 2027-01-18 07:05 EST", 4)
    assert when("on 2027-07-01 09:00")[0] == "on Thu 2027-07-01 09:00 EDT"


def test_at_without_a_time_is_part_of_the_text() -> None:
    assert when("tomorrow at the weekly call") == ("on Thu 2026-11-19 09:00 EST", 1)


def test_later_today_is_in_the_future_and_earlier_today_is_not() -> None:
    assert when("on 2026-11-18 23:00")[0] == "on Wed 2026-11-18 23:00 EST"
    past = "Pick a later date or time, e.g. tomorrow 09:00 or in 2 hours."
    assert refused("on 2026-11-18") == f"2026-11-18 09:00 is in the past (it is now 2026-11-18 15:00 EST). {past}"
    assert refused("on 2026-11-18 15:00") == f"2026-11-18 15:00 is in the past (it is now 2026-11-18 15:00 EST). {past}"
    assert refused("on 2025-06-01 10:00").startswith("2025-06-01 10:00 is in the past")
    assert refused("on 0001-01-01").startswith("0001-01-01 09:00 is in the past")


def test_dates_more_than_ten_years_ahead_are_refused() -> None:
    assert when("on 2036-11-15")[0] == "on Sat 2036-11-15 09:00 EST"
    for day in ("2036-11-16", "9999-12-31"):
        assert refused(f"on {day} 23:00") == (
            f"{day} is too far ahead. Reminders can be set at most 3650 days (10 years) ahead."
        )


def test_dates_and_times_must_be_written_as_shown() -> None:
    assert refused("on") == "Missing the date after `on`. Write dates as YYYY-MM-DD, e.g. on 2026-12-01 14:30."
    for day in ("2026-13-01", "2026-02-30", "1/12/2026", "20261201", "next"):
        assert refused(f"on {day}") == f"'{day}' is not a date. Write dates as YYYY-MM-DD, e.g. on 2026-12-01 14:30."
    assert refused("on friday") == (
        "'friday' is not a date. Write dates as YYYY-MM-DD, e.g. on 2026-12-01 14:30, or every friday for every week."
    )
    for moment in ("25:00", "12:60", "9am", "5pm", "9.30", "17h30", "10:30pm"):
        assert refused(f"tomorrow {moment} call") == (
            f"'{moment}' is not a time. Write times as HH:MM on a 24-hour clock, e.g. 09:00 or 17:30."
        )
    assert refused("tomorrow at 9am").startswith("'9am' is not a time.")


def test_tomorrow_is_the_next_local_day() -> None:
    assert when("tomorrow") == ("on Thu 2026-11-19 09:00 EST", 1)
    assert when("Tomorrow 17:00 call ACME") == ("on Thu 2026-11-19 17:00 EST", 2)
    assert when("tomorrow at 08:15") == ("on Thu 2026-11-19 08:15 EST", 3)
    # 22:00 on Wednesday in New York is already Thursday in UTC: tomorrow is still Thursday.
    late_evening = utc(2026, 11, 19, 3, 0)
    assert when("tomorrow", late_evening)[0] == "on Thu 2026-11-19 09:00 EST"


# --- every <weekday> | every day --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every monday", "every Monday at 09:00 (next Mon 2026-11-23 09:00 EST)"),
        ("every Mon", "every Monday at 09:00 (next Mon 2026-11-23 09:00 EST)"),
        ("every tue 10:00", "every Tuesday at 10:00 (next Tue 2026-11-24 10:00 EST)"),
        ("every thursday at 16:45", "every Thursday at 16:45 (next Thu 2026-11-19 16:45 EST)"),
        ("every fri", "every Friday at 09:00 (next Fri 2026-11-20 09:00 EST)"),
        ("every sat", "every Saturday at 09:00 (next Sat 2026-11-21 09:00 EST)"),
        ("EVERY SUNDAY 18:00", "every Sunday at 18:00 (next Sun 2026-11-22 18:00 EST)"),
        # Said on a Wednesday at 15:00: later today is today, earlier today is next week.
        ("every wed 16:00", "every Wednesday at 16:00 (next Wed 2026-11-18 16:00 EST)"),
        ("every wednesday 14:00", "every Wednesday at 14:00 (next Wed 2026-11-25 14:00 EST)"),
        ("every day", "every day at 09:00 (next Thu 2026-11-19 09:00 EST)"),
        ("every day 15:30", "every day at 15:30 (next Wed 2026-11-18 15:30 EST)"),
    ],
)
def test_every_repeats_from_the_next_matching_time(text: str, expected: str) -> None:
    assert when(text)[0] == expected


def test_every_stores_its_rule_in_local_time() -> None:
    weekly, used = parse_when(["every", "monday", "09:00", "weekly", "triage"], NOW, NEW_YORK)
    assert (weekly.recurrence, weekly.first_at, used) == ("weekly:0:09:00", utc(2026, 11, 23, 14, 0), 3)
    daily, used = parse_when(["every", "day", "to", "file"], NOW, NEW_YORK)
    assert (daily.recurrence, daily.first_at, used) == ("daily:09:00", utc(2026, 11, 19, 14, 0), 2)
    once, _ = parse_when(["tomorrow"], NOW, NEW_YORK)
    assert once.recurrence is None


def test_every_monday_said_on_a_monday() -> None:
    before_nine = utc(2026, 11, 23, 13, 30)  # Monday 08:30 in New York
    after_nine = utc(2026, 11, 23, 15, 0)  # Monday 10:00
    at_nine = utc(2026, 11, 23, 14, 0)  # Monday 09:00 exactly
    assert when("every monday", before_nine)[0] == "every Monday at 09:00 (next Mon 2026-11-23 09:00 EST)"
    assert when("every monday", after_nine)[0] == "every Monday at 09:00 (next Mon 2026-11-30 09:00 EST)"
    assert when("every monday", at_nine)[0] == "every Monday at 09:00 (next Mon 2026-11-30 09:00 EST)"


def test_the_week_rolls_over_from_sunday_to_monday() -> None:
    sunday_night = utc(2026, 11, 23, 4, 0)  # Sunday 23:00 in New York, already Monday in UTC
    assert when("every sunday 22:00", sunday_night)[0] == "every Sunday at 22:00 (next Sun 2026-11-29 22:00 EST)"
    assert when("every monday", sunday_night)[0] == "every Monday at 09:00 (next Mon 2026-11-23 09:00 EST)"
    saturday = utc(2026, 12, 26, 17, 0)
    assert when("every tuesday", saturday)[0] == "every Tuesday at 09:00 (next Tue 2026-12-29 09:00 EST)"


def test_every_needs_a_day() -> None:
    how = "Write every monday .. every sunday, or every day, e.g. every monday 09:00."
    assert refused("every") == f"Missing the day after `every`. {how}"
    assert refused("every month") == f"'month' is not a day of the week. {how}"
    assert refused("every weekday 09:00") == f"'weekday' is not a day of the week. {how}"
    assert refused("every day 24:00").startswith("'24:00' is not a time.")


# --- what is not a time at all ----------------------------------------------------------------


def test_other_words_are_not_a_time() -> None:
    forms = "in 3 days, tomorrow 09:00, on 2026-12-01 14:30, every monday 09:00 or every day 08:30"
    assert refused("soon call ACME") == f"'soon' is not a time for a reminder. Write one of: {forms}."
    assert refused("next week") == f"'next' is not a time for a reminder. Write one of: {forms}."
    assert refused("to check MS-000123 tomorrow") == (
        "'to' is not a time for a reminder. "
        "Put the time before the text, e.g. remind me tomorrow 09:00 to check MS-000123."
    )
    assert refused("") == (
        "Missing when the reminder is due. Write it before the text, e.g. remind me tomorrow 09:00 to check MS-000123."
    )


# --- the clocks changing ----------------------------------------------------------------------


def firings(recurrence: str, after: datetime, count: int) -> list[str]:
    found: list[str] = []
    for _ in range(count):
        after = next_occurrence(recurrence, after, NEW_YORK)
        assert after.tzinfo is UTC
        found.append(f"{after:%m-%d %H:%M}Z {after.astimezone(NEW_YORK):%H:%M %Z}")
    return found


def test_every_day_stays_at_nine_when_the_clocks_go_forward() -> None:
    assert firings("daily:09:00", utc(2027, 3, 12, 12, 0), 4) == [
        "03-12 14:00Z 09:00 EST",
        "03-13 14:00Z 09:00 EST",
        "03-14 13:00Z 09:00 EDT",
        "03-15 13:00Z 09:00 EDT",
    ]


def test_every_day_stays_at_nine_when_the_clocks_go_back() -> None:
    assert firings("daily:09:00", utc(2026, 10, 30, 12, 0), 4) == [
        "10-30 13:00Z 09:00 EDT",
        "10-31 13:00Z 09:00 EDT",
        "11-01 14:00Z 09:00 EST",
        "11-02 14:00Z 09:00 EST",
    ]


def test_every_week_keeps_its_local_time_across_the_change() -> None:
    assert firings("weekly:6:09:00", utc(2027, 3, 1, 0, 0), 3) == [
        "03-07 14:00Z 09:00 EST",
        "03-14 13:00Z 09:00 EDT",
        "03-21 13:00Z 09:00 EDT",
    ]


def test_a_time_the_clocks_skip_is_refused_for_a_single_reminder() -> None:
    message = (
        "2027-03-14 02:30 does not exist in America/New_York: the clocks go forward that night. "
        "Pick another time, e.g. 03:30."
    )
    assert refused("on 2027-03-14 02:30") == message
    assert refused("tomorrow 02:30", utc(2027, 3, 13, 17, 0)) == message
    assert when("on 2027-03-14 03:00")[0] == "on Sun 2027-03-14 03:00 EDT"
    assert when("on 2027-03-14 01:59")[0] == "on Sun 2027-03-14 01:59 EST"


def test_a_rule_in_the_skipped_hour_fires_just_after_it() -> None:
    assert firings("daily:02:30", utc(2027, 3, 13, 12, 0), 2) == [
        "03-14 07:30Z 03:30 EDT",
        "03-15 06:30Z 02:30 EDT",
    ]


def test_a_time_that_happens_twice_means_the_first() -> None:
    october = utc(2026, 10, 20, 12, 0)
    assert when("on 2026-11-01 01:30", october)[0] == "on Sun 2026-11-01 01:30 EDT"
    # A daily rule at that time fires once that night, not twice.
    assert firings("daily:01:30", utc(2026, 10, 31, 12, 0), 3) == [
        "11-01 05:30Z 01:30 EDT",
        "11-02 06:30Z 01:30 EST",
        "11-03 06:30Z 01:30 EST",
    ]


def test_next_occurrence_is_strictly_after() -> None:
    nine = utc(2026, 11, 23, 14, 0)  # Monday 09:00 in New York
    assert next_occurrence("weekly:0:09:00", nine, NEW_YORK) == nine + timedelta(weeks=1)
    assert next_occurrence("weekly:0:09:00", nine - timedelta(microseconds=1), NEW_YORK) == nine
    assert next_occurrence("daily:09:00", nine, NEW_YORK) == nine + timedelta(days=1)


def test_next_occurrence_works_in_any_zone() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert next_occurrence("weekly:4:09:00", NOW, shanghai) == utc(2026, 11, 20, 1, 0)


def test_next_occurrence_refuses_a_malformed_rule_or_a_naive_time() -> None:
    for rule in ("weekly:7:09:00", "daily:25:00", "daily:9:00", "monthly:1", "weekly:0", ""):
        with pytest.raises(ValueError, match="not a reminder rule"):
            next_occurrence(rule, NOW, NEW_YORK)
    with pytest.raises(ValueError, match="aware"):
        next_occurrence("daily:09:00", datetime(2026, 11, 18, 20, 0), NEW_YORK)


def test_describe_uses_the_zone_it_is_given() -> None:
    once = When(utc(2027, 1, 18, 14, 0))
    assert once.describe(NEW_YORK) == "on Mon 2027-01-18 09:00 EST"
    assert once.describe(ZoneInfo("Europe/London")) == "on Mon 2027-01-18 14:00 GMT"
    weekly = When(utc(2027, 1, 18, 14, 0), "weekly:0:09:00")
    assert weekly.describe(NEW_YORK) == "every Monday at 09:00 (next Mon 2027-01-18 09:00 EST)"
