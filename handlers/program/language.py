"""`language`: members ask the IACC/Alibaba team for help with Chinese-language text or a document.

A request (`LR-000001`) is posted in the `language` channel, in its own thread; the team's answer
goes back to the member's organisation channel, in the thread of the same reference, and to the
member by direct message. A document is never shown or stored: only its name and SHA-256 are kept.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.cases.case_thread import author
from handlers.kit.arguments import Args, leading_options
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Attachment, Context
from handlers.kit.documents import LANGUAGE_HELP, CheckedDocument, check_documents
from handlers.kit.errors import UserError
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.i18n import N_, _, deferred, format_number, localized
from handlers.kit.registry import Option, OptionKind, command, group
from handlers.kit.replies import Notice, Reply
from handlers.program.glossary import LANGUAGES, language_code
from handlers.program.language_requests import MAX_TEXT, text_fields
from storage.models import LanguageRequest, Organisation
from storage.vocabulary import AuditEntity, Channel, LanguageRequestStatus, NoticeKind, org_channel

FORM_TEXT = 3000  # Slack's limit for a modal's text input; longer text goes in a TXT document
_REQUEST_OPTIONS = ("source", "target", "text")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
EXAMPLE = "language source=zh target=en 正品授权书"
_DIRECTIONS = tuple(LANGUAGES)

SUMMARY = N_("ask the team for help with Chinese-language text or a document")
group("language", summary=SUMMARY)


# The request is the bare word followed by free text, so that no sub-command word can swallow its first word.
@command(
    "language", summary=SUMMARY,
    options=(
        Option("source", N_("the language of the text"), OptionKind.CHOICE, keyword=True, choices=_DIRECTIONS),
        Option("target", N_("the language to help into"), OptionKind.CHOICE, keyword=True, choices=_DIRECTIONS),
        Option("text", N_("the text to help with (or attach a document)")),
    ),
)  # fmt: skip
def language(ctx: Context, args: Args, session: Session) -> Reply:
    """language [source=zh|en] [target=en|zh] <text>    (or attach a document)
    Asks the IACC/Alibaba team for help with text (up to 4000 characters) or one document (PDF,
    PNG, JPEG or TXT, up to 10 MB; on the console file=PATH). With one language given the other
    is the opposite; with none, text with Chinese characters (and a document alone) is zh -> en,
    other text en -> zh. The answer comes back where you asked, in your organisation's channel in
    the thread of the request, and by direct message. Text that starts with a sub-command word
    (answer, list, show, glossary) goes after the languages: language source=en target=zh list ...
    Example: language source=zh target=en 请提供正品授权书"""
    options, rest = _leading_options(args)
    return _ask(ctx, session, options, rest)


def _leading_options(args: Args) -> tuple[dict[str, str], str]:
    """The `key=value` options before the text, and the text exactly as written after them.

    Only leading options count, so text that itself contains `a=b` reaches the team unchanged.
    A submitted form has no command line: its values arrive as options.
    """
    if not args.text:
        return dict(args.options), " ".join(args.words)
    return leading_options(args.text, _REQUEST_OPTIONS)


def _ask(ctx: Context, session: Session, options: dict[str, str], rest: str) -> Reply:
    organisation_id = ctx.require_organisation()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None and ctx.member_id is not None
    if not options and not rest and not ctx.attachments:
        return Reply(
            _(
                "Write the text after `language`, e.g. {example}, or attach a document (PDF, PNG, JPEG or "
                "TXT, up to 10 MB) to a message starting with `language`. `help language` shows every option.",
                example=EXAMPLE,
            ),
            form=request_form(LANGUAGE_FORM, ctx, session, {"source": "zh", "target": "en"}),
        )
    text = _request_text(options, rest)
    document = _document(ctx.attachments)
    if text is None and document is None:
        raise UserError(
            _("Write the text you need help with, or attach a document."),
            hint=_(
                "e.g. {example}; documents (PDF, PNG, JPEG or TXT) go with a message starting with `language`.",
                example=EXAMPLE,
            ),
            field="text",
        )
    source, target, guessed = _direction(options, text)
    request = LanguageRequest(
        organisation_id=organisation_id,
        member_id=ctx.member_id,
        source_language=source,
        target_language=target,
        text=text,
        document_name=document.name if document else None,
        document_sha256=document.sha256 if document else None,
        status=LanguageRequestStatus.OPEN,
        created_at=ctx.now,
    )
    note = (
        deferred(N_("{source} -> {target}, document {name} sha256 {sha256}"), source=source, target=target,
                 name=document.name, sha256=document.sha256)
        if document
        else deferred(N_("{source} -> {target}"), source=source, target=target)
    )  # fmt: skip
    add_recorded(session, ctx, request, AuditEntity.LANGUAGE_REQUEST, to_status=LanguageRequestStatus.OPEN, note=note)
    reference = request.reference
    who = author(ctx)

    def document_fields() -> list[tuple[str, str]]:
        if document is None:
            return []
        size = _("{code}, {size} bytes", code=document.code, size=format_number(document.size))
        return [(_("Document"), f"{document.name} ({size})"), ("SHA-256", document.sha256)]

    def asked() -> tuple[tuple[str, str], ...]:
        return (*text_fields(_("Text"), text), *document_fields())

    reply = Reply(
        _(
            "Language request {reference} ({source} → {target}) is with the IACC/Alibaba team. The answer will come "
            "back here: in your organisation's channel, in the thread {reference}, and by direct message.",
            reference=reference, source=source, target=target,
        ),
        fields=document_fields(),
    )  # fmt: skip
    if guessed:
        reply.lines.append(
            _(
                "{source_name} to {target_name} was guessed from your message; if that is wrong, ask again with "
                "source= and target=, e.g. source={target} target={source}.",
                source_name=_(LANGUAGES[source]), target_name=_(LANGUAGES[target]), source=source, target=target,
            )
        )  # fmt: skip
    reply.notices += [
        localized(
            lambda: Notice(
                channel=Channel.LANGUAGE,
                case_id=reference,
                kind=NoticeKind.LANGUAGE_REQUEST,
                text=_("Language help {reference} from {organisation}: {source} → {target}", reference=reference,
                       organisation=organisation.name, source=source, target=target),
                fields=(*asked(), (_("Asked by"), who), (_("Answer with"), f"language answer {reference} <answer>")),
            )
        ),
        localized(
            lambda: Notice(
                channel=org_channel(organisation.slug),
                case_id=reference,
                kind=NoticeKind.LANGUAGE_REQUEST,
                text=_(
                    "Language help {reference} asked by {who}: {source} → {target}. The IACC/Alibaba team's answer "
                    "will be posted in this thread.",
                    reference=reference, who=who, source=source, target=target,
                ),
                fields=asked(),
            )
        ),
    ]  # fmt: skip
    return reply


def _request_text(options: dict[str, str], rest: str) -> str | None:
    """The text to help with (NUL characters dropped), checked against the limit; None when there is none."""
    if options.get("text") and rest:
        raise UserError(
            _("Give the text either after the options or in text=, not both."),
            hint=_("e.g. {example}", example=EXAMPLE),
            field="text",
        )
    text = (options.get("text") or rest).replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise UserError(
            _(
                "The text is {length} characters; the limit is {limit}.",
                length=format_number(len(text)),
                limit=format_number(MAX_TEXT),
            ),
            hint=_(
                "Attach a longer text as a TXT document (on the console: file=PATH), or split it over several requests."
            ),
            field="text",
        )
    return text or None


def _language_code(value: str, field: str) -> str:
    code = language_code(value)
    if code is None:
        raise UserError(
            _("'{value}' is not a language the team helps with here.", value=value),
            hint=_("Use zh (Chinese) or en (English), e.g. source=zh target=en."),
            field=field,
        )
    return code


def _direction(options: dict[str, str], text: str | None) -> tuple[str, str, bool]:
    """Source and target language, and whether they were guessed from the text."""
    other = {"zh": "en", "en": "zh"}
    source = _language_code(options["source"], "source") if "source" in options else None
    target = _language_code(options["target"], "target") if "target" in options else None
    if source is not None and target is not None:
        if source == target:
            raise UserError(
                _(
                    "source= and target= are both {language}; the team helps between Chinese and English.",
                    language=source,
                ),
                hint=_(
                    "Use source={first} target={second}, or source={second} target={first}.",
                    first=source,
                    second=other[source],
                ),
                field="target",
            )
        return source, target, False
    if source is not None:
        return source, other[source], False
    if target is not None:
        return other[target], target, False
    source = "zh" if text is None or _HAN.search(text) else "en"
    return source, other[source], True


def _document(attachments: tuple[Attachment, ...]) -> CheckedDocument | None:
    """The attached document, checked against the language-help policy; None when there is none."""
    if not attachments:
        return None
    return check_documents(attachments, LANGUAGE_HELP)[0]


CHINESE = Choice("zh", N_("Chinese · 中文"))
ENGLISH = Choice("en", N_("English · 英文"))
LANGUAGE_FORM = register_form(
    Form(
        command="language",
        title=N_("Language help"),
        submit=N_("Ask"),
        fields=(
            FormField("source", N_("From"), "select", choices=(CHINESE, ENGLISH)),
            FormField("target", N_("Into"), "select", choices=(ENGLISH, CHINESE)),
            FormField(
                "text",
                N_("Text"),
                "multiline",
                optional=True,
                max_length=FORM_TEXT,
                placeholder=N_("The text to translate or explain. For a document, send it with a `language` message."),
            ),
        ),
        to_args=lambda values: options_args([], values, *_REQUEST_OPTIONS),
    )
)
