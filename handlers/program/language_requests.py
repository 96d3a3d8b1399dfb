"""Language requests (`LR-000001`): finding one the caller may see, and how their text is shown.

Members ask with `language` (handlers/program/language); the team answers with `language answer`
(handlers/program/language_answers); `language list`, `show` and `glossary`: handlers/program/language_lists.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import _
from storage.models import LanguageRequest

MAX_TEXT = 4000  # what the database keeps, for the text and for the answer
FIELD_CHUNK = 1000  # long text is posted in fields of this size, so no platform cuts it short
REFERENCE = re.compile(r"(?i)^(?:LR-?)?0*(\d{1,9})$")


def parse_reference(text: str, field: str | None = None) -> int:
    """`LR-000001`, `lr-1` or `1` -> 1."""
    match = REFERENCE.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            _("'{text}' is not a language request reference.", text=text),
            hint=_("References look like LR-000001."),
            field=field,
        )
    return int(match.group(1))


def load_request(session: Session, ctx: Context, text: str, field: str | None = None) -> LanguageRequest:
    """The request named, if the caller may see it: their organisation's, or any for the team.

    Another organisation's request is answered exactly like a missing one.
    """
    number = parse_reference(text, field)
    request = session.get(LanguageRequest, number)
    if request is None or not (ctx.is_staff or request.organisation_id == ctx.organisation_id):
        reference = f"LR-{number:06d}"
        raise NotFound(
            _("There is no language request {reference}.", reference=reference)
            if ctx.is_staff
            else _("There is no language request {reference} among your organisation's requests.", reference=reference),
            hint=_("`language list` lists them."),
            field=field,
        )
    return request


def text_fields(title: str, text: str | None) -> list[tuple[str, str]]:
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


def summary(request: LanguageRequest, limit: int) -> str:
    """The request's text on one line, shortened, or its document's name."""
    parts = []
    if request.text:
        line = " ".join(request.text.split())
        parts.append(line if len(line) <= limit else line[: limit - 1] + "…")
    if request.document_name:
        parts.append(_("document {name}", name=request.document_name))
    return "; ".join(parts)
