"""`remind cancel`: stop one of your reminders (admins: anyone's)."""

from __future__ import annotations

from sqlmodel import Session

from handlers.calendar.reminder_listing import yours
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import Member
from storage.queries.reminders import active_reminder
from storage.vocabulary import AuditEntity

MAX_ID = 2**31 - 1


@command(
    "remind cancel", summary=N_("stop one of your reminders (admins: anyone's)"),
    options=(Option("id", N_("the reminder's id, as `remind list` shows it"), OptionKind.NUMBER, required=True),),
)  # fmt: skip
def remind_cancel(ctx: Context, args: Args, session: Session) -> Reply:
    """remind cancel <id>
    Example: remind cancel 4"""
    args.check_options()
    if not args.words:
        raise UserError(
            _("Missing the id of the reminder to cancel."), hint=_("`remind list` shows them, e.g. remind cancel 4.")
        )
    if len(args.words) > 1:
        raise UserError(_("Cancel one reminder at a time."), hint=_("e.g. remind cancel 4."))
    written = args.words[0]
    digits = written.removeprefix("#")
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(
            _("'{text}' is not a reminder id.", text=written),
            hint=_("Ids are numbers; `remind list` shows them, e.g. remind cancel 4."),
        )
    number = int(digits) if len(digits) <= 18 else MAX_ID + 1
    shown = digits.lstrip("0") or "0"
    assert ctx.member_id is not None
    owner = None if ctx.is_admin else ctx.member_id
    reminder = active_reminder(session, number, owner) if 1 <= number <= MAX_ID else None
    if reminder is not None and owner is not None and not yours(ctx, [reminder]):
        reminder = None  # left where they may no longer post: no longer theirs to cancel
    if reminder is None:
        # Someone else's reminder reads exactly like one that does not exist.
        raise NotFound(
            _("There is no active reminder #{id} for you to cancel.", id=shown), hint=_("`remind list` shows yours.")
        )
    assert reminder.id is not None
    reminder.active = False
    session.add(reminder)
    record_change(
        session, ctx, AuditEntity.REMINDER, reminder.id, "cancelled", from_status="active", to_status="cancelled"
    )
    setter = ""
    if reminder.member_id != ctx.member_id:
        member = session.get(Member, reminder.member_id)
        setter = _(" (set by {who})", who=member.platform + ":" + member.user_id) if member is not None else ""
    return Reply(_("Cancelled reminder #{id}{setter}: {text}", id=reminder.id, setter=setter, text=reminder.text))
