"""Working-group meetings: the agenda posted before each one, the decisions recorded after it;
and the wording and look-ups that proposals share with them.

The agenda holds the proposals with the most votes that are still undecided, the best practices
shared since the previous meeting on the calendar (the last 30 days when there was none), and the
program's figures over the same span.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time, percent
from handlers.kit.replies import Notice, Reply, plural
from storage.models import MeetingDecision, Member, Milestone, Organisation, Proposal
from storage.queries.figures import WindowFigures, figures_between
from storage.queries.proposals import (
    Tally,
    decisions_of_meeting,
    find_proposals,
    latest_meeting_started,
    next_meeting,
    parse_reference,
    previous_meeting,
)
from storage.vocabulary import AuditEntity, Channel, MilestoneKind, NoticeKind, ProposalKind, ProposalStatus

UNDECIDED = (ProposalStatus.OPEN, ProposalStatus.UNDER_REVIEW)
AGENDA_PROPOSALS = 10
AGENDA_PRACTICES = 20
NO_MEETING_SPAN = timedelta(days=30)
MIN_DECISION, MAX_DECISION = 3, 2000
FIELD_CHUNK = 1000  # fields stay under the smallest platform limit (Discord's 1024)
LISTED_TITLE = 80
_MEETING_ID = re.compile(r"^#?(\d{1,9})$")
_FIRST_WORD = re.compile(r"\s*(\S+)(.*)", re.DOTALL)
_PREFIXED_REFERENCE = re.compile(r"(?i)^B?P-?\d{1,9}$")


# --- shared wording and look-ups ----------------------------------------------------------------


def score_label(tally: Tally) -> str:
    """`+2 (3 for, 1 against)`."""
    score = f"{tally.score:+d}" if tally.score else "0"
    return f"{score} ({tally.votes_for} for, {tally.votes_against} against)"


def status_label(status: str) -> str:
    return status.replace("_", " ")


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tags_label(tags: str) -> str:
    return ", ".join(tag for tag in tags.split(",") if tag)


def item_line(proposal: Proposal, tally: Tally, *, with_status: bool = True) -> str:
    """`P-0002 · Flag repeat sellers · +2 (2 for, 0 against) · open · taobao, handbags`."""
    parts = [proposal.reference, clip(proposal.title, LISTED_TITLE), score_label(tally)]
    if with_status:
        parts.append(status_label(proposal.status))
    if proposal.tags:
        parts.append(tags_label(proposal.tags))
    return " · ".join(parts)


def member_label(member: Member | None) -> str:
    if member is None:
        return "a former member"
    return member.display_name or f"{member.platform}:{member.user_id}"


def author_of(session: Session, proposal: Proposal) -> str:
    """`console:brand1 (ACME Corp)`; a team member without an organisation by name alone."""
    who = member_label(session.get(Member, proposal.member_id))
    organisation = session.get(Organisation, proposal.organisation_id) if proposal.organisation_id else None
    return f"{who} ({organisation.name})" if organisation is not None else who


def find_item(session: Session, text: str, field: str = "ref") -> Proposal:
    """A proposal (`P-0001`) or best practice (`BP-0001`) by its reference, or a clear refusal."""
    reference = parse_reference(text)
    if reference is None:
        raise UserError(
            f"'{text}' is not a proposal or best practice reference.",
            hint="References look like P-0001 (proposals) or BP-0001 (best practices); `propose list` shows them.",
            field=field,
        )
    proposal = session.get(Proposal, reference.id)
    if proposal is None:
        raise NotFound(
            f"There is no proposal or best practice {text.strip().upper()}.",
            hint="`propose list all` and `practices list` show them with their references.",
            field=field,
        )
    if reference.kind is not None and reference.kind != proposal.kind:
        what = "proposal" if reference.kind == ProposalKind.PROPOSAL else "best practice"
        raise NotFound(
            f"There is no {what} {text.strip().upper()}.",
            hint=f"{proposal.reference} has that number: did you mean {proposal.reference}?",
            field=field,
        )
    return proposal


def split_word(text: str) -> tuple[str, str]:
    """The first word of `text` and the text after it exactly as written."""
    match = _FIRST_WORD.match(text)
    return (match.group(1), match.group(2)) if match else ("", "")


def meeting_label(meeting: Milestone, zone: ZoneInfo) -> str:
    """`Working-group call (2026-11-19)`."""
    return f"{meeting.title} ({meeting.at.astimezone(zone):%Y-%m-%d})"


# --- the agenda -------------------------------------------------------------------------------


def meeting_agenda_notices(session: Session, meeting: Milestone, now: datetime, zone: ZoneInfo) -> list[Notice]:
    """The agenda of a working-group meeting, as one notice to the working-group channel.

    Written once per meeting and time (the dedupe key holds both), so a retried job or a meeting
    moved to another time is handled correctly.
    """
    heading, fields = agenda(session, meeting, now, zone)
    return [
        Notice(
            channel=Channel.WORKING_GROUP,
            kind=NoticeKind.AGENDA,
            text=heading,
            fields=tuple(fields),
            dedupe_key=f"agenda:{meeting.id}:{meeting.at.isoformat()}",
        )
    ]


def agenda(session: Session, meeting: Milestone, now: datetime, zone: ZoneInfo) -> tuple[str, list[tuple[str, str]]]:
    heading = f"Agenda for {meeting.title}, {local_time(meeting.at, zone)}:"
    previous = previous_meeting(session, meeting)
    if previous is not None:
        since = min(previous.at, now)
        span = f"since the last meeting, {meeting_label(previous, zone)}"
    else:
        since = now - NO_MEETING_SPAN
        span = "in the last 30 days"
    fields: list[tuple[str, str]] = []
    top, undecided = find_proposals(session, kind=ProposalKind.PROPOSAL, statuses=UNDECIDED, limit=AGENDA_PROPOSALS)
    lines = [f"{number}. {item_line(proposal, tally)}" for number, (proposal, tally) in enumerate(top, 1)]
    if undecided > len(top):
        lines.append(f"... and {plural(undecided - len(top), 'more open proposal')}: `propose list`")
    fields += chunked("Proposals with the most votes, still open", lines or ["No proposals are open."])
    shared, count = find_proposals(session, kind=ProposalKind.PRACTICE, since=since, until=now, limit=AGENDA_PRACTICES)
    lines = [f"{item_line(practice, tally, with_status=False)} · from {author_of(session, practice)}"
             for practice, tally in shared]  # fmt: skip
    if count > len(shared):
        lines.append(f"... and {count - len(shared)} more: `practices list sort=newest`")
    fields += chunked(f"Best practices shared {span}", lines or ["None were shared."])
    program = figures_between(session, since, now, zone).get(None, WindowFigures(0, 0, 0))
    rate = f"takedown rate {percent(program.takedown_rate)}" if program.decided else "no takedown rate (none decided)"
    fields.append(
        (
            f"Program figures {span}",
            f"{plural(program.reported, 'listing')} reported, {program.removed} removed, {rate}",
        )
    )
    return heading, fields


def chunked(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Lines as one field, or several (`... (continued)`) where one would be too long."""
    fields: list[tuple[str, str]] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(part) + 1 for part in chunk) + len(line) > FIELD_CHUNK:
            fields.append((name if not fields else f"{name} (continued)", "\n".join(chunk)))
            chunk = []
        chunk.append(line[:FIELD_CHUNK])
    if chunk:
        fields.append((name if not fields else f"{name} (continued)", "\n".join(chunk)))
    return fields


def show_agenda(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    """`propose agenda [<meeting id>]`: what the agenda holds now (the next meeting by default)."""
    args.check_options()
    first, more = split_word(rest)
    if more.strip():
        raise UserError(f"I did not expect '{split_word(more)[0]}' there.", hint="Write propose agenda [<meeting id>].")
    if first:
        meeting = _meeting(session, first)
    else:
        found = next_meeting(session, ctx.now)
        if found is None:
            raise UserError(
                "No working-group meeting is coming up on the calendar.",
                hint='An admin adds one with `calendar add meeting <YYYY-MM-DD> <HH:MM> "<title>"`.',
            )
        meeting = found
    heading, fields = agenda(session, meeting, ctx.now, ctx.rules.timezone)
    return Reply(heading, fields=fields)


# --- decisions --------------------------------------------------------------------------------


def record_decision(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    """`propose decision <meeting id> [<P-0001>] <text>`: the team records what a meeting decided."""
    ctx.require_staff("record the working group's decisions")
    usage = "Write propose decision <meeting id> [<P-0001>] <what was decided>, e.g. propose decision 3 P-0001 ..."
    first, text = split_word(rest)
    if not first:
        raise UserError("Which meeting? Give its id first.", hint=usage, field="meeting")
    meeting = _meeting(session, first)
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
        proposal = find_item(session, second)
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
    session.add(decision)
    session.flush()
    assert decision.id is not None
    record_change(session, ctx, AuditEntity.MEETING_DECISION, decision.id, "recorded", note=clip(text, 1000))
    fields: tuple[tuple[str, str], ...] = ()
    if proposal is not None:
        fields = ((_kind_label(proposal).capitalize(), f"{proposal.reference} · {proposal.title}"),)
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


def list_decisions(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    """`propose decisions [<meeting id>]`: what a meeting decided (the latest meeting by default)."""
    args.check_options()
    first, more = split_word(rest)
    if more.strip():
        raise UserError(
            f"I did not expect '{split_word(more)[0]}' there.", hint="Write propose decisions [<meeting id>]."
        )
    if first:
        meeting = _meeting(session, first)
    else:
        found = latest_meeting_started(session, ctx.now)
        if found is None:
            raise UserError(
                "No working-group meeting has taken place yet.",
                hint="`calendar` shows when the next one is.",
            )
        meeting = found
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


def _kind_label(proposal: Proposal) -> str:
    return "proposal" if proposal.kind == ProposalKind.PROPOSAL else "best practice"


def _meeting(session: Session, text: str) -> Milestone:
    match = _MEETING_ID.match(text.strip())
    if match is None:
        raise UserError(
            f"'{text}' is not a meeting id.",
            hint="Meeting ids are the numbers `calendar` and `calendar past` show, e.g. 3.",
            field="meeting",
        )
    milestone = session.get(Milestone, int(match.group(1)))
    if milestone is None:
        raise NotFound(
            f"There is no milestone #{int(match.group(1))} on the calendar.",
            hint="`calendar past` lists the meetings that have taken place, with their ids.",
            field="meeting",
        )
    if milestone.kind != MilestoneKind.MEETING:
        raise UserError(
            f"#{milestone.id} {milestone.title} is {_article(milestone.kind)} {status_label(milestone.kind)}, "
            "not a working-group meeting.",
            hint="`calendar past` lists the meetings with their ids.",
            field="meeting",
        )
    return milestone


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
