"""`propose list` and `propose show`: proposals (and best practices) found by status, tag and words."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_positive_int
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply, plural
from handlers.working_group.proposal_wording import (
    UNDECIDED,
    author_of,
    find_item,
    item_line,
    meeting_label,
    score_label,
    status_label,
    tags_label,
    vote_buttons,
)
from handlers.working_group.proposals import check_tags
from storage.queries.proposals import decisions_on_proposal, find_proposals, tally_of
from storage.vocabulary import ProposalKind, ProposalStatus

MAX_SEARCH = 200
PAGE = 15
_STATUS_FILTERS: dict[str, tuple[tuple[str, ...] | None, str]] = {  # word: (statuses, how the list names them)
    "undecided": (UNDECIDED, "undecided"),
    "open": ((ProposalStatus.OPEN,), "open"),
    "under_review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "accepted": ((ProposalStatus.ACCEPTED,), "accepted"),
    "declined": ((ProposalStatus.DECLINED,), "declined"),
    "all": (None, ""),
}
STATUSES = ("open", "under_review", "accepted", "declined", "all")
FILTERS = (
    Option("tag", "only items with this tag", keyword=True),
    Option("search", "words the title or text contains", keyword=True),
    Option("sort", "most votes first, or newest first", OptionKind.CHOICE, keyword=True, choices=("votes", "newest")),
    Option("page", "which page of the list", OptionKind.NUMBER, keyword=True),
)
REF = Option("ref", "the reference, e.g. P-0001", required=True)


@command(
    "propose list", summary="proposals, most votes first",
    options=(Option("status", "which proposals", OptionKind.CHOICE, choices=STATUSES), *FILTERS),
)  # fmt: skip
def propose_list(ctx: Context, args: Args, session: Session) -> Reply:
    """propose list [open|under_review|accepted|declined|all] [tag=<tag>] [search=<words>] [sort=votes|newest]
        [page=<n>]
    The proposals still undecided (open or under review) unless a status is given, most votes first
    (sort=newest for the latest); search= matches the title and the text.
    Example: propose list accepted tag=taobao"""
    return list_items(ctx, args, ProposalKind.PROPOSAL, session)


@command("propose show", summary="one proposal with its votes, decision and meetings' decisions", options=(REF,))
def propose_show(ctx: Context, args: Args, session: Session) -> Reply:
    """propose show <P-0001>
    Example: propose show P-0001"""
    return show_item(ctx, args, session, ProposalKind.PROPOSAL)


def list_items(ctx: Context, args: Args, kind: ProposalKind, session: Session) -> Reply:
    """Proposals or best practices, filtered by the status word and the options."""
    words = args.words
    args.check_options("tag", "search", "sort", "page")
    proposals = kind == ProposalKind.PROPOSAL
    statuses: tuple[str, ...] | None = UNDECIDED if proposals else None
    status_word = "undecided" if proposals else ""
    for index, word in enumerate(words):
        key = word.lower().replace("-", "_")
        if not proposals or key not in _STATUS_FILTERS or index > 0:
            raise UserError(
                f"I did not expect '{word}' there.",
                hint=(
                    ("Give one status: open, under_review, accepted, declined or all. " if proposals else "")
                    + 'Filter with tag=, search= (quote several words: search="fake bags"), sort= and page=.'
                ),
            )
        statuses, status_word = _STATUS_FILTERS[key]
    tags = check_tags(args.options.get("tag", ""))
    search = args.options.get("search", "")
    if len(search) > MAX_SEARCH:
        raise UserError(f"search= is {len(search)} characters; the limit is {MAX_SEARCH}.", field="search")
    sort = (args.option("sort") or "votes").lower()
    if sort not in ("votes", "newest"):
        raise UserError(f"'{sort}' is not a way to sort.", hint="Use sort=votes or sort=newest.", field="sort")
    page = parse_positive_int(args.options["page"], "page number") if args.option("page") else 1
    rows, total = find_proposals(
        session, kind=kind, statuses=statuses, tags=tags, words=search.split(),
        newest_first=sort == "newest", limit=PAGE, offset=(page - 1) * PAGE,
    )  # fmt: skip
    noun = "proposal" if proposals else "best practice"
    described = " ".join(part for part in (status_word, noun) if part)
    filters = "".join(
        (f" tagged {', '.join(tags)}" if tags else "", f' matching "{" ".join(search.split())}"' if search else "")
    )
    if total == 0:
        hint = "`propose list all` shows every proposal." if proposals and statuses is not None else None
        return Reply(f"No {described}s{filters}.", lines=[hint] if hint else [])
    pages = (total + PAGE - 1) // PAGE
    if page > pages:
        raise UserError(f"There is no page {page}: the list has {plural(pages, 'page')}.", field="page")
    order = "most votes first" if sort == "votes" else "newest first"
    reply = Reply(f"{plural(total, described)}{filters}, {order}:")
    reply.lines = [item_line(proposal, tally, with_status=proposals) for proposal, tally in rows]
    if pages > 1:
        reply.lines.append(f"Page {page} of {pages}: add page={page + 1 if page < pages else 1} for more.")
    return reply


def show_item(ctx: Context, args: Args, session: Session, kind: ProposalKind) -> Reply:
    """One proposal or best practice in full, with vote buttons while votes are open."""
    args.check_options()
    if not args.words:
        raise UserError("Which one? Give its reference.", hint="Write propose show <P-0001>.", field="ref")
    if len(args.words) > 1:
        raise UserError(f"I did not expect '{args.words[1]}' there.", hint="Write propose show <P-0001>.")
    proposal = find_item(session, args.words[0], kind)
    assert proposal.id is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{proposal.reference}: {proposal.title}")
    reply.fields = [
        ("Status", status_label(proposal.status)),
        ("Votes", score_label(tally_of(session, proposal.id))),
        ("Tags", tags_label(proposal.tags) or "none"),
        ("From", author_of(session, proposal)),
        ("Posted", local_time(proposal.created_at, zone)),
    ]
    if proposal.decided_by is not None:
        why = "What will change" if proposal.status == ProposalStatus.ACCEPTED else "Why"
        decided = f"{status_label(proposal.status)} by {proposal.decided_by} on {local_time(proposal.updated_at, zone)}"
        reply.fields += [("Decision", decided), (why, proposal.decision_note or "-")]
    reply.lines = proposal.text.splitlines()
    for decision, meeting in decisions_on_proposal(session, proposal.id):
        reply.lines.append(f"Decided at {meeting_label(meeting, zone)}: {decision.text}")
    if proposal.status not in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED):
        reply.buttons = list(vote_buttons(proposal))
    return reply
