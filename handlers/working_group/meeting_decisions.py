"""`propose decision` and `propose decisions`: what a working-group meeting decided, recorded by the team."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply, plural
from handlers.working_group.meetings import MEETING, chosen_meeting, find_meeting
from handlers.working_group.proposal_wording import (
    LISTED_TITLE,
    clip,
    find_item,
    kind_label,
    meeting_label,
    split_word,
)
from storage.models import MeetingDecision, Proposal
from storage.queries.proposals import decisions_of_meeting, latest_meeting_started
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind

MIN_DECISION, MAX_DECISION = 3, 2000
_PREFIXED_REFERENCE = re.compile(r"(?i)^B?P-?\d{1,9}$")


@command(
    "propose decision", summary="record what a working-group meeting decided (team)",
    roles=STAFF, action="record the working group's decisions",
    options=(
        Option("meeting", "the meeting's id, as `calendar past` shows it", required=True),
        Option("ref", "the proposal it is about, e.g. P-0001"),
        Option("text", "what was decided", required=True),
    ),
)  # fmt: skip
def propose_decision(ctx: Context, args: Args, session: Session) -> Reply:
    """propose decision <meeting id> [<P-0001>] <what was decided>
    Once the meeting has started; the decision is posted to the working group, taken as written.
    Example: propose decision 3 P-0001 Repeat sellers are named in the monthly report."""
    rest = args.text
    usage = "Write propose decision <meeting id> [<P-0001>] <what was decided>, e.g. propose decision 3 P-0001 ..."
    first, text = split_word(rest)
    if not first:
        raise UserError("Which meeting? Give its id first.", hint=usage, field="meeting")
    meeting = find_meeting(session, first)
    zone = ctx.rules.timezone
    if meeting.at > ctx.now:
        raise UserError(
            f"{meeting.title} is on {local_time(meeting.at, zone)}: record its decisions once it has started.",
            hint="`calendar past` lists the meetings that have taken place.",
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
            "The decision is empty." if not text else f"The decision is {len(text)} characters; write at least 3.",
            hint=usage,
            field="text",
        )
    if len(text) > MAX_DECISION:
        raise UserError(f"The decision is {len(text):,} characters; the limit is {MAX_DECISION:,}.", field="text")
    assert meeting.id is not None
    decision = MeetingDecision(
        milestone_id=meeting.id,
        proposal_id=proposal.id if proposal is not None else None,
        text=text,
        recorded_by=ctx.caller.ref,
        created_at=ctx.now,
    )
    add_recorded(session, ctx, decision, AuditEntity.MEETING_DECISION, "recorded", note=clip(text, 1000))
    fields: tuple[tuple[str, str], ...] = ()
    if proposal is not None:
        fields = ((kind_label(proposal).capitalize(), f"{proposal.reference} · {proposal.title}"),)
    where = meeting_label(meeting, zone)
    reply = Reply(f"Recorded decision {_number_at(session, meeting.id)} of {where} and posted it to the working group.")
    reply.notices.append(
        Notice(
            channel=Channel.WORKING_GROUP,
            kind=NoticeKind.MEETING_DECISION,
            text=f"Decided at {where}: {text}",
            fields=fields,
        )
    )
    return reply


@command("propose decisions", summary="what a working-group meeting decided", options=(MEETING,))
def propose_decisions(ctx: Context, args: Args, session: Session) -> Reply:
    """propose decisions [<meeting id>]
    The latest meeting that has started, by default.
    Example: propose decisions 3"""
    args.check_options()
    meeting = chosen_meeting(
        session, args.text, "propose decisions", lambda: latest_meeting_started(session, ctx.now),
        UserError("No working-group meeting has taken place yet.", hint="`calendar` shows when the next one is."),
    )  # fmt: skip
    assert meeting.id is not None
    where = meeting_label(meeting, ctx.rules.timezone)
    decisions = decisions_of_meeting(session, meeting.id)
    if not decisions:
        return Reply(f"No decisions are recorded for {where} (#{meeting.id}).")
    reply = Reply(f"{plural(len(decisions), 'decision')} at {where} (#{meeting.id}):")
    for number, decision in enumerate(decisions, 1):
        about = ""
        if decision.proposal_id is not None:
            linked = session.get(Proposal, decision.proposal_id)
            if linked is not None:
                about = f" ({linked.reference}: {clip(linked.title, LISTED_TITLE)})"
        reply.lines.append(f"{number}. {decision.text}{about} · recorded by {decision.recorded_by}")
    return reply


def _number_at(session: Session, meeting_id: int) -> str:
    return f"{len(decisions_of_meeting(session, meeting_id))}"
