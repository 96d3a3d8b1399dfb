"""`propose review`, `accept` and `decline`: the IACC/Alibaba team decides on a proposal; the working
group, its author and its voters are told."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply, plural
from handlers.working_group.proposal_wording import UNDECIDED, find_item, status_label
from storage.models import Member, Proposal
from storage.queries.proposals import change_status, voters
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind, ProposalStatus, dm_channel

TEAM_DECISIONS = {  # action: (new status, what the note must say, or None when optional)
    "review": (ProposalStatus.UNDER_REVIEW, None),
    "accept": (ProposalStatus.ACCEPTED, "what will change"),
    "decline": (ProposalStatus.DECLINED, "why"),
}
_DOING = {"accept": "Accepting", "decline": "Declining"}
REF = Option("ref", "the proposal's reference, e.g. P-0001", required=True)
ACTION = "review, accept or decline proposals"


@command(
    "propose review", summary="mark a proposal as under review (team)", roles=STAFF, action=ACTION,
    options=(REF, Option("note", "a note for the working group", keyword=True)),
)  # fmt: skip
def propose_review(ctx: Context, args: Args, session: Session) -> Reply:
    """propose review <P-0001> [note="..."]
    Example: propose review P-0001 note="on the agenda of the next meeting"
    """
    return _decide(ctx, args, session, "review")


@command(
    "propose accept", summary="accept a proposal, saying what will change (team)", roles=STAFF, action=ACTION,
    options=(REF, Option("note", "what will change", required=True, keyword=True)),
)  # fmt: skip
def propose_accept(ctx: Context, args: Args, session: Session) -> Reply:
    """propose accept <P-0001> note="what will change"
    Its author and voters are told by direct message, and the working group.
    Example: propose accept P-0001 note="repeat sellers are named from March"
    """
    return _decide(ctx, args, session, "accept")


@command(
    "propose decline", summary="decline a proposal, saying why (team)", roles=STAFF, action=ACTION,
    options=(REF, Option("note", "why", required=True, keyword=True)),
)  # fmt: skip
def propose_decline(ctx: Context, args: Args, session: Session) -> Reply:
    """propose decline <P-0001> note="why"
    Its author and voters are told by direct message, and the working group.
    Example: propose decline P-0001 note="Alibaba already names them"
    """
    return _decide(ctx, args, session, "decline")


def _decide(ctx: Context, args: Args, session: Session, action: str) -> Reply:
    status, needed = TEAM_DECISIONS[action]
    args.check_options("note")
    example = f'propose {action} <P-0001> note="..."'
    if not args.words:
        raise UserError("Which proposal? Give its reference.", hint=f"Write {example}.", field="ref")
    proposal = find_item(session, args.words[0], ProposalKind.PROPOSAL)
    ref = proposal.reference
    if proposal.kind != ProposalKind.PROPOSAL:
        raise UserError(f"{ref} is a best practice: it is shared, not decided on.")
    if len(args.words) > 1:
        raise UserError(f"I did not expect '{args.words[1]}' there.", hint=f"Quote the note: {example}.")
    note = args.note()
    if needed is not None and not note:
        raise UserError(
            f"{_DOING[action]} {ref} needs a note saying {needed}.",
            hint=f'Write propose {action} {ref} note="...".',
            field="note",
        )
    allowed = (ProposalStatus.OPEN,) if status == ProposalStatus.UNDER_REVIEW else UNDECIDED
    before = proposal.status
    if before not in allowed or not change_status(
        session, proposal, allowed_from=allowed, to=status, note=note,
        by=None if status == ProposalStatus.UNDER_REVIEW else ctx.caller.ref, at=ctx.now,
    ):  # fmt: skip
        raise _already(ref, proposal)
    assert proposal.id is not None
    record_change(
        session, ctx, AuditEntity.PROPOSAL, proposal.id, "status", from_status=before, to_status=status, note=note
    )
    return _announce(ctx, session, proposal, note)


def _already(ref: str, proposal: Proposal) -> UserError:
    if proposal.status == ProposalStatus.UNDER_REVIEW:
        return UserError(f"{ref} is already under review.", hint=f"Accept or decline it: propose accept {ref} ...")
    return UserError(
        f"{ref} was already {proposal.status} by {proposal.decided_by or 'the team'}.",
        hint=f"A decision stands; `propose show {ref}` shows it.",
    )


def _announce(ctx: Context, session: Session, proposal: Proposal, note: str | None) -> Reply:
    """The status change to the working group, the author and every voter (not to the caller)."""
    assert proposal.id is not None
    ref, title = proposal.reference, proposal.title
    if proposal.status == ProposalStatus.UNDER_REVIEW:
        happened, why = "is under review by the IACC/Alibaba team", f" Note: {note}" if note else ""
    elif proposal.status == ProposalStatus.ACCEPTED:
        happened, why = "was accepted", f" What will change: {note}"
    else:
        happened, why = "was declined", f" Why: {note}"
    notices = [
        Notice(
            channel=Channel.WORKING_GROUP, kind=NoticeKind.PROPOSAL_STATUS, text=f"{ref} ({title}) {happened}.{why}"
        ),
    ]
    author = session.get(Member, proposal.member_id)
    told: list[str] = []
    if author is not None and author.active and author.id != ctx.member_id:
        notices.append(_direct(author, f"Your proposal {ref} ({title}) {happened}.{why}"))
        told.append("its author")
    voted = [
        (member, value)
        for member, value in voters(session, proposal.id)
        if member.active and member.id not in (proposal.member_id, ctx.member_id)
    ]
    for member, value in voted:
        side = "for" if value > 0 else "against"
        notices.append(_direct(member, f"{ref} ({title}), which you voted {side}, {happened}.{why}"))
    if voted:
        told.append(plural(len(voted), "voter"))
    reply = Reply(f"{ref} is now {status_label(proposal.status)}.")
    reply.lines.append(
        f"Told {' and '.join(told)} by direct message, and the working group." if told else "Told the working group."
    )
    reply.notices += notices
    return reply


def _direct(member: Member, text: str) -> Notice:
    return Notice(channel=dm_channel(member.platform, member.user_id), kind=NoticeKind.PROPOSAL_STATUS, text=text)
