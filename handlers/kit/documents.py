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

from handlers.kit.context import Attachment
from handlers.kit.errors import UserError
from handlers.kit.replies import plural

MB = 1024 * 1024
MAX_NAME = 255
ZIP = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class DocumentType:
    code: str  # `PDF`, as replies name it
    label: str  # `a PDF`, for a refusal
    media_type: str
    extensions: tuple[str, ...]
    magic: bytes | None  # None: text
    within: int = 0  # how far into the file the magic may start (PDF readers skip a little junk)

    def has_magic(self, content: bytes) -> bool:
        assert self.magic is not None
        return self.magic in content[: self.within] if self.within else content.startswith(self.magic)


PDF = DocumentType("PDF", "a PDF", "application/pdf", ("pdf",), b"%PDF-", within=1024)
PNG = DocumentType("PNG", "a PNG image", "image/png", ("png",), b"\x89PNG\r\n\x1a\n")
JPEG = DocumentType("JPEG", "a JPEG image", "image/jpeg", ("jpg", "jpeg"), b"\xff\xd8\xff")
DOCX = DocumentType(
    "DOCX", "a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), ZIP
)
XLSX = DocumentType(
    "XLSX", "an Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), ZIP
)
TXT = DocumentType("TXT", "a text file", "text/plain", ("txt",), None)
CSV = DocumentType("CSV", "a CSV file", "text/csv", ("csv",), None)
TYPES = (PDF, PNG, JPEG, DOCX, XLSX, TXT, CSV)
# What a file's first bytes say it really is, to explain a refusal.
_LOOKS_LIKE = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"#!", "a script"),
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (ZIP, "a ZIP archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file"),
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
        codes = [kind.code for kind in self.types]
        return ", ".join(codes[:-1]) + f" or {codes[-1]}" if len(codes) > 1 else codes[0]

    @property
    def limit(self) -> str:
        return f"{self.max_bytes // MB} MB"


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
        return f"{self.name} ({self.media_type}, {self.size:,} bytes) SHA-256 {self.sha256}"


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
        return "it is empty"
    if len(content) > policy.max_bytes:
        return f"it is {len(content):,} bytes; the limit is {policy.max_bytes:,} ({policy.limit})"
    if policy.names_must_match:
        return _named_type(name, content, policy)
    found = next((kind for kind in policy.types if kind.magic is not None and kind.has_magic(content)), None)
    text = next((kind for kind in policy.types if kind.magic is None), None)
    if found is None and text is not None and _text_problem(content, policy.encodings) is None:
        found = text
    return found or f"it is not {_as_list(policy)}{_looks_like(content)}"


def _named_type(name: str, content: bytes, policy: DocumentPolicy) -> DocumentType | str:
    extension = extension_of(name)
    kind = next((kind for kind in policy.types if extension in kind.extensions), None)
    if kind is None:
        shown = f".{extension} files are" if extension else "a file without an extension is"
        return f"{shown} not accepted (send {policy.accepted})"
    if kind.magic is not None:
        if kind.has_magic(content):
            return kind
        return f"it is named .{extension} but its content is not {kind.label}{_looks_like(content)}"
    problem = _text_problem(content, policy.encodings)
    if problem is None:
        return kind
    looks = _looks_like(content)
    if problem.startswith("byte") and not looks:
        return f"it is not {_encodings(policy)} text ({problem}); save it as {policy.encodings[0].upper()}"
    return f"it is named .{extension} but its content is not {_encodings(policy)} text{looks}"


def _text_problem(content: bytes, encodings: tuple[str, ...]) -> str | None:
    """None for text in one of the encodings without control characters; else what is wrong."""
    problem = "it has no text encoding"
    for encoding in encodings:
        if encoding == "utf-16" and not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            continue
        try:
            decoded = content.decode(encoding)
        except UnicodeDecodeError as error:
            problem = f"byte {error.start} cannot be read"
            continue
        return None if _CONTROL.search(decoded) is None else "it has control characters"
    return problem


def _as_list(policy: DocumentPolicy) -> str:
    """`a PDF, PNG, JPEG or plain-text file`."""
    words = [("plain-text" if kind.magic is None else kind.code) for kind in policy.types]
    return "a " + (", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]) + " file"


def _encodings(policy: DocumentPolicy) -> str:
    return "/".join(encoding.upper().removesuffix("-SIG") for encoding in policy.encodings)


def _looks_like(content: bytes) -> str:
    """` (it looks like a Windows program)` when the first bytes say what the file really is."""
    for magic, what in _LOOKS_LIKE:
        if content.startswith(magic):
            return f" (it looks like {what})"
    return ""


def check_documents(
    attachments: Sequence[Attachment], policy: DocumentPolicy, *, what: str = "document"
) -> list[CheckedDocument]:
    """Every attachment checked against the policy and fingerprinted; one refusal naming each bad file and why."""
    accepted = f"{policy.accepted}, up to {policy.limit} each"
    if not attachments:
        raise UserError(
            f"Attach at least one {what}.",
            hint=f"Send the files with the command ({accepted}); on the console add file=PATH.",
        )
    if len(attachments) > policy.at_most:
        raise UserError(
            f"{plural(len(attachments), 'file')} attached; the limit is {policy.at_most}.",
            hint="Combine scans into one PDF, or send the rest separately.",
        )
    problems: list[str] = []
    checked: list[CheckedDocument] = []
    seen: dict[str, str] = {}
    for attachment in attachments:
        name = display_name(attachment.name)
        kind = identify(name, attachment.content, policy)
        if isinstance(kind, str):
            problems.append(f"{name}: {kind}")
            continue
        document = CheckedDocument(
            name, len(attachment.content), hashlib.sha256(attachment.content).hexdigest(), kind.media_type
        )
        if document.sha256 in seen:
            problems.append(f"{name}: it is the same file as {seen[document.sha256]} (same SHA-256); send it once")
            continue
        seen[document.sha256] = name
        checked.append(document)
    if problems:
        raise UserError(
            f"{plural(len(problems), 'file')} refused: " + "; ".join(problems) + ".",
            hint=f"Accepted: {accepted}. Nothing was submitted.",
        )
    return checked
