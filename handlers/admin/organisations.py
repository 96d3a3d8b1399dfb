"""`admin org`: the organisations in the program, their members and their IP rights."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.admin.right_expiry import expiry_mark
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply, plural
from storage.models import Organisation
from storage.queries.members import members_of, organisation_by_slug, organisations, rights_of
from storage.vocabulary import AuditEntity, CompanySize

MANAGE = "manage the program"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
YES = frozenset({"yes", "true", "1", "y"})
NO = frozenset({"no", "false", "0", "n"})
YES_NO = ("yes", "no")
SIZES = tuple(size.value for size in CompanySize)
ORGANISATION = Option("organisation", "the organisation's slug, e.g. acme", required=True)


def is_yes(text: str | None) -> bool:
    """A yes/no option's answer; anything but a yes (or nothing) is a no."""
    return (text or "").lower() in YES


def organisation_named(session: Session, slug: str) -> Organisation:
    """The organisation with this slug, or a refusal that says where to find the slugs."""
    organisation = organisation_by_slug(session, slug)
    if organisation is None:
        raise NotFound(f"There is no organisation '{slug}'.", hint="`admin org list` shows them.")
    return organisation


@command(
    "admin org add", summary="add an organisation to the program (admins)", roles=ADMINS, action=MANAGE,
    options=(
        Option("slug", "its short name: 2-40 lowercase letters, digits and hyphens", required=True),
        Option("name", "its full name", required=True),
        Option("name_zh", "its name in Chinese", keyword=True),
        Option("country", "its two-letter country code, e.g. US", keyword=True),
        Option("size", "its company size", OptionKind.CHOICE, keyword=True, choices=SIZES),
        Option("represents", "whom it acts for, when it represents a brand", keyword=True),
        Option("iacc", "an IACC member?", OptionKind.CHOICE, keyword=True, choices=YES_NO),
        Option("good_faith", "has it a good-faith record?", OptionKind.CHOICE, keyword=True, choices=YES_NO),
    ),
)  # fmt: skip
def org_add(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org add <slug> "<name>" [name_zh=..] [country=US] [size=small|medium|large]
        [represents=".."] [iacc=yes] [good_faith=yes]
    Example: admin org add acme "ACME Corp" country=US size=large"""
    args.check_options("name_zh", "country", "size", "represents", "iacc", "good_faith")
    slug = args.word(0, "organisation slug").lower()
    name = args.word(1, "organisation name (in quotes if it has spaces)")
    if not SLUG.match(slug):
        raise UserError(
            f"'{slug}' is not a usable slug.", hint="2-40 lowercase letters, digits and hyphens, e.g. acme-group."
        )
    if organisation_by_slug(session, slug) is not None:
        raise UserError(f"There is already an organisation '{slug}'.")
    country = (args.option("country") or "").upper() or None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise UserError(f"'{country}' is not a two-letter country code.")
    organisation = Organisation(
        slug=slug,
        name=name[:200],
        name_zh=args.limited("name_zh", 200),
        country=country,
        size_band=parse_enum(CompanySize, args.options["size"], "company size") if args.option("size") else None,
        represents=args.limited("represents", 200),
        iacc_member=is_yes(args.option("iacc")),
        good_faith=is_yes(args.option("good_faith")),
        created_at=ctx.now,
    )
    add_recorded(session, ctx, organisation, AuditEntity.ORGANISATION)
    return Reply(
        f"Created organisation {slug} ({organisation.name}). "
        f"Add members with `admin member add <platform:user> {slug} member`."
    )


@command("admin org list", summary="the organisations in the program (admins)", roles=ADMINS, action=MANAGE)
def org_list(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org list
    Example: admin org list"""
    rows = organisations(session)
    reply = Reply(f"{plural(len(rows), 'organisation')}:" if rows else "No organisations yet.")
    reply.lines = [f"{org.slug}: {org.name}" + (f" (for {org.represents})" if org.represents else "") for org in rows]
    return reply


@command(
    "admin org show", summary="an organisation's members and IP rights (admins)", roles=ADMINS, action=MANAGE,
    options=(ORGANISATION,),
)  # fmt: skip
def org_show(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org show <slug>
    Example: admin org show acme"""
    organisation = organisation_named(session, args.word(0, "organisation slug"))
    assert organisation.id is not None
    reply = Reply(f"{organisation.slug}: {organisation.name}")
    reply.lines = [f"member {m.platform}:{m.user_id} ({m.role})" for m in members_of(session, organisation.id)]
    reply.lines += [
        f"right #{r.id} {r.kind} {r.mark} {r.jurisdiction} {r.registration_number} {r.status}"
        + (f", expires {r.expires_on}" if r.expires_on else "")
        + expiry_mark(r, ctx.today)
        for r in rights_of(session, organisation.id)
    ]
    return reply
