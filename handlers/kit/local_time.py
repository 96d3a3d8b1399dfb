"""Local time, in one place: time zones by name, wall-clock times the clocks skip or repeat, whole days
across daylight-saving changes, business days, weekly recurrences, months, and how moments are written.

Every moment is stored and compared in UTC; local time is how people type and read it. The rules:
- a local time the clocks skip (spring forward) does not exist: a typed one is refused, a computed
  one (a rule, a shift by days) lands just after the jump, as the clocks read then;
- a local time the clocks pass twice (fall back) means the first of the two;
- whole days are counted on the local calendar, so "1 day before" a 09:00 meeting is 09:00 the day
  before even across a daylight-saving change, and so are business days (weekends and the
  program's holidays skipped) and weekly recurrences;
- the figures' months are calendar months in the program's zone (computed in `storage.months`,
  since storage keys its month columns by them, and re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from handlers.kit.errors import UserError
from handlers.kit.i18n import _, format_moment
from storage.months import month_bounds, month_of, months_between, shift_month

__all__ = [
    "WallClock",
    "add_business_days",
    "before",
    "job_stamp",
    "local_time",
    "month_bounds",
    "month_of",
    "months_between",
    "next_weekly",
    "read_wall_clock",
    "shift_days",
    "shift_month",
    "typed_local_time",
    "utc_stamp",
    "zone_label",
    "zone_named",
]

DAY_MINUTES = 24 * 60


# --- zones ------------------------------------------------------------------------------------


def zone_named(text: str) -> ZoneInfo | None:
    """An IANA time zone by its name in any letter case (`asia/shanghai` -> Asia/Shanghai), else None."""
    name = _zone_names().get(text.strip().lower())
    return ZoneInfo(name) if name is not None else None


@cache
def _zone_names() -> dict[str, str]:
    # `localtime` and `posixrules` name whatever the server is set to, not a place.
    return {name.lower(): name for name in available_timezones() if name not in ("localtime", "posixrules")}


def zone_label(zone: tzinfo) -> str:
    """`America/New_York`: the name a zone was opened by."""
    return getattr(zone, "key", None) or str(zone)


# --- wall-clock times -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WallClock:
    """A local date and time read in a zone."""

    day: date
    clock: time
    zone: ZoneInfo
    at: datetime  # in UTC: the first occurrence when repeated, just after the jump when skipped
    skipped: timedelta  # how far the clocks jump over it; zero when it exists
    repeated: timedelta  # how far the clocks go back over it; zero when it happens once

    @property
    def written(self) -> str:
        """`2027-03-14 02:30` (isoformat: strftime drops the zeros of years before 1000)."""
        return f"{self.day.isoformat()} {self.clock:%H:%M}"


def read_wall_clock(day: date, clock: time, zone: ZoneInfo) -> WallClock:
    """What a local date and time in `zone` means: its moment, and whether the clocks skip or repeat it."""
    first = datetime.combine(day, clock, tzinfo=zone).replace(fold=0)
    second = first.replace(fold=1)
    earlier, later = first.utcoffset(), second.utcoffset()
    assert earlier is not None and later is not None
    at = first.astimezone(UTC)
    exists = at.astimezone(zone).replace(tzinfo=None) == first.replace(tzinfo=None)
    skipped = timedelta(0) if exists else later - earlier
    repeated = earlier - later if exists and earlier != later else timedelta(0)
    return WallClock(day, clock, zone, at, skipped, repeated)


def typed_local_time(day: date, clock: time, zone: ZoneInfo, field: str) -> tuple[datetime, str | None]:
    """A typed local date and time as a UTC moment; with a note naming the occurrence when it happens twice.

    A time the clocks skip is refused, saying which times to choose instead.
    """
    wall = read_wall_clock(day, clock, zone)
    if wall.skipped:
        example = f"{wall.at.astimezone(zone):%H:%M}"
        raise UserError(
            _(
                "{time} does not exist in {zone}: the clocks go forward {span} that night and skip it.",
                time=wall.written, zone=zone_label(zone), span=_span(wall.skipped),
            ),
            hint=_(
                "Choose a time outside the skipped {span}, e.g. {example}.",
                span=_span(wall.skipped, bare=True), example=example,
            ),
            field=field,
        )  # fmt: skip
    if wall.repeated:
        local, utc = f"{wall.at.astimezone(zone):%H:%M %Z}", f"{wall.at:%H:%M}"
        note = _(
            "{time} happens twice in {zone} (the clocks go back {span} that night): this is the first, "
            "{local}, which is {utc} UTC.",
            time=wall.written, zone=zone_label(zone), span=_span(wall.repeated), local=local, utc=utc,
        )  # fmt: skip
        return wall.at, note
    return wall.at, None


def _span(delta: timedelta, *, bare: bool = False) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes == 60:
        return _("hour") if bare else _("an hour")
    return _("{minutes} minutes", minutes=minutes)


# --- days -------------------------------------------------------------------------------------


def shift_days(moment: datetime, days: int, zone: tzinfo) -> datetime:
    """The same local time of day `days` later (earlier when negative), in UTC."""
    local = moment.astimezone(zone)
    return _wall(local.date() + timedelta(days=days), local.time(), zone)


def before(moment: datetime, minutes: int, zone: tzinfo) -> datetime:
    """`minutes` before `moment`, in UTC; whole days are counted on the local calendar, so "1 day
    before" a 09:00 meeting is 09:00 the day before even across a daylight-saving change."""
    days, rest = divmod(minutes, DAY_MINUTES)
    if rest or not days:
        return (moment - timedelta(minutes=minutes)).astimezone(UTC)
    return shift_days(moment, -days, zone)


def add_business_days(start: datetime, days: int, zone: tzinfo, holidays: frozenset[date]) -> datetime:
    """`start` moved forward by `days` business days (weekends and holidays skipped), keeping the
    local time of day in `zone`; in UTC."""
    local = start.astimezone(zone)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            remaining -= 1
    return _wall(day, local.time(), zone)


def next_weekly(after: datetime, weekday: int | None, at: time, zone: tzinfo) -> datetime:
    """The first local time `at` on `weekday` (Monday is 0; None for every day) strictly after `after`, in UTC.

    On a day the clocks skip `at`, it comes just after the jump; on a day they repeat it, only the first time.
    """
    if after.utcoffset() is None:
        raise ValueError("next_weekly needs an aware datetime")
    start = after.astimezone(zone).date()
    for offset in range(9):
        day = start + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = _wall(day, at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a weekly rule comes within 8 days")  # pragma: no cover


def _wall(day: date, clock: time, zone: tzinfo) -> datetime:
    """A computed local time as UTC: the first of two when the clocks go back, just after a jump."""
    return datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


# --- writing moments --------------------------------------------------------------------------


def local_time(moment: datetime | None, zone: tzinfo, *, weekday: bool = False) -> str:
    """`2027-02-07 10:00 EST` (`Sun 2027-02-07 10:00 EST` with the weekday); `-` for no moment."""
    if moment is None:
        return "-"
    return format_moment(moment, zone, weekday=weekday)


def utc_stamp(moment: datetime) -> str:
    """`2027-02-07T15:00Z`: a moment as the audit log records it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def job_stamp(moment: datetime) -> str:
    """`20270207T150000Z`: a moment inside a scheduled occurrence's id (and so its dedupe key)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
