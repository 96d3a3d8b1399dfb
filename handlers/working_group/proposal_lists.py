"""`propose list` and `propose show`: proposals (and best practices) found by status, tag and words."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_positive_int
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.working_group.proposal_wording import (
    UNDECIDED,
    author_of,
    command_word,
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
UNDECIDED_WORD = "undecided"
_STATUS_FILTERS: dict[str, tuple[tuple[str, ...] | None, str]] = {  # word: (statuses, how the list names them)
    "undecided": (UNDECIDED, UNDECIDED_WORD),
    "open": ((ProposalStatus.OPEN,), "open"),
    "under_review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "accepted": ((ProposalStatus.ACCEPTED,), "accepted"),
    "declined": ((ProposalStatus.DECLINED,), "declined"),
    "all": (None, ""),
}
STATUSES = ("open", "under_review", "accepted", "declined", "all")
FILTERS = (
    Option("tag", N_("only items with this tag"), keyword=True),
    Option("search", N_("words the title or text contains"), keyword=True),
    Option(
        "sort", N_("most votes first, or newest first"), OptionKind.CHOICE, keyword=True, choices=("votes", "newest")
    ),
    Option("page", N_("which page of the list"), OptionKind.NUMBER, keyword=True),
)
REF = Option("ref", N_("the reference, e.g. P-0001"), required=True)


@command(
    "propose list", summary=N_("proposals, most votes first"),
    options=(Option("status", N_("which proposals"), OptionKind.CHOICE, choices=STATUSES), *FILTERS),
)  # fmt: skip
def propose_list(ctx: Context, args: Args, session: Session) -> Reply:
    """propose list [open|under_review|accepted|declined|all] [tag=<tag>] [search=<words>] [sort=votes|newest]
        [page=<n>]
    The proposals still undecided (open or under review) unless a status is given, most votes first
    (sort=newest for the latest); search= matches the title and the text.
    Example: propose list accepted tag=taobao"""
    return list_items(ctx, args, ProposalKind.PROPOSAL, session)


@command("propose show", summary=N_("one proposal with its votes, decision and meetings' decisions"), options=(REF,))
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
    status_word = UNDECIDED_WORD if proposals else ""
    for index, word in enumerate(words):
        key = word.lower().replace("-", "_")
        if not proposals or key not in _STATUS_FILTERS or index > 0:
            filters = _('Filter with tag=, search= (quote several words: search="fake bags"), sort= and page=.')
            raise UserError(
                _("I did not expect '{word}' there.", word=word),
                hint=_("Give one status: open, under_review, accepted, declined or all. {filters}", filters=filters)
                if proposals
                else filters,
            )
        statuses, status_word = _STATUS_FILTERS[key]
    tags = check_tags(args.options.get("tag", ""))
    search = args.options.get("search", "")
    if len(search) > MAX_SEARCH:
        raise UserError(
            _("search= is {length} characters; the limit is {limit}.", length=len(search), limit=MAX_SEARCH),
            field="search",
        )
    sort = (args.option("sort") or "votes").lower()
    if sort not in ("votes", "newest"):
        raise UserError(
            _("'{sort}' is not a way to sort.", sort=sort), hint=_("Use sort=votes or sort=newest."), field="sort"
        )
    page = parse_positive_int(args.options["page"], N_("page number")) if args.option("page") else 1
    rows, total = find_proposals(
        session, kind=kind, statuses=statuses, tags=tags, words=search.split(),
        newest_first=sort == "newest", limit=PAGE, offset=(page - 1) * PAGE,
    )  # fmt: skip
    filters = "".join(
        (
            _(" tagged {tags}", tags=", ".join(tags)) if tags else "",
            _(' matching "{words}"', words=" ".join(search.split())) if search else "",
        )
    )
    if total == 0:
        hint = _("`propose list all` shows every proposal.") if proposals and statuses is not None else None
        return Reply(
            _("No {items}{filters}.", items=_none_of(proposals, status_word), filters=filters),
            lines=[hint] if hint else [],
        )
    pages = (total + PAGE - 1) // PAGE
    if page > pages:
        raise UserError(
            ngettext("There is no page {page}: the list has {count} page.",
                     "There is no page {page}: the list has {count} pages.", pages, page=page),
            field="page",
        )  # fmt: skip
    order = _("most votes first") if sort == "votes" else _("newest first")
    reply = Reply(
        _("{items}{filters}, {order}:", items=_counted(proposals, status_word, total), filters=filters, order=order)
    )
    reply.lines = [item_line(proposal, tally, with_status=proposals) for proposal, tally in rows]
    if pages > 1:
        following = page + 1 if page < pages else 1
        reply.lines.append(
            _("Page {page} of {pages}: add page={next} for more.", page=page, pages=pages, next=following)
        )
    return reply


def _counted(proposals: bool, status_word: str, count: int) -> str:
    """`3 undecided proposals`, `1 accepted proposal`, `4 proposals`, `2 best practices`."""
    if not proposals:
        return ngettext("{count} best practice", "{count} best practices", count)
    if not status_word:
        return ngettext("{count} proposal", "{count} proposals", count)
    if status_word == UNDECIDED_WORD:
        return ngettext("{count} undecided proposal", "{count} undecided proposals", count)
    return ngettext("{count} {status} proposal", "{count} {status} proposals", count, status=status_word)


def _none_of(proposals: bool, status_word: str) -> str:
    """`undecided proposals`, `declined proposals`, `best practices`: what a list found none of."""
    if not proposals:
        return _("best practices")
    if not status_word:
        return _("proposals")
    if status_word == UNDECIDED_WORD:
        return _("undecided proposals")
    return _("{status} proposals", status=status_word)


def show_item(ctx: Context, args: Args, session: Session, kind: ProposalKind) -> Reply:
    """One proposal or best practice in full, with vote buttons while votes are open."""
    args.check_options()
    usage = "propose show <P-0001>" if kind == ProposalKind.PROPOSAL else "practices show <BP-0001>"
    if not args.words:
        raise UserError(_("Which one? Give its reference."), hint=_("Write {usage}.", usage=usage), field="ref")
    if len(args.words) > 1:
        raise UserError(
            _("I did not expect '{word}' there.", word=args.words[1]), hint=_("Write {usage}.", usage=usage)
        )
    other = ProposalKind.PRACTICE if kind == ProposalKind.PROPOSAL else ProposalKind.PROPOSAL
    proposal = find_item(session, args.words[0], kind, instead=command_word(other) + " show {ref}")
    assert proposal.id is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{proposal.reference}: {proposal.title}")
    reply.fields = [
        (_("Status"), status_label(proposal.status)),
        (_("Votes"), score_label(tally_of(session, proposal.id))),
        (_("Tags"), tags_label(proposal.tags) or _("none")),
        (_("From"), author_of(session, proposal)),
        (_("Posted"), local_time(proposal.created_at, zone)),
    ]
    if proposal.decided_by is not None:
        why = _("What will change") if proposal.status == ProposalStatus.ACCEPTED else _("Why")
        decided = _(
            "{status} by {who} on {when}",
            status=status_label(proposal.status), who=proposal.decided_by, when=local_time(proposal.updated_at, zone),
        )  # fmt: skip
        reply.fields += [(_("Decision"), decided), (why, proposal.decision_note or "-")]
    reply.lines = proposal.text.splitlines()
    for decision, meeting in decisions_on_proposal(session, proposal.id):
        reply.lines.append(_("Decided at {meeting}: {text}", meeting=meeting_label(meeting, zone), text=decision.text))
    if proposal.status not in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED):
        reply.buttons = list(vote_buttons(proposal))
    return reply
