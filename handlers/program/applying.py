"""`apply submit` (also `apply` with answers, or alone for the form): a company applies to the program.

Eligibility is decided at once: the applicant must own the marks or act for their owner with a
letter of authorisation, and must not be in the Good Faith program. The letter is kept only by
its SHA-256 fingerprint; it is never opened, parsed or shown.
"""

from __future__ import annotations

import hashlib

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import NotPermitted, UserError
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.i18n import N_, _, format_number, localized
from handlers.kit.local_time import local_time
from handlers.kit.registry import EVERYONE, Option, OptionKind, command, group
from handlers.kit.replies import Notice, Reply
from handlers.program.applicant_notices import details, reason_note, reason_text
from handlers.program.application_answers import FIELDS, MAX_TEXT, Role, read_answers
from handlers.program.regions import group_key, group_label, region_of
from storage.models import Application
from storage.queries.applications import (
    SEAT_STATUSES,
    active_application,
    latest_milestone,
    next_arrival_seq,
    place_in_group,
)
from storage.vocabulary import ApplicationStatus, AuditEntity, Channel, CompanySize, Language, MilestoneKind, NoticeKind

S = ApplicationStatus
LETTER_LIMIT = 10 * 1024 * 1024
LETTER_TYPES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff")  # PDF, PNG, JPEG, by their first bytes
# Why an application is ineligible: kept in English on the application, shown in the reader's language.
NOT_A_RIGHTS_HOLDER = N_("only rights-holders and representatives they appointed can join")
NO_LETTER = N_("a representative must attach the rights-holder's letter of authorisation")
GOOD_FAITH = N_("Good Faith program participants cannot join MarketSafe")


group(
    "apply",
    summary=N_("apply to the program, follow your application, accept a seat"),
    order=("submit", "status", "withdraw", "accept", "decline"),
)


def _answer(name: str, description: str, *, required: bool = True, choices: tuple[str, ...] = ()) -> Option:
    kind = OptionKind.CHOICE if choices else OptionKind.TEXT
    return Option(name, description, kind, required, keyword=True, choices=choices)


@command(
    "apply submit", summary=N_("apply to the program (alone: the application form)"), roles=EVERYONE, default=True,
    options=(
        _answer("legal_name", N_("the company's legal name")),
        _answer("name_zh", N_("the company's Chinese name"), required=False),
        _answer("country", N_("the company's country, as an ISO code (US, GB, CN ...)")),
        _answer("size", N_("the company's size"), choices=tuple(size.value for size in CompanySize)),
        _answer("contact", N_("a contact's name and email")),
        _answer("role", N_("who you are to the marks"), choices=("rights_holder", "representative", "other")),
        _answer("represents", N_("the rights-holder a representative acts for"), required=False),
        _answer("good_faith", N_("whether the company is in the Good Faith program"), choices=("yes", "no")),
        _answer("marks", N_("the company's marks, separated by commas")),
    ),
)  # fmt: skip
def apply_submit(ctx: Context, args: Args, session: Session) -> Reply:
    """apply submit legal_name="<company>" country=<ISO code> size=small|medium|large contact="<name, email>"
        role=rights_holder|representative|other good_faith=yes|no marks="<mark>,<mark>"
        [represents="<rights-holder>"] [name_zh="<Chinese name>"]
    The word submit may be left out; `apply` alone opens the application form.
    Anyone may apply, once per chat identity, until the application deadline on the calendar.
    A representative names the rights-holder in represents= and attaches its signed letter of
    authorisation (PDF, PNG or JPEG, at most 10 MB; on the console: file=PATH). Good Faith program
    participants cannot join. Seats go to eligible applicants in order of arrival in each group
    (region and company size); `apply status` shows where you stand.
    Example: apply legal_name="ACME Corp" country=US size=large contact="Jo Lee, jo@acme.example"
        marks="ACME,ACME Pro" role=rights_holder good_faith=no"""
    args.check_options(*FIELDS)
    _refuse_second(ctx, session)
    if ctx.role is not None:
        raise NotPermitted(
            _(
                "You are already in the program ({role} in {organisation}); applications are for companies joining it.",
                role=ctx.role, organisation=ctx.organisation_slug,
            )
            if ctx.organisation_slug
            else _(
                "You are already in the program ({role}); applications are for companies joining it.", role=ctx.role
            ),
            hint=_("`help` lists what you can do."),
        )  # fmt: skip
    deadline = latest_milestone(session, MilestoneKind.APPLICATION_DEADLINE)
    if deadline is not None and deadline.at <= ctx.now:
        raise UserError(
            _("Applications closed on {moment}.", moment=local_time(deadline.at, ctx.rules.timezone)),
            hint=_("`calendar` shows the program's dates."),
        )
    if args.words:
        raise UserError(
            _("I did not expect '{word}' there.", word=args.words[0]),
            hint=_(
                'Write each answer as name=value, with quotes around values with spaces, e.g. legal_name="ACME Corp".'
            ),
        )
    if not args.options:
        return Reply(
            _("Fill in the application form, or write your answers after `apply`: `help apply` shows how."),
            form=request_form(APPLY_FORM, ctx, session),
        )
    answers = read_answers(args)
    letter = _letter(ctx) if answers.role is Role.REPRESENTATIVE else None
    reasons = []
    if answers.role is Role.OTHER:
        reasons.append(NOT_A_RIGHTS_HOLDER)
    if answers.role is Role.REPRESENTATIVE and letter is None:
        reasons.append(NO_LETTER)
    if answers.good_faith:
        reasons.append(GOOD_FAITH)
    region = region_of(answers.country)
    application = Application(
        applicant_platform=ctx.caller.platform, applicant_user_id=ctx.caller.user_id,
        legal_name=answers.legal_name, name_zh=answers.name_zh, country=answers.country, region=region.label,
        size_band=answers.size, contact=answers.contact, is_rights_holder=answers.role is Role.RIGHTS_HOLDER,
        represents=answers.represents, authorisation_sha256=letter, good_faith=answers.good_faith,
        marks=", ".join(answers.marks), group_key=group_key(region, answers.size),
        arrival_seq=next_arrival_seq(session), status=S.INELIGIBLE if reasons else S.QUEUED,
        status_reason="; ".join(reasons) or None, submitted_at=ctx.now, updated_at=ctx.now,
        language=Language(ctx.language),  # the direct messages about it read the applicant's language
    )  # fmt: skip
    add_recorded(
        session, ctx, application, AuditEntity.APPLICATION, "submitted", from_status=S.SUBMITTED,
        to_status=application.status,
        note=reason_note(application.status_reason) if application.status_reason else application.group_key,
    )  # fmt: skip
    return _submitted_reply(ctx, session, application, letter is not None, ignored=bool(ctx.attachments) and not letter)


def _submitted_reply(ctx: Context, session: Session, application: Application, letter: bool, ignored: bool) -> Reply:
    number, name, key = application.id, application.legal_name, application.group_key
    reason = reason_text(application.status_reason)
    if application.status == S.INELIGIBLE:
        reply = Reply(_("Application #{number} from {name} is not eligible: {reason}.", number=number, name=name,
                        reason=reason))  # fmt: skip
        reply.lines = [
            _("It is kept on file with that reason."),
            _("If this was a mistake in your answers, apply again with `apply` and attach the letter of authorisation.")
            if application.represents and not letter
            else _("If this was a mistake in your answers, apply again with `apply`."),
        ]
    else:
        place = place_in_group(session, application, SEAT_STATUSES | {S.QUEUED, S.WAITLISTED})
        reply = Reply(
            _(
                "Application #{number} received: {name} is queued in {group}, number {place} in order of arrival.",
                number=number, name=name, group=group_label(key), place=place,
            )
        )  # fmt: skip
        reply.lines = details(session, application, ctx.rules.timezone)[1:]
        if letter:
            reply.lines.append(
                _("Letter of authorisation kept by its SHA-256: {sha256}.", sha256=application.authorisation_sha256)
            )
        reply.lines.append(_("`apply status` shows where you stand; `apply withdraw` withdraws the application."))
    if ignored:
        reply.lines.append(_("The attached file was not kept: only representatives send a letter of authorisation."))

    def team() -> Notice:
        if application.status == S.INELIGIBLE:
            text = _(
                "New application #{number} from {name} ({group}): ineligible, {reason}",
                number=number, name=name, group=key, reason=reason_text(application.status_reason),
            )  # fmt: skip
        else:
            text = _("New application #{number} from {name} ({group})", number=number, name=name, group=key)
        fields = ((_("country"), application.country), (_("size"), application.size_band),
                  (_("marks"), application.marks))  # fmt: skip
        return Notice(Channel.TEAM, text, NoticeKind.APPLICATION, fields=fields)

    reply.notices.append(localized(team))
    return reply


def _refuse_second(ctx: Context, session: Session) -> None:
    first = active_application(session, ctx.caller.platform, ctx.caller.user_id)
    if first is not None:
        raise UserError(
            _("You already applied: application #{number} ({name}) is {status}.", number=first.id,
              name=first.legal_name, status=first.status),
            hint=_("One application per person: `apply status` shows it, `apply withdraw` withdraws it."),
        )  # fmt: skip


def _letter(ctx: Context) -> str | None:
    """The SHA-256 of the attached letter of authorisation, after checking only its size and type."""
    if not ctx.attachments:
        return None
    if len(ctx.attachments) > 1:
        raise UserError(
            _("Attach one letter of authorisation, not {count} files.", count=len(ctx.attachments)), field="file"
        )
    letter = ctx.attachments[0]
    name = letter.name[:100]
    if not letter.content:
        raise UserError(
            _("{name} is empty.", name=name),
            hint=_("Attach the signed letter as a PDF, PNG or JPEG file."),
            field="file",
        )
    if len(letter.content) > LETTER_LIMIT:
        raise UserError(
            _(
                "{name} is {size} bytes; a letter of authorisation may be at most 10 MB.",
                name=name,
                size=format_number(len(letter.content)),
            ),
            hint=_("Send it as a PDF, or scan it at a lower resolution."),
            field="file",
        )
    if not letter.content.startswith(LETTER_TYPES):
        raise UserError(
            _("{name} is not a PDF, PNG or JPEG file.", name=name),
            hint=_("Send the signed letter of authorisation as a PDF, or as a PNG or JPEG scan."),
            field="file",
        )
    return hashlib.sha256(letter.content).hexdigest()


APPLY_FORM = register_form(
    Form(
        command="apply",
        title=N_("Apply to MarketSafe"),
        submit=N_("Apply"),
        fields=(
            FormField("legal_name", N_("Company's legal name"), "text", max_length=MAX_TEXT),
            FormField("name_zh", N_("Chinese name"), "text", optional=True, max_length=MAX_TEXT),
            FormField(
                "country", N_("Country (ISO code)"), "text", max_length=2, placeholder=N_("US, GB, DE, JP, CN ...")
            ),
            FormField(
                "size", N_("Company size"), "select", choices=tuple(Choice(s.value, s.value) for s in CompanySize)
            ),
            FormField("contact", N_("Contact"), "text", max_length=MAX_TEXT, placeholder=N_("Name and email")),
            FormField(
                "role",
                N_("You are"),
                "select",
                choices=(
                    Choice(Role.RIGHTS_HOLDER.value, N_("The rights-holder (the company owns the marks)")),
                    Choice(Role.REPRESENTATIVE.value, N_("A representative appointed by the rights-holder")),
                    Choice(Role.OTHER.value, N_("Other (distributor, licensee, reseller)")),
                ),
            ),
            FormField(
                "represents",
                N_("Rights-holder you represent"),
                "text",
                optional=True,
                max_length=MAX_TEXT,
                placeholder=N_("Representatives only; attach the letter of authorisation"),
            ),
            FormField(
                "good_faith",
                N_("In the Good Faith program?"),
                "select",
                choices=(Choice("no", N_("No")), Choice("yes", N_("Yes"))),
            ),
            FormField(
                "marks", N_("Marks"), "text", max_length=1000, placeholder=N_("Comma separated, e.g. ACME, ACME Pro")
            ),
        ),
        to_args=lambda values: options_args([], values, *FIELDS),
    )
)
