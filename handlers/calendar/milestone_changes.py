"""`calendar add`, `calendar move`, `calendar remove`: admins change the program calendar, and everyone hears.

Times are typed in a named zone (the program's unless tz= says otherwise) and stored in UTC with that
zone beside them; `handlers.kit.local_time` refuses a time the clocks skip and names the occurrence
of one they pass twice.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.milestone_fields import (
    CLOCK,
    DAY,
    DEFAULT_REMINDERS,
    KIND,
    MILESTONE_ID,
    REMIND,
    TITLE,
    TZ,
    milestone_by_id,
    parse_clock,
    parse_day,
    parse_reminders,
    parse_title,
    parse_zone,
)
from handlers.calendar.milestone_wording import announcement, moment, reminders_label, zone_of
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import add_recorded, record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from handlers.kit.local_time import local_time, typed_local_time, utc_stamp, zone_label
from handlers.kit.registry import ADMINS, command
from handlers.kit.replies import Reply
from storage.models import Milestone
from storage.queries.calendar import identical_milestone
from storage.vocabulary import AuditEntity, MilestoneKind

CHANGE = N_("change the program calendar")


@command(
    "calendar add", summary=N_("put a milestone on the calendar (admins)"), roles=ADMINS, action=CHANGE,
    options=(KIND, DAY, CLOCK, TITLE, TZ, REMIND),
)  # fmt: skip
def calendar_add(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar add <kind> <YYYY-MM-DD> <HH:MM> "<title>" [tz=Area/City] [remind=7d,1d,1h,0]
    kind is one of application_deadline, status_update, orientation, launch, meeting. The date and
    time are local to tz= (the program's time zone by default). remind= lists when to remind before
    the time: days (d), hours (h), minutes (m), 0 for at the time; at most 10, each at most 90 days
    ahead (default 7d,1d,1h,0). The milestone is announced in `announcements`.
    Example: calendar add orientation 2027-02-07 10:00 "Orientation for new members" remind=1d,1h"""
    args.check_options("tz", "remind")
    kind = parse_enum(
        MilestoneKind,
        args.word(0, _("kind of milestone"), field="kind", usage="calendar add"),
        N_("'{text}' is not a kind of milestone."),
        field="kind",
    )
    day = parse_day(args.word(1, _("date (YYYY-MM-DD)"), field="date", usage="calendar add"), "date")
    clock = parse_clock(args.word(2, _("time (HH:MM)"), field="time", usage="calendar add"), "time")
    title = parse_title(" ".join(args.words[3:]), "title")
    zone = parse_zone(args.options["tz"], "tz") if args.option("tz") else ctx.rules.timezone
    offsets = parse_reminders(args.options["remind"], "remind") if args.option("remind") else DEFAULT_REMINDERS
    at, note = typed_local_time(day, clock, zone, "time")
    _refuse_past(ctx, at, zone)
    _refuse_identical(session, kind, title, at)
    milestone = Milestone(
        kind=kind,
        title=title,
        at=at,
        timezone=zone_label(zone),
        reminder_offsets=offsets,
        created_by=ctx.caller.ref,
        created_at=ctx.now,
    )
    add_recorded(session, ctx, milestone, AuditEntity.MILESTONE, to_status=utc_stamp(at), note=title)
    program = ctx.rules.timezone
    reply = Reply(
        _(
            "Added #{id} ({kind}): {title} on {when}, {reminders}.",
            id=milestone.id, kind=kind, title=title, when=moment(at, zone, program),
            reminders=reminders_label(milestone),
        )
    )  # fmt: skip
    if note:
        reply.lines.append(note)
    reply.notices.append(
        announcement(lambda: _("Added to the calendar: {title} on {when}", title=title, when=moment(at, program, zone)),
                     milestone)
    )  # fmt: skip
    return reply


@command(
    "calendar move", summary=N_("move a milestone to another date or time (admins)"), roles=ADMINS, action=CHANGE,
    options=(MILESTONE_ID, DAY, CLOCK, TZ),
)  # fmt: skip
def calendar_move(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar move <id> <YYYY-MM-DD> <HH:MM> [tz=Area/City]
    The new date and time are local to tz= (the milestone's own time zone by default). The move is
    announced in `announcements`, with the time it was at.
    Example: calendar move 3 2027-02-08 14:30"""
    args.check_options("tz")
    milestone = milestone_by_id(session, args.word(0, _("milestone id"), field="id", usage="calendar move"))
    day = parse_day(args.word(1, _("new date (YYYY-MM-DD)"), field="date", usage="calendar move"), "date")
    clock = parse_clock(args.word(2, _("new time (HH:MM)"), field="time", usage="calendar move"), "time")
    args.no_more_words(3, "calendar move")
    zone = parse_zone(args.options["tz"], "tz") if args.option("tz") else zone_of(milestone)
    at, note = typed_local_time(day, clock, zone, "time")
    before, before_zone = milestone.at, zone_of(milestone)
    if at == before and zone_label(zone) == milestone.timezone:
        raise UserError(
            _(
                "#{id} {title} is already on {when}.",
                id=milestone.id, title=milestone.title, when=moment(at, zone, ctx.rules.timezone),
            )
        )  # fmt: skip
    _refuse_past(ctx, at, zone)
    _refuse_identical(session, milestone.kind, milestone.title, at, besides=milestone.id)
    assert milestone.id is not None
    milestone.at, milestone.timezone = at, zone_label(zone)
    session.add(milestone)
    record_change(
        session, ctx, AuditEntity.MILESTONE, milestone.id, "moved",
        from_status=utc_stamp(before), to_status=utc_stamp(at), note=milestone.title,
    )  # fmt: skip
    program = ctx.rules.timezone
    title = milestone.title
    reply = Reply(
        _(
            "Moved #{id} {title} to {when}; it was on {before}.",
            id=milestone.id, title=title, when=moment(at, zone, program), before=moment(before, before_zone, program),
        )
    )  # fmt: skip
    if note:
        reply.lines.append(note)
    reply.notices.append(
        announcement(
            lambda: _(
                "Moved: {title} is now on {when} instead of {before}",
                title=title, when=moment(at, program, zone), before=local_time(before, program),
            ),
            milestone,
        )
    )  # fmt: skip
    return reply


@command(
    "calendar remove", summary=N_("take a milestone off the calendar (admins)"), roles=ADMINS, action=CHANGE,
    options=(MILESTONE_ID,),
)  # fmt: skip
def calendar_remove(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar remove <id>
    An upcoming milestone's removal is announced in `announcements`.
    Example: calendar remove 3"""
    args.check_options()
    milestone = milestone_by_id(session, args.word(0, _("milestone id"), field="id", usage="calendar remove"))
    args.no_more_words(1, "calendar remove")
    assert milestone.id is not None
    zone, program = zone_of(milestone), ctx.rules.timezone
    record_change(
        session,
        ctx,
        AuditEntity.MILESTONE,
        milestone.id,
        "removed",
        from_status=utc_stamp(milestone.at),
        note=milestone.title,
    )
    title, at = milestone.title, milestone.at
    reply = Reply(
        _("Removed #{id} {title}, which was on {when}.", id=milestone.id, title=title, when=moment(at, zone, program))
    )
    if milestone.at >= ctx.now:  # a past milestone is no news to anyone
        reply.notices.append(
            announcement(
                lambda: _(
                    "Removed from the calendar: {title}, which was on {when}",
                    title=title,
                    when=moment(at, program, zone),
                )
            )
        )
    session.delete(milestone)
    return reply


def _refuse_past(ctx: Context, at: datetime, zone: ZoneInfo) -> None:
    if at <= ctx.now:
        raise UserError(
            _("{when} is in the past.", when=local_time(at, zone)),
            hint=_("It is now {now}; choose a later date or time.", now=local_time(ctx.now, zone)),
            field="date",
        )


def _refuse_identical(session: Session, kind: str, title: str, at: datetime, *, besides: int | None = None) -> None:
    same = identical_milestone(session, kind, title, at)
    if same is not None and same.id != besides:
        raise UserError(_("That milestone is already on the calendar as #{id}.", id=same.id))
