"""How milestones read: in the viewer's zone and their own, with their reminders, and as announcements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.kit.i18n import _, localized, ngettext
from handlers.kit.local_time import local_time, zone_label
from handlers.kit.replies import Notice
from storage.models import Milestone
from storage.vocabulary import Channel, NoticeKind


def describe(milestone: Milestone, viewer: ZoneInfo) -> str:
    """`#3 · orientation · Orientation · 2027-02-07 10:00 EST · reminders 7d, 1d, 1h, at the time`."""
    when = moment(milestone.at, viewer, zone_of(milestone))
    return f"#{milestone.id} · {milestone.kind} · {milestone.title} · {when} · {reminders_label(milestone)}"


def zone_of(milestone: Milestone) -> ZoneInfo:
    """The zone a milestone was set in (UTC should its name no longer be known)."""
    try:
        return ZoneInfo(milestone.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def moment(at: datetime, first: ZoneInfo, second: ZoneInfo) -> str:
    """`at` in `first`, then in the named `second` zone when that reads differently."""
    shown = local_time(at, first)
    other = local_time(at, second)
    if zone_label(second) != zone_label(first) and other != shown:
        shown += _(" ({when} in {zone})", when=other, zone=zone_label(second))
    return shown


def offset_label(minutes: int) -> str:
    """10080 -> `7d`, 60 -> `1h`, 90 -> `90m`, 0 -> `at the time` (the offsets as `remind=` takes them)."""
    if minutes == 0:
        return _("at the time")
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def _offsets(milestone: Milestone) -> list[int]:
    return [int(part) for part in milestone.reminder_offsets.split(",") if part.strip().isdigit()]


def offsets_label(milestone: Milestone) -> str:
    """`7d, 1d, 1h, at the time`, or `none`."""
    offsets = _offsets(milestone)
    return ", ".join(offset_label(minutes) for minutes in offsets) if offsets else _("none")


def reminders_label(milestone: Milestone) -> str:
    """`reminders 7d, 1d, 1h, at the time`."""
    offsets = _offsets(milestone)
    if not offsets:
        return _("no reminders")
    return ngettext("reminder {offsets}", "reminders {offsets}", len(offsets), offsets=offsets_label(milestone))


def announcement(text: Callable[[], str], milestone: Milestone | None = None) -> Notice:
    """A calendar change, posted to the announcements channel with the milestone's kind and reminders;
    `text` is called in each language."""

    def build() -> Notice:
        fields: tuple[tuple[str, str], ...] = ()
        if milestone is not None:
            fields = ((_("kind"), milestone.kind), (_("reminders"), offsets_label(milestone)))
        return Notice(channel=Channel.ANNOUNCEMENTS, kind=NoticeKind.CALENDAR, text=text(), fields=fields)

    return localized(build)
