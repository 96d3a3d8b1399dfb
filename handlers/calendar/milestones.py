"""`calendar`: the program's milestones, with time zones, daylight saving and reminder offsets.

Times are typed in a named zone (the program's unless tz= says otherwise) and stored in UTC with
that zone beside them. A local time the clocks skip is refused; one they pass twice takes the first
occurrence, and the reply says so. Reminder offsets are minutes before the milestone, stored
largest first; the scheduler reads them, and any change, from the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.csv_files import CsvRow, RowProblem, read_csv
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time
from handlers.kit.registry import MEMBERS, command
from handlers.kit.replies import Notice, Reply, plural
from storage.models import Milestone
from storage.queries.calendar import (
    count_past_milestones,
    count_upcoming_milestones,
    identical_milestone,
    past_milestones,
    upcoming_milestones,
)
from storage.vocabulary import AuditEntity, Channel, MilestoneKind, NoticeKind

DEFAULT_REMINDERS = "10080,1440,60,0"  # 7d, 1d, 1h and at the time
MAX_REMINDERS = 10
MAX_REMINDER_MINUTES = 90 * 24 * 60
MAX_TITLE = 200
LIST_LIMIT = 50
MAX_LOAD_ROWS = 1000
CSV_REQUIRED = ("kind", "title", "date", "time")
CSV_OPTIONAL = ("timezone", "remind")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSET = re.compile(r"^(\d{1,6})([dhm]?)$")
_UNIT_MINUTES = {"d": 24 * 60, "h": 60, "m": 1, "": 0}
_ID = re.compile(r"^#?(\d{1,9})$")


@command("calendar", summary="program milestones: deadlines, orientation, launch, meetings", roles=MEMBERS)
def calendar(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar [tz=Area/City]
    calendar past [tz=Area/City]
    calendar add <kind> <YYYY-MM-DD> <HH:MM> "<title>" [tz=Area/City] [remind=7d,1d,1h,0]
    calendar move <id> <YYYY-MM-DD> <HH:MM> [tz=Area/City]
    calendar remove <id>
    calendar load  (with a CSV file attached; on the console: calendar load file=PATH)
    `calendar` lists the upcoming milestones, soonest first, in your time zone (tz=, else the
    program's) and in the milestone's own; `calendar past` the earlier ones, latest first.
    Admins add, move, remove and load milestones. kind is one of application_deadline,
    status_update, orientation, launch, meeting. The date and time are local to tz= (for add,
    the program's zone by default; for move, the milestone's own). remind= lists when to remind
    before the time: days (d), hours (h), minutes (m), 0 for at the time; at most 10, each at
    most 90 days ahead (default 7d,1d,1h,0). A CSV file has the columns kind, title, date, time
    and optionally timezone and remind; rows already on the calendar are skipped.
    Example: calendar add orientation 2027-02-07 10:00 "Orientation for new members" remind=1d,1h"""
    action = args.words[0].lower() if args.words else ""
    if action in ("", "past"):
        return _listing(ctx, args, session, past=action == "past")
    if action == "add":
        return _add(ctx, args, session)
    if action == "move":
        return _move(ctx, args, session)
    if action == "remove":
        return _remove(ctx, args, session)
    if action == "load":
        return _load(ctx, args, session)
    raise UserError(
        f"'{args.words[0]}' is not a calendar action.",
        hint="Use `calendar` to list the milestones, or calendar past, add, move, remove or load.",
    )


# --- reading ----------------------------------------------------------------------------------


def _listing(ctx: Context, args: Args, session: Session, *, past: bool) -> Reply:
    args.check_options("tz")
    args.no_more_words(1, "calendar")
    viewer = parse_zone(args.options["tz"], "tz") if args.option("tz") else ctx.rules.timezone
    if past:
        rows = past_milestones(session, ctx.now, LIST_LIMIT)
        total = count_past_milestones(session, ctx.now)
        empty, heading = "The calendar has no past milestones.", "past milestone"
    else:
        rows = upcoming_milestones(session, ctx.now, LIST_LIMIT)
        total = count_upcoming_milestones(session, ctx.now)
        empty, heading = "No upcoming milestones are on the calendar.", "upcoming milestone"
    if not rows:
        return Reply(empty)
    reply = Reply(f"{plural(total, heading)} (times in {zone_name(viewer)}):")
    reply.lines = [describe(milestone, viewer) for milestone in rows]
    if total > len(rows):
        reply.lines.append(f"... and {total - len(rows)} more.")
    return reply


def describe(milestone: Milestone, viewer: ZoneInfo) -> str:
    """`#3 · orientation · Orientation · 2027-02-07 10:00 EST · reminders 7d, 1d, 1h, at the time`."""
    when = moment(milestone.at, viewer, zone_of(milestone))
    return f"#{milestone.id} · {milestone.kind} · {milestone.title} · {when} · {reminders_label(milestone)}"


# --- changing ---------------------------------------------------------------------------------


def _add(ctx: Context, args: Args, session: Session) -> Reply:
    ctx.require_admin("change the program calendar")
    args.check_options("tz", "remind")
    kind = parse_enum(
        MilestoneKind,
        args.word(1, "kind of milestone", field="kind", usage="calendar"),
        "kind of milestone",
        field="kind",
    )
    day = parse_day(args.word(2, "date (YYYY-MM-DD)", field="date", usage="calendar"), "date")
    clock = parse_clock(args.word(3, "time (HH:MM)", field="time", usage="calendar"), "time")
    title = parse_title(" ".join(args.words[4:]), "title")
    zone = parse_zone(args.options["tz"], "tz") if args.option("tz") else ctx.rules.timezone
    offsets = parse_reminders(args.options["remind"], "remind") if args.option("remind") else DEFAULT_REMINDERS
    at, note = resolve_local(day, clock, zone, "time")
    _refuse_past(ctx, at, zone)
    _refuse_identical(session, kind, title, at)
    milestone = Milestone(
        kind=kind,
        title=title,
        at=at,
        timezone=zone_name(zone),
        reminder_offsets=offsets,
        created_by=ctx.caller.ref,
        created_at=ctx.now,
    )
    session.add(milestone)
    session.flush()
    assert milestone.id is not None
    record_change(session, ctx, AuditEntity.MILESTONE, milestone.id, "created", to_status=stamp(at), note=title)
    program = ctx.rules.timezone
    reply = Reply(
        f"Added #{milestone.id} ({kind}): {title} on {moment(at, zone, program)}, {reminders_label(milestone)}."
    )
    if note:
        reply.lines.append(note)
    reply.notices.append(_notice(f"Added to the calendar: {title} on {moment(at, program, zone)}", milestone))
    return reply


def _move(ctx: Context, args: Args, session: Session) -> Reply:
    ctx.require_admin("change the program calendar")
    args.check_options("tz")
    milestone = _milestone(session, args.word(1, "milestone id", field="id", usage="calendar"))
    day = parse_day(args.word(2, "new date (YYYY-MM-DD)", field="date", usage="calendar"), "date")
    clock = parse_clock(args.word(3, "new time (HH:MM)", field="time", usage="calendar"), "time")
    args.no_more_words(4, "calendar")
    zone = parse_zone(args.options["tz"], "tz") if args.option("tz") else zone_of(milestone)
    at, note = resolve_local(day, clock, zone, "time")
    before, before_zone = milestone.at, zone_of(milestone)
    if at == before and zone_name(zone) == milestone.timezone:
        raise UserError(f"#{milestone.id} {milestone.title} is already on {moment(at, zone, ctx.rules.timezone)}.")
    _refuse_past(ctx, at, zone)
    _refuse_identical(session, milestone.kind, milestone.title, at, besides=milestone.id)
    assert milestone.id is not None
    milestone.at, milestone.timezone = at, zone_name(zone)
    session.add(milestone)
    record_change(
        session, ctx, AuditEntity.MILESTONE, milestone.id, "moved", from_status=stamp(before), to_status=stamp(at),
        note=milestone.title,
    )  # fmt: skip
    program = ctx.rules.timezone
    reply = Reply(
        f"Moved #{milestone.id} {milestone.title} to {moment(at, zone, program)}; "
        f"it was on {moment(before, before_zone, program)}."
    )
    if note:
        reply.lines.append(note)
    reply.notices.append(
        _notice(
            f"Moved: {milestone.title} is now on {moment(at, program, zone)} instead of {local_time(before, program)}",
            milestone,
        )
    )
    return reply


def _remove(ctx: Context, args: Args, session: Session) -> Reply:
    ctx.require_admin("change the program calendar")
    args.check_options()
    milestone = _milestone(session, args.word(1, "milestone id", field="id", usage="calendar"))
    args.no_more_words(2, "calendar")
    assert milestone.id is not None
    zone, program = zone_of(milestone), ctx.rules.timezone
    record_change(
        session,
        ctx,
        AuditEntity.MILESTONE,
        milestone.id,
        "removed",
        from_status=stamp(milestone.at),
        note=milestone.title,
    )
    reply = Reply(f"Removed #{milestone.id} {milestone.title}, which was on {moment(milestone.at, zone, program)}.")
    if milestone.at >= ctx.now:  # a past milestone is no news to anyone
        reply.notices.append(
            _notice(f"Removed from the calendar: {milestone.title}, which was on {moment(milestone.at, program, zone)}")
        )
    session.delete(milestone)
    return reply


# --- loading a file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedMilestone:
    line: int
    kind: MilestoneKind
    title: str
    at: datetime
    zone: ZoneInfo
    offsets: str
    note: str | None


def _load(ctx: Context, args: Args, session: Session) -> Reply:
    ctx.require_admin("change the program calendar")
    args.check_options()
    args.no_more_words(1, "calendar")
    if not ctx.attachments:
        raise UserError(
            "Attach the calendar as a CSV file with the columns kind, title, date, time, timezone, remind.",
            hint="On the console: calendar load file=examples/calendar-2017.csv",
        )
    several = len(ctx.attachments) > 1
    problems: list[str] = []
    notes: list[str] = []
    added: list[Milestone] = []
    repeated = 0
    for attachment in ctx.attachments:
        rows = read_csv(attachment.content, attachment.name, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
        if len(rows) > MAX_LOAD_ROWS:
            raise UserError(f"{attachment.name} has {len(rows):,} rows; a calendar file holds at most {MAX_LOAD_ROWS}.")
        where = f"{attachment.name} " if several else ""
        planned, bad = plan_rows(rows, ctx.rules.timezone)
        problems += [f"{where}{problem}" for problem in bad]
        for row in planned:
            if identical_milestone(session, row.kind, row.title, row.at) is not None:
                repeated += 1
                continue
            milestone = Milestone(
                kind=row.kind, title=row.title, at=row.at, timezone=zone_name(row.zone),
                reminder_offsets=row.offsets, created_by=ctx.caller.ref, created_at=ctx.now,
            )  # fmt: skip
            session.add(milestone)
            session.flush()
            assert milestone.id is not None
            record_change(
                session, ctx, AuditEntity.MILESTONE, milestone.id, "created", to_status=stamp(row.at),
                note=f"{row.title} (from {attachment.name})"[:1000],
            )  # fmt: skip
            added.append(milestone)
            if row.note:
                notes.append(f"{where}line {row.line}: {row.note}")
    parts = [f"{plural(len(added), 'milestone')} added"]
    if repeated:
        parts.append(f"{plural(repeated, 'row')} already on the calendar")
    if problems:
        parts.append(f"{plural(len(problems), 'row')} not loaded")
    names = ", ".join(attachment.name for attachment in ctx.attachments)
    reply = Reply(f"{names}: {', '.join(parts)}.")
    reply.lines += problems
    reply.lines += [describe(milestone, ctx.rules.timezone) for milestone in added]
    reply.lines += notes
    past = [milestone for milestone in added if milestone.at < ctx.now]
    if past:
        reply.lines.append(
            f"{len(past)} of the milestones added {'is' if len(past) == 1 else 'are'} in the past "
            "and will not be announced."
        )
    if problems:
        reply.lines.append("Fix the rows named above and load the file again: rows already loaded are skipped.")
    coming = [milestone for milestone in added if milestone.at >= ctx.now]
    if len(coming) == 1:
        only = coming[0]
        when = moment(only.at, ctx.rules.timezone, zone_of(only))
        reply.notices.append(_notice(f"Added to the calendar: {only.title} on {when}", only))
    elif coming:
        reply.notices.append(
            Notice(
                channel=Channel.ANNOUNCEMENTS,
                kind=NoticeKind.CALENDAR,
                text=f"Added to the calendar: {plural(len(coming), 'milestone')}",
                fields=tuple((moment(m.at, ctx.rules.timezone, zone_of(m)), f"{m.title} ({m.kind})") for m in coming),
            )
        )
    return reply


def plan_rows(rows: list[CsvRow], default_zone: ZoneInfo) -> tuple[list[PlannedMilestone], list[RowProblem]]:
    """The milestones a file's rows describe; every bad row reported by line and column."""
    planned: list[PlannedMilestone] = []
    problems: list[RowProblem] = []
    for row in rows:
        values = row.values
        empty = next((column for column in CSV_REQUIRED if not values.get(column)), None)
        if empty is not None:
            problems.append(RowProblem(row.line, empty, "empty"))
            continue
        try:
            kind = parse_enum(MilestoneKind, values.get("kind", ""), "kind of milestone", field="kind")
            title = parse_title(values.get("title", ""), "title")
            day = parse_day(values.get("date", ""), "date")
            clock = parse_clock(values.get("time", ""), "time")
            zone = parse_zone(values["timezone"], "timezone") if values.get("timezone") else default_zone
            offsets = parse_reminders(values["remind"], "remind") if values.get("remind") else DEFAULT_REMINDERS
            at, note = resolve_local(day, clock, zone, "time")
        except UserError as error:
            problems.append(RowProblem(row.line, error.field or "?", str(error)))
            continue
        planned.append(PlannedMilestone(row.line, kind, title, at, zone, offsets, note))
    return planned, problems


# --- parsing ----------------------------------------------------------------------------------


@cache
def _zone_names() -> dict[str, str]:
    # `localtime` and `posixrules` name whatever the server is set to, not a place.
    return {name.lower(): name for name in available_timezones() if name not in ("localtime", "posixrules")}


def parse_zone(text: str, field: str) -> ZoneInfo:
    """An IANA time zone, its name matched without regard to case: `asia/shanghai` -> Asia/Shanghai."""
    names = _zone_names()
    # Only the zones of the time zone database; any name at all only where that list is unavailable.
    name = names.get(text.strip().lower()) if names else text.strip()
    try:
        if name is None:
            raise ValueError(text)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError(
            f"'{text}' is not a time zone I know.",
            hint="Use an IANA zone name such as America/New_York, Europe/London or Asia/Shanghai.",
            field=field,
        ) from None


def parse_day(text: str, field: str) -> date:
    try:
        if not _DATE.match(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"'{text}' is not a valid date." if text.strip() else "The date is empty.",
            hint="Write dates as YYYY-MM-DD, e.g. 2027-02-07.",
            field=field,
        ) from None


def parse_clock(text: str, field: str) -> time:
    match = _TIME.match(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise UserError(
            f"'{text}' is not a time of day." if text.strip() else "The time is empty.",
            hint="Write times as HH:MM on a 24-hour clock, e.g. 09:30 or 17:00.",
            field=field,
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_title(text: str, field: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise UserError("The milestone needs a title.", hint='Put it in quotes, e.g. "Orientation".', field=field)
    if len(title) > MAX_TITLE:
        raise UserError(f"The title is {len(title)} characters; the limit is {MAX_TITLE}.", field=field)
    return title


def parse_reminders(text: str, field: str) -> str:
    """`7d,1d,1h,0` -> "10080,1440,60,0": minutes before the time, largest first, each once."""
    hint = (
        "Write reminders like remind=7d,1d,1h,0: days (d), hours (h) or minutes (m) before the time, 0 for at the time."
    )
    parts = [part.strip().lower() for part in text.split(",")]
    if len(parts) > MAX_REMINDERS:
        raise UserError(f"That is {len(parts)} reminders; the limit is {MAX_REMINDERS}.", field=field)
    minutes: set[int] = set()
    for part in parts:
        match = _OFFSET.match(part)
        if not part:
            raise UserError(f"'{text}' has an empty reminder between its commas.", hint=hint, field=field)
        if match is None or (match.group(2) == "" and int(match.group(1)) != 0):
            raise UserError(f"'{part}' is not a reminder offset.", hint=hint, field=field)
        offset = int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
        if offset > MAX_REMINDER_MINUTES:
            raise UserError(
                f"A reminder {part} ahead is too early.",
                hint="Reminders can be at most 90 days (90d) ahead.",
                field=field,
            )
        minutes.add(offset)
    return ",".join(str(offset) for offset in sorted(minutes, reverse=True))


def resolve_local(day: date, clock: time, zone: ZoneInfo, field: str) -> tuple[datetime, str | None]:
    """A local date and time in `zone` as a UTC moment; with a note when the time happens twice.

    A time the clocks skip (spring forward) is refused; one they pass twice (fall back) is taken
    at its first occurrence.
    """
    wall = datetime.combine(day, clock)
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    earlier, later = first.utcoffset(), second.utcoffset()
    assert earlier is not None and later is not None
    written = f"{day.isoformat()} {clock.strftime('%H:%M')}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        moved = first.astimezone(UTC).astimezone(zone)
        raise UserError(
            f"{written} does not exist in {zone_name(zone)}: the clocks go forward {_span(later - earlier)} "
            "that night and skip it.",
            hint=f"Choose a time outside the skipped {_span(later - earlier, bare=True)}, e.g. {moved:%H:%M}.",
            field=field,
        )
    if earlier != later:
        note = (
            f"{written} happens twice in {zone_name(zone)} (the clocks go back {_span(earlier - later)} that night): "
            f"this is the first, {first:%H:%M %Z}, which is {first.astimezone(UTC):%H:%M} UTC."
        )
        return first.astimezone(UTC), note
    return first.astimezone(UTC), None


def _span(delta: timedelta, *, bare: bool = False) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes == 60:
        return "hour" if bare else "an hour"
    return f"{minutes} minutes"


# --- wording ----------------------------------------------------------------------------------


def zone_name(zone: ZoneInfo) -> str:
    return zone.key or str(zone)


def zone_of(milestone: Milestone) -> ZoneInfo:
    try:
        return ZoneInfo(milestone.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def moment(at: datetime, first: ZoneInfo, second: ZoneInfo) -> str:
    """`at` in `first`, then in the named `second` zone when that reads differently."""
    shown = local_time(at, first)
    other = local_time(at, second)
    if zone_name(second) != zone_name(first) and other != shown:
        shown += f" ({other} in {zone_name(second)})"
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


def stamp(at: datetime) -> str:
    """A UTC moment as the audit log keeps it: `2027-02-07T15:00Z`."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


# --- helpers ----------------------------------------------------------------------------------


def _notice(text: str, milestone: Milestone | None = None) -> Notice:
    fields: tuple[tuple[str, str], ...] = ()
    if milestone is not None:
        fields = (("kind", milestone.kind), ("reminders", reminders_label(milestone).partition(" ")[2] or "none"))
    return Notice(channel=Channel.ANNOUNCEMENTS, kind=NoticeKind.CALENDAR, text=text, fields=fields)


def _milestone(session: Session, text: str) -> Milestone:
    match = _ID.match(text.strip())
    if match is None:
        raise UserError(
            f"'{text}' is not a milestone id.", hint="Milestone ids are numbers, as `calendar` lists them.", field="id"
        )
    milestone = session.get(Milestone, int(match.group(1)))
    if milestone is None:
        raise NotFound(
            f"There is no milestone #{int(match.group(1))} on the calendar.",
            hint="`calendar` lists the upcoming ones with their ids, `calendar past` the earlier ones.",
            field="id",
        )
    return milestone


def _refuse_past(ctx: Context, at: datetime, zone: ZoneInfo) -> None:
    if at <= ctx.now:
        raise UserError(
            f"{local_time(at, zone)} is in the past.",
            hint=f"It is now {local_time(ctx.now, zone)}; choose a later date or time.",
            field="date",
        )


def _refuse_identical(session: Session, kind: str, title: str, at: datetime, *, besides: int | None = None) -> None:
    same = identical_milestone(session, kind, title, at)
    if same is not None and same.id != besides:
        raise UserError(f"That milestone is already on the calendar as #{same.id}.")
