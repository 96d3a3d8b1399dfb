"""Bulk import of complaints from a CSV file: every row checked, good rows filed, each group once.

Columns: organisation, right, link, and optionally reason, note, platform. Rows sharing
organisation, right, reason, note and platform are filed together (split by platform, kind and
300 items as usual). A group already imported (same rows) is recognised and skipped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlmodel import Session

from handlers.cases.filing import FilingOutcome, FilingRequest, file_links
from handlers.cases.link_parsing import ParsedLink, parse_link
from handlers.kit.arguments import MAX_NOTE, parse_enum, parse_platform
from handlers.kit.context import Context
from handlers.kit.csv_files import CsvRow, RowProblem
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from storage.models import IPRight, Organisation
from storage.queries.cases import complaint_by_request_key
from storage.queries.members import organisation_by_slug, usable_rights
from storage.vocabulary import Platform, ReasonCode

REQUIRED = ("organisation", "right", "link")
OPTIONAL = ("reason", "note", "platform")


@dataclass(slots=True)
class ImportGroup:
    organisation: Organisation
    right: IPRight
    reason: ReasonCode
    note: str | None
    platform: Platform | None
    links: list[str] = field(default_factory=list)

    @property
    def request_key(self) -> str:
        digest = hashlib.sha256()
        for part in (self.organisation.slug, str(self.right.id), self.reason, self.note or "", self.platform or ""):
            digest.update(part.encode() + b"\x1f")
        for link in self.links:
            digest.update(link.encode() + b"\x1e")
        return f"import:{digest.hexdigest()[:40]}"


def plan_import(session: Session, rows: list[CsvRow], ctx: Context) -> tuple[list[ImportGroup], list[RowProblem]]:
    """Group the valid rows; report every invalid one by line and column."""
    groups: dict[tuple[object, ...], ImportGroup] = {}
    problems: list[RowProblem] = []
    organisations: dict[str, Organisation | None] = {}
    rights: dict[int, list[IPRight]] = {}
    for row in rows:
        values = row.values
        slug = values.get("organisation", "").lower()
        if slug not in organisations:
            organisations[slug] = organisation_by_slug(session, slug) if slug else None
        organisation = organisations[slug]
        if organisation is None or organisation.id is None:
            problems.append(
                RowProblem(row.line, "organisation", _("no organisation '{slug}'", slug=slug) if slug else _("empty"))
            )
            continue
        if not ctx.is_staff and organisation.id != ctx.organisation_id:
            problems.append(
                RowProblem(row.line, "organisation", _("{who} files only for its own organisation", who=ctx.caller.ref))
            )
            continue
        if organisation.id not in rights:
            rights[organisation.id] = usable_rights(session, organisation.id, ctx.today)
        wanted = values.get("right", "").lstrip("#")
        right = next(
            (r for r in rights[organisation.id] if str(r.id) == wanted or r.registration_number == wanted), None
        )
        if right is None:
            problems.append(
                RowProblem(
                    row.line,
                    "right",
                    _("'{right}' is not a verified, unexpired right of {slug}", right=wanted, slug=slug),
                )
            )
            continue
        try:
            reason = parse_enum(ReasonCode, values.get("reason") or "counterfeit", N_("'{text}' is not a reason code."))
        except UserError as error:
            problems.append(RowProblem(row.line, "reason", str(error)))
            continue
        try:
            platform = parse_platform(values["platform"]) if values.get("platform") else None
        except UserError as error:
            problems.append(RowProblem(row.line, "platform", str(error)))
            continue
        note = values.get("note") or None
        if note is not None and len(note) > MAX_NOTE:
            problems.append(
                RowProblem(
                    row.line, "note", _("{count} characters; the limit is {limit}", count=len(note), limit=MAX_NOTE)
                )
            )
            continue
        link = values.get("link", "")
        parsed = parse_link(link)
        if not isinstance(parsed, ParsedLink):
            problems.append(RowProblem(row.line, "link", parsed.reason if link else _("empty")))
            continue
        if platform is not None and parsed.key.platform is not platform:
            problems.append(
                RowProblem(
                    row.line,
                    "link",
                    _(
                        "a {link_platform} link in a {platform} row",
                        link_platform=parsed.key.platform.label,
                        platform=platform.label,
                    ),
                )
            )
            continue
        if reason is ReasonCode.OTHER and not note:
            problems.append(RowProblem(row.line, "note", _("reason other needs a note")))
            continue
        key = (organisation.id, right.id, reason, note, platform)
        if key not in groups:
            groups[key] = ImportGroup(organisation, right, reason, note, platform)
        groups[key].links.append(link)
    return list(groups.values()), problems


def import_group(session: Session, ctx: Context, group: ImportGroup) -> FilingOutcome | None:
    """File one group in the caller's transaction; None when it was imported before."""
    if complaint_by_request_key(session, group.request_key):
        return None
    assert ctx.member_id is not None
    request = FilingRequest(
        organisation=group.organisation,
        member_id=ctx.member_id,
        right=group.right,
        reason=group.reason,
        note=group.note,
        text="\n".join(group.links),
        platform=group.platform,
        request_key=group.request_key,
    )
    return file_links(session, ctx, request)
