"""`language answer`: the IACC/Alibaba team answers a language request, once; the answer goes to
the member's organisation channel (in the request's thread) and to the member by direct message."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.cases.case_thread import author
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import full_stop
from handlers.kit.i18n import N_, _, deferred_plural, format_number, localized
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, command
from handlers.kit.replies import Notice, Reply
from handlers.program.language_requests import MAX_TEXT, load_request, summary, text_fields
from storage.models import LanguageRequest, Member, Organisation
from storage.queries.language import record_answer
from storage.vocabulary import AuditEntity, Channel, LanguageRequestStatus, NoticeKind, dm_channel, org_channel


@command(
    "language answer", summary=N_("answer a language request (team)"), roles=STAFF,
    action=N_("answer language requests"),
    options=(
        Option("reference", N_("the request's reference, e.g. LR-000001"), required=True),
        Option("answer", N_("the answer, up to 4000 characters"), required=True),
    ),
)  # fmt: skip
def language_answer(ctx: Context, args: Args, session: Session) -> Reply:
    """language answer <LR-000001> <answer>
    The answer is taken exactly as written (line breaks too); a request has one answer.
    Example: language answer LR-000001 授权书 means letter of authorisation."""
    rest = args.text.strip()
    if not rest:
        raise UserError(
            _("Say which request and the answer."), hint="language answer LR-000001 <answer>", field="reference"
        )
    first = re.split(r"\s", rest, maxsplit=1)[0]
    request = load_request(session, ctx, first, field="reference")
    reference = request.reference
    answer = rest[len(first) :].replace("\x00", "").strip()
    if request.status == LanguageRequestStatus.ANSWERED:
        raise _already_answered(ctx, request)
    if not answer:
        usage = f"language answer {reference} <answer>"
        raise UserError(
            _("Write the answer after the reference: {usage}.", usage=usage),
            field="answer",
        )
    if len(answer) > MAX_TEXT:
        raise UserError(
            _(
                "The answer is {length} characters; the limit is {limit}.",
                length=format_number(len(answer)),
                limit=format_number(MAX_TEXT),
            ),
            hint=_("Shorten it; a request has one answer."),
            field="answer",
        )
    if not record_answer(session, request, answer=answer, by=ctx.caller.ref, at=ctx.now):
        raise _already_answered(ctx, request)  # someone else answered it a moment ago
    assert request.id is not None
    record_change(
        session, ctx, AuditEntity.LANGUAGE_REQUEST, request.id, "status",
        from_status=LanguageRequestStatus.OPEN, to_status=LanguageRequestStatus.ANSWERED,
        note=deferred_plural("answer of {count} character", "answer of {count} characters", len(answer)),
    )  # fmt: skip
    organisation = session.get(Organisation, request.organisation_id)
    requester = session.get(Member, request.member_id)
    assert organisation is not None and requester is not None
    direction = f"{request.source_language} → {request.target_language}"
    who = author(ctx)
    requester_ref = f"{requester.platform}:{requester.user_id}"

    def fields() -> tuple[tuple[str, str], ...]:
        return (*text_fields(_("Answer"), answer), (_("Your request"), summary(request, 300)))

    reply = Reply(
        _(
            "Answer to {reference} sent to {organisation}: in their channel, thread {reference}, and by direct "
            "message to {requester}.",
            reference=reference, organisation=organisation.name, requester=requester_ref,
        )
    )  # fmt: skip
    reply.notices += [
        localized(
            lambda: Notice(
                channel=org_channel(organisation.slug),
                case_id=reference,
                kind=NoticeKind.LANGUAGE_ANSWER,
                text=_("Answer to language request {reference} ({direction}) from {who}:", reference=reference,
                       direction=direction, who=who),
                fields=fields(),
            )
        ),
        localized(
            lambda: Notice(
                channel=dm_channel(requester.platform, requester.user_id),
                kind=NoticeKind.LANGUAGE_ANSWER,
                text=_("The IACC/Alibaba team answered your language request {reference} ({direction}):",
                       reference=reference, direction=direction),
                fields=fields(),
            )
        ),
        localized(
            lambda: Notice(
                channel=Channel.LANGUAGE,
                case_id=reference,
                kind=NoticeKind.LANGUAGE_ANSWERED,
                text=_("{reference} answered by {who}; the answer was sent to {organisation}", reference=reference,
                       who=who, organisation=full_stop(organisation.name)),
            )
        ),
    ]  # fmt: skip
    return reply


def _already_answered(ctx: Context, request: LanguageRequest) -> UserError:
    return UserError(
        _(
            "{reference} was already answered by {who} on {moment}.",
            reference=request.reference,
            who=request.answered_by,
            moment=local_time(request.answered_at, ctx.rules.timezone),
        ),
        hint=_("`language show {reference}` shows the answer; a request has one answer.", reference=request.reference),
        field="reference",
    )
