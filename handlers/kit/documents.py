"""Documents members send as evidence: checked by size, extension and magic bytes, then fingerprinted.

Nothing here stores, opens, parses or renders a document. The only look inside is at its first
bytes (and, for text files, whether they decode as UTF-8), to make sure a file is what its name
says. What is kept is the fingerprint: display name, size, media type and SHA-256.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.kit.context import Attachment
from handlers.kit.errors import UserError
from handlers.kit.replies import plural

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_NAME = 255
ZIP = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class DocumentType:
    label: str
    media_type: str
    magic: bytes | None  # None: a UTF-8 text file


TYPES: dict[str, DocumentType] = {
    "pdf": DocumentType("a PDF", "application/pdf", b"%PDF-"),
    "png": DocumentType("a PNG image", "image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": DocumentType("a JPEG image", "image/jpeg", b"\xff\xd8\xff"),
    "jpeg": DocumentType("a JPEG image", "image/jpeg", b"\xff\xd8\xff"),
    "docx": DocumentType(
        "a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP
    ),
    "xlsx": DocumentType("an Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "txt": DocumentType("a text file", "text/plain", None),
    "csv": DocumentType("a CSV file", "text/csv", None),
}
ACCEPTED = "PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV"
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
class CheckedDocument:
    """An accepted document's fingerprint: all that is kept of it."""

    name: str
    size: int
    sha256: str
    media_type: str

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


def problem_with(name: str, content: bytes) -> str | None:
    """Why this file is not accepted, or None when it is."""
    if not content:
        return "it is empty"
    if len(content) > MAX_DOCUMENT_BYTES:
        return f"it is {len(content):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} (20 MB)"
    extension = extension_of(name)
    kind = TYPES.get(extension)
    if kind is None:
        shown = f".{extension} files are" if extension else "a file without an extension is"
        return f"{shown} not accepted (send {ACCEPTED})"
    if kind.magic is not None:
        if content.startswith(kind.magic):
            return None
        return f"it is named .{extension} but its content is not {kind.label}{_looks_like(content)}"
    if b"\x00" in content:
        return f"it is named .{extension} but its content is not UTF-8 text{_looks_like(content)}"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"it is not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8"
    return None


def _looks_like(content: bytes) -> str:
    """` (it looks like a Windows program)` when the first bytes say what the file really is."""
    for magic, what in _LOOKS_LIKE:
        if content.startswith(magic):
            return f" (it looks like {what})"
    return ""


def fingerprint(name: str, content: bytes) -> CheckedDocument:
    """The fingerprint of a file already found acceptable."""
    media_type = TYPES[extension_of(name)].media_type
    return CheckedDocument(name, len(content), hashlib.sha256(content).hexdigest(), media_type)


def check_documents(
    attachments: Sequence[Attachment], *, at_most: int = 20, what: str = "document"
) -> list[CheckedDocument]:
    """Every attachment checked and fingerprinted; one refusal naming each bad file and why."""
    if not attachments:
        raise UserError(
            f"Attach at least one {what}.",
            hint=f"Send the files with the command ({ACCEPTED}, up to 20 MB each); on the console add file=PATH.",
        )
    if len(attachments) > at_most:
        raise UserError(
            f"{plural(len(attachments), 'file')} attached; the limit is {at_most}.",
            hint="Combine scans into one PDF, or send the rest with a second submission.",
        )
    problems: list[str] = []
    checked: list[CheckedDocument] = []
    seen: dict[str, str] = {}
    for attachment in attachments:
        name = display_name(attachment.name)
        problem = problem_with(name, attachment.content)
        if problem is not None:
            problems.append(f"{name}: {problem}")
            continue
        document = fingerprint(name, attachment.content)
        if document.sha256 in seen:
            problems.append(f"{name}: it is the same file as {seen[document.sha256]} (same SHA-256); send it once")
            continue
        seen[document.sha256] = name
        checked.append(document)
    if problems:
        raise UserError(
            f"{plural(len(problems), 'file')} refused: " + "; ".join(problems) + ".",
            hint=f"Accepted: {ACCEPTED}, up to 20 MB each. Nothing was submitted.",
        )
    return checked
