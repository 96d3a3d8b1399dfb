"""The working group's proposals and best practices: tallies, searches, votes, status changes,
meetings and their decisions."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import MeetingDecision, Member, Milestone, Proposal, ProposalVote
from storage.vocabulary import MilestoneKind, ProposalKind

_REFERENCE = re.compile(r"(?i)^(?:(?P<prefix>BP|P)-?)?#?0*(?P<number>\d{1,9})$")


@dataclass(frozen=True, slots=True)
class Tally:
    votes_for: int = 0
    votes_against: int = 0

    @property
    def score(self) -> int:
        return self.votes_for - self.votes_against


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference as written: `P-0001` (a proposal), `BP-0002` (a practice) or a bare `3`."""

    number: int
    kind: ProposalKind | None


def parse_reference(text: str) -> Reference | None:
    match = _REFERENCE.match(text.strip())
    if match is None or int(match.group("number")) == 0:
        return None
    prefix = (match.group("prefix") or "").upper()
    kind = {"P": ProposalKind.PROPOSAL, "BP": ProposalKind.PRACTICE}.get(prefix)
    return Reference(int(match.group("number")), kind)


def numbered(session: Session, kind: ProposalKind, number: int) -> Proposal | None:
    """The proposal or best practice with this number among its kind."""
    return session.exec(select(Proposal).where(Proposal.kind == kind, Proposal.number == number)).first()


def next_number(session: Session, kind: ProposalKind) -> int:
    """The number the next item of this kind gets: one more than the highest so far."""
    highest = session.exec(select(func.max(Proposal.number)).where(Proposal.kind == kind)).one()
    return (highest or 0) + 1


def add_numbered(session: Session, proposal: Proposal, attempts: int = 3) -> None:
    """Store a new proposal or best practice numbered by `next_number`.

    Two members posting at once may both read the same highest number: the unique (kind, number)
    refuses the second, which takes the next number instead, inside a savepoint so that the rest
    of the transaction stands."""
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                session.add(proposal)
                session.flush()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            proposal.number = next_number(session, ProposalKind(proposal.kind))


def _vote_totals() -> Any:
    value = col(ProposalVote.value)
    return (
        select(
            col(ProposalVote.proposal_id).label("proposal_id"),
            func.sum(case((value > 0, 1), else_=0)).label("votes_for"),
            func.sum(case((value < 0, 1), else_=0)).label("votes_against"),
        )
        .group_by(col(ProposalVote.proposal_id))
        .subquery()
    )


def find_proposals(
    session: Session,
    *,
    kind: ProposalKind,
    statuses: Collection[str] | None = None,
    tags: Sequence[str] = (),
    words: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
    newest_first: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[tuple[Proposal, Tally]], int]:
    """Proposals (or practices) matching every filter with their tallies, and how many match.

    By score (for minus against), ties older first; or newest first. Tags must all be present;
    each word must appear in the title or the text, whatever its case.
    """
    conditions: list[Any] = [col(Proposal.kind) == kind]
    if statuses is not None:
        conditions.append(col(Proposal.status).in_(list(statuses)))
    padded = literal(",").concat(col(Proposal.tags)).concat(",")
    conditions += [padded.contains(f",{tag},", autoescape=True) for tag in tags]
    for word in words:
        lowered = word.lower()
        conditions.append(
            or_(
                func.lower(col(Proposal.title)).contains(lowered, autoescape=True),
                func.lower(col(Proposal.text)).contains(lowered, autoescape=True),
            )
        )
    if since is not None:
        conditions.append(col(Proposal.created_at) >= since)
    if until is not None:
        conditions.append(col(Proposal.created_at) < until)
    totals = _vote_totals()
    votes_for = func.coalesce(totals.c.votes_for, 0)
    votes_against = func.coalesce(totals.c.votes_against, 0)
    query = (
        select(Proposal, votes_for, votes_against)
        .outerjoin(totals, totals.c.proposal_id == col(Proposal.id))
        .where(*conditions)
    )
    if newest_first:
        query = query.order_by(col(Proposal.created_at).desc(), col(Proposal.id).desc())
    else:
        query = query.order_by((votes_for - votes_against).desc(), col(Proposal.created_at), col(Proposal.id))
    rows = session.exec(query.limit(limit).offset(offset)).all()
    total = session.exec(select(func.count()).select_from(Proposal).where(*conditions)).one()
    return [(proposal, Tally(int(up), int(down))) for proposal, up, down in rows], total


def tally_of(session: Session, proposal_id: int) -> Tally:
    value = col(ProposalVote.value)
    up, down = session.exec(
        select(
            func.coalesce(func.sum(case((value > 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case((value < 0, 1), else_=0)), 0),
        ).where(ProposalVote.proposal_id == proposal_id)
    ).one()
    return Tally(int(up), int(down))


def vote_of(session: Session, proposal_id: int, member_id: int) -> ProposalVote | None:
    return session.exec(
        select(ProposalVote).where(ProposalVote.proposal_id == proposal_id, ProposalVote.member_id == member_id)
    ).first()


def voters(session: Session, proposal_id: int) -> list[tuple[Member, int]]:
    """Every member who voted on a proposal, with their vote (+1 or -1), in the order they voted."""
    rows = session.exec(
        select(Member, ProposalVote.value)
        .join(ProposalVote, col(ProposalVote.member_id) == col(Member.id))
        .where(ProposalVote.proposal_id == proposal_id)
        .order_by(col(ProposalVote.id))
    ).all()
    return [(member, int(value)) for member, value in rows]


def change_status(
    session: Session,
    proposal: Proposal,
    *,
    allowed_from: Collection[str],
    to: str,
    note: str | None,
    by: str | None,
    at: datetime,
) -> bool:
    """Move a proposal to `to` if it is still in one of `allowed_from`; False (the row reloaded)
    when someone changed it first, so two team members deciding at once cannot both succeed."""
    assert proposal.id is not None
    values: dict[str, object] = {"status": to, "updated_at": at}
    if by is not None:
        values |= {"decision_note": note, "decided_by": by}
    result = session.execute(
        update(Proposal)
        .where(col(Proposal.id) == proposal.id, col(Proposal.status).in_(list(allowed_from)))
        .values(**values)
    )
    session.refresh(proposal)
    return getattr(result, "rowcount", 0) == 1


def previous_meeting(session: Session, meeting: Milestone) -> Milestone | None:
    """The working-group meeting on the calendar before this one, if any."""
    return session.exec(
        select(Milestone)
        .where(
            col(Milestone.kind) == MilestoneKind.MEETING,
            col(Milestone.at) < meeting.at,
            col(Milestone.id) != meeting.id,
        )
        .order_by(col(Milestone.at).desc(), col(Milestone.id).desc())
        .limit(1)
    ).first()


def latest_meeting_started(session: Session, now: datetime) -> Milestone | None:
    return session.exec(
        select(Milestone)
        .where(col(Milestone.kind) == MilestoneKind.MEETING, col(Milestone.at) <= now)
        .order_by(col(Milestone.at).desc(), col(Milestone.id).desc())
        .limit(1)
    ).first()


def next_meeting(session: Session, now: datetime) -> Milestone | None:
    return session.exec(
        select(Milestone)
        .where(col(Milestone.kind) == MilestoneKind.MEETING, col(Milestone.at) > now)
        .order_by(col(Milestone.at), col(Milestone.id))
        .limit(1)
    ).first()


def decisions_of_meeting(session: Session, milestone_id: int) -> list[MeetingDecision]:
    return list(
        session.exec(
            select(MeetingDecision)
            .where(MeetingDecision.milestone_id == milestone_id)
            .order_by(col(MeetingDecision.created_at), col(MeetingDecision.id))
        ).all()
    )


def decisions_on_proposal(session: Session, proposal_id: int) -> list[tuple[MeetingDecision, Milestone]]:
    rows = session.exec(
        select(MeetingDecision, Milestone)
        .join(Milestone, col(Milestone.id) == col(MeetingDecision.milestone_id))
        .where(MeetingDecision.proposal_id == proposal_id)
        .order_by(col(MeetingDecision.created_at), col(MeetingDecision.id))
    ).all()
    return [(decision, meeting) for decision, meeting in rows]
