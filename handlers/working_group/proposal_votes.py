"""`propose vote` and `practices vote`: one vote per member on each proposal or best practice, which they
can change."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.working_group.proposal_wording import command_word, find_item, score_label, vote_command
from storage.models import ProposalVote
from storage.queries.proposals import tally_of, vote_of
from storage.vocabulary import ProposalKind, ProposalStatus

_VOTES = {"up": 1, "for": 1, "+1": 1, "+": 1, "yes": 1, "down": -1, "against": -1, "-1": -1, "-": -1, "no": -1}
VOTE = Option("vote", N_("for (up) or against (down)"), OptionKind.CHOICE, required=True, choices=("up", "down"))


@command(
    "propose vote", summary=N_("vote for or against a proposal"),
    options=(Option("ref", N_("the proposal's reference, e.g. P-0001"), required=True), VOTE),
)  # fmt: skip
def propose_vote(ctx: Context, args: Args, session: Session) -> Reply:
    """propose vote <P-0001> up|down
    One vote per member; vote again the other way to change it. Votes close when a proposal is decided.
    Example: propose vote P-0001 up"""
    return cast_vote(ctx, args, session, ProposalKind.PROPOSAL)


def cast_vote(ctx: Context, args: Args, session: Session, kind: ProposalKind) -> Reply:
    """The caller's vote on the item named first: up (for) or down (against)."""
    args.check_options()
    command = "propose vote <P-0001>" if kind == ProposalKind.PROPOSAL else "practices vote <BP-0001>"
    usage = _("Write {command} up|down.", command=command)
    if len(args.words) < 2:
        raise UserError(_("Which item, and up or down?") if not args.words else _("Up or down?"), hint=usage)
    if len(args.words) > 2:
        raise UserError(_("I did not expect '{word}' there.", word=args.words[2]), hint=usage)
    value = _VOTES.get(args.words[1].lower())
    other_kind = ProposalKind.PRACTICE if kind == ProposalKind.PROPOSAL else ProposalKind.PROPOSAL
    way = "up|down" if value is None else "up" if value > 0 else "down"
    proposal = find_item(session, args.words[0], kind, instead=f"{command_word(other_kind)} vote {{ref}} {way}")
    if value is None:
        raise UserError(
            _("'{word}' is not a vote.", word=args.words[1]),
            hint=_("Vote up (for) or down (against): {usage}", usage=usage),
        )
    ref = proposal.reference
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED):
        raise UserError(
            _("{ref} was {status}: its votes are closed.", ref=ref, status=proposal.status),
            hint=_("`propose show {ref}` shows the decision.", ref=ref),
        )
    assert proposal.id is not None and ctx.member_id is not None
    vote = vote_of(session, proposal.id, ctx.member_id)
    if vote is not None and vote.value == value:
        other = "down" if value > 0 else "up"
        raise UserError(
            _("You already voted for {ref}.", ref=ref) if value > 0 else _("You already voted against {ref}.", ref=ref),
            hint=_("To change your vote: {command}.", command=vote_command(proposal) + " " + other),
        )
    changed = vote is not None
    vote = vote or ProposalVote(proposal_id=proposal.id, member_id=ctx.member_id, value=value)
    vote.value, vote.updated_at = value, ctx.now
    session.add(vote)
    session.flush()
    tally = tally_of(session, proposal.id)
    values = {"ref": ref, "title": proposal.title, "score": score_label(tally)}
    if changed:
        if value > 0:
            return Reply(_("You changed your vote on {ref} to for ({title}). Score now {score}.", **values))
        return Reply(_("You changed your vote on {ref} to against ({title}). Score now {score}.", **values))
    if value > 0:
        return Reply(_("You voted for {ref} ({title}). Score now {score}.", **values))
    return Reply(_("You voted against {ref} ({title}). Score now {score}.", **values))
