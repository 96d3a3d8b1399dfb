"""After applying: `apply status`, `apply withdraw`, and a selected applicant's `apply accept` (which sets up
their organisation with its marks) or `apply decline` (which gives the seat to the waitlist)."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.i18n import N_, _, deferred, localized, ngettext
from handlers.kit.registry import EVERYONE, command
from handlers.kit.replies import Notice, Reply
from handlers.program.applicant_notices import details, headline, move, promote_after, reason_note
from handlers.program.application_answers import MAX_TEXT
from storage.locks import locked
from storage.models import Application, IPRight, Member, Organisation
from storage.queries.applications import SEAT_STATUSES, latest_application
from storage.queries.members import member_by_identity, organisation_by_slug
from storage.vocabulary import ApplicationStatus, AuditEntity, Channel, NoticeKind, RightKind, RightStatus
from storage.vocabulary import Role as MemberRole

S = ApplicationStatus
WITHDRAWN_BY_APPLICANT = N_("withdrawn by the applicant")
WITHDRAWN_ON_DECLINING = N_("withdrawn when the applicant declined the seat")


@command("apply status", summary=N_("where your application stands and what happens next"), roles=EVERYONE)
def apply_status(ctx: Context, args: Args, session: Session) -> Reply:
    """apply status
    Example: apply status"""
    mine = _mine(ctx, args, session, "status")
    return Reply(_("{headline}.", headline=headline(mine)), lines=details(session, mine, ctx.rules.timezone))


@command("apply withdraw", summary=N_("withdraw your application"), roles=EVERYONE)
def apply_withdraw(ctx: Context, args: Args, session: Session) -> Reply:
    """apply withdraw
    A seat you held goes to the first applicant on the waitlist; you may apply again while applications are open.
    Example: apply withdraw"""
    return _withdraw(ctx, session, _mine(ctx, args, session, "withdraw"), declining=False)


@command("apply accept", summary=N_("accept your seat: your organisation is set up at once"), roles=EVERYONE)
def apply_accept(ctx: Context, args: Args, session: Session) -> Reply:
    """apply accept
    For a selected applicant: sets up the organisation with its marks, and you as its member (or
    representative). The marks are pending until a program admin verifies them; you can file
    complaints once one is verified.
    Example: apply accept"""
    return _accept(ctx, session, _mine(ctx, args, session, "accept"))


@command("apply decline", summary=N_("give up your seat to the next on the waitlist"), roles=EVERYONE)
def apply_decline(ctx: Context, args: Args, session: Session) -> Reply:
    """apply decline
    For a selected applicant who will not join after all.
    Example: apply decline"""
    return _withdraw(ctx, session, _mine(ctx, args, session, "decline"), declining=True)


def _mine(ctx: Context, args: Args, session: Session, action: str) -> Application:
    """The caller's latest application, locked until the transaction ends (`storage.locks`) so that
    two clicks decide once; the sub-command takes nothing after it."""
    args.check_options()
    if args.words:
        raise UserError(
            _("I did not expect '{word}' there.", word=args.words[0]),
            hint=_("Write just `apply {action}`.", action=action),
        )
    mine = latest_application(session, ctx.caller.platform, ctx.caller.user_id)
    if mine is None:
        raise NotFound(_("You have not applied to the program."), hint=_("Apply with `apply`: it shows the form."))
    return locked(session, Application, mine.id) or mine


def _withdraw(ctx: Context, session: Session, application: Application, *, declining: bool) -> Reply:
    status = application.status
    if declining and status not in (S.SELECTED, S.NOTIFIED):
        raise UserError(
            _(
                "Only a selected applicant can decline a seat; application #{number} is {status}.",
                number=application.id,
                status=status,
            ),
            hint=_("`apply withdraw` withdraws an application."),
        )
    if status is S.ONBOARDED:
        raise UserError(
            _(
                "Application #{number} is complete: {name} is in the program.",
                number=application.id,
                name=application.legal_name,
            ),
            hint=_("To leave the program, ask a program admin."),
        )
    if status not in (S.QUEUED, S.SELECTED, S.NOTIFIED, S.WAITLISTED, S.SUBMITTED):
        raise UserError(
            _("Application #{number} is {status}: there is nothing to withdraw.", number=application.id, status=status)
        )
    assert application.id is not None
    reason = WITHDRAWN_ON_DECLINING if declining else WITHDRAWN_BY_APPLICANT
    application.status_reason = reason
    move(session, ctx.caller.ref, application, S.WITHDRAWN, ctx.now, note=reason_note(reason))
    number, name, key = application.id, application.legal_name, application.group_key
    reply = Reply(
        _("Application #{number} ({name}) declined its seat.", number=number, name=name)
        if declining
        else _("Application #{number} ({name}) was withdrawn.", number=number, name=name)
    )
    promoted = None
    if status in SEAT_STATUSES:
        promoted, told = promote_after(session, ctx.caller.ref, application, ctx.now, ctx.rules.timezone)
        reply.notices += told
        if promoted is not None:
            reply.lines.append(_("Your seat goes to the first applicant on the waitlist."))
    reply.lines.append(_("You may apply again while applications are open."))

    def team() -> Notice:
        text = (
            _("Application #{number} from {name} ({group}) declined its seat", number=number, name=name, group=key)
            if declining
            else _("Application #{number} from {name} ({group}) was withdrawn", number=number, name=name, group=key)
        )
        if promoted is not None:
            text = _(
                "{text}; #{number} {name} is selected from the waitlist",
                text=text, number=promoted.id, name=promoted.legal_name,
            )  # fmt: skip
        return Notice(Channel.TEAM, text, NoticeKind.APPLICATION)

    reply.notices.append(localized(team))
    return reply


def _accept(ctx: Context, session: Session, application: Application) -> Reply:
    if application.status not in (S.SELECTED, S.NOTIFIED):
        raise UserError(
            _(
                "Only a selected applicant can accept a seat; application #{number} is {status}.",
                number=application.id,
                status=application.status,
            ),
            hint=_("`apply status` says what happens next."),
        )
    existing = member_by_identity(session, ctx.caller.platform, ctx.caller.user_id)
    if existing is not None and existing.active:
        raise NotPermitted(
            _("You are already in the program under this chat identity."), hint=_("Ask a program admin to move you.")
        )
    assert application.id is not None
    organisation = Organisation(
        slug=_unique_slug(session, application), name=application.legal_name, name_zh=application.name_zh,
        country=application.country, size_band=application.size_band, region=application.region,
        good_faith=False, represents=application.represents,
        authorisation_sha256=application.authorisation_sha256, created_at=ctx.now,
    )  # fmt: skip
    organisation_id = add_recorded(
        session,
        ctx,
        organisation,
        AuditEntity.ORGANISATION,
        note=deferred(N_("application #{number}"), number=application.id),
    )
    role = MemberRole.REPRESENTATIVE if application.represents else MemberRole.MEMBER
    member = existing or Member(platform=ctx.caller.platform, user_id=ctx.caller.user_id, role=role)
    member.role, member.active, member.organisation_id = role, True, organisation_id
    member.created_at = member.created_at if existing else ctx.now
    add_recorded(session, ctx, member, AuditEntity.MEMBER, "role", to_status=role, note=organisation.slug)
    rights = []
    for number, mark in enumerate(m.strip() for m in application.marks.split(",") if m.strip()):
        right = IPRight(
            organisation_id=organisation_id, kind=RightKind.TRADEMARK, mark=mark[:MAX_TEXT],
            # The unique key (organisation, kind, jurisdiction, number) needs a distinct placeholder per mark.
            registration_number="pending" if number == 0 else f"pending-{number + 1}", jurisdiction="CN",
            status=RightStatus.PENDING, created_at=ctx.now,
        )  # fmt: skip
        add_recorded(session, ctx, right, AuditEntity.IP_RIGHT, to_status=right.status)
        rights.append(right)
    application.organisation_id = organisation_id
    move(session, ctx.caller.ref, application, S.ONBOARDED, ctx.now, note=organisation.slug)
    reply = Reply(
        _("Welcome to MarketSafe: {name} is organisation {organisation}, and you are its {role}.",
          name=organisation.name, organisation=organisation.slug, role=role)
    )  # fmt: skip
    reply.lines = [
        _("right #{id}: trademark {mark} (CN, registration {number}), awaiting verification", id=r.id, mark=r.mark,
          number=r.registration_number)
        for r in rights
    ]  # fmt: skip
    ids = [f"#{r.id}" for r in rights]
    numbers = _("{items} and {last}", items=", ".join(ids[:-1]), last=ids[-1]) if len(ids) > 1 else ids[0]
    complaint = "`complaint <links> right=<id>`" if len(rights) > 1 else "`complaint <links>`"
    reply.lines.append(
        ngettext(
            "A program admin verifies each right before complaints may rely on it: you can file complaints with "
            "{complaint} once an admin has verified right {numbers}.",
            "A program admin verifies each right before complaints may rely on it: you can file complaints with "
            "{complaint} once an admin has verified rights {numbers}.",
            len(rights), complaint=complaint, numbers=numbers,
        )
    )  # fmt: skip
    verify = "; ".join(f"`admin right verify {r.id}`" for r in rights)
    reply.notices.append(
        localized(
            lambda: Notice(
                Channel.TEAM,
                ngettext(
                    "Application #{number} accepted: {name} joined as {organisation} with {count} mark awaiting "
                    "verification: {verify}",
                    "Application #{number} accepted: {name} joined as {organisation} with {count} marks awaiting "
                    "verification: {verify}",
                    len(rights), number=application.id, name=organisation.name, organisation=organisation.slug,
                    verify=verify,
                ),
                NoticeKind.APPLICATION,
            )
        )
    )  # fmt: skip
    return reply


def _unique_slug(session: Session, application: Application) -> str:
    """`ACME Corp.` -> `acme-corp` (then `acme-corp-2`, ... if taken); `applicant-<id>` without Latin letters."""
    ascii_name = unicodedata.normalize("NFKD", application.legal_name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    if len(base) < 2:
        base = f"applicant-{application.id}"
    candidate, number = base, 1
    while organisation_by_slug(session, candidate) is not None:
        number += 1
        suffix = f"-{number}"
        candidate = base[: 40 - len(suffix)].strip("-") + suffix
    return candidate
