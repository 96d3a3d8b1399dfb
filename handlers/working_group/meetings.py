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
from handlers.kit.i18n import N_, _, localized, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, command
from handlers.kit.replies import Notice, Reply
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
MEETING = Option("meeting", N_("the meeting's id, as `calendar` and `calendar past` show it"))
_MEETING_ID = re.compile(r"^#?(\d{1,9})$")


@command("propose agenda", summary=N_("what the next working-group meeting's agenda holds now"), options=(MEETING,))
def propose_agenda(ctx: Context, args: Args, session: Session) -> Reply:
    """propose agenda [<meeting id>]
    The next meeting by default; the agenda is also posted to the working group before each meeting.
    Example: propose agenda 3"""
    args.check_options()
    meeting = chosen_meeting(
        session, args.text, "propose agenda", lambda: next_meeting(session, ctx.now),
        UserError(
            _("No working-group meeting is coming up on the calendar."),
            hint=_('An admin adds one with `calendar add meeting <YYYY-MM-DD> <HH:MM> "<title>"`.'),
        ),
    )  # fmt: skip
    heading, fields = agenda(session, meeting, ctx.now, ctx.rules.timezone)
    return Reply(heading, fields=fields)


def meeting_agenda_notices(session: Session, meeting: Milestone, now: datetime, zone: ZoneInfo) -> list[Notice]:
    """The agenda of a working-group meeting, as one notice to the working-group channel.

    Written once per meeting and time (the dedupe key holds both), so a retried job or a meeting
    moved to another time is handled correctly.
    """
    return [localized(lambda: _agenda_notice(session, meeting, now, zone))]


def _agenda_notice(session: Session, meeting: Milestone, now: datetime, zone: ZoneInfo) -> Notice:
    heading, fields = agenda(session, meeting, now, zone)
    return Notice(
        channel=Channel.WORKING_GROUP,
        kind=NoticeKind.AGENDA,
        text=heading,
        fields=tuple(fields),
        dedupe_key=f"agenda:{meeting.id}:{meeting.at.isoformat()}",
    )


def agenda(session: Session, meeting: Milestone, now: datetime, zone: ZoneInfo) -> tuple[str, list[tuple[str, str]]]:
    heading = _("Agenda for {title}, {when}:", title=meeting.title, when=local_time(meeting.at, zone))
    previous = previous_meeting(session, meeting)
    if previous is not None:
        since = min(previous.at, now)
        shared_title = _(
            "Best practices shared since the last meeting, {meeting}", meeting=meeting_label(previous, zone)
        )
        figures_title = _("Program figures since the last meeting, {meeting}", meeting=meeting_label(previous, zone))
    else:
        since = now - NO_MEETING_SPAN
        shared_title = _("Best practices shared in the last 30 days")
        figures_title = _("Program figures in the last 30 days")
    fields: list[tuple[str, str]] = []
    top, undecided = find_proposals(session, kind=ProposalKind.PROPOSAL, statuses=UNDECIDED, limit=AGENDA_PROPOSALS)
    lines = [f"{number}. {item_line(proposal, tally)}" for number, (proposal, tally) in enumerate(top, 1)]
    if undecided > len(top):
        lines.append(
            ngettext(
                "... and {count} more open proposal: `propose list`",
                "... and {count} more open proposals: `propose list`",
                undecided - len(top),
            )
        )
    fields += chunked(_("Proposals with the most votes, still open"), lines or [_("No proposals are open.")])
    shared, count = find_proposals(session, kind=ProposalKind.PRACTICE, since=since, until=now, limit=AGENDA_PRACTICES)
    lines = [
        _(
            "{item} · from {author}",
            item=item_line(practice, tally, with_status=False),
            author=author_of(session, practice),
        )
        for practice, tally in shared
    ]
    if count > len(shared):
        lines.append(_("... and {count} more: `practices list sort=newest`", count=count - len(shared)))
    fields += chunked(shared_title, lines or [_("None were shared.")])
    program = figures_between(session, since, now, zone).get(None, WindowFigures(0, 0, 0, 0))
    rate = (
        _("takedown rate {rate}", rate=percent(program.takedown_rate))
        if program.decided
        else _("no takedown rate (none decided)")
    )
    fields.append(
        (
            figures_title,
            _(
                "{reported}, {removed} removed, {rate}",
                reported=items_reported(program.listings_reported, program.storefronts_reported),
                removed=program.removed,
                rate=rate,
            ),
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
        raise UserError(
            _("I did not expect '{word}' there.", word=split_word(more)[0]),
            hint=_("Write {usage} [<meeting id>].", usage=usage),
        )
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
            _("'{text}' is not a meeting id.", text=text),
            hint=_("Meeting ids are the numbers `calendar` and `calendar past` show, e.g. 3."),
            field="meeting",
        )
    milestone = session.get(Milestone, int(match.group(1)))
    if milestone is None:
        raise NotFound(
            _("There is no milestone #{id} on the calendar.", id=int(match.group(1))),
            hint=_("`calendar past` lists the meetings that have taken place, with their ids."),
            field="meeting",
        )
    if milestone.kind != MilestoneKind.MEETING:
        values = {"id": milestone.id, "title": milestone.title, "kind": status_label(milestone.kind)}
        raise UserError(
            _("#{id} {title} is an {kind}, not a working-group meeting.", **values)
            if milestone.kind[:1] in "aeiou"
            else _("#{id} {title} is a {kind}, not a working-group meeting.", **values),
            hint=_("`calendar past` lists the meetings with their ids."),
            field="meeting",
        )
    return milestone
