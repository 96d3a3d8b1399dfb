"""`admin org`: the organisations in the program, their members and their IP rights."""

from __future__ import annotations

import re
from typing import cast

from sqlalchemy import String, Table
from sqlmodel import Session, SQLModel

from handlers.admin.right_expiry import expiry_mark
from handlers.kit.arguments import Args, parse_enum, shown
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _, format_number, ngettext
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.program.regions import country_code
from storage.models import IPRight, Organisation
from storage.queries.members import members_of, organisation_by_slug, organisations, rights_of
from storage.vocabulary import AuditEntity, CompanySize

MANAGE = N_("manage the program")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
YES = frozenset({"yes", "true", "1", "y"})
NO = frozenset({"no", "false", "0", "n"})
YES_NO = ("yes", "no")
SIZES = tuple(size.value for size in CompanySize)
ORGANISATION = Option("organisation", N_("the organisation's slug, e.g. acme"), required=True)


def is_yes(text: str | None) -> bool:
    """A yes/no option's answer; anything but a yes (or nothing) is a no."""
    return (text or "").lower() in YES


def yes_or_no(args: Args, name: str) -> bool:
    """The yes/no option `name=` (no when not given); any other answer is refused, not read as no."""
    text = (args.option(name) or "no").strip().lower()
    if text not in YES | NO:
        raise UserError(
            _("{option}= takes yes or no, not '{text}'.", option=name, text=shown(text)),
            hint=f"{name}=yes",
            field=name,
        )
    return text in YES


def stored_length(model: type[SQLModel], column: str) -> int:
    """How many characters the database keeps in `model`'s text column."""
    length = cast(String, cast(Table, model.__table__).c[column].type).length  # type: ignore[attr-defined]
    assert length is not None, f"{model.__name__}.{column} has no length"
    return length


def checked_length(text: str, what: str, limit: int, field: str | None = None) -> str:
    """`text` if the database keeps it whole; else a refusal naming `what` (a whole sentence marked with N_,
    with {count} and {limit}) rather than a cut the writer would not see."""
    if len(text) > limit:
        raise UserError(_(what, count=format_number(len(text)), limit=format_number(limit)), field=field)
    return text


def organisation_named(session: Session, slug: str) -> Organisation:
    """The organisation with this slug, or a refusal that says where to find the slugs."""
    organisation = organisation_by_slug(session, slug)
    if organisation is None:
        raise NotFound(_("There is no organisation '{slug}'.", slug=slug), hint=_("`admin org list` shows them."))
    return organisation


@command(
    "admin org add", summary=N_("add an organisation to the program (admins)"), roles=ADMINS, action=MANAGE,
    options=(
        Option("slug", N_("its short name: 2-40 lowercase letters, digits and hyphens"), required=True),
        Option("name", N_("its full name"), required=True),
        Option("name_zh", N_("its name in Chinese"), keyword=True),
        Option("country", N_("its two-letter country code, e.g. US"), keyword=True),
        Option("size", N_("its company size"), OptionKind.CHOICE, keyword=True, choices=SIZES),
        Option("represents", N_("whom it acts for, when it represents a brand"), keyword=True),
        Option("iacc", N_("an IACC member?"), OptionKind.CHOICE, keyword=True, choices=YES_NO),
        Option("good_faith", N_("has it a good-faith record?"), OptionKind.CHOICE, keyword=True, choices=YES_NO),
    ),
)  # fmt: skip
def org_add(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org add <slug> "<name>" [name_zh=..] [country=US] [size=small|medium|large]
        [represents=".."] [iacc=yes] [good_faith=yes]
    Example: admin org add acme "ACME Corp" country=US size=large"""
    args.check_options("name_zh", "country", "size", "represents", "iacc", "good_faith")
    slug = args.word(0, _("organisation slug")).lower()
    name = args.word(1, _("organisation name (in quotes if it has spaces)"))
    if not SLUG.match(slug):
        raise UserError(
            _("'{slug}' is not a usable slug.", slug=slug),
            hint=_("2-40 lowercase letters, digits and hyphens, e.g. acme-group."),
        )
    if organisation_by_slug(session, slug) is not None:
        raise UserError(_("There is already an organisation '{slug}'.", slug=slug))
    name = checked_length(
        name, N_("The organisation name is {count} characters; the limit is {limit}."),
        stored_length(Organisation, "name"), field="name",
    )  # fmt: skip
    country = args.option("country")
    size = args.option("size")
    organisation = Organisation(
        slug=slug,
        name=name,
        name_zh=args.limited("name_zh", stored_length(Organisation, "name_zh")),
        country=country_code(country) if country else None,
        size_band=parse_enum(CompanySize, size, N_("'{text}' is not a company size.")) if size else None,
        represents=args.limited("represents", stored_length(Organisation, "represents")),
        iacc_member=yes_or_no(args, "iacc"),
        good_faith=yes_or_no(args, "good_faith"),
        created_at=ctx.now,
    )
    add_recorded(session, ctx, organisation, AuditEntity.ORGANISATION)
    return Reply(
        _(
            "Created organisation {slug} ({name}). Add members with `admin member add <platform:user> {slug} member`.",
            slug=slug,
            name=organisation.name,
        )
    )


@command("admin org list", summary=N_("the organisations in the program (admins)"), roles=ADMINS, action=MANAGE)
def org_list(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org list
    Example: admin org list"""
    rows = organisations(session)
    reply = Reply(
        ngettext("{count} organisation:", "{count} organisations:", len(rows)) if rows else _("No organisations yet.")
    )
    reply.lines = [
        f"{org.slug}: {org.name}" + (" " + _("(for {brand})", brand=org.represents) if org.represents else "")
        for org in rows
    ]
    return reply


@command(
    "admin org show", summary=N_("an organisation's members and IP rights (admins)"), roles=ADMINS, action=MANAGE,
    options=(ORGANISATION,),
)  # fmt: skip
def org_show(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org show <slug>
    Example: admin org show acme"""
    organisation = organisation_named(session, args.word(0, _("organisation slug")))
    assert organisation.id is not None
    reply = Reply(f"{organisation.slug}: {organisation.name}")
    reply.lines = [
        _("member {identity} ({role})", identity=m.platform + ":" + m.user_id, role=m.role)
        for m in members_of(session, organisation.id)
    ]
    reply.lines += [_right_line(r, ctx) for r in rights_of(session, organisation.id)]
    return reply


def _right_line(right: IPRight, ctx: Context) -> str:
    details = f"{right.kind} {right.mark} {right.jurisdiction} {right.registration_number} {right.status}"
    expires = _(", expires {day}", day=right.expires_on) if right.expires_on else ""
    return _("right #{id} {details}", id=right.id, details=details) + expires + expiry_mark(right, ctx.today)
