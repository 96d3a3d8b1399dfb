"""`propose` and `practices`: the working group's proposals (P-0001) and best practices (BP-0001).

Both are posted to the `working-group` channel with vote buttons; each member has one vote per
item and can change it. The IACC/Alibaba team reviews, accepts or declines proposals, and their
author and voters hear of it by direct message. Meetings' agendas and decisions: handlers/working_group/meetings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from handlers.kit.arguments import LEADING_OPTION, Args, leading_options, parse_positive_int
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import local_time
from handlers.kit.forms import Form, FormField, register_form, request_form
from handlers.kit.registry import command
from handlers.kit.replies import Button, Notice, Reply, plural
from handlers.working_group.meetings import (
    UNDECIDED,
    author_of,
    chunked,
    find_item,
    item_line,
    list_decisions,
    meeting_label,
    record_decision,
    score_label,
    show_agenda,
    split_word,
    status_label,
    tags_label,
)
from storage.models import Member, Proposal, ProposalVote
from storage.queries.proposals import (
    change_status,
    decisions_on_proposal,
    find_proposals,
    tally_of,
    vote_of,
    voters,
)
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind, ProposalStatus, dm_channel

MIN_TITLE, MAX_TITLE = 3, 200
MIN_TEXT, MAX_TEXT = 10, 4000
MAX_TAGS, MAX_TAG, MAX_TAGS_TOTAL = 10, 40, 300  # the last: what the database keeps, commas included
FORM_TEXT = 3000  # Slack's limit for a modal's text input; longer text goes on the command line
MAX_SEARCH = 200
PAGE = 15
_CREATE_OPTIONS = ("title", "tags", "text")
_TRAILING_TAGS = re.compile(r'\s+tags=(?:"(?P<quoted>[^"]*)"|(?P<value>\S*))\s*$')
_SEPARATOR = re.compile(r"(?:^|\s)--(?:\s|$)")
_TAG = re.compile(r"^[a-z0-9-]+$")
_VOTES = {"up": 1, "for": 1, "+1": 1, "+": 1, "yes": 1, "down": -1, "against": -1, "-1": -1, "-": -1, "no": -1}
_STATUS_FILTERS: dict[str, tuple[tuple[str, ...] | None, str]] = {  # word: (statuses, how the list names them)
    "undecided": (UNDECIDED, "undecided"),
    "open": ((ProposalStatus.OPEN,), "open"),
    "under_review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "review": ((ProposalStatus.UNDER_REVIEW,), "under review"),
    "accepted": ((ProposalStatus.ACCEPTED,), "accepted"),
    "declined": ((ProposalStatus.DECLINED,), "declined"),
    "all": (None, ""),
}
TEAM_DECISIONS = {  # action: (new status, what the note must say, or None when optional)
    "review": (ProposalStatus.UNDER_REVIEW, None),
    "accept": (ProposalStatus.ACCEPTED, "what will change"),
    "decline": (ProposalStatus.DECLINED, "why"),
}
_DOING = {"accept": "Accepting", "decline": "Declining"}
Action = Callable[[Context, Args, Session, str], Reply]


@command("propose", summary="propose changes to the program; vote on, list and decide proposals")
def propose(ctx: Context, args: Args, session: Session) -> Reply:
    """propose title="<title>" [tags=taobao,handbags] <text>
    propose <title> -- <text> [tags=taobao,handbags]
    propose vote <P-0001> up|down
    propose list [open|under_review|accepted|declined|all] [tag=<tag>] [search=<words>] [sort=votes|newest] [page=<n>]
    propose show <P-0001>
    propose review|accept|decline <P-0001> [note="..."]    (the IACC/Alibaba team)
    propose decision <meeting id> [<P-0001>] <what was decided>    (the IACC/Alibaba team)
    propose decisions [<meeting id>]
    propose agenda [<meeting id>]
    A proposal (input on the program) is posted to the working group with vote buttons; `propose`
    alone opens a form. Titles are 3-200 characters, the text 10-4000, with at most 10 tags of
    1-40 letters, digits or hyphens. Every member has one vote per proposal and can change it.
    `list` shows the proposals still undecided (open or under review) unless a status is given,
    most votes first (sort=newest for the latest); search= matches the title and the text. The
    team reviews, accepts (note= says what will change) or declines (note= says why) a proposal;
    its author and voters are told. After a working-group meeting the team records what it
    decided (meeting ids as `calendar past` shows them), optionally about a proposal; `decisions`
    lists them (the latest meeting by default) and `agenda` shows the next meeting's agenda.
    Example: propose title="Flag repeat sellers" tags=taobao,handbags Sellers removed twice should be named."""
    if not args.text and not args.words and not args.options:
        return Reply(
            'Write your proposal after `propose`: propose title="<title>" [tags=...] <text>. '
            "`help propose` shows every option.",
            form=request_form(PROPOSAL_FORM, ctx, session),
        )
    action, rest = _action(args)
    handler = _PROPOSE_ACTIONS.get(action)
    if handler is not None:
        return handler(ctx, args, session, rest)
    return _create(ctx, args, session, ProposalKind.PROPOSAL, args.text)


@command("practices", summary="share best practices with the working group; list and vote on them")
def practices(ctx: Context, args: Args, session: Session) -> Reply:
    """practices share title="<title>" [tags=aliexpress,watches] <text>
    practices share <title> -- <text> [tags=aliexpress,watches]
    practices [list] [tag=<tag>] [search=<words>] [sort=votes|newest] [page=<n>]
    practices show <BP-0001>
    practices vote <BP-0001> up|down
    A best practice is a tip, a template or a pattern of counterfeiters you have seen, shared with
    the working group (posted with vote buttons); `practices share` alone opens a form. Titles are
    3-200 characters, the text 10-4000, with at most 10 tags of 1-40 letters, digits or hyphens.
    The list shows the most voted first (sort=newest for the latest); search= matches the title
    and the text.
    Example: practices share title="Relabelled stock" tags=aliexpress,watches Look for serials cut off the case."""
    action, rest = _action(args)
    if action == "share":
        if not rest.strip() and not args.options:
            return Reply(
                'Write the practice after `practices share`: practices share title="<title>" [tags=...] <text>.',
                form=request_form(PRACTICE_FORM, ctx, session),
            )
        return _create(ctx, args, session, ProposalKind.PRACTICE, rest)
    if action in ("", "list"):
        return _list(ctx, args, ProposalKind.PRACTICE, session, args.words[1 if action else 0 :])
    if action == "show":
        return _show(ctx, args, session, rest)
    if action == "vote":
        return _vote(ctx, args, session, rest)
    raise UserError(
        f"'{args.words[0]}' is not something practices does.",
        hint="Use practices share, list, show or vote; `help practices` shows how.",
    )


def _action(args: Args) -> tuple[str, str]:
    """The first word, when the line starts with one rather than an option, and the text after it."""
    if not args.text:  # a submitted form: its values arrive as options
        return (args.words[0].lower() if args.words else ""), ""
    if LEADING_OPTION.match(args.text):
        return "", args.text
    first, rest = split_word(args.text)
    return first.lower(), rest


# --- creating ---------------------------------------------------------------------------------


def _create(ctx: Context, args: Args, session: Session, kind: ProposalKind, rest: str) -> Reply:
    options, body = _request_parts(args, rest)
    if options.get("text") is not None:
        if body.strip():
            raise UserError('Give the text once: after the options, or in text="...", not both.', field="text")
        body = options["text"]
    title = options.get("title")
    if title is None:
        title, body = _split_title(body, kind)
    title, text, tags = check_title(title), check_text(body), check_tags(options.get("tags") or "")
    assert ctx.member_id is not None
    proposal = Proposal(
        kind=kind,
        member_id=ctx.member_id,
        organisation_id=ctx.organisation_id,
        title=title,
        text=text,
        tags=",".join(tags),
        status=ProposalStatus.OPEN if kind == ProposalKind.PROPOSAL else ProposalStatus.SHARED,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(proposal)
    session.flush()
    assert proposal.id is not None
    ref, what = proposal.reference, _what(proposal)
    record_change(session, ctx, AuditEntity.PROPOSAL, proposal.id, "created", to_status=proposal.status, note=title)
    fields = chunked(what.capitalize(), [text])
    if tags:
        fields.append(("Tags", ", ".join(tags)))
    verb = "New proposal" if kind == ProposalKind.PROPOSAL else "New best practice"
    reply = Reply(f"Posted {what} {ref} to the working group: {title}")
    reply.fields = [("Tags", ", ".join(tags) or "none")]
    reply.lines.append(f"Members vote on it with the buttons or `propose vote {ref} up|down`.")
    reply.notices.append(
        Notice(
            channel=Channel.WORKING_GROUP,
            kind=NoticeKind(kind),
            text=f"{verb} {ref} from {author_of(session, proposal)}: {title}",
            fields=tuple(fields),
            buttons=vote_buttons(ref),
        )
    )
    return reply


def vote_buttons(ref: str) -> tuple[Button, ...]:
    return (Button("👍 For", f"propose vote {ref} up"), Button("👎 Against", f"propose vote {ref} down"))


def _request_parts(args: Args, rest: str) -> tuple[dict[str, str], str]:
    """The options (leading ones, and tags= at the very end) and the text exactly as written.

    Only those count, so text that itself contains `a=b` reaches the working group unchanged.
    """
    if not args.text:  # a submitted form
        return dict(args.options), ""
    options, rest = leading_options(rest, _CREATE_OPTIONS)
    trailing = _TRAILING_TAGS.search(rest)
    if trailing is not None and "tags" not in options:
        quoted = trailing.group("quoted")
        options["tags"] = quoted if quoted is not None else trailing.group("value")
        rest = rest[: trailing.start()]
    return options, rest.strip()


def _split_title(body: str, kind: ProposalKind) -> tuple[str, str]:
    separator = _SEPARATOR.search(body)
    if separator is None:
        word = "propose" if kind == ProposalKind.PROPOSAL else "practices share"
        raise UserError(
            "Give it a title.",
            hint=f'Write {word} title="<title>" [tags=...] <text>, or {word} <title> -- <text>.',
            field="title",
        )
    return body[: separator.start()], body[separator.end() :]


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if len(title) < MIN_TITLE:
        said = "The title is empty" if not title else f"The title is {plural(len(title), 'character')}"
        raise UserError(f"{said}; it needs {MIN_TITLE} to {MAX_TITLE} characters.", field="title")
    if len(title) > MAX_TITLE:
        raise UserError(f"The title is {len(title)} characters; the limit is {MAX_TITLE}.", field="title")
    return title


def check_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_TEXT:
        said = "The text is empty" if not text else f"The text is {plural(len(text), 'character')}"
        raise UserError(f"{said}; it needs {MIN_TEXT} to {MAX_TEXT:,} characters.", field="text")
    if len(text) > MAX_TEXT:
        raise UserError(f"The text is {len(text):,} characters; the limit is {MAX_TEXT:,}.", field="text")
    return text


def check_tags(text: str) -> list[str]:
    """`Taobao, #handbags tmall_global` -> ["taobao", "handbags", "tmall-global"]."""
    tags: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        tag = part.lower().lstrip("#").replace("_", "-")
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG:
            raise UserError(f"The tag '{tag}' is {len(tag)} characters; the limit is {MAX_TAG}.", field="tags")
        if not _TAG.match(tag):
            raise UserError(
                f"'{part}' is not a tag.",
                hint="Tags are letters a-z, digits and hyphens, separated by commas, e.g. tags=taobao,handbags.",
                field="tags",
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(f"That is {len(tags)} tags; the limit is {MAX_TAGS}.", field="tags")
    if len(",".join(tags)) > MAX_TAGS_TOTAL:
        raise UserError(
            f"The tags take {len(','.join(tags))} characters together; the limit is {MAX_TAGS_TOTAL}.",
            hint="Use fewer or shorter tags.",
            field="tags",
        )
    return tags


def _what(proposal: Proposal) -> str:
    return "proposal" if proposal.kind == ProposalKind.PROPOSAL else "best practice"


PROPOSAL_FORM = register_form(
    Form(
        command="propose",
        title="Make a proposal",
        submit="Propose",
        fields=(
            FormField("title", "Title", "text", max_length=MAX_TITLE, placeholder="What should change, in a line"),
            FormField("text", "Proposal", "multiline", max_length=FORM_TEXT),
            FormField("tags", "Tags", "text", optional=True, max_length=MAX_TAGS_TOTAL, placeholder="taobao, handbags"),
        ),
        to_args=lambda values: _form_args([], values),
    )
)
PRACTICE_FORM = register_form(
    Form(
        command="practices share",
        title="Share a best practice",
        submit="Share",
        fields=(
            FormField("title", "Title", "text", max_length=MAX_TITLE, placeholder="The tip, template or pattern"),
            FormField("text", "Best practice", "multiline", max_length=FORM_TEXT),
            FormField(
                "tags", "Tags", "text", optional=True, max_length=MAX_TAGS_TOTAL, placeholder="aliexpress, watches"
            ),
        ),
        to_args=lambda values: _form_args(["share"], values),
    )
)


def _form_args(words: list[str], values: dict[str, str]) -> Args:
    """Title and text always arrive, even empty, so that an empty form is refused beside its field."""
    options = {"title": values.get("title") or "", "text": values.get("text") or ""}
    if values.get("tags"):
        options["tags"] = values["tags"]
    return Args(words=words, options=options)


# --- voting -----------------------------------------------------------------------------------


def _vote(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    args.check_options()
    usage = "Write propose vote <P-0001> up|down."
    if len(args.words) < 3:
        raise UserError("Which item, and up or down?" if len(args.words) < 2 else "Up or down?", hint=usage)
    if len(args.words) > 3:
        raise UserError(f"I did not expect '{args.words[3]}' there.", hint=usage)
    proposal = find_item(session, args.words[1])
    value = _VOTES.get(args.words[2].lower())
    if value is None:
        raise UserError(f"'{args.words[2]}' is not a vote.", hint=f"Vote up (for) or down (against): {usage}")
    ref = proposal.reference
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED):
        raise UserError(
            f"{ref} was {proposal.status}: its votes are closed.", hint=f"`propose show {ref}` shows the decision."
        )
    assert proposal.id is not None and ctx.member_id is not None
    side = "for" if value > 0 else "against"
    vote = vote_of(session, proposal.id, ctx.member_id)
    if vote is not None and vote.value == value:
        other = "down" if value > 0 else "up"
        raise UserError(f"You already voted {side} {ref}.", hint=f"To change your vote: propose vote {ref} {other}.")
    changed = vote is not None
    vote = vote or ProposalVote(proposal_id=proposal.id, member_id=ctx.member_id, value=value)
    vote.value, vote.updated_at = value, ctx.now
    session.add(vote)
    session.flush()
    tally = tally_of(session, proposal.id)
    done = f"You changed your vote on {ref} to {side}" if changed else f"You voted {side} {ref}"
    return Reply(f"{done} ({proposal.title}). Score now {score_label(tally)}.")


# --- reading ----------------------------------------------------------------------------------


def _list_proposals(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    return _list(ctx, args, ProposalKind.PROPOSAL, session, args.words[1:])


def _list(ctx: Context, args: Args, kind: ProposalKind, session: Session, words: list[str]) -> Reply:
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


def _show(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    args.check_options()
    if len(args.words) < 2:
        raise UserError("Which one? Give its reference.", hint="Write propose show <P-0001>.", field="ref")
    if len(args.words) > 2:
        raise UserError(f"I did not expect '{args.words[2]}' there.", hint="Write propose show <P-0001>.")
    proposal = find_item(session, args.words[1])
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
        reply.buttons = list(vote_buttons(proposal.reference))
    return reply


# --- the team's decisions ---------------------------------------------------------------------


def _decide(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    action = args.words[0].lower()
    status, needed = TEAM_DECISIONS[action]
    ctx.require_staff("review, accept or decline proposals")
    args.check_options("note")
    example = f'propose {action} <P-0001> note="..."'
    if len(args.words) < 2:
        raise UserError("Which proposal? Give its reference.", hint=f"Write {example}.", field="ref")
    proposal = find_item(session, args.words[1])
    ref = proposal.reference
    if proposal.kind != ProposalKind.PROPOSAL:
        raise UserError(f"{ref} is a best practice: it is shared, not decided on.")
    if len(args.words) > 2:
        raise UserError(f"I did not expect '{args.words[2]}' there.", hint=f"Quote the note: {example}.")
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


_PROPOSE_ACTIONS: dict[str, Action] = {
    "vote": _vote,
    "list": _list_proposals,
    "show": _show,
    "review": _decide,
    "accept": _decide,
    "decline": _decide,
    "decision": record_decision,
    "decisions": list_decisions,
    "agenda": show_agenda,
}
