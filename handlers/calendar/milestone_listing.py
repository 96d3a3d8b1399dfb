"""`calendar`, `calendar list`, `calendar past`: the program's milestones in the reader's time zone."""

from __future__ import annotations

from sqlmodel import Session

from handlers.calendar.milestone_fields import VIEWER_TZ, parse_zone
from handlers.calendar.milestone_wording import describe
from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.local_time import zone_label
from handlers.kit.registry import command, group, subcommands
from handlers.kit.replies import Reply
from storage.queries.calendar import (
    count_past_milestones,
    count_upcoming_milestones,
    past_milestones,
    upcoming_milestones,
)

LIST_LIMIT = 50

group(
    "calendar",
    summary=N_("program milestones: deadlines, orientation, launch, meetings"),
    order=("list", "past", "add", "move", "remove", "load"),
)


@command(
    "calendar list", summary=N_("the upcoming milestones, soonest first"), options=(VIEWER_TZ,), default=True
)  # fmt: skip
def calendar_list(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar list [tz=Area/City]
    `calendar` alone does the same. Times are shown in tz= (else the program's time zone) and, when
    that reads differently, in the milestone's own.
    Example: calendar tz=Asia/Shanghai"""
    args.check_options("tz")
    if args.words:
        # `calendar <word>` comes here when <word> is no sub-command: say so, as the router does.
        names = ", ".join(dict.fromkeys(spec.path[1] for spec in subcommands("calendar")))
        raise UserError(
            _(
                "'{word}' is not a sub-command of `calendar`. Use one of: {names}.",
                word=args.words[0][:40],
                names=names,
            ),
            hint=_("`help calendar` shows each."),
        )
    return _listing(ctx, args, session, past=False)


@command("calendar past", summary=N_("the milestones that have passed, latest first"), options=(VIEWER_TZ,))
def calendar_past(ctx: Context, args: Args, session: Session) -> Reply:
    """calendar past [tz=Area/City]
    Example: calendar past tz=Europe/London"""
    args.check_options("tz")
    args.no_more_words(0, "calendar past")
    return _listing(ctx, args, session, past=True)


def _listing(ctx: Context, args: Args, session: Session, *, past: bool) -> Reply:
    viewer = parse_zone(args.options["tz"], "tz") if args.option("tz") else ctx.rules.timezone
    if past:
        rows = past_milestones(session, ctx.now, LIST_LIMIT)
        total = count_past_milestones(session, ctx.now)
        empty = _("The calendar has no past milestones.")
        heading = ngettext(
            "{count} past milestone (times in {zone}):", "{count} past milestones (times in {zone}):", total,
            zone=zone_label(viewer),
        )  # fmt: skip
    else:
        rows = upcoming_milestones(session, ctx.now, LIST_LIMIT)
        total = count_upcoming_milestones(session, ctx.now)
        empty = _("No upcoming milestones are on the calendar.")
        heading = ngettext(
            "{count} upcoming milestone (times in {zone}):", "{count} upcoming milestones (times in {zone}):", total,
            zone=zone_label(viewer),
        )  # fmt: skip
    if not rows:
        return Reply(empty)
    reply = Reply(heading)
    reply.lines = [describe(milestone, viewer) for milestone in rows]
    if total > len(rows):
        reply.lines.append(_("... and {count} more.", count=total - len(rows)))
    return reply
