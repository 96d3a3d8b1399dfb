"""`calendar load`: admins load a whole calendar from a CSV file; rows already on it are skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.milestone_changes import CHANGE
from handlers.calendar.milestone_fields import (
    DEFAULT_REMINDERS,
    parse_clock,
    parse_day,
    parse_reminders,
    parse_title,
    parse_zone,
)
from handlers.calendar.milestone_wording import announcement, describe, moment, zone_of
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.csv_files import CsvRow, RowProblem, read_csv
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, deferred, format_number, localized, ngettext
from handlers.kit.local_time import typed_local_time, utc_stamp, zone_label
from handlers.kit.registry import ADMINS, command
from handlers.kit.replies import Notice, Reply
from storage.models import Milestone
from storage.queries.calendar import identical_milestone
from storage.vocabulary import AuditEntity, Channel, MilestoneKind, NoticeKind

MAX_LOAD_ROWS = 1000
CSV_REQUIRED = ("kind", "title", "date", "time")
CSV_OPTIONAL = ("timezone", "remind")


@dataclass(frozen=True, slots=True)
class PlannedMilestone:
    line: int
    kind: MilestoneKind
    title: str
    at: datetime
    zone: ZoneInfo
    offsets: str
    note: str | None


@command("calendar load", summary=N_("load milestones from a CSV file (admins)"), roles=ADMINS, action=CHANGE)
def calendar_load(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar load  (with a CSV file attached; on the console: calendar load file=PATH)
    The file has the columns kind, title, date, time and optionally timezone and remind, read as in
    `calendar add` (the program's time zone when a row names none). Rows already on the calendar are
    skipped, so a corrected file can be loaded again; every bad row is named by line and column.
    Example: calendar load file=examples/calendar-2017.csv"""
    args.check_options()
    args.no_more_words(0, "calendar load")
    if not ctx.attachments:
        raise UserError(
            _("Attach the calendar as a CSV file with the columns kind, title, date, time, timezone, remind."),
            hint=_("On the console: {example}", example="calendar load file=examples/calendar-2017.csv"),
        )
    several = len(ctx.attachments) > 1
    problems: list[str] = []
    notes: list[str] = []
    added: list[Milestone] = []
    repeated = 0
    for attachment in ctx.attachments:
        rows = read_csv(attachment.content, attachment.name, required=CSV_REQUIRED, optional=CSV_OPTIONAL)
        if len(rows) > MAX_LOAD_ROWS:
            raise UserError(
                _(
                    "{file} has {count} rows; a calendar file holds at most {limit}.",
                    file=attachment.name, count=format_number(len(rows)), limit=format_number(MAX_LOAD_ROWS),
                )
            )  # fmt: skip
        where = f"{attachment.name} " if several else ""
        planned, bad = plan_rows(rows, ctx.rules.timezone)
        problems += [f"{where}{problem}" for problem in bad]
        for row in planned:
            if identical_milestone(session, row.kind, row.title, row.at) is not None:
                repeated += 1
                continue
            milestone = Milestone(
                kind=row.kind, title=row.title, at=row.at, timezone=zone_label(row.zone),
                reminder_offsets=row.offsets, created_by=ctx.caller.ref, created_at=ctx.now,
            )  # fmt: skip
            add_recorded(
                session, ctx, milestone, AuditEntity.MILESTONE, to_status=utc_stamp(row.at),
                note=deferred(N_("{title} (from {file})"), title=row.title, file=attachment.name),
            )  # fmt: skip
            added.append(milestone)
            if row.note:
                notes.append(_("{file}line {line}: {note}", file=where, line=row.line, note=row.note))
    names = ", ".join(attachment.name for attachment in ctx.attachments)
    return _summary(ctx, names, added, repeated, problems, notes)


def plan_rows(rows: list[CsvRow], default_zone: ZoneInfo) -> tuple[list[PlannedMilestone], list[RowProblem]]:
    """The milestones a file's rows describe; every bad row reported by line and column."""
    planned: list[PlannedMilestone] = []
    problems: list[RowProblem] = []
    for row in rows:
        values = row.values
        empty = next((column for column in CSV_REQUIRED if not values.get(column)), None)
        if empty is not None:
            problems.append(RowProblem(row.line, empty, _("empty")))
            continue
        try:
            kind = parse_enum(
                MilestoneKind, values.get("kind", ""), N_("'{text}' is not a kind of milestone."), field="kind"
            )
            title = parse_title(values.get("title", ""), "title")
            day = parse_day(values.get("date", ""), "date")
            clock = parse_clock(values.get("time", ""), "time")
            zone = parse_zone(values["timezone"], "timezone") if values.get("timezone") else default_zone
            offsets = parse_reminders(values["remind"], "remind") if values.get("remind") else DEFAULT_REMINDERS
            at, note = typed_local_time(day, clock, zone, "time")
        except UserError as error:
            problems.append(RowProblem(row.line, error.field or "?", str(error)))
            continue
        planned.append(PlannedMilestone(row.line, kind, title, at, zone, offsets, note))
    return planned, problems


def _summary(
    ctx: Context, names: str, added: list[Milestone], repeated: int, problems: list[str], notes: list[str]
) -> Reply:
    """What was loaded, what was not and why; one announcement for what is still to come."""
    parts = [ngettext("{count} milestone added", "{count} milestones added", len(added))]
    if repeated:
        parts.append(ngettext("{count} row already on the calendar", "{count} rows already on the calendar", repeated))
    if problems:
        parts.append(ngettext("{count} row not loaded", "{count} rows not loaded", len(problems)))
    reply = Reply(_("{files}: {parts}.", files=names, parts=_(", ").join(parts)))
    reply.lines += problems
    reply.lines += [describe(milestone, ctx.rules.timezone) for milestone in added]
    reply.lines += notes
    past = [milestone for milestone in added if milestone.at < ctx.now]
    if past:
        reply.lines.append(
            ngettext(
                "{count} of the milestones added is in the past and will not be announced.",
                "{count} of the milestones added are in the past and will not be announced.",
                len(past),
            )
        )
    if problems:
        reply.lines.append(_("Fix the rows named above and load the file again: rows already loaded are skipped."))
    coming = [milestone for milestone in added if milestone.at >= ctx.now]
    program = ctx.rules.timezone
    if len(coming) == 1:
        only = coming[0]
        reply.notices.append(
            announcement(
                lambda: _(
                    "Added to the calendar: {title} on {when}", title=only.title,
                    when=moment(only.at, program, zone_of(only)),
                ),
                only,
            )
        )  # fmt: skip
    elif coming:
        reply.notices.append(
            localized(
                lambda: Notice(
                    channel=Channel.ANNOUNCEMENTS,
                    kind=NoticeKind.CALENDAR,
                    text=ngettext(
                        "Added to the calendar: {count} milestone", "Added to the calendar: {count} milestones",
                        len(coming),
                    ),
                    fields=tuple((moment(m.at, program, zone_of(m)), f"{m.title} ({m.kind})") for m in coming),
                )
            )
        )  # fmt: skip
    return reply
