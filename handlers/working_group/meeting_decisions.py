"""`propose decision` and `propose decisions`: what a working-group meeting decided, recorded by the team."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, format_number, localized, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply
from handlers.working_group.meetings import MEETING, chosen_meeting, find_meeting
from handlers.working_group.proposal_wording import (
    LISTED_TITLE,
    clip,
    find_item,
    kind_title,
    meeting_label,
    split_word,
)
from storage.models import MeetingDecision, Proposal
from storage.queries.proposals import decisions_of_meeting, latest_meeting_started
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind

MIN_DECISION, MAX_DECISION = 3, 2000
# A best practice's reference (BP-0001) is matched too, to be refused: a decision is about a
# proposal, and the reference would otherwise be taken as the decision's first word.
_PREFIXED_REFERENCE = re.compile(r"(?i)^B?P-?\d{1,9}$")


@command(
    "propose decision", summary=N_("record what a working-group meeting decided (team)"),
    roles=STAFF, action=N_("record the working group's decisions"),
    options=(
        Option("meeting", N_("the meeting's id, as `calendar past` shows it"), required=True),
        Option("ref", N_("the proposal it is about, e.g. P-0001")),
        Option("text", N_("what was decided"), required=True),
    ),
)  # fmt: skip
def propose_decision(ctx: Context, args: Args, session: Session) -> Reply:
    """propose decision <meeting id> [<P-0001>] <what was decided>
    Once the meeting has started; the decision is posted to the working group, taken as written.
    Example: propose decision 3 P-0001 Repeat sellers are named in the monthly report."""
    rest = args.text
    usage = _("Write propose decision <meeting id> [<P-0001>] <what was decided>, e.g. propose decision 3 P-0001 ...")
    first, text = split_word(rest)
    if not first:
        raise UserError(_("Which meeting? Give its id first."), hint=usage, field="meeting")
    meeting = find_meeting(session, first)
    zone = ctx.rules.timezone
    if meeting.at > ctx.now:
        raise UserError(
            _(
                "{title} is on {when}: record its decisions once it has started.",
                title=meeting.title,
                when=local_time(meeting.at, zone),
            ),
            hint=_("`calendar past` lists the meetings that have taken place."),
            field="meeting",
        )
    proposal: Proposal | None = None
    second, after = split_word(text)
    if _PREFIXED_REFERENCE.match(second):
        proposal = find_item(session, second, ProposalKind.PROPOSAL)
        text = after
    text = text.strip()
    if len(text) < MIN_DECISION:
        raise UserError(
            _("The decision is empty.")
            if not text
            else _(
                "The decision is {length} characters; write at least {least}.", length=len(text), least=MIN_DECISION
            ),
            hint=usage,
            field="text",
        )
    if len(text) > MAX_DECISION:
        raise UserError(
            _(
                "The decision is {length} characters; the limit is {limit}.",
                length=format_number(len(text)),
                limit=format_number(MAX_DECISION),
            ),
            field="text",
        )
    assert meeting.id is not None
    decision = MeetingDecision(
        milestone_id=meeting.id,
        proposal_id=proposal.id if proposal is not None else None,
        text=text,
        recorded_by=ctx.caller.ref,
        created_at=ctx.now,
    )
    add_recorded(session, ctx, decision, AuditEntity.MEETING_DECISION, "recorded", note=clip(text, 1000))
    where = meeting_label(meeting, zone)
    reply = Reply(
        _(
            "Recorded decision {number} of {meeting} and posted it to the working group.",
            number=_number_at(session, meeting.id),
            meeting=where,
        )
    )
    reply.notices.append(localized(lambda: _decision_notice(where, text, proposal)))
    return reply


def _decision_notice(where: str, text: str, proposal: Proposal | None) -> Notice:
    fields: tuple[tuple[str, str], ...] = ()
    if proposal is not None:
        fields = ((kind_title(proposal), f"{proposal.reference} · {proposal.title}"),)
    return Notice(
        channel=Channel.WORKING_GROUP,
        kind=NoticeKind.MEETING_DECISION,
        text=_("Decided at {meeting}: {text}", meeting=where, text=text),
        fields=fields,
    )


@command("propose decisions", summary=N_("what a working-group meeting decided"), options=(MEETING,))
def propose_decisions(ctx: Context, args: Args, session: Session) -> Reply:
    """propose decisions [<meeting id>]
    The latest meeting that has started, by default.
    Example: propose decisions 3"""
    args.check_options()
    meeting = chosen_meeting(
        session, args.text, "propose decisions", lambda: latest_meeting_started(session, ctx.now),
        UserError(_("No working-group meeting has taken place yet."), hint=_("`calendar` shows when the next one is.")),
    )  # fmt: skip
    assert meeting.id is not None
    where = meeting_label(meeting, ctx.rules.timezone)
    decisions = decisions_of_meeting(session, meeting.id)
    if not decisions:
        return Reply(_("No decisions are recorded for {meeting} (#{id}).", meeting=where, id=meeting.id))
    reply = Reply(
        ngettext("{count} decision at {meeting} (#{id}):", "{count} decisions at {meeting} (#{id}):", len(decisions),
                 meeting=where, id=meeting.id)
    )  # fmt: skip
    for number, decision in enumerate(decisions, 1):
        about = ""
        if decision.proposal_id is not None:
            linked = session.get(Proposal, decision.proposal_id)
            if linked is not None:
                about = f" ({linked.reference}: {clip(linked.title, LISTED_TITLE)})"
        reply.lines.append(
            _("{number}. {text}{about} · recorded by {who}", number=number, text=decision.text, about=about,
              who=decision.recorded_by)
        )  # fmt: skip
    return reply


def _number_at(session: Session, meeting_id: int) -> str:
    return f"{len(decisions_of_meeting(session, meeting_id))}"
