"""`language list`, `language show` and `language glossary`: reading language requests and the program's words."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args, parse_positive_int
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.program.glossary import glossary_lines
from handlers.program.language_requests import load_request, summary, text_fields
from storage.models import Member, Organisation
from storage.queries.language import open_requests, requests_of
from storage.vocabulary import LanguageRequestStatus

PAGE = 20
LISTED_TEXT = 60


@command(
    "language list", summary=N_("your organisation's language requests (the team: the open ones)"),
    options=(
        Option("all", N_("every request, not only the open ones (team)"), OptionKind.CHOICE, choices=("all",)),
        Option("page", N_("which page of the list"), OptionKind.NUMBER, keyword=True),
    ),
)  # fmt: skip
def language_list(ctx: Context, args: Args, session: Session) -> Reply:
    """language list [all] [page=<n>]
    Your organisation's requests, newest first; the team sees the open requests, oldest first, and
    every request with `all`.
    Example: language list all page=2"""
    args.check_options("page")
    words = args.words
    if len(words) > 1 or (words and words[0].lower() != "all"):
        raise UserError(
            _("'{word}' is not a choice here.", word=words[-1]), hint=_("Use `language list` or `language list all`.")
        )
    page = parse_positive_int(args.options["page"], N_("page")) if args.option("page") else 1
    offset = (page - 1) * PAGE
    queue = ctx.is_staff and not words
    if queue:
        found, total = open_requests(session, limit=PAGE, offset=offset)
        title = ngettext("{count} open language request, oldest first", "{count} open language requests, oldest first",
                         total)  # fmt: skip
    else:
        organisation_id = None if ctx.is_staff else ctx.require_organisation()
        found, total = requests_of(session, organisation_id, limit=PAGE, offset=offset)
        title = ngettext("{count} language request, newest first", "{count} language requests, newest first", total)
    pages = max(1, -(-total // PAGE))
    if not found:
        if total:
            raise UserError(
                ngettext("There is only {count} page.", "There are only {count} pages.", pages), field="page"
            )
        return Reply(_("No open language requests.") if queue else _("No language requests yet."))
    reply = Reply(_("{title} (page {page} of {pages}):", title=title, page=page, pages=pages))
    for request in found:
        organisation = session.get(Organisation, request.organisation_id) if ctx.is_staff else None
        whose = f" {organisation.name}" if organisation else ""
        reply.lines.append(
            f"{request.reference} {request.created_at.astimezone(ctx.rules.timezone):%Y-%m-%d} {request.status} "
            f"{request.source_language} → {request.target_language}{whose}: {summary(request, LISTED_TEXT)}"
        )
    return reply


@command(
    "language show", summary=N_("one language request with its answer"),
    options=(Option("reference", N_("the request's reference, e.g. LR-000001"), required=True),),
)  # fmt: skip
def language_show(ctx: Context, args: Args, session: Session) -> Reply:
    """language show <LR-000001>
    Example: language show LR-000001"""
    args.check_options()
    if len(args.words) != 1:
        raise UserError(
            _("Say which request to show.") if not args.words else _("Show one request at a time."),
            hint="language show LR-000001",
        )
    request = load_request(session, ctx, args.words[0])
    organisation = session.get(Organisation, request.organisation_id)
    requester = session.get(Member, request.member_id)
    assert organisation is not None and requester is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{request.reference} · {request.status} · {request.source_language} → {request.target_language}")
    asker = f"{requester.platform}:{requester.user_id}"
    reply.fields = [
        (_("Organisation"), organisation.name),
        (_("Asked"), _("{moment} by {who}", moment=local_time(request.created_at, zone), who=asker)),
        *text_fields(_("Text"), request.text),
    ]
    if request.document_name:
        reply.fields += [(_("Document"), request.document_name), ("SHA-256", request.document_sha256 or "-")]
    if request.status == LanguageRequestStatus.ANSWERED:
        answered = _("{moment} by {who}", moment=local_time(request.answered_at, zone), who=request.answered_by)
        reply.fields += [*text_fields(_("Answer"), request.answer), (_("Answered"), answered)]
    elif ctx.is_staff:
        usage = f"language answer {request.reference} <answer>"
        reply.lines.append(_("Answer with: {usage}", usage=usage))
    return reply


@command("language glossary", summary=N_("the program's reason and outcome words in English and Chinese"))
def language_glossary(ctx: Context, args: Args, session: Session) -> Reply:
    """language glossary
    A maintained list, not machine translation.
    Example: language glossary"""
    rest = args.text.strip()
    if rest:
        raise UserError(_("`language glossary` takes nothing after it, not '{text}'.", text=rest[:40]))
    return Reply(
        _(
            "Glossary of the program's reasons and outcomes, English · 简体中文 (a maintained list, not machine "
            "translation):"
        ),
        lines=glossary_lines(),
    )
