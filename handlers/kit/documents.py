"""Documents members send: checked against the policy of their use, then fingerprinted.

A policy says which types a use accepts (recognised by their first bytes), how large a file may
be, which text encodings count as text, and whether a file's name must agree with its content.
Nothing here stores, opens, parses or renders a document: the only look inside is at its first
bytes (and, for text, whether it decodes). What is kept is the fingerprint: display name, size,
media type and SHA-256.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

from handlers.kit.context import Attachment
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, format_number, ngettext

MB = 1024 * 1024
MAX_NAME = 255
ZIP = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class DocumentType:
    code: str  # `PDF`, as replies name it
    label: str  # `a PDF`, for a refusal (marked for translation)
    media_type: str
    extensions: tuple[str, ...]
    magic: bytes | None  # None: text
    within: int = 0  # how far into the file the magic may start (PDF readers skip a little junk)

    def has_magic(self, content: bytes) -> bool:
        assert self.magic is not None
        return self.magic in content[: self.within] if self.within else content.startswith(self.magic)


PDF = DocumentType("PDF", N_("a PDF"), "application/pdf", ("pdf",), b"%PDF-", within=1024)
PNG = DocumentType("PNG", N_("a PNG image"), "image/png", ("png",), b"\x89PNG\r\n\x1a\n")
JPEG = DocumentType("JPEG", N_("a JPEG image"), "image/jpeg", ("jpg", "jpeg"), b"\xff\xd8\xff")
DOCX = DocumentType(
    "DOCX",
    N_("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
    ZIP,
)
XLSX = DocumentType(
    "XLSX", N_("an Excel workbook"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), ZIP
)
TXT = DocumentType("TXT", N_("a text file"), "text/plain", ("txt",), None)
CSV = DocumentType("CSV", N_("a CSV file"), "text/csv", ("csv",), None)
TYPES = (PDF, PNG, JPEG, DOCX, XLSX, TXT, CSV)
# What a file's first bytes say it really is, to explain a refusal.
_LOOKS_LIKE = (
    (b"MZ", N_("a Windows program")),
    (b"\x7fELF", N_("a Linux program")),
    (b"\xcf\xfa\xed\xfe", N_("a macOS program")),
    (b"#!", N_("a script")),
    (b"%PDF-", N_("a PDF")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (ZIP, N_("a ZIP archive")),
    (b"Rar!", N_("a RAR archive")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"\xd0\xcf\x11\xe0", N_("an old-style Office file")),
)


@dataclass(frozen=True, slots=True)
class DocumentPolicy:
    """What one use accepts; `names_must_match` also holds a file to the type its name says."""

    types: tuple[DocumentType, ...]
    max_bytes: int
    encodings: tuple[str, ...]  # "utf-16" only with its byte-order mark
    names_must_match: bool
    at_most: int

    @property
    def accepted(self) -> str:
        """`PDF, PNG, JPEG or TXT`."""
        return either([kind.code for kind in self.types])

    @property
    def limit(self) -> str:
        return f"{self.max_bytes // MB} MB"

    def accepted_each(self) -> str:
        """`PDF, PNG, JPEG or TXT, up to 10 MB each`."""
        return _("{types}, up to {limit} each", types=self.accepted, limit=self.limit)


# Raid evidence: the authority's record, photos and inventories, each named for what it is.
RAID_EVIDENCE = DocumentPolicy((PDF, PNG, JPEG, DOCX, XLSX, TXT, CSV), 20 * MB, ("utf-8",), True, at_most=20)
# Language help: one scan or text, recognised by its bytes whatever its name; Chinese text is often GB18030.
LANGUAGE_HELP = DocumentPolicy((PDF, PNG, JPEG, TXT), 10 * MB, ("utf-16", "utf-8-sig", "gb18030"), False, at_most=1)


@dataclass(frozen=True, slots=True)
class CheckedDocument:
    """An accepted document's fingerprint: all that is kept of it."""

    name: str
    size: int
    sha256: str
    media_type: str

    @property
    def code(self) -> str:
        """`PDF`: the type's short name."""
        return next(kind.code for kind in TYPES if kind.media_type == self.media_type)

    def describe(self) -> str:
        """`raid.pdf (application/pdf, 12,345 bytes) SHA-256 9f86d0...`."""
        return _(
            "{name} ({media_type}, {size} bytes) SHA-256 {sha256}",
            name=self.name, media_type=self.media_type, size=format_number(self.size), sha256=self.sha256,
        )  # fmt: skip


def either(words: Sequence[str]) -> str:
    """`PDF, PNG, JPEG or TXT` (`PDF、PNG、JPEG 或 TXT`): one of the words, as the reader lists them."""
    if len(words) < 2:
        return "".join(words)
    listed = reduce(lambda items, item: _("{items}, {item}", items=items, item=item), words[:-1])
    return _("{items} or {last}", items=listed, last=words[-1])


def display_name(raw: str) -> str:
    """A file name safe to show: no folders, no control characters, at most 255 characters."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in base)
    cleaned = " ".join(cleaned.split()).strip(". ") or "unnamed"
    if len(cleaned) <= MAX_NAME:
        return cleaned
    stem, dot, extension = cleaned.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: MAX_NAME - len(extension) - 2] + "…." + extension
    return cleaned[: MAX_NAME - 1] + "…"


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def identify(name: str, content: bytes, policy: DocumentPolicy) -> DocumentType | str:
    """The file's type under the policy, or why it is not accepted."""
    if not content:
        return _("it is empty")
    if len(content) > policy.max_bytes:
        return _(
            "it is {size} bytes; the limit is {limit_bytes} ({limit})",
            size=format_number(len(content)), limit_bytes=format_number(policy.max_bytes), limit=policy.limit,
        )  # fmt: skip
    if policy.names_must_match:
        return _named_type(name, content, policy)
    found = next((kind for kind in policy.types if kind.magic is not None and kind.has_magic(content)), None)
    text = next((kind for kind in policy.types if kind.magic is None), None)
    if found is None and text is not None and _text_problem(content, policy.encodings) is None:
        found = text
    return found or _("it is not {kinds}{looks_like}", kinds=_as_list(policy), looks_like=_looks_like(content))


def _named_type(name: str, content: bytes, policy: DocumentPolicy) -> DocumentType | str:
    extension = extension_of(name)
    kind = next((kind for kind in policy.types if extension in kind.extensions), None)
    if kind is None:
        if extension:
            return _(".{extension} files are not accepted (send {accepted})", extension=extension,
                     accepted=policy.accepted)  # fmt: skip
        return _("a file without an extension is not accepted (send {accepted})", accepted=policy.accepted)
    if kind.magic is not None:
        if kind.has_magic(content):
            return kind
        return _(
            "it is named .{extension} but its content is not {kind}{looks_like}",
            extension=extension, kind=_(kind.label), looks_like=_looks_like(content),
        )  # fmt: skip
    problem = _text_problem(content, policy.encodings)
    if problem is None:
        return kind
    looks = _looks_like(content)
    unreadable, why = problem
    if unreadable and not looks:
        return _(
            "it is not {encodings} text ({problem}); save it as {encoding}",
            encodings=_encodings(policy), problem=why, encoding=policy.encodings[0].upper(),
        )  # fmt: skip
    return _(
        "it is named .{extension} but its content is not {encodings} text{looks_like}",
        extension=extension, encodings=_encodings(policy), looks_like=looks,
    )  # fmt: skip


def _text_problem(content: bytes, encodings: tuple[str, ...]) -> tuple[bool, str] | None:
    """None for text in one of the encodings without control characters; else whether a byte could
    not be read, and what is wrong."""
    problem = (False, _("it has no text encoding"))
    for encoding in encodings:
        if encoding == "utf-16" and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            continue
        try:
            decoded = content.decode(encoding)
        except UnicodeDecodeError as error:
            problem = (True, _("byte {position} cannot be read", position=error.start))
            continue
        return None if _CONTROL.search(decoded) is None else (False, _("it has control characters"))
    return problem


def _as_list(policy: DocumentPolicy) -> str:
    """`a PDF, PNG, JPEG or plain-text file`."""
    words = [(_("plain-text") if kind.magic is None else kind.code) for kind in policy.types]
    return _("a {kinds} file", kinds=either(words))


def _encodings(policy: DocumentPolicy) -> str:
    return "/".join(encoding.upper().removesuffix("-SIG") for encoding in policy.encodings)


def _looks_like(content: bytes) -> str:
    """` (it looks like a Windows program)` when the first bytes say what the file really is."""
    for magic, what in _LOOKS_LIKE:
        if content.startswith(magic):
            return _(" (it looks like {what})", what=_(what))
    return ""


def check_documents(
    attachments: Sequence[Attachment], policy: DocumentPolicy, *, what: str = N_("document")
) -> list[CheckedDocument]:
    """Every attachment checked against the policy and fingerprinted; one refusal naming each bad file and why."""
    accepted = policy.accepted_each()
    if not attachments:
        raise UserError(
            _("Attach at least one {what}.", what=_(what)),
            hint=_("Send the files with the command ({accepted}); on the console add file=PATH.", accepted=accepted),
        )
    if len(attachments) > policy.at_most:
        raise UserError(
            ngettext(
                "{count} file attached; the limit is {limit}.", "{count} files attached; the limit is {limit}.",
                len(attachments), limit=policy.at_most,
            ),
            hint=_("Combine scans into one PDF, or send the rest separately."),
        )  # fmt: skip
    problems: list[str] = []
    checked: list[CheckedDocument] = []
    seen: dict[str, str] = {}
    for attachment in attachments:
        name = display_name(attachment.name)
        kind = identify(name, attachment.content, policy)
        if isinstance(kind, str):
            problems.append(_("{name}: {why}", name=name, why=kind))
            continue
        document = CheckedDocument(
            name, len(attachment.content), hashlib.sha256(attachment.content).hexdigest(), kind.media_type
        )
        if document.sha256 in seen:
            problems.append(
                _("{name}: it is the same file as {first} (same SHA-256); send it once", name=name,
                  first=seen[document.sha256])
            )  # fmt: skip
            continue
        seen[document.sha256] = name
        checked.append(document)
    if problems:
        raise UserError(
            ngettext("{count} file refused: {problems}.", "{count} files refused: {problems}.", len(problems),
                     problems="; ".join(problems)),
            hint=_("Accepted: {accepted}. Nothing was submitted.", accepted=accepted),
        )  # fmt: skip
    return checked
