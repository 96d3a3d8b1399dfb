"""`apply`: a company applies to the program, follows its application, and accepts or declines a seat.

Eligibility is decided at once: the applicant must own the marks or act for their owner with a
letter of authorisation, and must not be in the Good Faith program. The letter is kept only by
its SHA-256 fingerprint; it is never opened, parsed or shown.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.formatting import local_time
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.registry import EVERYONE, command
from handlers.kit.replies import Notice, Reply, plural
from handlers.program.application_review import details, headline, move, promote_after
from handlers.program.regions import country_code, group_key, group_label, region_of
from storage.models import Application, IPRight, Member, Organisation
from storage.queries.applications import (
    SEAT_STATUSES,
    active_application,
    latest_application,
    latest_milestone,
    next_arrival_seq,
    place_in_group,
)
from storage.queries.members import member_by_identity, organisation_by_slug
from storage.vocabulary import (
    ApplicationStatus,
    AuditEntity,
    Channel,
    CompanySize,
    MilestoneKind,
    NoticeKind,
    RightKind,
    RightStatus,
)
from storage.vocabulary import Role as MemberRole

S = ApplicationStatus
FIELDS = ("legal_name", "name_zh", "country", "size", "contact", "role", "represents", "good_faith", "marks")
ACTIONS = ("status", "withdraw", "accept", "decline")
LETTER_LIMIT = 10 * 1024 * 1024
LETTER_TYPES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff")  # PDF, PNG, JPEG, by their first bytes
MAX_MARKS = 20
MAX_MARKS_TEXT = 1000
MAX_TEXT = 200
YES, NO = {"yes", "y", "true"}, {"no", "n", "false"}
HELP = "`help apply` shows every answer."


class Role(StrEnum):
    """Who the applicant is to the marks."""

    RIGHTS_HOLDER = "rights_holder"
    REPRESENTATIVE = "representative"
    OTHER = "other"  # a distributor, licensee or reseller: not eligible


@command("apply", summary="apply to the program, follow your application, accept a seat", roles=EVERYONE)
def apply(ctx: Context, args: Args, session: Session) -> Reply:
    """apply legal_name="<company>" country=<ISO code> size=small|medium|large contact="<name, email>"
        role=rights_holder|representative|other good_faith=yes|no marks="<mark>,<mark>"
        [represents="<rights-holder>"] [name_zh="<Chinese name>"]
    apply  (with nothing after it: the application form)
    apply status | apply withdraw | apply accept | apply decline
    Anyone may apply, once per chat identity, until the application deadline on the calendar.
    A representative names the rights-holder in represents= and attaches its signed letter of
    authorisation (PDF, PNG or JPEG, at most 10 MB; on the console: file=PATH). Good Faith program
    participants cannot join. Seats go to eligible applicants in order of arrival in each group
    (region and company size). A selected applicant accepts with `apply accept`, which sets up
    their organisation with its marks, or gives the seat up with `apply decline`.
    Example: apply legal_name="ACME Corp" country=US size=large contact="Jo Lee, jo@acme.example"
        marks="ACME,ACME Pro" role=rights_holder good_faith=no"""
    action = args.words[0].lower() if args.words else ""
    if action in ACTIONS:
        args.check_options()
        if len(args.words) > 1:
            raise UserError(f"I did not expect '{args.words[1]}' there.", hint=f"Write just `apply {action}`.")
        mine = latest_application(session, ctx.caller.platform, ctx.caller.user_id)
        if mine is None:
            raise NotFound("You have not applied to the program.", hint="Apply with `apply`: it shows the form.")
        if action == "status":
            return Reply(f"{headline(mine)}.", lines=details(session, mine, ctx.rules.timezone))
        if action == "accept":
            return _accept(ctx, session, mine)
        return _withdraw(ctx, session, mine, declining=action == "decline")
    return _submit(ctx, args, session)


# --- applying ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answers:
    legal_name: str
    name_zh: str | None
    country: str
    size: CompanySize
    contact: str
    role: Role
    represents: str | None
    good_faith: bool
    marks: tuple[str, ...]


def _submit(ctx: Context, args: Args, session: Session) -> Reply:
    args.check_options(*FIELDS)
    _refuse_second(ctx, session)
    if ctx.role is not None:
        where = f" in {ctx.organisation_slug}" if ctx.organisation_slug else ""
        raise NotPermitted(
            f"You are already in the program ({ctx.role}{where}); applications are for companies joining it.",
            hint="`help` lists what you can do.",
        )
    deadline = latest_milestone(session, MilestoneKind.APPLICATION_DEADLINE)
    if deadline is not None and deadline.at <= ctx.now:
        raise UserError(
            f"Applications closed on {local_time(deadline.at, ctx.rules.timezone)}.",
            hint="`calendar` shows the program's dates.",
        )
    if args.words:
        raise UserError(
            f"I did not expect '{args.words[0]}' there.",
            hint='Write each answer as name=value, with quotes around values with spaces, e.g. legal_name="ACME Corp".',
        )
    if not args.options:
        return Reply(
            "Fill in the application form, or write your answers after `apply`: `help apply` shows how.",
            form=request_form(APPLY_FORM, ctx, session),
        )
    answers = _answers(args)
    letter = _letter(ctx) if answers.role is Role.REPRESENTATIVE else None
    reasons = []
    if answers.role is Role.OTHER:
        reasons.append("only rights-holders and representatives they appointed can join")
    if answers.role is Role.REPRESENTATIVE and letter is None:
        reasons.append("a representative must attach the rights-holder's letter of authorisation")
    if answers.good_faith:
        reasons.append("Good Faith program participants cannot join MarketSafe")
    region = region_of(answers.country)
    application = Application(
        applicant_platform=ctx.caller.platform, applicant_user_id=ctx.caller.user_id,
        legal_name=answers.legal_name, name_zh=answers.name_zh, country=answers.country, region=region.label,
        size_band=answers.size, contact=answers.contact, is_rights_holder=answers.role is Role.RIGHTS_HOLDER,
        represents=answers.represents, authorisation_sha256=letter, good_faith=answers.good_faith,
        marks=", ".join(answers.marks), group_key=group_key(region, answers.size),
        arrival_seq=next_arrival_seq(session), status=S.INELIGIBLE if reasons else S.QUEUED,
        status_reason="; ".join(reasons) or None, submitted_at=ctx.now, updated_at=ctx.now,
    )  # fmt: skip
    session.add(application)
    session.flush()
    assert application.id is not None
    record_change(
        session, ctx, AuditEntity.APPLICATION, application.id, "submitted", from_status=S.SUBMITTED,
        to_status=application.status, note=application.status_reason or application.group_key,
    )  # fmt: skip
    return _submitted_reply(ctx, session, application, letter is not None, ignored=bool(ctx.attachments) and not letter)


def _submitted_reply(ctx: Context, session: Session, application: Application, letter: bool, ignored: bool) -> Reply:
    name, key = application.legal_name, application.group_key
    if application.status == S.INELIGIBLE:
        reply = Reply(f"Application #{application.id} from {name} is not eligible: {application.status_reason}.")
        reply.lines = [
            "It is kept on file with that reason.",
            "If this was a mistake in your answers, apply again with `apply`"
            + (" and attach the letter of authorisation." if application.represents and not letter else "."),
        ]
        text = f"New application #{application.id} from {name} ({key}): ineligible, {application.status_reason}"
    else:
        place = place_in_group(session, application, SEAT_STATUSES | {S.QUEUED, S.WAITLISTED})
        reply = Reply(
            f"Application #{application.id} received: {name} is queued in {group_label(key)}, "
            f"number {place} in order of arrival."
        )
        reply.lines = details(session, application, ctx.rules.timezone)[1:]
        if letter:
            reply.lines.append(f"Letter of authorisation kept by its SHA-256: {application.authorisation_sha256}.")
        reply.lines.append("`apply status` shows where you stand; `apply withdraw` withdraws the application.")
        text = f"New application #{application.id} from {name} ({key})"
    if ignored:
        reply.lines.append("The attached file was not kept: only representatives send a letter of authorisation.")
    fields = (("country", application.country), ("size", application.size_band), ("marks", application.marks))
    reply.notices.append(Notice(Channel.TEAM, text, NoticeKind.APPLICATION, fields=fields))
    return reply


def _refuse_second(ctx: Context, session: Session) -> None:
    first = active_application(session, ctx.caller.platform, ctx.caller.user_id)
    if first is not None:
        raise UserError(
            f"You already applied: application #{first.id} ({first.legal_name}) is {first.status}.",
            hint="One application per person: `apply status` shows it, `apply withdraw` withdraws it.",
        )


def _answers(args: Args) -> Answers:
    legal_name = _required(args, "legal_name", "the company's legal name", 'legal_name="ACME Corp"')
    name_zh = _text(args, "name_zh")
    country = country_code(_required(args, "country", "the company's country", "country=US"))
    size = parse_enum(CompanySize, _required(args, "size", "the company's size", "size=medium"), "company size", "size")
    contact = _required(args, "contact", "a contact", 'contact="Jo Lee, jo@acme.example"')
    role_text = _required(args, "role", "your role", "role=rights_holder")
    role = next((r for r in Role if r.value == role_text.lower().replace("-", "_")), None)
    if role is None:
        raise UserError(
            f"'{role_text}' is not a role I know.",
            hint="Use rights_holder (the company owns the marks), representative (appointed by the rights-holder) "
            "or other.",
            field="role",
        )
    represents = _text(args, "represents")
    if role is Role.REPRESENTATIVE and represents is None:
        raise UserError(
            "A representative names the rights-holder it acts for.",
            hint='Add represents="<rights-holder>" and attach its letter of authorisation.',
            field="represents",
        )
    if role is not Role.REPRESENTATIVE and represents is not None:
        raise UserError(
            "represents= is only for representatives.",
            hint="Leave it out, or choose role=representative if you act for the rights-holder.",
            field="represents",
        )
    good_faith_text = _required(args, "good_faith", "whether the company is in the Good Faith program", "good_faith=no")
    if good_faith_text.lower() not in YES | NO:
        raise UserError(
            f"'{good_faith_text}' is not yes or no.", hint="Write good_faith=yes or good_faith=no.", field="good_faith"
        )
    marks = _marks(_required(args, "marks", "the company's marks", 'marks="ACME,ACME Pro"', MAX_MARKS_TEXT))
    return Answers(legal_name, name_zh, country, size, contact, role, represents, good_faith_text.lower() in YES, marks)


def _required(args: Args, name: str, what: str, example: str, limit: int = MAX_TEXT) -> str:
    value = _text(args, name, limit)
    if value is None:
        raise UserError(f"The application needs {what}.", hint=f"Add {example}. {HELP}", field=name)
    return value


def _text(args: Args, name: str, limit: int = MAX_TEXT) -> str | None:
    value = (args.options.get(name) or "").strip()
    if len(value) > limit:
        raise UserError(f"{name}= is {len(value)} characters; the limit is {limit}.", field=name)
    return value or None


def _marks(text: str) -> tuple[str, ...]:
    """`ACME, ACME Pro，acme` -> ("ACME", "ACME Pro"): split on commas, repeats dropped."""
    marks: dict[str, str] = {}
    for part in re.split(r"[,，]", text):
        mark = " ".join(part.split())
        if mark:
            marks.setdefault(mark.casefold(), mark)
    if not marks:
        raise UserError(
            "The application needs at least one mark.",
            hint='List the marks the company owns, separated by commas, e.g. marks="ACME,ACME Pro".',
            field="marks",
        )
    long = next((mark for mark in marks.values() if len(mark) > MAX_TEXT), None)
    if long is not None:
        raise UserError(f"The mark '{long[:40]}...' is {len(long)} characters; the limit is {MAX_TEXT}.", field="marks")
    if len(", ".join(marks.values())) > MAX_MARKS_TEXT:
        raise UserError(
            f"The marks come to more than {MAX_MARKS_TEXT} characters.", hint="List fewer marks.", field="marks"
        )
    if len(marks) > MAX_MARKS:
        raise UserError(
            f"That is {len(marks)} marks; an application lists at most {MAX_MARKS}.",
            hint="List the marks you will file complaints under; the team can add more later.",
            field="marks",
        )
    return tuple(marks.values())


def _letter(ctx: Context) -> str | None:
    """The SHA-256 of the attached letter of authorisation, after checking only its size and type."""
    if not ctx.attachments:
        return None
    if len(ctx.attachments) > 1:
        raise UserError(f"Attach one letter of authorisation, not {len(ctx.attachments)} files.", field="file")
    letter = ctx.attachments[0]
    name = letter.name[:100]
    if not letter.content:
        raise UserError(f"{name} is empty.", hint="Attach the signed letter as a PDF, PNG or JPEG file.", field="file")
    if len(letter.content) > LETTER_LIMIT:
        raise UserError(
            f"{name} is {len(letter.content):,} bytes; a letter of authorisation may be at most 10 MB.",
            hint="Send it as a PDF, or scan it at a lower resolution.",
            field="file",
        )
    if not letter.content.startswith(LETTER_TYPES):
        raise UserError(
            f"{name} is not a PDF, PNG or JPEG file.",
            hint="Send the signed letter of authorisation as a PDF, or as a PNG or JPEG scan.",
            field="file",
        )
    return hashlib.sha256(letter.content).hexdigest()


APPLY_FORM = register_form(
    Form(
        command="apply",
        title="Apply to MarketSafe",
        submit="Apply",
        fields=(
            FormField("legal_name", "Company's legal name", "text", max_length=MAX_TEXT),
            FormField("name_zh", "Chinese name", "text", optional=True, max_length=MAX_TEXT),
            FormField("country", "Country (ISO code)", "text", max_length=2, placeholder="US, GB, DE, JP, CN ..."),
            FormField("size", "Company size", "select", choices=tuple(Choice(s.value, s.value) for s in CompanySize)),
            FormField("contact", "Contact", "text", max_length=MAX_TEXT, placeholder="Name and email"),
            FormField(
                "role",
                "You are",
                "select",
                choices=(
                    Choice(Role.RIGHTS_HOLDER.value, "The rights-holder (the company owns the marks)"),
                    Choice(Role.REPRESENTATIVE.value, "A representative appointed by the rights-holder"),
                    Choice(Role.OTHER.value, "Other (distributor, licensee, reseller)"),
                ),
            ),
            FormField(
                "represents",
                "Rights-holder you represent",
                "text",
                optional=True,
                max_length=MAX_TEXT,
                placeholder="Representatives only; attach the letter of authorisation",
            ),
            FormField(
                "good_faith", "In the Good Faith program?", "select", choices=(Choice("no", "No"), Choice("yes", "Yes"))
            ),
            FormField("marks", "Marks", "text", max_length=1000, placeholder="Comma separated, e.g. ACME, ACME Pro"),
        ),
        to_args=lambda values: options_args([], values, *FIELDS),
    )
)


# --- after applying ---------------------------------------------------------------------------


def _withdraw(ctx: Context, session: Session, application: Application, *, declining: bool) -> Reply:
    status = S(application.status)
    if declining and status not in (S.SELECTED, S.NOTIFIED):
        raise UserError(
            f"Only a selected applicant can decline a seat; application #{application.id} is {status}.",
            hint="`apply withdraw` withdraws an application.",
        )
    if status is S.ONBOARDED:
        raise UserError(
            f"Application #{application.id} is complete: {application.legal_name} is in the program.",
            hint="To leave the program, ask a program admin.",
        )
    if status not in (S.QUEUED, S.SELECTED, S.NOTIFIED, S.WAITLISTED, S.SUBMITTED):
        raise UserError(f"Application #{application.id} is {status}: there is nothing to withdraw.")
    assert application.id is not None
    application.status_reason = (
        "withdrawn when the applicant declined the seat" if declining else "withdrawn by the applicant"
    )
    move(session, ctx.caller.ref, application, S.WITHDRAWN, ctx.now, note=application.status_reason)
    done = "declined its seat" if declining else "was withdrawn"
    reply = Reply(f"Application #{application.id} ({application.legal_name}) {done}.")
    team = f"Application #{application.id} from {application.legal_name} ({application.group_key}) {done}"
    if status in SEAT_STATUSES:
        promoted, told = promote_after(session, ctx.caller.ref, application, ctx.now, ctx.rules.timezone)
        reply.notices += told
        if promoted is not None:
            reply.lines.append("Your seat goes to the first applicant on the waitlist.")
            team += f"; #{promoted.id} {promoted.legal_name} is selected from the waitlist"
    reply.lines.append("You may apply again while applications are open.")
    reply.notices.append(Notice(Channel.TEAM, team, NoticeKind.APPLICATION))
    return reply


def _accept(ctx: Context, session: Session, application: Application) -> Reply:
    if application.status not in (S.SELECTED, S.NOTIFIED):
        raise UserError(
            f"Only a selected applicant can accept a seat; application #{application.id} is {application.status}.",
            hint="`apply status` says what happens next.",
        )
    existing = member_by_identity(session, ctx.caller.platform, ctx.caller.user_id)
    if existing is not None and existing.active:
        raise NotPermitted(
            "You are already in the program under this chat identity.", hint="Ask a program admin to move you."
        )
    assert application.id is not None
    organisation = Organisation(
        slug=_unique_slug(session, application), name=application.legal_name, name_zh=application.name_zh,
        country=application.country, size_band=application.size_band, region=application.region,
        good_faith=False, represents=application.represents,
        authorisation_sha256=application.authorisation_sha256, created_at=ctx.now,
    )  # fmt: skip
    session.add(organisation)
    session.flush()
    assert organisation.id is not None
    record_change(
        session, ctx, AuditEntity.ORGANISATION, organisation.id, "created", note=f"application #{application.id}"
    )
    role = MemberRole.REPRESENTATIVE if application.represents else MemberRole.MEMBER
    member = existing or Member(platform=ctx.caller.platform, user_id=ctx.caller.user_id, role=role)
    member.role, member.active, member.organisation_id = role, True, organisation.id
    member.created_at = member.created_at if existing else ctx.now
    session.add(member)
    session.flush()
    assert member.id is not None
    record_change(session, ctx, AuditEntity.MEMBER, member.id, "role", to_status=role, note=organisation.slug)
    rights = []
    for number, mark in enumerate(m.strip() for m in application.marks.split(",") if m.strip()):
        right = IPRight(
            organisation_id=organisation.id, kind=RightKind.TRADEMARK, mark=mark[:MAX_TEXT],
            # The unique key (organisation, kind, jurisdiction, number) needs a distinct placeholder per mark.
            registration_number="pending" if number == 0 else f"pending-{number + 1}", jurisdiction="CN",
            status=RightStatus.VERIFIED, verified_by=f"application #{application.id}", verified_at=ctx.now,
            created_at=ctx.now,
        )  # fmt: skip
        session.add(right)
        session.flush()
        assert right.id is not None
        record_change(session, ctx, AuditEntity.IP_RIGHT, right.id, "created", to_status=right.status)
        rights.append(right)
    application.organisation_id = organisation.id
    move(session, ctx.caller.ref, application, S.ONBOARDED, ctx.now, note=organisation.slug)
    reply = Reply(
        f"Welcome to MarketSafe: {organisation.name} is organisation {organisation.slug}, and you are its {role}."
    )
    reply.lines = [f"right #{r.id}: trademark {r.mark} (CN, registration {r.registration_number})" for r in rights]
    reply.lines.append("File complaints with `complaint <links>`" + (" right=<id>." if len(rights) > 1 else "."))
    reply.notices.append(
        Notice(
            Channel.TEAM,
            f"Application #{application.id} accepted: {organisation.name} joined as {organisation.slug} with "
            f"{plural(len(rights), 'mark')}",
            NoticeKind.APPLICATION,
        )
    )
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
