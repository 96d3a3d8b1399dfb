"""The status rules: which moves are allowed, a complaint's derived status, business-day deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers.cases.transitions import complaint_status, counter_notice_due, refusal
from handlers.kit.local_time import add_business_days
from storage.vocabulary import ComplaintStatus, ItemStatus

NEW_YORK = ZoneInfo("America/New_York")
NO_HOLIDAYS: frozenset[date] = frozenset()
S = ComplaintStatus


# --- complaint_status -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "current", "expected"),
    [
        # Nothing decided: the status the team and the brand set by hand stays.
        (["reported", "reported"], S.SUBMITTED, S.SUBMITTED),
        (["reported"], S.IN_REVIEW, S.IN_REVIEW),
        (["reported"], S.RETURNED, S.RETURNED),
        (["reported", "withdrawn"], S.RETURNED, S.RETURNED),
        # ... unless the case had moved on: then it is back in review.
        (["reported"], S.PARTIALLY_ACTIONED, S.IN_REVIEW),
        (["reported"], S.ACTIONED, S.IN_REVIEW),
        # Some items decided, some open.
        (["removed", "reported"], S.SUBMITTED, S.PARTIALLY_ACTIONED),
        (["not_found", "reported", "withdrawn"], S.RETURNED, S.PARTIALLY_ACTIONED),
        # An appeal in progress keeps the case open.
        (["counter_notice"], S.ACTIONED, S.PARTIALLY_ACTIONED),
        (["counter_notice", "removed"], S.ACTIONED, S.PARTIALLY_ACTIONED),
        # Every live item has a final outcome.
        (["removed", "not_removed", "not_found"], S.PARTIALLY_ACTIONED, S.ACTIONED),
        (["upheld", "reinstated"], S.PARTIALLY_ACTIONED, S.ACTIONED),
        (["removed", "withdrawn"], S.PARTIALLY_ACTIONED, S.ACTIONED),
        # Everything withdrawn (or nothing at all).
        (["withdrawn", "withdrawn"], S.SUBMITTED, S.WITHDRAWN),
        ([], S.SUBMITTED, S.WITHDRAWN),
    ],
)
def test_complaint_status_follows_its_items(items: list[str], current: S, expected: S) -> None:
    assert complaint_status([ItemStatus(item) for item in items], current) is expected


def test_complaint_status_accepts_any_iterable_of_statuses() -> None:
    statuses = (status for status in [ItemStatus.REMOVED, ItemStatus.REPORTED])
    assert complaint_status(statuses, S.SUBMITTED) is S.PARTIALLY_ACTIONED


# --- refusal ----------------------------------------------------------------------------------

ALLOWED = [
    (ItemStatus.REPORTED, ItemStatus.REMOVED, 0),
    (ItemStatus.REPORTED, ItemStatus.NOT_REMOVED, 0),
    (ItemStatus.REPORTED, ItemStatus.NOT_FOUND, 0),
    (ItemStatus.REPORTED, ItemStatus.WITHDRAWN, 0),
    (ItemStatus.REMOVED, ItemStatus.COUNTER_NOTICE, 0),
    (ItemStatus.COUNTER_NOTICE, ItemStatus.UPHELD, 1),
    (ItemStatus.COUNTER_NOTICE, ItemStatus.REINSTATED, 3),
    (ItemStatus.UPHELD, ItemStatus.COUNTER_NOTICE, 1),
    (ItemStatus.UPHELD, ItemStatus.COUNTER_NOTICE, 2),
]


@pytest.mark.parametrize(("current", "target", "rounds"), ALLOWED)
def test_allowed_moves_have_no_refusal(current: ItemStatus, target: ItemStatus, rounds: int) -> None:
    assert refusal(current, target, rounds) is None


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        (ItemStatus.REPORTED, ItemStatus.UPHELD,
         "it is reported, which can change to not_found, not_removed, removed, withdrawn"),
        (ItemStatus.REPORTED, ItemStatus.COUNTER_NOTICE,
         "it is reported, which can change to not_found, not_removed, removed, withdrawn"),
        (ItemStatus.REMOVED, ItemStatus.NOT_FOUND, "it is removed, which can change to counter_notice"),
        (ItemStatus.REMOVED, ItemStatus.WITHDRAWN, "it is removed, which can change to counter_notice"),
        (ItemStatus.COUNTER_NOTICE, ItemStatus.REMOVED,
         "it is counter_notice, which can change to reinstated, upheld"),
        (ItemStatus.UPHELD, ItemStatus.REINSTATED, "it is upheld, which can change to counter_notice"),
        (ItemStatus.NOT_REMOVED, ItemStatus.REMOVED, "it is not_removed, which can change to nothing (it is final)"),
        (ItemStatus.NOT_FOUND, ItemStatus.REMOVED, "it is not_found, which can change to nothing (it is final)"),
        (ItemStatus.WITHDRAWN, ItemStatus.REPORTED, "it is withdrawn, which can change to nothing (it is final)"),
        (ItemStatus.REINSTATED, ItemStatus.COUNTER_NOTICE,
         "it is reinstated, which can change to nothing (it is final)"),
    ],
)  # fmt: skip
def test_moves_outside_the_machine_say_what_is_allowed(current: ItemStatus, target: ItemStatus, expected: str) -> None:
    assert refusal(current, target, 0) == expected


def test_a_fourth_appeal_round_is_refused() -> None:
    assert refusal(ItemStatus.UPHELD, ItemStatus.COUNTER_NOTICE, 3) == (
        "the seller has already had 3 counter-notice rounds"
    )


def test_no_status_can_move_to_itself() -> None:
    for status in ItemStatus:
        assert refusal(status, status, 0) is not None


# --- add_business_days ------------------------------------------------------------------------


def new_york(year: int, month: int, day: int, hour: int = 15, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (new_york(2026, 11, 18), 1, new_york(2026, 11, 19)),  # Wednesday -> Thursday
        (new_york(2026, 11, 18), 3, new_york(2026, 11, 23)),  # over the weekend to Monday
        (new_york(2026, 11, 20), 1, new_york(2026, 11, 23)),  # Friday -> Monday
        (new_york(2026, 11, 21), 1, new_york(2026, 11, 23)),  # Saturday -> Monday
        (new_york(2026, 11, 22), 1, new_york(2026, 11, 23)),  # Sunday -> Monday
        (new_york(2026, 11, 21), 5, new_york(2026, 11, 27)),  # a weekend start counts from Monday
        (new_york(2026, 11, 18), 5, new_york(2026, 11, 25)),  # one week
        (new_york(2026, 11, 18), 27, new_york(2026, 12, 25)),
        (new_york(2026, 11, 18), 0, new_york(2026, 11, 18)),
    ],
)
def test_business_days_skip_weekends_and_keep_the_time_of_day(start: datetime, days: int, expected: datetime) -> None:
    assert add_business_days(start, days, NEW_YORK, NO_HOLIDAYS) == expected


def test_holidays_are_skipped_like_weekends() -> None:
    thanksgiving = frozenset({date(2026, 11, 26), date(2026, 11, 27)})
    assert add_business_days(new_york(2026, 11, 25), 1, NEW_YORK, thanksgiving) == new_york(2026, 11, 30)
    assert add_business_days(new_york(2026, 11, 24), 3, NEW_YORK, thanksgiving) == new_york(2026, 12, 1)


def test_a_holiday_on_the_start_day_does_not_change_the_count() -> None:
    holiday = frozenset({date(2026, 11, 18)})
    assert add_business_days(new_york(2026, 11, 18), 1, NEW_YORK, holiday) == new_york(2026, 11, 19)


def test_a_holiday_on_a_weekend_costs_nothing() -> None:
    saturday = frozenset({date(2026, 11, 21)})
    assert add_business_days(new_york(2026, 11, 20), 1, NEW_YORK, saturday) == new_york(2026, 11, 23)


def test_the_local_date_decides_not_the_utc_date() -> None:
    # Thursday 21:00 in New York is already Friday in UTC; one business day later is Friday 21:00.
    start = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    due = add_business_days(start, 1, NEW_YORK, NO_HOLIDAYS)
    assert due == datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    assert due.tzinfo is UTC


def test_the_local_time_of_day_is_kept_when_daylight_saving_ends() -> None:
    # Friday 30 October 2026 15:00 EDT (19:00 UTC); clocks go back on Sunday 1 November.
    start = datetime(2026, 10, 30, 19, 0, tzinfo=UTC)
    due = add_business_days(start, 3, NEW_YORK, NO_HOLIDAYS)
    assert due == datetime(2026, 11, 4, 20, 0, tzinfo=UTC)  # Wednesday 15:00 EST
    assert due.astimezone(NEW_YORK).strftime("%a %H:%M %Z") == "Wed 15:00 EST"


def test_the_local_time_of_day_is_kept_when_daylight_saving_starts() -> None:
    # Friday 6 March 2026 15:00 EST (20:00 UTC); clocks go forward on Sunday 8 March.
    start = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)
    due = add_business_days(start, 1, NEW_YORK, NO_HOLIDAYS)
    assert due == datetime(2026, 3, 9, 19, 0, tzinfo=UTC)  # Monday 15:00 EDT
    assert due.astimezone(NEW_YORK).strftime("%a %H:%M %Z") == "Mon 15:00 EDT"


def test_a_late_evening_start_keeps_its_hour_across_the_change() -> None:
    start = new_york(2026, 10, 30, 23, 30)
    due = add_business_days(start, 1, NEW_YORK, NO_HOLIDAYS)
    assert due.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == "2026-11-02 23:30 EST"


# --- counter-notice deadlines -----------------------------------------------------------------


def test_the_first_appeal_round_is_due_in_3_business_days_and_later_ones_in_27() -> None:
    received = new_york(2026, 11, 18)
    assert counter_notice_due(received, 1, NEW_YORK, NO_HOLIDAYS) == new_york(2026, 11, 23)
    assert counter_notice_due(received, 2, NEW_YORK, NO_HOLIDAYS) == new_york(2026, 12, 25)
    assert counter_notice_due(received, 3, NEW_YORK, NO_HOLIDAYS) == new_york(2026, 12, 25)


def test_appeal_deadlines_honour_holidays() -> None:
    christmas = frozenset({date(2026, 12, 25)})
    assert counter_notice_due(new_york(2026, 11, 18), 2, NEW_YORK, christmas) == new_york(2026, 12, 28)
