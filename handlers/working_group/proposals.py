"""`propose`: members post proposals (P-0001) to the working group, as free text after the word.

A proposal is posted to the `working-group` channel with vote buttons; each member has one vote
per item and can change it (handlers/working_group/proposal_votes). Listing and showing:
proposal_lists; the team's decisions: proposal_decisions; meetings: meetings and meeting_decisions.
Best practices (BP-0001) are created the same way: handlers/working_group/practices.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.kit.arguments import Args, leading_options
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.forms import Form, FormField, register_form, request_form
from handlers.kit.i18n import N_, _, format_number, localized, ngettext
from handlers.kit.registry import Option, command, group
from handlers.kit.replies import Notice, Reply
from handlers.working_group.proposal_wording import (
    author_of,
    chunked,
    kind_label,
    kind_title,
    vote_buttons,
    vote_command,
)
from storage.models import Proposal
from storage.queries.proposals import add_numbered, next_number
from storage.vocabulary import AuditEntity, Channel, NoticeKind, ProposalKind, ProposalStatus

MIN_TITLE, MAX_TITLE = 3, 200
MIN_TEXT, MAX_TEXT = 10, 4000
MAX_TAGS, MAX_TAG, MAX_TAGS_TOTAL = 10, 40, 300  # the last: what the database keeps, commas included
FORM_TEXT = 3000  # Slack's limit for a modal's text input; longer text goes on the command line
_CREATE_OPTIONS = ("title", "tags", "text")
_TRAILING_TAGS = re.compile(r'\s+tags=(?:"(?P<quoted>[^"]*)"|(?P<value>\S*))\s*$')
_SEPARATOR = re.compile(r"(?:^|\s)--(?:\s|$)")
_TAG = re.compile(r"^[a-z0-9-]+$")
CREATE_OPTIONS = (
    Option("title", N_("the title, 3-200 characters"), required=True, keyword=True),
    Option("tags", N_("up to 10 tags, separated by commas, e.g. taobao,handbags"), keyword=True),
    Option("text", N_("the text, 10-4000 characters"), required=True),
)

SUMMARY = N_("propose changes to the program; vote on, list and decide proposals")
group(
    "propose",
    summary=SUMMARY,
    order=("vote", "list", "show", "review", "accept", "decline", "agenda", "decision", "decisions"),
)


# A proposal is the bare word followed by free text, so that no sub-command word can swallow its title.
@command("propose", summary=SUMMARY, options=CREATE_OPTIONS)
def propose(ctx: Context, args: Args, session: Session) -> Reply:
    """propose title="<title>" [tags=taobao,handbags] <text>
    propose <title> -- <text> [tags=taobao,handbags]
    A proposal (input on the program) is posted to the working group with vote buttons; `propose`
    alone opens a form. Titles are 3-200 characters, the text 10-4000, with at most 10 tags of
    1-40 letters, digits or hyphens. The text is kept exactly as written. A title that starts with
    a sub-command word (vote, list, show ...) goes in title="...".
    Example: propose title="Flag repeat sellers" tags=taobao,handbags Sellers removed twice should be named."""
    if not args.text and not args.words and not args.options:
        return Reply(
            _(
                'Write your proposal after `propose`: propose title="<title>" [tags=...] <text>. '
                "`help propose` shows every option."
            ),
            form=request_form(PROPOSAL_FORM, ctx, session),
        )
    return create_item(ctx, args, session, ProposalKind.PROPOSAL)


def create_item(ctx: Context, args: Args, session: Session, kind: ProposalKind) -> Reply:
    """Post a proposal or best practice from the options and the text as written."""
    options, body = _request_parts(args, args.text)
    if options.get("text") is not None:
        if body.strip():
            raise UserError(_('Give the text once: after the options, or in text="...", not both.'), field="text")
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
        number=next_number(session, kind),
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    add_numbered(session, proposal)  # numbered under its own kind's sequence, so it is added there
    assert proposal.id is not None
    record_change(session, ctx, AuditEntity.PROPOSAL, proposal.id, "created", to_status=proposal.status, note=title)
    ref = proposal.reference
    reply = Reply(
        _("Posted {what} {ref} to the working group: {title}", what=kind_label(proposal), ref=ref, title=title)
    )
    reply.fields = [(_("Tags"), ", ".join(tags) or _("none"))]
    reply.lines.append(_("Members vote on it with the buttons or `{command} up|down`.", command=vote_command(proposal)))
    reply.notices.append(localized(lambda: _new_item_notice(session, proposal, tags)))
    return reply


def _new_item_notice(session: Session, proposal: Proposal, tags: list[str]) -> Notice:
    """The working group hears of a new proposal or best practice, with its text and vote buttons."""
    fields = chunked(kind_title(proposal), [proposal.text])
    if tags:
        fields.append((_("Tags"), ", ".join(tags)))
    values = {"ref": proposal.reference, "author": author_of(session, proposal), "title": proposal.title}
    if proposal.kind == ProposalKind.PROPOSAL:
        text = _("New proposal {ref} from {author}: {title}", **values)
    else:
        text = _("New best practice {ref} from {author}: {title}", **values)
    return Notice(
        channel=Channel.WORKING_GROUP,
        kind=NoticeKind(proposal.kind),
        text=text,
        fields=tuple(fields),
        buttons=vote_buttons(proposal),
    )


def _request_parts(args: Args, rest: str) -> tuple[dict[str, str], str]:
    """The options (leading ones, and tags= at the very end) and the text exactly as written.

    Only those count, so text that itself contains `a=b` reaches the working group unchanged.
    """
    if not args.text:  # a submitted form
        return dict(args.options), ""
    options, rest = leading_options(rest, tuple(option.name for option in CREATE_OPTIONS))
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
            _("Give it a title."),
            hint=_('Write {word} title="<title>" [tags=...] <text>, or {word} <title> -- <text>.', word=word),
            field="title",
        )
    return body[: separator.start()], body[separator.end() :]


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if len(title) < MIN_TITLE:
        said = (
            _("The title is empty")
            if not title
            else ngettext("The title is {count} character", "The title is {count} characters", len(title))
        )
        raise UserError(
            _("{said}; it needs {least} to {most} characters.", said=said, least=MIN_TITLE, most=MAX_TITLE),
            field="title",
        )
    if len(title) > MAX_TITLE:
        raise UserError(too_long(_("The title"), len(title), MAX_TITLE), field="title")
    return title


def check_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_TEXT:
        said = (
            _("The text is empty")
            if not text
            else ngettext("The text is {count} character", "The text is {count} characters", len(text))
        )
        raise UserError(
            _(
                "{said}; it needs {least} to {most} characters.",
                said=said,
                least=MIN_TEXT,
                most=format_number(MAX_TEXT),
            ),
            field="text",
        )
    if len(text) > MAX_TEXT:
        raise UserError(too_long(_("The text"), len(text), MAX_TEXT), field="text")
    return text


def check_tags(text: str) -> list[str]:
    """`Taobao, #handbags tmall_global` -> ["taobao", "handbags", "tmall-global"]."""
    tags: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        tag = part.lower().lstrip("#").replace("_", "-")
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG:
            raise UserError(
                _("The tag '{tag}' is {length} characters; the limit is {limit}.", tag=tag, length=len(tag),
                  limit=MAX_TAG),
                field="tags",
            )  # fmt: skip
        if not _TAG.match(tag):
            raise UserError(
                _("'{part}' is not a tag.", part=part),
                hint=_("Tags are letters a-z, digits and hyphens, separated by commas, e.g. tags=taobao,handbags."),
                field="tags",
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(_("That is {count} tags; the limit is {limit}.", count=len(tags), limit=MAX_TAGS), field="tags")
    if len(",".join(tags)) > MAX_TAGS_TOTAL:
        raise UserError(
            _(
                "The tags take {length} characters together; the limit is {limit}.",
                length=len(",".join(tags)),
                limit=MAX_TAGS_TOTAL,
            ),
            hint=_("Use fewer or shorter tags."),
            field="tags",
        )
    return tags


def too_long(what: str, length: int, limit: int) -> str:
    """`The text is 4,200 characters; the limit is 4,000.`"""
    return _(
        "{what} is {length} characters; the limit is {limit}.",
        what=what,
        length=format_number(length),
        limit=format_number(limit),
    )


PROPOSAL_FORM = register_form(
    Form(
        command="propose",
        title=N_("Make a proposal"),
        submit=N_("Propose"),
        fields=(
            FormField(
                "title", N_("Title"), "text", max_length=MAX_TITLE, placeholder=N_("What should change, in a line")
            ),
            FormField("text", N_("Proposal"), "multiline", max_length=FORM_TEXT),
            FormField(
                "tags", N_("Tags"), "text", optional=True, max_length=MAX_TAGS_TOTAL, placeholder="taobao, handbags"
            ),
        ),
        to_args=lambda values: form_args([], values),
    )
)


def form_args(words: list[str], values: dict[str, str]) -> Args:
    """Title and text always arrive, even empty, so that an empty form is refused beside its field."""
    options = {"title": values.get("title") or "", "text": values.get("text") or ""}
    if values.get("tags"):
        options["tags"] = values["tags"]
    return Args(words=words, options=options)
