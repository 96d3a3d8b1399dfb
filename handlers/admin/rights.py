"""`admin right`: organisations' IP rights, from added (pending) to verified or expired, and the luxury rule."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from handlers.admin.organisations import (
    MANAGE,
    NO,
    ORGANISATION,
    YES,
    YES_NO,
    checked_length,
    organisation_named,
    stored_length,
    yes_or_no,
)
from handlers.kit.arguments import Args, parse_date, parse_enum, shown
from handlers.kit.audit_trail import add_recorded, record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _
from handlers.kit.local_time import local_time
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.program.regions import country_code
from storage.models import IPRight
from storage.queries.audit import history
from storage.queries.members import rights_of
from storage.vocabulary import AuditEntity, RightKind, RightStatus

KINDS = tuple(kind.value for kind in RightKind)
RIGHT = Option("right", N_("the IP right's number, e.g. 3"), OptionKind.NUMBER, required=True)
# Registrations that cover more than one country: EU trade marks and designs (EUIPO), European
# patents (EPO), Benelux marks (BOIP), international registrations (WIPO: Madrid, Hague, PCT) and
# the African regional offices.
REGIONAL_JURISDICTIONS = ("EU", "EP", "BX", "WIPO", "OAPI", "ARIPO")


@command(
    "admin right add", summary=N_("add an organisation's IP right, pending verification (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(
        ORGANISATION,
        Option("kind", N_("the kind of IP right"), OptionKind.CHOICE, True, choices=KINDS),
        Option("registration", N_("its registration number"), required=True),
        Option("mark", N_("the mark or work, e.g. ACME"), required=True, keyword=True),
        Option("jurisdiction", N_("where it is registered: a country code, e.g. CN, or EU, EP, BX, WIPO, OAPI, ARIPO"),
               required=True, keyword=True),
        Option("classes", N_("its classes, e.g. 25,18"), keyword=True),
        Option("expires", N_("its expiry date, YYYY-MM-DD"), keyword=True),
        Option("luxury", N_("a luxury brand (Taobao's rule)?"), OptionKind.CHOICE, keyword=True, choices=YES_NO),
    ),
)  # fmt: skip
def right_add(ctx: Context, args: Args, session: Session) -> Reply:
    """admin right add <org> <trademark|copyright|patent> <registration no.> mark=".." jurisdiction=CN
        [classes=25,18] [expires=YYYY-MM-DD] [luxury=yes]
    jurisdiction: a two-letter country code (CN, US, GB ...), or for a registration covering several
    countries EU (EUIPO), EP (European patent), BX (Benelux), WIPO (international), OAPI or ARIPO.
    An organisation holds one right per kind, jurisdiction and registration number: renew one with
    `admin right verify <id> expires=YYYY-MM-DD`.
    Example: admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31"""
    args.check_options("mark", "jurisdiction", "classes", "expires", "luxury")
    organisation = organisation_named(session, args.word(0, _("organisation slug")))
    kind = parse_enum(RightKind, args.word(1, _("right kind")), N_("'{text}' is not a kind of IP right."))
    registration = checked_length(
        args.word(2, _("registration number")),
        N_("The registration number is {count} characters; the limit is {limit}."),
        stored_length(IPRight, "registration_number"),
        field="registration",
    )
    mark, written_jurisdiction = args.limited("mark", stored_length(IPRight, "mark")), args.option("jurisdiction")
    if not mark or not written_jurisdiction:
        raise UserError(_('An IP right needs mark="..." and jurisdiction=.., e.g. mark="ACME" jurisdiction=CN.'))
    jurisdiction = _jurisdiction(written_jurisdiction)
    classes = args.limited("classes", stored_length(IPRight, "classes"))
    expires = parse_date(args.options["expires"], N_("expiry date")) if args.option("expires") else None
    luxury = yes_or_no(args, "luxury")
    assert organisation.id is not None
    held = next(
        (
            right
            for right in rights_of(session, organisation.id)
            if (right.kind, right.jurisdiction, right.registration_number) == (kind, jurisdiction, registration)
        ),
        None,
    )
    if held is not None:
        raise UserError(
            _(
                "{organisation} already has {kind} {jurisdiction} {registration} (#{id}, {status}).",
                organisation=organisation.slug, kind=kind, jurisdiction=jurisdiction, registration=registration,
                id=held.id, status=held.status,
            ),
            hint=_(
                "To record its renewal, give its new expiry: `admin right verify {id} expires=YYYY-MM-DD`.", id=held.id
            ),
            field="registration",
        )  # fmt: skip
    right = IPRight(
        organisation_id=organisation.id, kind=kind, mark=mark, registration_number=registration,
        jurisdiction=jurisdiction, classes=classes, expires_on=expires, luxury=luxury, created_at=ctx.now,
    )  # fmt: skip
    add_recorded(session, ctx, right, AuditEntity.IP_RIGHT, to_status=right.status)
    return Reply(
        _(
            "Added IP right #{id}: {kind} {mark} ({jurisdiction} {registration}), pending. "
            "Verify it with `admin right verify {id}`.",
            id=right.id, kind=kind, mark=mark, jurisdiction=jurisdiction, registration=registration,
        )
    )  # fmt: skip


def _jurisdiction(text: str) -> str:
    """A country code as `apply` reads it (`uk` -> GB), or one of the regional registrations."""
    written = text.strip().upper()
    if written in REGIONAL_JURISDICTIONS:
        return written
    try:
        return country_code(written, field="jurisdiction")
    except UserError:
        raise UserError(
            _("'{text}' is not a jurisdiction I know.", text=shown(text.strip())),
            hint=_(
                "Use a two-letter country code (CN, US, GB ...) or, for a registration covering several countries, "
                "one of: {codes}.",
                codes=", ".join(REGIONAL_JURISDICTIONS),
            ),
            field="jurisdiction",
        ) from None


@command(
    "admin right verify", summary=N_("verify an IP right: complaints may rely on it (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(RIGHT, Option("expires", N_("its expiry date, when renewed: YYYY-MM-DD"), keyword=True)),
)  # fmt: skip
def right_verify(ctx: Context, args: Args, session: Session) -> Reply:
    """admin right verify <id> [expires=YYYY-MM-DD]
    A right past its expiry date stays unusable for complaints, verified or not: give the renewed
    registration's expiry with expires=.
    Example: admin right verify 3"""
    args.check_options("expires")
    right = _right_numbered(session, args.word(0, _("IP right id")))
    assert right.id is not None
    before, expired = right.status, right.expires_on
    renewed = parse_date(args.options["expires"], N_("expiry date")) if args.option("expires") else None
    if before == RightStatus.VERIFIED and renewed in (None, expired):
        return Reply(_already_verified(right, ctx))
    if renewed is not None and renewed != expired:
        right.expires_on = renewed
        record_change(
            session, ctx, AuditEntity.IP_RIGHT, right.id, "expires",
            from_status=str(expired) if expired else None, to_status=str(right.expires_on),
        )  # fmt: skip
    right.verified_by, right.verified_at = ctx.caller.ref, ctx.now
    _set_status(ctx, session, right, RightStatus.VERIFIED)
    return Reply(_verified(right, before, expired, ctx.today))


def _already_verified(right: IPRight, ctx: Context) -> str:
    """The answer to verifying a right that is verified already, with the same expiry: nothing changes."""
    named = _("IP right #{id} ({mark})", id=right.id, mark=right.mark)
    if right.expires_on is not None and right.expires_on < ctx.today:
        return _(
            "{right} is already verified, but it expired on {day}; nothing changed. Complaints can rely on it again "
            "once its expiry is moved, e.g. `admin right verify {id} expires=YYYY-MM-DD` with the renewed "
            "registration's expiry.",
            right=named, day=right.expires_on, id=right.id,
        )  # fmt: skip
    if right.verified_by and right.verified_at:
        return _(
            "{right} is already verified (by {who}, {when}); nothing changed.",
            right=named, who=right.verified_by, when=local_time(right.verified_at, ctx.rules.timezone),
        )  # fmt: skip
    return _("{right} is already verified; nothing changed.", right=named)


def _verified(right: IPRight, before: str, expired: date | None, today: date) -> str:
    """The answer to a verification, saying what it means for complaints when the expiry matters."""
    done = _("IP right #{id} ({mark})", id=right.id, mark=right.mark)
    if right.expires_on is not None and right.expires_on < today:
        return _(
            "{right} is now verified, but it expired on {day}: complaints cannot rely on it until its expiry is "
            "moved, e.g. `admin right verify {id} expires=YYYY-MM-DD` with the renewed registration's expiry.",
            right=done, day=right.expires_on, id=right.id,
        )  # fmt: skip
    if right.expires_on != expired:
        if expired:
            return _("{right} is now verified, expiring on {day} (it was {before}).", right=done,
                     day=right.expires_on, before=expired)  # fmt: skip
        return _("{right} is now verified, expiring on {day}.", right=done, day=right.expires_on)
    if before == RightStatus.EXPIRED:
        return _("{right} was expired and is now verified: complaints may rely on it again.", right=done)
    return _("{right} is now verified.", right=done)


@command(
    "admin right expire", summary=N_("mark an IP right expired: complaints may no longer rely on it (admins)"),
    roles=ADMINS, action=MANAGE, options=(RIGHT,),
)  # fmt: skip
def right_expire(ctx: Context, args: Args, session: Session) -> Reply:
    """admin right expire <id>
    Example: admin right expire 3"""
    right = _right_numbered(session, args.word(0, _("IP right id")))
    assert right.id is not None
    if right.status == RightStatus.EXPIRED:
        named = _("IP right #{id} ({mark})", id=right.id, mark=right.mark)
        since = _status_since(session, right.id, RightStatus.EXPIRED)
        if since is None:
            return Reply(_("{right} is already expired; nothing changed.", right=named))
        return Reply(
            _("{right} is already expired (since {when}); nothing changed.", right=named,
              when=local_time(since, ctx.rules.timezone))
        )  # fmt: skip
    _set_status(ctx, session, right, RightStatus.EXPIRED)
    return Reply(_("IP right #{id} ({mark}) is now {status}.", id=right.id, mark=right.mark, status=right.status))


def _status_since(session: Session, right_id: int, status: RightStatus) -> datetime | None:
    """When the right last moved to `status`, as the audit log has it (None if it never says)."""
    entries = history(session, [(AuditEntity.IP_RIGHT, [right_id])], limit=100)
    moved = [entry.at for entry in entries if entry.action == "status" and entry.to_status == status]
    return moved[-1] if moved else None


@command(
    "admin right luxury", summary=N_("mark an IP right as a luxury brand, or not, for Taobao's rule (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(RIGHT, Option("answer", N_("a luxury brand?"), OptionKind.CHOICE, required=True, choices=YES_NO)),
)  # fmt: skip
def right_luxury(ctx: Context, args: Args, session: Session) -> Reply:
    """admin right luxury <id> yes|no
    Taobao's luxury rule: complaints under a luxury brand's right may use reason=no_proof.
    Example: admin right luxury 1 yes"""
    right = _right_numbered(session, args.word(0, _("IP right id")))
    assert right.id is not None
    answer = args.word(1, _("yes or no")).lower()
    if answer not in YES | NO:
        raise UserError(_("'{answer}' is not yes or no.", answer=answer), hint=f"admin right luxury {right.id} yes")
    luxury = answer in YES
    if right.luxury == luxury:
        named = _("IP right #{id} ({mark})", id=right.id, mark=right.mark)
        if luxury:
            return Reply(_("{right} is already a luxury brand; nothing changed.", right=named))
        return Reply(_("{right} is already not a luxury brand; nothing changed.", right=named))
    right.luxury = luxury
    session.add(right)
    record_change(
        session, ctx, AuditEntity.IP_RIGHT, right.id, "luxury", to_status="luxury" if right.luxury else "regular"
    )
    if right.luxury:
        said = _(
            "IP right #{id} ({mark}) is now a luxury brand: its Taobao listings can be reported with reason=no_proof.",
            id=right.id,
            mark=right.mark,
        )
    else:
        said = _(
            "IP right #{id} ({mark}) is no longer a luxury brand: reason=no_proof no longer applies.",
            id=right.id,
            mark=right.mark,
        )
    return Reply(said)


def _set_status(ctx: Context, session: Session, right: IPRight, status: RightStatus) -> None:
    assert right.id is not None
    before = right.status
    right.status = status
    session.add(right)
    record_change(session, ctx, AuditEntity.IP_RIGHT, right.id, "status", from_status=before, to_status=status)


def _right_numbered(session: Session, text: str) -> IPRight:
    number = text.lstrip("#")
    right = session.get(IPRight, int(number)) if number.isdigit() else None
    if right is None:
        raise NotFound(
            _("There is no IP right #{number}.", number=number),
            hint=_("`admin org show <slug>` lists an organisation's rights."),
        )
    return right
