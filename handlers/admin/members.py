"""`admin member`: who is in the program, in which organisation, with which role."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.admin.organisations import MANAGE, YES_NO, is_yes, organisation_named
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import add_recorded, record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, Message, _, deferred
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import Member, Organisation
from storage.queries.members import member_by_identity
from storage.vocabulary import AuditEntity, Role

IDENTITY = re.compile(r"^(slack|discord|console):([A-Za-z0-9_.-]{1,64})$")
WHO = Option("identity", N_("their chat identity, e.g. slack:U0123ABCD"), required=True)


def chat_identity(text: str) -> tuple[str, str]:
    """The platform and user id of a chat identity such as `slack:U0123ABCD`."""
    match = IDENTITY.match(text)
    if match is None:
        raise UserError(
            _("'{text}' is not a chat identity.", text=text),
            hint=_("Write platform:user, e.g. slack:U0123ABCD, discord:81234567890, console:brand1."),
        )
    platform, user_id = match.groups()
    return platform, user_id


def member_named(session: Session, text: str, *, hint: str) -> Member:
    """The active member with a chat identity such as `slack:U0123ABCD`; `hint` says how to find one."""
    member = member_by_identity(session, *chat_identity(text))
    if member is None or not member.active:
        raise NotFound(_("{identity} is not a member.", identity=text), hint=hint)
    return member


@command(
    "admin member add", summary=N_("add someone to the program, or change their organisation or role (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(
        WHO,
        Option("organisation", N_("their organisation's slug, or - for none (team and admins)"), required=True),
        Option("role", N_("their role"), OptionKind.CHOICE, required=True, choices=tuple(role.value for role in Role)),
        Option("move", N_("move them out of their current organisation?"), OptionKind.CHOICE, keyword=True,
               choices=YES_NO),
    ),
)  # fmt: skip
def member_add(ctx: Context, args: Args, session: Session) -> Reply:
    """admin member add <platform:user> <org slug | -> <member|representative|team|admin> [move=yes]
    Members and representatives belong to an organisation; team members and admins need none (-).
    Someone already in one organisation is moved to another (or to none) only with move=yes: they
    then see the new organisation's cases instead of the old one's.
    Example: admin member add slack:U0123ABCD acme representative"""
    args.check_options("move")
    identity = args.word(0, _("member identity, e.g. slack:U0123ABCD"))
    platform, user_id = chat_identity(identity)
    org_text = args.word(1, _("organisation slug (or - for none)"))
    role = parse_enum(Role, args.word(2, _("role")), N_("'{text}' is not a role."))
    organisation = None if org_text == "-" else organisation_named(session, org_text)
    if organisation is None and role in (Role.MEMBER, Role.REPRESENTATIVE):
        raise UserError(_("A {role} must belong to an organisation.", role=role), hint=_("Name its slug instead of -."))
    existing = member_by_identity(session, platform, user_id)
    active = existing if existing is not None and existing.active else None
    previous = _organisation_left(session, active, organisation)
    if previous is not None and not is_yes(args.option("move")):
        change = (
            _(
                "adding them to {organisation} would move them there, and they would see {new}'s cases instead of "
                "{old}'s",
                organisation=_named(organisation), new=organisation.slug, old=previous.slug,
            )
            if organisation
            else _(
                "adding them with no organisation would take them out of it, and they would no longer see "
                "{old}'s cases",
                old=previous.slug,
            )
        )  # fmt: skip
        again = f"admin member add {identity} {org_text} {role} move=yes"
        raise UserError(
            _("{identity} belongs to {organisation}: {change}.", identity=identity, organisation=_named(previous),
              change=change),
            hint=_("To move them, add move=yes: `{command}`.", command=again),
            field="move",
        )  # fmt: skip
    where = _("in {organisation}", organisation=organisation.slug) if organisation else _("with no organisation")
    if (
        active is not None
        and active.role == role
        and active.organisation_id == (organisation.id if organisation else None)
    ):
        return Reply(
            _("{identity} is already {role} {where}; nothing changed.", identity=identity, role=role, where=where)
        )
    member = existing or Member(platform=platform, user_id=user_id, role=role, created_at=ctx.now)
    before = active.role if active else None
    member.role = role
    member.active = True
    member.organisation_id = organisation.id if organisation else None
    note: str | Message | None = organisation.slug if organisation else None
    if previous is not None:
        to = organisation.slug if organisation else deferred(N_("no organisation"))
        note = deferred(N_("moved from {before} to {after}"), before=previous.slug, after=to)
    add_recorded(session, ctx, member, AuditEntity.MEMBER, "role", from_status=before, to_status=role, note=note)
    if previous is not None:
        destination = _named(organisation) if organisation else _("no organisation")
        return Reply(
            _("{identity} moved from {old} to {new}: now {role} {where}.", identity=identity, old=_named(previous),
              new=destination, role=role, where=where)
        )  # fmt: skip
    return Reply(_("{identity} is now {role} {where}.", identity=identity, role=role, where=where))


def _organisation_left(session: Session, member: Member | None, joining: Organisation | None) -> Organisation | None:
    """The organisation an active member would leave by joining `joining` (None for none), if any."""
    if member is None or member.organisation_id is None:
        return None
    if joining is not None and joining.id == member.organisation_id:
        return None
    return session.get(Organisation, member.organisation_id)


def _named(organisation: Organisation) -> str:
    """`acme (ACME Corp)`."""
    return f"{organisation.slug} ({organisation.name})"


@command(
    "admin member remove", summary=N_("take someone out of the program; their cases stay (admins)"),
    roles=ADMINS, action=MANAGE, options=(WHO,),
)  # fmt: skip
def member_remove(ctx: Context, args: Args, session: Session) -> Reply:
    """admin member remove <platform:user>
    Example: admin member remove slack:U0123ABCD"""
    identity = args.word(0, _("member identity, e.g. slack:U0123ABCD"))
    existing = member_by_identity(session, *chat_identity(identity))
    if existing is None or not existing.active:
        raise NotFound(_("{identity} is not a member.", identity=identity))
    assert existing.id is not None
    record_change(session, ctx, AuditEntity.MEMBER, existing.id, "removed", from_status=existing.role)
    existing.active = False
    session.add(existing)
    return Reply(_("Removed {identity}.", identity=identity))
