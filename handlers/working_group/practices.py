"""`practices`: members share best practices (BP-0001) with the working group, list them and vote on them.

A best practice is a tip, a template or a pattern of counterfeiters seen, posted to the working
group with vote buttons; it is shared, not decided on.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.forms import Form, FormField, register_form, request_form
from handlers.kit.i18n import N_, _
from handlers.kit.registry import Option, command, group
from handlers.kit.replies import Reply
from handlers.working_group.proposal_lists import FILTERS, list_items, show_item
from handlers.working_group.proposal_votes import VOTE, cast_vote
from handlers.working_group.proposals import (
    CREATE_OPTIONS,
    FORM_TEXT,
    MAX_TAGS_TOTAL,
    MAX_TITLE,
    create_item,
    form_args,
)
from storage.vocabulary import ProposalKind

REF = Option("ref", N_("the best practice's reference, e.g. BP-0001"), required=True)

group("practices", summary=N_("share best practices with the working group; list and vote on them"))


@command("practices share", summary=N_("share a best practice with the working group"), options=CREATE_OPTIONS)
def practices_share(ctx: Context, args: Args, session: Session) -> Reply:
    """practices share title="<title>" [tags=aliexpress,watches] <text>
    practices share <title> -- <text> [tags=aliexpress,watches]
    A tip, a template or a pattern of counterfeiters you have seen, posted with vote buttons;
    `practices share` alone opens a form. Titles are 3-200 characters, the text 10-4000 (kept
    exactly as written), with at most 10 tags of 1-40 letters, digits or hyphens.
    Example: practices share title="Relabelled stock" tags=aliexpress,watches Look for serials cut off the case."""
    if not args.text.strip() and not args.options:
        return Reply(
            _('Write the practice after `practices share`: practices share title="<title>" [tags=...] <text>.'),
            form=request_form(PRACTICE_FORM, ctx, session),
        )
    return create_item(ctx, args, session, ProposalKind.PRACTICE)


@command("practices list", summary=N_("best practices, most votes first"), default=True, options=FILTERS)
def practices_list(ctx: Context, args: Args, session: Session) -> Reply:
    """practices list [tag=<tag>] [search=<words>] [sort=votes|newest] [page=<n>]
    `practices` alone lists too. Most voted first (sort=newest for the latest); search= matches the
    title and the text.
    Example: practices list tag=watches sort=newest"""
    return list_items(ctx, args, ProposalKind.PRACTICE, session)


@command("practices show", summary=N_("one best practice with its votes"), options=(REF,))
def practices_show(ctx: Context, args: Args, session: Session) -> Reply:
    """practices show <BP-0001>
    Example: practices show BP-0001"""
    return show_item(ctx, args, session, ProposalKind.PRACTICE)


@command("practices vote", summary=N_("vote for or against a best practice"), options=(REF, VOTE))
def practices_vote(ctx: Context, args: Args, session: Session) -> Reply:
    """practices vote <BP-0001> up|down
    One vote per member; vote again the other way to change it.
    Example: practices vote BP-0001 up"""
    return cast_vote(ctx, args, session, ProposalKind.PRACTICE)


PRACTICE_FORM = register_form(
    Form(
        command="practices share",
        title=N_("Share a best practice"),
        submit=N_("Share"),
        fields=(
            FormField(
                "title", N_("Title"), "text", max_length=MAX_TITLE, placeholder=N_("The tip, template or pattern")
            ),
            FormField("text", N_("Best practice"), "multiline", max_length=FORM_TEXT),
            FormField(
                "tags", N_("Tags"), "text", optional=True, max_length=MAX_TAGS_TOTAL, placeholder="aliexpress, watches"
            ),
        ),
        to_args=lambda values: form_args([], values),
    )
)
