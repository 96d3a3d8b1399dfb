"""When a reminder is due: reading the "when" words of `remind`, and the next firing of a rule.

Pure: no I/O, no clock; `now` and the time zone come from the caller.

Forms (case-insensitive):
    in <n> minutes|hours|days|weeks        in 90 minutes, in 3 days, in an hour
    on <YYYY-MM-DD> [[at] HH:MM]           on 2026-12-01, on 2026-12-01 14:30 (default 09:00)
    tomorrow [[at] HH:MM]                  tomorrow, tomorrow at 17:00 (default 09:00)
    every <weekday> [[at] HH:MM]           every monday, every fri 16:00 (default 09:00)
    every day [[at] HH:MM]                 every day 08:30 (default 09:00)

Rules are stored as "weekly:<0-6>:<HH:MM>" (Monday is 0) or "daily:<HH:MM>", in local time, so a
reminder at 09:00 stays at 09:00 when the clocks change. A local time the clocks skip is refused
for a one-off reminder; a rule that falls in the skipped hour fires just after it (02:30 becomes
03:30 that day). A local time that happens twice (clocks going back) means the first of the two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from handlers.kit.errors import UserError
from handlers.kit.i18n import _, babel_locale
from handlers.kit.local_time import local_time, next_weekly, read_wall_clock, shift_days

DEFAULT_TIME = time(9, 0)
MAX_AHEAD = timedelta(days=3650)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAMES = {
    **{name: index for index, name in enumerate(WEEKDAYS)},
    **{name[:3]: index for index, name in enumerate(WEEKDAYS)},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}  # fmt: skip
_UNITS = {
    "minute": timedelta(minutes=1), "minutes": timedelta(minutes=1), "min": timedelta(minutes=1),
    "mins": timedelta(minutes=1), "hour": timedelta(hours=1), "hours": timedelta(hours=1),
    "hr": timedelta(hours=1), "hrs": timedelta(hours=1), "day": timedelta(days=1), "days": timedelta(days=1),
    "week": timedelta(weeks=1), "weeks": timedelta(weeks=1),
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
# Words that look like a time of day but are not HH:MM: refused rather than taken as the text.
_TIME_LIKE = re.compile(r"(?i)^(?:\d{1,2}[:.h]\d{1,2}|\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.))$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEKLY = re.compile(r"^weekly:([0-6]):(\d{2}):(\d{2})$")
_DAILY = re.compile(r"^daily:(\d{2}):(\d{2})$")
_EXAMPLE = "remind me tomorrow 09:00 to check MS-000123"
_FORMS = "in 3 days, tomorrow 09:00, on 2026-12-01 14:30, every monday 09:00"
MAX_AHEAD_YEARS = 10


@dataclass(frozen=True, slots=True)
class When:
    """A reminder's first (or only) firing, in UTC, and its rule when it repeats."""

    first_at: datetime
    recurrence: str | None = None

    def describe(self, zone: ZoneInfo) -> str:
        """`on Mon 2027-01-18 09:00 EST`, `every Monday at 09:00 (next Mon 2027-01-18 09:00 EST)`."""
        stamp = local_time(self.first_at, zone, weekday=True)
        if self.recurrence is None:
            return _("on {when}", when=stamp)
        weekday, at = _parse_rule(self.recurrence)
        clock = f"{at:%H:%M}"
        if weekday is None:
            return _("every day at {time} (next {when})", time=clock, when=stamp)
        return _("every {weekday} at {time} (next {when})", weekday=weekday_name(weekday), time=clock, when=stamp)


def parse_when(words: Sequence[str], now: datetime, zone: ZoneInfo) -> tuple[When, int]:
    """Read a "when" from the start of `words`; return it and how many words it used.

    `now` must be aware. Raises UserError (field "when") naming what was wrong, with an example.
    """
    if not words:
        raise _error(
            _("Missing when the reminder is due."), _("Write it before the text, e.g. {example}.", example=_EXAMPLE)
        )
    first = words[0].lower()
    if first == "in":
        return _relative(words, now, zone), 3
    if first == "tomorrow":
        at, used = _optional_time(words, 1)
        day = now.astimezone(zone).date() + timedelta(days=1)
        return When(_one_off(day, at, now, zone)), used
    if first == "on":
        if len(words) < 2:
            raise _error(
                _("Missing the date after `on`."),
                _("Write dates as YYYY-MM-DD, e.g. {example}.", example="on 2026-12-01 14:30"),
            )
        day = _date(words[1])
        at, used = _optional_time(words, 2)
        return When(_one_off(day, at, now, zone)), used
    if first == "every":
        return _every(words, now, zone)
    if first == "to":
        hint = _("Put the time before the text, e.g. {example}.", example=_EXAMPLE)
    else:
        hint = _("Write one of: {forms} or {last}.", forms=_FORMS, last="every day 08:30")
    raise _error(_("'{word}' is not a time for a reminder.", word=words[0]), hint)


def next_occurrence(recurrence: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first firing of `recurrence` strictly after `after` (aware), in UTC, on the local
    calendar of `zone` (see `handlers.kit.local_time.next_weekly`). Raises ValueError for a
    malformed rule.
    """
    weekday, at = _parse_rule(recurrence)
    return next_weekly(after, weekday, at, zone)


# --- the forms --------------------------------------------------------------------------------


def _relative(words: Sequence[str], now: datetime, zone: ZoneInfo) -> When:
    """`in 3 days`: minutes and hours as elapsed time, days and weeks at the same local time."""
    how = _("Write in <number> minutes, hours, days or weeks, e.g. {example}.", example="in 3 days")
    if len(words) < 2:
        raise _error(_("Missing how long after `in`."), how)
    count_text, unit_text = words[1], (words[2] if len(words) > 2 else "")
    if count_text.lower() not in ("a", "an") and not (count_text.isascii() and count_text.isdigit()):
        raise _error(_("'{text}' is not a number.", text=count_text), how)
    if not unit_text:
        raise _error(_("Missing the unit after `in {count}`.", count=count_text), how)
    unit = _UNITS.get(unit_text.lower())
    if unit is None:
        raise _error(
            _("'{text}' is not a unit of time.", text=unit_text),
            _("Use minutes, hours, days or weeks, e.g. {example}.", example="in 3 days"),
        )
    digits = count_text.lstrip("0") or "0"
    count = 1 if count_text.lower() in ("a", "an") else int(digits) if len(digits) <= 9 else None
    typed = " ".join(("in", count_text, unit_text))
    if count == 0:
        raise _error(
            _("`{typed}` is not in the future.", typed=typed), _("Use 1 or more, e.g. {example}.", example="in 1 day")
        )
    if count is None or count > MAX_AHEAD // unit:
        raise _error(_("`{typed}` is too far ahead.", typed=typed), _too_far_hint())
    if unit < timedelta(days=1):
        return When((now + count * unit).astimezone(UTC))
    return When(shift_days(now, count * unit.days, zone))


def _every(words: Sequence[str], now: datetime, zone: ZoneInfo) -> tuple[When, int]:
    how = _("Write every monday .. every sunday, or every day, e.g. {example}.", example="every monday 09:00")
    if len(words) < 2:
        raise _error(_("Missing the day after `every`."), how)
    name = words[1].lower()
    at, used = _optional_time(words, 2)
    if name == "day":
        recurrence = f"daily:{at:%H:%M}"
    elif name in _WEEKDAY_NAMES:
        recurrence = f"weekly:{_WEEKDAY_NAMES[name]}:{at:%H:%M}"
    else:
        raise _error(_("'{word}' is not a day of the week.", word=words[1]), how)
    return When(next_occurrence(recurrence, now, zone), recurrence), used


# --- pieces -----------------------------------------------------------------------------------


def _optional_time(words: Sequence[str], index: int) -> tuple[time, int]:
    """An optional `HH:MM` (or `at HH:MM`) at `index`: the time and the words used up to it."""
    if index < len(words) and words[index].lower() == "at" and _looks_like_time(words, index + 1):
        return _time(words[index + 1]), index + 2
    if _looks_like_time(words, index):
        return _time(words[index]), index + 1
    return DEFAULT_TIME, index


def _looks_like_time(words: Sequence[str], index: int) -> bool:
    return index < len(words) and bool(_TIME.match(words[index]) or _TIME_LIKE.match(words[index]))


def _time(text: str) -> time:
    match = _TIME.match(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _error(
            _("'{text}' is not a time.", text=text),
            _("Write times as HH:MM on a 24-hour clock, e.g. 09:00 or 17:30."),
        )
    return time(int(match.group(1)), int(match.group(2)))


def _date(text: str) -> date:
    try:
        if _DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    example = "on 2026-12-01 14:30"
    if text.lower() in _WEEKDAY_NAMES:
        hint = _(
            "Write dates as YYYY-MM-DD, e.g. {example}, or {weekly} for every week.",
            example=example, weekly="every " + text.lower(),
        )  # fmt: skip
    else:
        hint = _("Write dates as YYYY-MM-DD, e.g. {example}.", example=example)
    raise _error(_("'{text}' is not a date.", text=text), hint)


def _one_off(day: date, at: time, now: datetime, zone: ZoneInfo) -> datetime:
    """The moment of a typed local date and time: it must exist, and be in the future."""
    typed = f"{day.isoformat()} {at:%H:%M}"  # isoformat: strftime drops the zeros of years before 1000
    today = now.astimezone(zone).date()
    # Dates are compared first, so that no far-off date is ever converted (years 1 and 9999 overflow).
    past = day < today
    too_far = day - today > MAX_AHEAD
    if not past and not too_far:
        reading = read_wall_clock(day, at, zone)
        moment = reading.at
        if reading.skipped:
            raise _error(
                _("{typed} does not exist in {zone}: the clocks go forward that night.", typed=typed, zone=zone.key),
                _("Pick another time, e.g. {time}.", time=moment.astimezone(zone).strftime("%H:%M")),
            )
        past, too_far = moment <= now, moment - now > MAX_AHEAD
    if past:
        raise _error(
            _("{typed} is in the past (it is now {now}).", typed=typed, now=local_time(now, zone)),
            _("Pick a later date or time, e.g. {example} or {other}.", example="tomorrow 09:00", other="in 2 hours"),
        )
    if too_far:
        raise _error(_("{day} is too far ahead.", day=day.isoformat()), _too_far_hint())
    return moment


def _parse_rule(recurrence: str) -> tuple[int | None, time]:
    """(weekday, or None for every day; local time) of a stored rule."""
    weekly, daily = _WEEKLY.match(recurrence), _DAILY.match(recurrence)
    if weekly is not None:
        weekday: int | None = int(weekly.group(1))
        hour, minute = weekly.group(2, 3)
    elif daily is not None:
        weekday = None
        hour, minute = daily.group(1, 2)
    else:
        raise ValueError(f"not a reminder rule: {recurrence!r}")
    if int(hour) > 23 or int(minute) > 59:
        raise ValueError(f"not a reminder rule: {recurrence!r}")
    return weekday, time(int(hour), int(minute))


def weekday_name(weekday: int) -> str:
    """`Monday` (Monday is 0), as the reader writes it (`星期一`)."""
    return str(get_day_names("wide", locale=babel_locale())[weekday])


def _too_far_hint() -> str:
    return _(
        "Reminders can be set at most {days} days ({years} years) ahead.", days=MAX_AHEAD.days, years=MAX_AHEAD_YEARS
    )


def _error(message: str, hint: str) -> UserError:
    return UserError(message, hint=hint, field="when")
