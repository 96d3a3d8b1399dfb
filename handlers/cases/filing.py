"""Filing links into complaints: parse, merge duplicates, split by platform, kind and size, store,
and route each new case to a team member (handlers.cases.routing).

Used by the `complaint` command and by CSV import. Everything happens in the caller's
transaction, with bulk statements, because one paste may carry ten thousand links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from handlers.cases.link_parsing import ItemKey, ParsedLink, RejectedLink, UnresolvedLink, extract_links
from handlers.cases.notices import case_opened_notices, cross_member_notice
from handlers.cases.routing import CaseRouter
from handlers.kit.audit_trail import note_columns
from handlers.kit.context import Context
from handlers.kit.i18n import Message, _, deferred_plural
from handlers.kit.local_time import month_of
from handlers.kit.replies import Notice
from storage.models import Complaint, HeldLink, IPRight, Organisation, case_id
from storage.queries import audit
from storage.queries.cases import add_complaint, add_items
from storage.queries.marketplace_items import ensure_targets, open_items_for
from storage.vocabulary import AuditEntity, ComplaintStatus, ItemKind, Platform, ReasonCode

MAX_ITEMS_PER_COMPLAINT = 300


@dataclass(frozen=True, slots=True)
class FilingRequest:
    organisation: Organisation
    member_id: int
    right: IPRight
    reason: ReasonCode
    note: str | None
    text: str
    platform: Platform | None = None
    request_key: str | None = None
    # Only listings may be filed (a reason that concerns listings, not stores).
    listings_only: bool = False
    # Why links of another platform are refused when a rule, not the member, set the platform.
    platform_rule: str | None = None


@dataclass(frozen=True, slots=True)
class FiledComplaint:
    complaint_id: int
    platform: Platform
    kind: ItemKind
    item_count: int

    @property
    def case_id(self) -> str:
        return case_id(self.complaint_id)


@dataclass(slots=True)
class FilingOutcome:
    complaints: list[FiledComplaint] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (link, why)
    # (link, the other organisation's case holding it): the case id is for the team only.
    flagged: list[tuple[str, str]] = field(default_factory=list)
    unresolved: list[UnresolvedLink] = field(default_factory=list)
    rejected: list[RejectedLink] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def registered(self) -> int:
        return sum(complaint.item_count for complaint in self.complaints)


def file_links(session: Session, ctx: Context, request: FilingRequest) -> FilingOutcome:
    """Register every new link of the request; report what was merged, held and rejected."""
    extraction = extract_links(request.text)
    outcome = FilingOutcome(unresolved=list(extraction.unresolved), rejected=list(extraction.rejected))
    groups = _group_new_links(extraction.parsed, request, outcome)
    router = CaseRouter(session)
    for (platform, kind), links in groups.items():
        _file_group(session, ctx, request, platform, kind, links, outcome, router)
    _record_filed(session, ctx, outcome.complaints)
    _hold_unresolved(session, request, outcome)
    if outcome.flagged:
        outcome.notices.append(cross_member_notice(request.organisation, ctx.caller.ref, outcome.flagged))
    return outcome


def _group_new_links(
    parsed: Sequence[ParsedLink], request: FilingRequest, outcome: FilingOutcome
) -> dict[tuple[Platform, ItemKind], list[ParsedLink]]:
    """Links grouped by (platform, kind) in order, each key once; the rest is merged or rejected."""
    groups: dict[tuple[Platform, ItemKind], list[ParsedLink]] = {}
    first_seen: dict[ItemKey, str] = {}
    platform = request.platform
    for link in parsed:
        if platform is not None and link.key.platform is not platform:
            label = link.key.platform.label
            why = (
                _("this is a {platform} link, and {rule}", platform=label, rule=_(request.platform_rule))
                if request.platform_rule
                else _(
                    "this is a {platform} link, but the complaint is for {chosen}: file it separately",
                    platform=label,
                    chosen=platform.label,
                )
            )
            outcome.rejected.append(RejectedLink(link.original, why))
            continue
        if request.listings_only and link.key.kind is not ItemKind.LISTING:
            outcome.rejected.append(RejectedLink(link.original, _("this reason applies to listings, not storefronts")))
            continue
        if link.key in first_seen:
            same = (
                _("same listing as {link}", link=first_seen[link.key])
                if link.key.kind is ItemKind.LISTING
                else _("same storefront as {link}", link=first_seen[link.key])
            )
            outcome.merged.append((link.original, same))
            continue
        first_seen[link.key] = link.original
        groups.setdefault((link.key.platform, link.key.kind), []).append(link)
    return groups


def _file_group(
    session: Session,
    ctx: Context,
    request: FilingRequest,
    platform: Platform,
    kind: ItemKind,
    links: list[ParsedLink],
    outcome: FilingOutcome,
    router: CaseRouter,
) -> None:
    target_ids, existed = ensure_targets(
        session, platform, kind, {link.key.external_id: link.canonical_url for link in links}, ctx.now
    )
    already_open = open_items_for(session, kind, [target_ids[external_id] for external_id in existed])
    organisation_id = request.organisation.id
    fresh: list[ParsedLink] = []
    for link in links:
        target_id = target_ids[link.key.external_id]
        if target_id not in already_open:
            fresh.append(link)
        elif already_open[target_id][1] == organisation_id:
            already = _("already in your open case {case}", case=case_id(already_open[target_id][0]))
            outcome.merged.append((link.original, already))
        else:
            outcome.flagged.append((link.original, case_id(already_open[target_id][0])))
    for start in range(0, len(fresh), MAX_ITEMS_PER_COMPLAINT):
        batch = fresh[start : start + MAX_ITEMS_PER_COMPLAINT]
        items = [(target_ids[link.key.external_id], link.original[:2000], link.canonical_url) for link in batch]
        outcome.complaints.append(
            _create_complaint(session, ctx, request, (platform, kind), batch, items, outcome, router)
        )


def _create_complaint(
    session: Session,
    ctx: Context,
    request: FilingRequest,
    group: tuple[Platform, ItemKind],
    batch: list[ParsedLink],
    items: list[tuple[int, str, str]],
    outcome: FilingOutcome,
    router: CaseRouter,
) -> FiledComplaint:
    """One complaint of `batch`'s links, whose items are (target id, link as written, canonical URL)."""
    platform, kind = group
    assert request.organisation.id is not None and request.right.id is not None
    routing = router.route(platform)
    complaint = Complaint(
        organisation_id=request.organisation.id,
        filed_by_id=request.member_id,
        ip_right_id=request.right.id,
        platform=platform,
        kind=kind,
        reason_code=request.reason,
        reason_text=request.note,
        status=ComplaintStatus.SUBMITTED,
        item_count=len(batch),
        assigned_to_id=routing.assignee_id,
        request_key=request.request_key,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    complaint_id = add_complaint(session, complaint)
    reported_month = month_of(ctx.now, ctx.rules.timezone)
    add_items(session, complaint, items, reported_at=ctx.now, reported_month=reported_month)
    outcome.notices.extend(
        case_opened_notices(complaint, request.organisation, request.right, batch, assignment=lambda: routing.clause)
    )
    outcome.notices.extend(router.notices(ctx, complaint, request.organisation, routing))
    return FiledComplaint(complaint_id, platform, kind, len(batch))


def _record_filed(session: Session, ctx: Context, complaints: Sequence[FiledComplaint]) -> None:
    """Each new complaint in the audit log, in the order they were filed, in one statement."""
    rows = []
    for filed in complaints:
        note, message = note_columns(_filed_note(filed.kind, filed.item_count, filed.platform))
        rows.append(
            {"at": ctx.now, "actor": ctx.caller.ref, "entity": AuditEntity.COMPLAINT, "entity_id": filed.complaint_id,
             "action": "filed", "from_status": None, "to_status": ComplaintStatus.SUBMITTED,
             "note": note, "note_message": message}
        )  # fmt: skip
    audit.record_many(session, rows)


def _filed_note(kind: ItemKind, count: int, platform: Platform) -> Message:
    """The filing's note in the case's history, "2 listing items on Taobao", read in each reader's language."""
    if kind is ItemKind.LISTING:
        return deferred_plural(
            "{count} listing item on {platform}", "{count} listing items on {platform}", count, platform=platform
        )
    return deferred_plural(
        "{count} storefront item on {platform}", "{count} storefront items on {platform}", count, platform=platform
    )


def _hold_unresolved(session: Session, request: FilingRequest, outcome: FilingOutcome) -> None:
    if not outcome.unresolved:
        return
    # Held links belong with the first complaint of the paste, if it made one.
    first_case = outcome.complaints[0].complaint_id if outcome.complaints else None
    assert request.organisation.id is not None
    for link in outcome.unresolved:
        session.add(
            HeldLink(
                organisation_id=request.organisation.id,
                member_id=request.member_id,
                complaint_id=first_case,
                platform=link.platform,
                original_text=link.original[:2000],
            )
        )
