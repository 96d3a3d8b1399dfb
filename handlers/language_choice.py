"""`lang`: the language the bot speaks to a member, whatever their platform's locale says."""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import NotPermitted, UserError
from handlers.kit.i18n import N_, _, in_language
from handlers.kit.registry import EVERYONE, Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import Member
from storage.vocabulary import AuditEntity, Language

CHOICES = (*(language.value for language in Language), "auto")


@command(
    "lang", summary=N_("choose the language the bot speaks to you (zh, en, or auto)"), roles=EVERYONE,
    options=(Option("language", N_("zh, en, or auto (your Slack or Discord language)"), OptionKind.CHOICE,
                    required=True, choices=CHOICES),),
)  # fmt: skip
def lang(ctx: Context, args: Args, session: Session) -> Reply:
    """lang <zh | en | auto>
    Example: lang zh"""
    word = args.word(0, _("language (zh, en or auto)"), usage="lang").lower()
    args.no_more_words(1, "lang")
    if word not in CHOICES:
        raise UserError(_("'{word}' is not a language the bot speaks.", word=word), hint=_("Use zh, en or auto."))
    if ctx.member_id is None:
        raise NotPermitted(
            _("You are not in the program yet, so the bot follows your Slack or Discord language."),
            hint=_("Ask a program admin to add you to your organisation."),
        )
    member_row = session.get(Member, ctx.member_id, with_for_update=True)  # locked: the choice it replaces
    assert member_row is not None
    before = member_row.language
    member_row.language = None if word == "auto" else Language(word)
    add_recorded(
        session, ctx, member_row, AuditEntity.MEMBER, "language",
        from_status=before.value if before else "auto", to_status=word,
    )  # fmt: skip
    if word == "auto":
        with in_language(ctx.unchosen_language):
            return Reply(_("The bot now follows your Slack or Discord language."))
    with in_language(word):
        return Reply(
            _("The bot now speaks to you in Chinese.") if word == "zh" else _("The bot now speaks to you in English.")
        )
