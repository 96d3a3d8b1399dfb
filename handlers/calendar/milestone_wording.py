"""How milestones read: in the viewer's zone and their own, with their reminders, and as announcements."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
        shown += f" ({other} in {zone_label(second)})"
    return shown


def offset_label(minutes: int) -> str:
    """10080 -> `7d`, 60 -> `1h`, 90 -> `90m`, 0 -> `at the time`."""
    if minutes == 0:
        return "at the time"
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def reminders_label(milestone: Milestone) -> str:
    """`reminders 7d, 1d, 1h, at the time`."""
    offsets = [int(part) for part in milestone.reminder_offsets.split(",") if part.strip().isdigit()]
    if not offsets:
        return "no reminders"
    return ("reminder " if len(offsets) == 1 else "reminders ") + ", ".join(offset_label(m) for m in offsets)


def announcement(text: str, milestone: Milestone | None = None) -> Notice:
    """A calendar change, posted to the announcements channel with the milestone's kind and reminders."""
    fields: tuple[tuple[str, str], ...] = ()
    if milestone is not None:
        fields = (("kind", milestone.kind), ("reminders", reminders_label(milestone).partition(" ")[2] or "none"))
    return Notice(channel=Channel.ANNOUNCEMENTS, kind=NoticeKind.CALENDAR, text=text, fields=fields)
