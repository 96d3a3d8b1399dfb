"""Reading a milestone's parts as admins type them (or a calendar file holds them), with clear refusals.

Reminder offsets are minutes before the milestone, stored largest first; the scheduler reads them from
the table.
"""

from __future__ import annotations

import re
from datetime import date, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.kit.arguments import check_year
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _
from handlers.kit.local_time import zone_named
from handlers.kit.registry import Option, OptionKind
from storage.models import Milestone
from storage.vocabulary import MilestoneKind

DEFAULT_REMINDERS = "10080,1440,60,0"  # 7d, 1d, 1h and at the time
MAX_REMINDERS = 10
MAX_REMINDER_MINUTES = 90 * 24 * 60
MAX_TITLE = 200

TZ = Option("tz", N_("the time zone of the date and time, e.g. Asia/Shanghai"), keyword=True)
VIEWER_TZ = Option("tz", N_("show the times in this time zone, e.g. Asia/Shanghai"), keyword=True)
KIND = Option(
    "kind",
    N_("the kind of milestone"),
    OptionKind.CHOICE,
    required=True,
    choices=tuple(kind.value for kind in MilestoneKind),
)
MILESTONE_ID = Option("id", N_("the milestone's id, as `calendar` lists it"), OptionKind.NUMBER, required=True)
DAY = Option("date", N_("the date, YYYY-MM-DD"), required=True)
CLOCK = Option("time", N_("the time, HH:MM on a 24-hour clock"), required=True)
TITLE = Option("title", N_("the milestone's title"), required=True)
REMIND = Option("remind", N_("when to remind before it, e.g. 7d,1d,1h,0"), keyword=True)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSET = re.compile(r"^(\d{1,6})([dhm]?)$")
_UNIT_MINUTES = {"d": 24 * 60, "h": 60, "m": 1, "": 0}
_ID = re.compile(r"^#?(\d{1,9})$")


def parse_zone(text: str, field: str) -> ZoneInfo:
    """An IANA time zone, its name matched without regard to case: `asia/shanghai` -> Asia/Shanghai."""
    zone = zone_named(text)
    if zone is None:
        raise UserError(
            _("'{text}' is not a time zone I know.", text=text),
            hint=_("Use an IANA zone name such as America/New_York, Europe/London or Asia/Shanghai."),
            field=field,
        )
    return zone


def parse_day(text: str, field: str) -> date:
    try:
        if not _DATE.match(text.strip()):
            raise ValueError(text)
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            _("'{text}' is not a valid date.", text=text) if text.strip() else _("The date is empty."),
            hint=_("Write dates as YYYY-MM-DD, e.g. 2027-02-07."),
            field=field,
        ) from None
    check_year(day.year, text, field)
    return day


def parse_clock(text: str, field: str) -> time:
    match = _TIME.match(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UserError(
            _("'{text}' is not a time of day.", text=text) if text.strip() else _("The time is empty."),
            hint=_("Write times as HH:MM on a 24-hour clock, e.g. 09:30 or 17:00."),
            field=field,
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_title(text: str, field: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise UserError(_("The milestone needs a title."), hint=_('Put it in quotes, e.g. "Orientation".'), field=field)
    if len(title) > MAX_TITLE:
        raise UserError(
            _("The title is {length} characters; the limit is {limit}.", length=len(title), limit=MAX_TITLE),
            field=field,
        )
    return title


def parse_reminders(text: str, field: str) -> str:
    """`7d,1d,1h,0` -> "10080,1440,60,0": minutes before the time, largest first, each once."""
    hint = _(
        "Write reminders like remind=7d,1d,1h,0: days (d), hours (h) or minutes (m) before the time, 0 for at the time."
    )
    parts = [part.strip().lower() for part in text.split(",")]
    if len(parts) > MAX_REMINDERS:
        raise UserError(
            _("That is {count} reminders; the limit is {limit}.", count=len(parts), limit=MAX_REMINDERS), field=field
        )
    minutes: set[int] = set()
    for part in parts:
        match = _OFFSET.match(part)
        if not part:
            raise UserError(_("'{text}' has an empty reminder between its commas.", text=text), hint=hint, field=field)
        if match is None or (match.group(2) == "" and int(match.group(1)) != 0):
            raise UserError(_("'{part}' is not a reminder offset.", part=part), hint=hint, field=field)
        offset = int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
        if offset > MAX_REMINDER_MINUTES:
            raise UserError(
                _("A reminder {part} ahead is too early.", part=part),
                hint=_("Reminders can be at most 90 days (90d) ahead."),
                field=field,
            )
        minutes.add(offset)
    return ",".join(str(offset) for offset in sorted(minutes, reverse=True))


def milestone_by_id(session: Session, text: str) -> Milestone:
    """The milestone `#3` or `3` names, or a refusal saying where the ids are listed."""
    match = _ID.match(text.strip())
    if match is None:
        raise UserError(
            _("'{text}' is not a milestone id.", text=text),
            hint=_("Milestone ids are numbers, as `calendar` lists them."),
            field="id",
        )
    milestone = session.get(Milestone, int(match.group(1)))
    if milestone is None:
        raise NotFound(
            _("There is no milestone #{id} on the calendar.", id=int(match.group(1))),
            hint=_("`calendar` lists the upcoming ones with their ids, `calendar past` the earlier ones."),
            field="id",
        )
    return milestone
