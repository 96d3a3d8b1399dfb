"""Calendar months as the figures count them: the integer YYYYMM of a moment in the program's zone.

Pure arithmetic, kept in storage because the month columns (`reported_month`, `decided_month`) and
the figures' queries are keyed by it; the handlers' kit re-exports it with the other local-time rules.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def month_of(moment: datetime, zone: tzinfo = UTC) -> int:
    """The month of a moment in the program's time zone, as the integer YYYYMM of the figures."""
    local = moment.astimezone(zone)
    return local.year * 100 + local.month


def month_bounds(month: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """The first moment of `month` (YYYYMM) in `zone` and the first moment of the next, in UTC."""
    return _first_moment(month, zone), _first_moment(shift_month(month, 1), zone)


def months_between(first_month: int, last_month: int) -> list[int]:
    """Every month from `first_month` to `last_month`, both included, oldest first."""
    months = []
    year, month = divmod(first_month, 100)
    while year * 100 + month <= last_month:
        months.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def shift_month(month: int, delta: int) -> int:
    """`month` (YYYYMM) moved by `delta` months: shift_month(202612, 1) == 202701."""
    year, index = divmod(month, 100)
    total = year * 12 + (index - 1) + delta
    return (total // 12) * 100 + total % 12 + 1


def _first_moment(month: int, zone: tzinfo) -> datetime:
    # A midnight the clocks skip is read with the offset before the jump: the moment they jump.
    year, index = divmod(month, 100)
    return datetime(year, index, 1, tzinfo=zone).astimezone(UTC)
