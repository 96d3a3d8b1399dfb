"""`language`: members ask the IACC/Alibaba team for help with Chinese-language text or a document.

A request (`LR-000001`) is posted in the `language` channel, in its own thread; the team's answer
goes back to the member's organisation channel, in the thread of the same reference, and to the
member by direct message. A document is never shown or stored: only its name and SHA-256 are kept.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from handlers.cases.case_reading import author
from handlers.kit.arguments import Args, leading_options, parse_positive_int
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Attachment, Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.formatting import local_time
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply, plural
from handlers.program.glossary import glossary_lines
from storage.models import LanguageRequest, Member, Organisation
from storage.queries.language import open_requests, record_answer, requests_of
from storage.vocabulary import AuditEntity, Channel, LanguageRequestStatus, NoticeKind, dm_channel, org_channel

MAX_TEXT = 4000  # what the database keeps, for the text and for the answer
FORM_TEXT = 3000  # Slack's limit for a modal's text input; longer text goes in a TXT document
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_NAME = 255
FIELD_CHUNK = 1000  # long text is posted in fields of this size, so no platform cuts it short
PAGE = 20
LISTED_TEXT = 60
NAMES = {"zh": "Chinese", "en": "English"}
_LANGUAGES = {
    "zh": "zh", "cn": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "chinese": "zh", "中文": "zh",
    "汉语": "zh", "en": "en", "english": "en", "英文": "en", "英语": "en",
}  # fmt: skip
_REQUEST_OPTIONS = ("source", "target", "text")
_REFERENCE = re.compile(r"(?i)^(?:LR-?)?0*(\d{1,9})$")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
EXAMPLE = "language source=zh target=en 正品授权书"


@dataclass(frozen=True, slots=True)
class Document:
    """What is kept of an attached document: its name, type, size and SHA-256, never its content."""

    name: str
    kind: str
    size: int
    sha256: str

    @property
    def description(self) -> str:
        return f"{self.name} ({self.kind}, {self.size:,} bytes)"


@command("language", summary="ask the team for help with Chinese-language text or a document")
def language(ctx: Context, args: Args, session: Session) -> Reply:
    """language [source=zh|en] [target=en|zh] <text>    (or attach a document)
    language answer <LR-000001> <answer>    (the IACC/Alibaba team)
    language list [all] [page=<n>]
    language show <LR-000001>
    language glossary
    Asks the IACC/Alibaba team for help with text (up to 4000 characters) or one document (PDF,
    PNG, JPEG or TXT, up to 10 MB; on the console file=PATH). With one language given the other
    is the opposite; with none, text with Chinese characters (and a document alone) is zh -> en,
    other text en -> zh. The answer comes back where you asked, in your organisation's channel in
    the thread of the request, and by direct message. `list` shows your organisation's requests
    (the team: open requests, oldest first; `all` for every request). `glossary` shows the
    program's reason and outcome words in English and Chinese.
    Example: language source=zh target=en 请提供正品授权书"""
    options, rest = _leading_options(args)
    if not options and rest:
        first, *_ = re.split(r"\s", rest, maxsplit=1)
        remainder = rest[len(first) :].strip()
        action = _ACTIONS.get(first.lower())
        if action is not None:
            return action(ctx, args, session, remainder)
    return _ask(ctx, session, options, rest)


def _leading_options(args: Args) -> tuple[dict[str, str], str]:
    """The `key=value` options before the text, and the text exactly as written after them.

    Only leading options count, so text that itself contains `a=b` reaches the team unchanged.
    A submitted form has no command line: its values arrive as options.
    """
    if not args.text:
        return dict(args.options), " ".join(args.words)
    return leading_options(args.text, _REQUEST_OPTIONS)


# --- asking -------------------------------------------------------------------------------------


def _ask(ctx: Context, session: Session, options: dict[str, str], rest: str) -> Reply:
    organisation_id = ctx.require_organisation()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None and ctx.member_id is not None
    if not options and not rest and not ctx.attachments:
        return Reply(
            f"Write the text after `language`, e.g. {EXAMPLE}, or attach a document (PDF, PNG, JPEG or "
            "TXT, up to 10 MB) to a message starting with `language`. `help language` shows every option.",
            form=request_form(LANGUAGE_FORM, ctx, session, {"source": "zh", "target": "en"}),
        )
    text = _request_text(options, rest)
    document = _document(ctx.attachments)
    if text is None and document is None:
        raise UserError(
            "Write the text you need help with, or attach a document.",
            hint=f"e.g. {EXAMPLE}; documents (PDF, PNG, JPEG or TXT) go with a message starting with `language`.",
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
    session.add(request)
    session.flush()
    assert request.id is not None
    reference = request.reference
    record_change(
        session, ctx, AuditEntity.LANGUAGE_REQUEST, request.id, "created", to_status=LanguageRequestStatus.OPEN,
        note=f"{source} -> {target}" + (f", document {document.name} sha256 {document.sha256}" if document else ""),
    )  # fmt: skip
    document_fields = [("Document", document.description), ("SHA-256", document.sha256)] if document else []
    asked = (*_text_fields("Text", text), *document_fields)
    reply = Reply(
        f"Language request {reference} ({source} → {target}) is with the IACC/Alibaba team. The answer will come "
        f"back here: in your organisation's channel, in the thread {reference}, and by direct message.",
        fields=document_fields,
    )
    if guessed:
        reply.lines.append(
            f"{NAMES[source]} to {NAMES[target]} was guessed from your message; if that is wrong, ask again "
            f"with source= and target=, e.g. source={target} target={source}."
        )
    reply.notices += [
        Notice(
            channel=Channel.LANGUAGE,
            case_id=reference,
            kind=NoticeKind.LANGUAGE_REQUEST,
            text=f"Language help {reference} from {organisation.name}: {source} → {target}",
            fields=(*asked, ("Asked by", author(ctx)), ("Answer with", f"language answer {reference} <answer>")),
        ),
        Notice(
            channel=org_channel(organisation.slug),
            case_id=reference,
            kind=NoticeKind.LANGUAGE_REQUEST,
            text=(
                f"Language help {reference} asked by {author(ctx)}: {source} → {target}. The IACC/Alibaba team's "
                "answer will be posted in this thread."
            ),
            fields=asked,
        ),
    ]
    return reply


def _request_text(options: dict[str, str], rest: str) -> str | None:
    """The text to help with (NUL characters dropped), checked against the limit; None when there is none."""
    if options.get("text") and rest:
        raise UserError(
            "Give the text either after the options or in text=, not both.",
            hint=f"e.g. {EXAMPLE}",
            field="text",
        )
    text = (options.get("text") or rest).replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise UserError(
            f"The text is {len(text):,} characters; the limit is {MAX_TEXT:,}.",
            hint="Attach a longer text as a TXT document (on the console: file=PATH), or split it over "
            "several requests.",
            field="text",
        )
    return text or None


def _language_code(value: str, field: str) -> str:
    code = _LANGUAGES.get(value.strip().lower())
    if code is None:
        raise UserError(
            f"'{value}' is not a language the team helps with here.",
            hint="Use zh (Chinese) or en (English), e.g. source=zh target=en.",
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
                f"source= and target= are both {source}; the team helps between Chinese and English.",
                hint=f"Use source={source} target={other[source]}, or source={other[source]} target={source}.",
                field="target",
            )
        return source, target, False
    if source is not None:
        return source, other[source], False
    if target is not None:
        return other[target], target, False
    source = "zh" if text is None or _HAN.search(text) else "en"
    return source, other[source], True


def _document(attachments: tuple[Attachment, ...]) -> Document | None:
    """The attached document, checked: one, not empty, at most 10 MB, a PDF, PNG, JPEG or text file."""
    if not attachments:
        return None
    if len(attachments) > 1:
        raise UserError(
            f"Attach one document per request; this message has {len(attachments)}.",
            hint="Send each document in its own `language` message.",
        )
    attachment = attachments[0]
    name, content = _clean_name(attachment.name), attachment.content
    if not content:
        raise UserError(f"{name} is empty (0 bytes).", hint="Attach the document again; it may not have uploaded.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise UserError(
            f"{name} is {len(content):,} bytes; the limit is 10 MB ({MAX_DOCUMENT_BYTES:,} bytes).",
            hint="Send a smaller scan (a lower resolution, or only the pages that matter).",
        )
    kind = _document_kind(content)
    if kind is None:
        raise UserError(
            f"{name} is not a PDF, PNG, JPEG or plain-text file.",
            hint="Save or scan it as PDF, PNG or JPEG (or plain text as TXT) and attach it again.",
        )
    return Document(name, kind, len(content), hashlib.sha256(content).hexdigest())


def _document_kind(content: bytes) -> str | None:
    """The document's type by its first bytes (never by its name); None for anything else."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if b"%PDF-" in content[:1024]:  # readers accept a little junk before the header
        return "PDF"
    return "TXT" if _is_text(content) else None


def _is_text(content: bytes) -> bool:
    """Plain text in UTF-8, UTF-16 (with its byte-order mark) or GB18030/GBK, without control bytes."""
    encodings = ("utf-16",) if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ()
    for encoding in (*encodings, "utf-8-sig", "gb18030"):
        try:
            decoded = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _CONTROL.search(decoded) is None
    return False


def _clean_name(name: str) -> str:
    """The file's own name: no folders, no control characters, at most 255 characters (extension kept)."""
    base = _NAME_CONTROL.sub(" ", name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or "document"
    if len(base) <= MAX_NAME:
        return base
    stem, dot, extension = base.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: MAX_NAME - len(extension) - 1] + "." + extension
    return base[:MAX_NAME]


def _text_fields(title: str, text: str | None) -> list[tuple[str, str]]:
    """Long text as several fields of at most 1000 characters, split at line ends or spaces."""
    if not text:
        return []
    chunks: list[str] = []
    rest = text
    while len(rest) > FIELD_CHUNK:
        cut = max(rest.rfind("\n", 0, FIELD_CHUNK), rest.rfind(" ", 0, FIELD_CHUNK))
        cut = cut if cut > FIELD_CHUNK // 2 else FIELD_CHUNK
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    if len(chunks) == 1:
        return [(title, chunks[0])]
    return [(f"{title} ({n}/{len(chunks)})", chunk) for n, chunk in enumerate(chunks, start=1)]


CHINESE = Choice("zh", "Chinese · 中文")
ENGLISH = Choice("en", "English · 英文")
LANGUAGE_FORM = register_form(
    Form(
        command="language",
        title="Language help",
        submit="Ask",
        fields=(
            FormField("source", "From", "select", choices=(CHINESE, ENGLISH)),
            FormField("target", "Into", "select", choices=(ENGLISH, CHINESE)),
            FormField(
                "text",
                "Text",
                "multiline",
                optional=True,
                max_length=FORM_TEXT,
                placeholder="The text to translate or explain. For a document, send it with a `language` message.",
            ),
        ),
        to_args=lambda values: options_args([], values, *_REQUEST_OPTIONS),
    )
)


# --- the team's answer, lists and one request -----------------------------------------------------


def parse_reference(text: str, field: str | None = None) -> int:
    """`LR-000001`, `lr-1` or `1` -> 1."""
    match = _REFERENCE.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            f"'{text}' is not a language request reference.", hint="References look like LR-000001.", field=field
        )
    return int(match.group(1))


def load_request(session: Session, ctx: Context, text: str, field: str | None = None) -> LanguageRequest:
    """The request named, if the caller may see it: their organisation's, or any for the team.

    Another organisation's request is answered exactly like a missing one.
    """
    number = parse_reference(text, field)
    request = session.get(LanguageRequest, number)
    if request is None or not (ctx.is_staff or request.organisation_id == ctx.organisation_id):
        whose = "" if ctx.is_staff else " among your organisation's requests"
        raise NotFound(
            f"There is no language request LR-{number:06d}{whose}.", hint="`language list` lists them.", field=field
        )
    return request


def _answer(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    if not ctx.is_staff:
        raise NotPermitted(
            "Only the IACC/Alibaba team can answer language requests.",
            hint="To ask about text that starts with 'answer', put the languages first: "
            "language source=en target=zh answer ...",
        )
    if not rest:
        raise UserError(
            "Say which request and the answer.", hint="language answer LR-000001 <answer>", field="reference"
        )
    first, *_ = re.split(r"\s", rest, maxsplit=1)
    request = load_request(session, ctx, first, field="reference")
    reference = request.reference
    answer = rest[len(first) :].replace("\x00", "").strip()
    if request.status == LanguageRequestStatus.ANSWERED:
        raise _already_answered(ctx, request)
    if not answer:
        raise UserError(f"Write the answer after the reference: language answer {reference} <answer>.", field="answer")
    if len(answer) > MAX_TEXT:
        raise UserError(
            f"The answer is {len(answer):,} characters; the limit is {MAX_TEXT:,}.",
            hint="Shorten it; a request has one answer.",
            field="answer",
        )
    if not record_answer(session, request, answer=answer, by=ctx.caller.ref, at=ctx.now):
        raise _already_answered(ctx, request)  # someone else answered it a moment ago
    assert request.id is not None
    record_change(
        session, ctx, AuditEntity.LANGUAGE_REQUEST, request.id, "status",
        from_status=LanguageRequestStatus.OPEN, to_status=LanguageRequestStatus.ANSWERED,
        note=f"answer of {plural(len(answer), 'character')}",
    )  # fmt: skip
    organisation = session.get(Organisation, request.organisation_id)
    requester = session.get(Member, request.member_id)
    assert organisation is not None and requester is not None
    direction = f"{request.source_language} → {request.target_language}"
    fields = (*_text_fields("Answer", answer), ("Your request", _summary(request, 300)))
    reply = Reply(
        f"Answer to {reference} sent to {organisation.name}: in their channel, thread {reference}, and by direct "
        f"message to {requester.platform}:{requester.user_id}."
    )
    reply.notices += [
        Notice(
            channel=org_channel(organisation.slug),
            case_id=reference,
            kind=NoticeKind.LANGUAGE_ANSWER,
            text=f"Answer to language request {reference} ({direction}) from {author(ctx)}:",
            fields=fields,
        ),
        Notice(
            channel=dm_channel(requester.platform, requester.user_id),
            kind=NoticeKind.LANGUAGE_ANSWER,
            text=f"The IACC/Alibaba team answered your language request {reference} ({direction}):",
            fields=fields,
        ),
        Notice(
            channel=Channel.LANGUAGE,
            case_id=reference,
            kind=NoticeKind.LANGUAGE_ANSWERED,
            text=f"{reference} answered by {author(ctx)}; the answer was sent to {organisation.name}.",
        ),
    ]
    return reply


def _already_answered(ctx: Context, request: LanguageRequest) -> UserError:
    return UserError(
        f"{request.reference} was already answered by {request.answered_by} on "
        f"{local_time(request.answered_at, ctx.rules.timezone)}.",
        hint=f"`language show {request.reference}` shows the answer; a request has one answer.",
        field="reference",
    )


def _list(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    args.check_options("page")
    words = args.words[1:]
    if len(words) > 1 or (words and words[0].lower() != "all"):
        raise UserError(f"'{words[-1]}' is not a choice here.", hint="Use `language list` or `language list all`.")
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    offset = (page - 1) * PAGE
    queue = ctx.is_staff and not words
    if queue:
        found, total = open_requests(session, limit=PAGE, offset=offset)
        title = f"{plural(total, 'open language request')}, oldest first"
    else:
        organisation_id = None if ctx.is_staff else ctx.require_organisation()
        found, total = requests_of(session, organisation_id, limit=PAGE, offset=offset)
        title = f"{plural(total, 'language request')}, newest first"
    pages = max(1, -(-total // PAGE))
    if not found:
        if total:
            raise UserError(f"There {'is' if pages == 1 else 'are'} only {plural(pages, 'page')}.", field="page")
        return Reply("No open language requests." if queue else "No language requests yet.")
    reply = Reply(f"{title} (page {page} of {pages}):")
    for request in found:
        organisation = session.get(Organisation, request.organisation_id) if ctx.is_staff else None
        whose = f" {organisation.name}" if organisation else ""
        reply.lines.append(
            f"{request.reference} {request.created_at.astimezone(ctx.rules.timezone):%Y-%m-%d} {request.status} "
            f"{request.source_language} → {request.target_language}{whose}: {_summary(request, LISTED_TEXT)}"
        )
    return reply


def _show(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    args.check_options()
    if len(args.words) != 2:
        raise UserError(
            "Say which request to show." if len(args.words) < 2 else "Show one request at a time.",
            hint="language show LR-000001",
        )
    request = load_request(session, ctx, args.words[1])
    organisation = session.get(Organisation, request.organisation_id)
    requester = session.get(Member, request.member_id)
    assert organisation is not None and requester is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{request.reference} · {request.status} · {request.source_language} → {request.target_language}")
    reply.fields = [
        ("Organisation", organisation.name),
        ("Asked", f"{local_time(request.created_at, zone)} by {requester.platform}:{requester.user_id}"),
        *_text_fields("Text", request.text),
    ]
    if request.document_name:
        reply.fields += [("Document", request.document_name), ("SHA-256", request.document_sha256 or "-")]
    if request.status == LanguageRequestStatus.ANSWERED:
        reply.fields += [
            *_text_fields("Answer", request.answer),
            ("Answered", f"{local_time(request.answered_at, zone)} by {request.answered_by}"),
        ]
    elif ctx.is_staff:
        reply.lines.append(f"Answer with: language answer {request.reference} <answer>")
    return reply


def _glossary(ctx: Context, args: Args, session: Session, rest: str) -> Reply:
    if rest:
        raise UserError(f"`language glossary` takes nothing after it, not '{rest[:40]}'.")
    return Reply(
        "Glossary of the program's reasons and outcomes, English · 简体中文 (a maintained list, not machine "
        "translation):",
        lines=glossary_lines(),
    )


def _summary(request: LanguageRequest, limit: int) -> str:
    """The request's text on one line, shortened, or its document's name."""
    parts = []
    if request.text:
        line = " ".join(request.text.split())
        parts.append(line if len(line) <= limit else line[: limit - 1] + "…")
    if request.document_name:
        parts.append(f"document {request.document_name}")
    return "; ".join(parts)


_ACTIONS: dict[str, Callable[[Context, Args, Session, str], Reply]] = {
    "answer": _answer,
    "list": _list,
    "show": _show,
    "glossary": _glossary,
}
