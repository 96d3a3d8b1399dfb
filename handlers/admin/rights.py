"""`admin right`: organisations' IP rights, from added (pending) to verified or expired, and the luxury rule."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from handlers.admin.organisations import MANAGE, NO, ORGANISATION, YES, YES_NO, is_yes, organisation_named
from handlers.kit.arguments import Args, parse_date, parse_enum
from handlers.kit.audit_trail import add_recorded, record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import IPRight
from storage.vocabulary import AuditEntity, RightKind, RightStatus

KINDS = tuple(kind.value for kind in RightKind)
RIGHT = Option("right", N_("the IP right's number, e.g. 3"), OptionKind.NUMBER, required=True)


@command(
    "admin right add", summary=N_("add an organisation's IP right, pending verification (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(
        ORGANISATION,
        Option("kind", N_("the kind of IP right"), OptionKind.CHOICE, True, choices=KINDS),
        Option("registration", N_("its registration number"), required=True),
        Option("mark", N_("the mark or work, e.g. ACME"), required=True, keyword=True),
        Option("jurisdiction", N_("where it is registered, e.g. CN"), required=True, keyword=True),
        Option("classes", N_("its classes, e.g. 25,18"), keyword=True),
        Option("expires", N_("its expiry date, YYYY-MM-DD"), keyword=True),
        Option("luxury", N_("a luxury brand (Taobao's rule)?"), OptionKind.CHOICE, keyword=True, choices=YES_NO),
    ),
)  # fmt: skip
def right_add(ctx: Context, args: Args, session: Session) -> Reply:
    """admin right add <org> <trademark|copyright|patent> <registration no.> mark=".." jurisdiction=CN
        [classes=25,18] [expires=YYYY-MM-DD] [luxury=yes]
    Example: admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31"""
    args.check_options("mark", "jurisdiction", "classes", "expires", "luxury")
    organisation = organisation_named(session, args.word(0, _("organisation slug")))
    kind = parse_enum(RightKind, args.word(1, _("right kind")), N_("kind of IP right"))
    registration = args.word(2, _("registration number"))
    mark, jurisdiction = args.option("mark"), (args.option("jurisdiction") or "").upper()
    if not mark or not jurisdiction:
        raise UserError(_('An IP right needs mark="..." and jurisdiction=.., e.g. mark="ACME" jurisdiction=CN.'))
    expires = parse_date(args.options["expires"], N_("expiry date")) if args.option("expires") else None
    assert organisation.id is not None
    right = IPRight(
        organisation_id=organisation.id, kind=kind, mark=mark[:200], registration_number=registration[:64],
        jurisdiction=jurisdiction[:8], classes=args.limited("classes", 200), expires_on=expires,
        luxury=is_yes(args.option("luxury")), created_at=ctx.now,
    )  # fmt: skip
    add_recorded(session, ctx, right, AuditEntity.IP_RIGHT, to_status=right.status)
    return Reply(
        _(
            "Added IP right #{id}: {kind} {mark} ({jurisdiction} {registration}), pending. "
            "Verify it with `admin right verify {id}`.",
            id=right.id, kind=kind, mark=mark, jurisdiction=jurisdiction, registration=registration,
        )
    )  # fmt: skip


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
    if args.option("expires"):
        right.expires_on = parse_date(args.options["expires"], N_("expiry date"))
        record_change(
            session, ctx, AuditEntity.IP_RIGHT, right.id, "expires",
            from_status=str(expired) if expired else None, to_status=str(right.expires_on),
        )  # fmt: skip
    right.verified_by, right.verified_at = ctx.caller.ref, ctx.now
    _set_status(ctx, session, right, RightStatus.VERIFIED)
    return Reply(_verified(right, before, expired, ctx.today))


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
    _set_status(ctx, session, right, RightStatus.EXPIRED)
    return Reply(_("IP right #{id} ({mark}) is now {status}.", id=right.id, mark=right.mark, status=right.status))


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
    right.luxury = answer in YES
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
