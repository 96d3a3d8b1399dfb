"""`remind list`: your active reminders, soonest first (admins: everyone's, with who set them)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.reminder_setting import Setter, example, refusal, where
from handlers.calendar.time_grammar import When, next_occurrence
from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import Member, Reminder
from storage.queries.reminders import active_reminders_of, all_active_reminders

LISTED_TEXT = 200  # longer texts are shortened in the list


@command(
    "remind list", summary=N_("your active reminders, soonest first"),
    options=(Option("all", N_("everyone's reminders (admins)"), OptionKind.CHOICE, choices=("all",)),),
)  # fmt: skip
def remind_list(ctx: Context, args: Args, session: Session) -> Reply:
    """remind list [all]
    A repeating reminder shows its next firing. A one-off reminder that fired (or was missed) is no longer
    active and is not listed; the audit log keeps it. `remind list all` shows everyone's, for admins.
    Example: remind list"""
    args.check_options()
    choice = args.words[0].lower() if args.words else ""
    if choice not in ("", "all") or len(args.words) > 1:
        raise UserError(
            _("'{word}' is not a choice here.", word=args.words[-1]),
            hint=_("Use `remind list`, or `remind list all` (admins)."),
        )
    rows: list[tuple[Reminder, Member | None]]
    if choice == "all":
        ctx.require_admin(N_("list everyone's reminders"))
        rows = [(reminder, member) for reminder, member in all_active_reminders(session)]
    else:
        assert ctx.member_id is not None
        rows = [(reminder, None) for reminder in yours(ctx, active_reminders_of(session, ctx.member_id))]
    if not rows:
        empty = _("There are no active reminders.") if choice == "all" else _("You have no active reminders.")
        return Reply(empty, lines=[_("Set one with `remind`, {example}.", example=example())])
    upcoming = sorted(((_next_firing(reminder, ctx.now), reminder, member) for reminder, member in rows), key=_order)
    if choice == "all":
        heading = ngettext("There is {count} active reminder:", "There are {count} active reminders:", len(rows))
    else:
        heading = ngettext("You have {count} active reminder:", "You have {count} active reminders:", len(rows))
    reply = Reply(heading)
    for (when, zone), reminder, member in upcoming:
        owner = _(" (set by {who})", who=member.platform + ":" + member.user_id) if member is not None else ""
        text = reminder.text if len(reminder.text) <= LISTED_TEXT else reminder.text[: LISTED_TEXT - 1] + "…"
        reply.lines.append(
            _(
                "#{id} {when} {where}{owner}: {text}",
                id=reminder.id, when=when.describe(zone), where=where(reminder.target), owner=owner, text=text,
            )
        )  # fmt: skip
    return reply


def yours(ctx: Context, reminders: list[Reminder]) -> list[Reminder]:
    """The caller's reminders that may still be posted where they go: one left in an organisation's
    channel after its setter moved to another (or in a team channel after they left the team) is
    not theirs to see or cancel any more; the scheduler retires it when it is next due."""
    setter = Setter.of(ctx)
    return [reminder for reminder in reminders if refusal(setter, reminder.target) is None]


def _next_firing(reminder: Reminder, now: datetime) -> tuple[When, ZoneInfo]:
    """A reminder's next firing (its first, or for a rule whose first has passed, the next after now)."""
    zone = ZoneInfo(reminder.timezone)
    at = reminder.first_at
    if reminder.recurrence is not None and at <= now:
        at = next_occurrence(reminder.recurrence, now, zone)
    return When(at, reminder.recurrence), zone


def _order(row: tuple[tuple[When, ZoneInfo], Reminder, Member | None]) -> tuple[datetime, int]:
    (when, _zone), reminder, _member = row
    return when.first_at, reminder.id or 0
