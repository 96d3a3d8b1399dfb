"""`case MS-000123 reply` and `case MS-000123 assign`: talking in a case, and handing it over."""

from __future__ import annotations

from sqlmodel import Session

from handlers.admin.members import chat_identity, member_named
from handlers.cases.case_view import CASE, load_case
from handlers.cases.item_changes import set_complaint_status
from handlers.cases.routing import hand_over
from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, format_number
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply
from storage.models import CaseMessage, Member, Organisation
from storage.queries.members import settings_admin_record
from storage.vocabulary import Channel, ComplaintStatus, NoticeKind, org_channel

# The longest message a person can write on a platform the bot serves (Slack's 40,000 characters,
# "chat.postMessage"; Discord's are 2,000, or 4,000 with Nitro): relayed whole, the posters split it.
MAX_MESSAGE = 40_000


@command(
    "case reply", summary=N_("send a message to the other side in the case thread"),
    options=(CASE, Option("message", N_("what to say"), required=True)), subject_first=True,
)  # fmt: skip
def case_reply(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 reply <message>
    A brand's message goes to the team, the team's to the brand. On a case the team returned for
    more information, the brand's reply also sends the case back to the team.
    Example: case MS-000123 reply the invoice is attached in our channel"""
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")), for_update=True)
    _before, _word, message = args.text.strip().partition(args.words[0])
    message = message.strip()
    if not message:
        raise UserError(_("Write the message after `reply`."), hint=f"case {complaint.case_id} reply <message>")
    if len(message) > MAX_MESSAGE:
        raise UserError(
            _("The message is {count} characters; the limit is {limit}.", count=format_number(len(message)),
              limit=format_number(MAX_MESSAGE))
        )  # fmt: skip
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    if ctx.thread is not None and (ctx.thread == Channel.TEAM) != ctx.is_staff:
        # Written in the other side's thread (a team member in the brand's channel): already seen there.
        return Reply(
            _("Not relayed: this thread belongs to the team.")
            if ctx.thread == Channel.TEAM
            else _("Not relayed: this thread belongs to the brand.")
        )
    if ctx.is_staff:
        reply = Reply(_("Sent to the brand in {case}.", case=complaint.case_id))
    else:
        reply = Reply(_("Sent to the team in {case}.", case=complaint.case_id))
    if not ctx.is_staff and complaint.status == ComplaintStatus.RETURNED:
        set_complaint_status(session, ctx, complaint, ComplaintStatus.SUBMITTED, note=message[:1000])
        reply.text = _("{case} is back with the team with your answer.", case=complaint.case_id)
    target = org_channel(organisation.slug) if ctx.is_staff else Channel.TEAM
    # Kept with the case, in the transaction that writes the relay notice: the timeline shows it.
    assert complaint.id is not None
    session.add(
        CaseMessage(
            complaint_id=complaint.id, at=ctx.now, side="team" if ctx.is_staff else "brand",
            author=ctx.caller.ref, author_name=(ctx.caller.display_name or None) and ctx.caller.display_name[:120],
            text=message,
        )
    )  # fmt: skip
    reply.notices.append(
        Notice(
            channel=target, case_id=complaint.case_id, kind=NoticeKind.CASE_MESSAGE, text=f"{author(ctx)}: {message}"
        )
    )
    return reply


@command(
    "case assign", summary=N_("hand a case to a colleague on the team, or take it (team)"),
    roles=STAFF, action=N_("assign cases"), subject_first=True,
    options=(CASE, Option("who", N_("platform:user of a team member, or me"), required=True)),
)  # fmt: skip
def case_assign(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 assign <platform:user | me>
    The hand-over is recorded in the case's history and the new assignee hears of it.
    Example: case MS-000123 assign slack:U0456"""
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")), for_update=True)
    usage = f"case {complaint.case_id} assign <platform:user | me>"
    who = args.word(1, _("who to assign it to: {usage}", usage=usage))
    if len(args.words) > 2:
        raise UserError(
            _("'{word}' is not understood here: a case goes to one person.", word=args.words[2]),
            hint=f"case {complaint.case_id} assign <platform:user | me>",
        )
    if who.lower() == "me":
        assert ctx.member_id is not None
        target = session.get(Member, ctx.member_id)
        assert target is not None
    elif who in ctx.rules.admins:
        target = settings_admin_record(session, *chat_identity(who))
    else:
        target = member_named(session, who, hint=_("Name a team member or admin as platform:user, or `me`."))
    return hand_over(session, ctx, complaint, target)


def author(ctx: Context) -> str:
    """Who wrote a relayed message: their name on the platform, with their identity."""
    name = ctx.caller.display_name
    return f"{name} ({ctx.caller.ref})" if name and name != ctx.caller.user_id else ctx.caller.ref
