"""The filters of `cases`, read once for every command that lists or exports cases by them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_enum, parse_month, parse_platform
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.i18n import N_, _
from storage.queries.cases import CaseFilter
from storage.queries.members import organisation_by_slug
from storage.vocabulary import ComplaintStatus

MINE = ("mine", "--mine")
LISTING_WORDS = ("open", "all", *MINE)
FILTER_OPTIONS = ("platform", "month", "status", "org")


@dataclass(frozen=True, slots=True)
class CaseSelection:
    """Which cases the caller asked for, within what they may see."""

    where: CaseFilter
    mine: bool  # the team member's own cases (`cases mine`)
    open_only: bool


def names_own_organisation(ctx: Context, slug: str) -> bool:
    """Whether `org=<slug>` names the caller's own organisation, which anyone may name."""
    return ctx.organisation_slug is not None and slug.strip().lower() == ctx.organisation_slug


def case_selection(ctx: Context, args: Args, session: Session, command: str = "cases") -> CaseSelection:
    """`[open] [mine [all]] [platform=] [month=] [status=] [org=]` read for the caller: members see
    their own organisation's cases, the team every case or one organisation's with `org=`."""
    words = [word.lower() for word in args.words]
    unknown = [word for word in args.words if word.lower() not in LISTING_WORDS]
    if unknown:
        raise UserError(
            _("'{word}' is not a filter here.", word=unknown[0]),
            hint=_("Use `open` or the options in `help {command}`.", command=command),
        )
    mine = any(word in MINE for word in words)
    if "all" in words and not mine:
        raise UserError(
            _("`all` goes with `{command} mine`: `{command}` alone already lists every case.", command=command)
        )
    if "all" in words and "open" in words:
        raise UserError(_("Choose `open` or `all`, not both."))
    if mine and not ctx.is_staff:
        raise NotPermitted(
            _("`{command} mine` lists the cases assigned to a team member.", command=command),
            hint=_("`{command}` lists your organisation's cases.", command=command),
        )
    organisation_id = None  # the team sees every case unless it names one organisation
    if args.option("org") and names_own_organisation(ctx, args.options["org"]):
        organisation_id = ctx.organisation_id
    elif args.option("org"):
        ctx.require_staff(N_("list other organisations' cases"))
        organisation = organisation_by_slug(session, args.options["org"])
        if organisation is None:
            raise NotFound(_("There is no organisation '{slug}'.", slug=args.options["org"]))
        organisation_id = organisation.id
    elif not ctx.is_staff:
        organisation_id = ctx.require_organisation()
    month_start = month_end = None
    if args.option("month"):
        month = parse_month(args.options["month"])
        month_start = datetime(month // 100, month % 100, 1, tzinfo=ctx.rules.timezone)
        month_end = datetime(month // 100 + month % 100 // 12, month % 100 % 12 + 1, 1, tzinfo=ctx.rules.timezone)
    status = (
        parse_enum(ComplaintStatus, args.options["status"], N_("'{text}' is not a case status."))
        if args.option("status")
        else None
    )
    # Your own cases are the open ones unless you ask for all of them or for a status.
    open_only = "open" in words or (mine and "all" not in words and status is None)
    where = CaseFilter(
        organisation_id=organisation_id,
        open_only=open_only,
        platform=parse_platform(args.options["platform"]) if args.option("platform") else None,
        status=status,
        month_start=month_start,
        month_end=month_end,
        assigned_to_id=ctx.member_id if mine else None,
    )
    return CaseSelection(where, mine, open_only)
