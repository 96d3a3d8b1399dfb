"""`propose review`, `accept` and `decline`: the IACC/Alibaba team decides on a proposal; the working
group, its author and its voters are told."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, localized, ngettext
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply
from handlers.working_group.proposal_wording import UNDECIDED, find_item, status_label
from storage.models import Member, Proposal
from storage.queries.proposals import change_status, voters
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind, ProposalStatus, dm_channel

TEAM_DECISIONS = {  # action: (new status, whether a note is required)
    "review": (ProposalStatus.UNDER_REVIEW, False),
    "accept": (ProposalStatus.ACCEPTED, True),
    "decline": (ProposalStatus.DECLINED, True),
}
_NOTE_NEEDED = {
    "accept": N_("Accepting {ref} needs a note saying what will change."),
    "decline": N_("Declining {ref} needs a note saying why."),
}
REF = Option("ref", N_("the proposal's reference, e.g. P-0001"), required=True)
ACTION = N_("review, accept or decline proposals")


@command(
    "propose review", summary=N_("mark a proposal as under review (team)"), roles=STAFF, action=ACTION,
    options=(REF, Option("note", N_("a note for the working group"), keyword=True)),
)  # fmt: skip
def propose_review(ctx: Context, args: Args, session: Session) -> Reply:
    """propose review <P-0001> [note="..."]
    Example: propose review P-0001 note="on the agenda of the next meeting"
    """
    return _decide(ctx, args, session, "review")


@command(
    "propose accept", summary=N_("accept a proposal, saying what will change (team)"), roles=STAFF, action=ACTION,
    options=(REF, Option("note", N_("what will change"), required=True, keyword=True)),
)  # fmt: skip
def propose_accept(ctx: Context, args: Args, session: Session) -> Reply:
    """propose accept <P-0001> note="what will change"
    Its author and voters are told by direct message, and the working group.
    Example: propose accept P-0001 note="repeat sellers are named from March"
    """
    return _decide(ctx, args, session, "accept")


@command(
    "propose decline", summary=N_("decline a proposal, saying why (team)"), roles=STAFF, action=ACTION,
    options=(REF, Option("note", N_("why"), required=True, keyword=True)),
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
        raise UserError(
            _("Which proposal? Give its reference."), hint=_("Write {example}.", example=example), field="ref"
        )
    proposal = find_item(session, args.words[0], ProposalKind.PROPOSAL)
    ref = proposal.reference
    if len(args.words) > 1:
        raise UserError(
            _("I did not expect '{word}' there.", word=args.words[1]),
            hint=_("Quote the note: {example}.", example=example),
        )
    note = args.note()
    if needed and not note:
        raise UserError(
            _(_NOTE_NEEDED[action], ref=ref),
            hint=_("Write {example}.", example="propose " + action + " " + ref + ' note="..."'),
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
        return UserError(
            _("{ref} is already under review.", ref=ref),
            hint=_("Accept or decline it: {example}", example="propose accept " + ref + " ..."),
        )
    return UserError(
        _(
            "{ref} was already {status} by {who}.",
            ref=ref,
            status=proposal.status,
            who=proposal.decided_by or _("the team"),
        ),
        hint=_("A decision stands; `propose show {ref}` shows it.", ref=ref),
    )


def _announce(ctx: Context, session: Session, proposal: Proposal, note: str | None) -> Reply:
    """The status change to the working group, the author and every voter (not to the caller)."""
    assert proposal.id is not None
    notices = [
        localized(
            lambda: Notice(
                channel=Channel.WORKING_GROUP,
                kind=NoticeKind.PROPOSAL_STATUS,
                text=_("{ref} ({title}) {happened}.{why}", **_decision_words(proposal, note)),
            )
        ),
    ]
    author = session.get(Member, proposal.member_id)
    told_author = author is not None and author.active and author.id != ctx.member_id
    if author is not None and told_author:
        notices.append(
            _direct(
                author, lambda: _("Your proposal {ref} ({title}) {happened}.{why}", **_decision_words(proposal, note))
            )
        )
    voted = [
        (member, value)
        for member, value in voters(session, proposal.id)
        if member.active and member.id not in (proposal.member_id, ctx.member_id)
    ]
    for member, value in voted:
        notices.append(_direct(member, partial(_to_voter, proposal, note, value)))
    reply = Reply(_("{ref} is now {status}.", ref=proposal.reference, status=status_label(proposal.status)))
    if told_author and voted:
        told = ngettext(
            "Told its author and {count} voter by direct message, and the working group.",
            "Told its author and {count} voters by direct message, and the working group.",
            len(voted),
        )
    elif voted:
        told = ngettext(
            "Told {count} voter by direct message, and the working group.",
            "Told {count} voters by direct message, and the working group.",
            len(voted),
        )
    elif told_author:
        told = _("Told its author by direct message, and the working group.")
    else:
        told = _("Told the working group.")
    reply.lines.append(told)
    reply.notices += notices
    return reply


def _decision_words(proposal: Proposal, note: str | None) -> dict[str, str]:
    """What happened to a proposal and why, in the current language, for the notices' sentences."""
    if proposal.status == ProposalStatus.UNDER_REVIEW:
        happened, why = _("is under review by the IACC/Alibaba team"), _(" Note: {note}", note=note) if note else ""
    elif proposal.status == ProposalStatus.ACCEPTED:
        happened, why = _("was accepted"), _(" What will change: {note}", note=note)
    else:
        happened, why = _("was declined"), _(" Why: {note}", note=note)
    return {"ref": proposal.reference, "title": proposal.title, "happened": happened, "why": why}


def _to_voter(proposal: Proposal, note: str | None, value: int) -> str:
    words = _decision_words(proposal, note)
    if value > 0:
        return _("{ref} ({title}), which you voted for, {happened}.{why}", **words)
    return _("{ref} ({title}), which you voted against, {happened}.{why}", **words)


def _direct(member: Member, text: Callable[[], str]) -> Notice:
    channel = dm_channel(member.platform, member.user_id)
    return localized(lambda: Notice(channel=channel, kind=NoticeKind.PROPOSAL_STATUS, text=text()))
