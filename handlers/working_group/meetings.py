"""Working-group meetings: the agenda posted before each one (and `propose agenda`), and finding a meeting.

The agenda holds the proposals with the most votes that are still undecided, the best practices
shared since the previous meeting on the calendar (the last 30 days when there was none), and the
program's figures over the same span. Decisions recorded after a meeting: handlers/working_group/meeting_decisions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import items_reported, percent
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, command
from handlers.kit.replies import Notice, Reply, plural
from handlers.working_group.proposal_wording import (
    UNDECIDED,
    author_of,
    chunked,
    item_line,
    meeting_label,
    split_word,
    status_label,
)
from storage.models import Milestone
from storage.queries.figures import WindowFigures, figures_between
from storage.queries.proposals import find_proposals, next_meeting, previous_meeting
from storage.vocabulary import Channel, MilestoneKind, NoticeKind, ProposalKind

AGENDA_PROPOSALS = 10
AGENDA_PRACTICES = 20
NO_MEETING_SPAN = timedelta(days=30)
MEETING = Option("meeting", "the meeting's id, as `calendar` and `calendar past` show it")
_MEETING_ID = re.compile(r"^#?(\d{1,9})$")


@command("propose agenda", summary="what the next working-group meeting's agenda holds now", options=(MEETING,))
def propose_agenda(ctx: Context, args: Args, session: Session) -> Reply:
    """propose agenda [<meeting id>]
    The next meeting by default; the agenda is also posted to the working group before each meeting.
    Example: propose agenda 3"""
    args.check_options()
    meeting = chosen_meeting(
        session, args.text, "propose agenda", lambda: next_meeting(session, ctx.now),
        UserError(
            "No working-group meeting is coming up on the calendar.",
            hint='An admin adds one with `calendar add meeting <YYYY-MM-DD> <HH:MM> "<title>"`.',
        ),
    )  # fmt: skip
    heading, fields = agenda(session, meeting, ctx.now, ctx.rules.timezone)
    return Reply(heading, fields=fields)


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
    program = figures_between(session, since, now, zone).get(None, WindowFigures(0, 0, 0, 0))
    rate = f"takedown rate {percent(program.takedown_rate)}" if program.decided else "no takedown rate (none decided)"
    fields.append(
        (
            f"Program figures {span}",
            f"{items_reported(program.listings_reported, program.storefronts_reported)}, "
            f"{program.removed} removed, {rate}",
        )
    )
    return heading, fields


def chosen_meeting(
    session: Session, text: str, usage: str, fallback: Callable[[], Milestone | None], missing: UserError
) -> Milestone:
    """The meeting whose id is the only word of `text`, or the `fallback` one when none is given
    (refused with `missing` when there is none)."""
    first, more = split_word(text)
    if more.strip():
        raise UserError(f"I did not expect '{split_word(more)[0]}' there.", hint=f"Write {usage} [<meeting id>].")
    if first:
        return find_meeting(session, first)
    found = fallback()
    if found is None:
        raise missing
    return found


def find_meeting(session: Session, text: str) -> Milestone:
    """The working-group meeting with this id, or a refusal saying what the id names instead."""
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
