"""Applying one status change to items of a complaint: timestamps, appeals, audit, case status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from handlers.cases.transitions import complaint_status, counter_notice_due
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.formatting import item_numbers, items_label
from handlers.kit.i18n import Localized, _, localized, ngettext
from handlers.kit.local_time import local_time, month_of
from storage.models import Complaint, ComplaintItem, SellerAppeal
from storage.queries import audit
from storage.queries.cases import item_status_counts, open_appeal
from storage.vocabulary import REMOVAL_STATUSES, AuditEntity, ComplaintStatus, CounterNoticeStatus, ItemStatus

# How many of a case's latest entries are searched for the one that set its status.
CASE_ENTRIES_SEARCHED = 100


@dataclass(frozen=True, slots=True)
class CaseChange:
    positions: list[int]
    complaint_from: ComplaintStatus
    complaint_to: ComplaintStatus
    appeals: list[SellerAppeal]
    tally: Localized  # the case's items by status after the change, e.g. "3 removed, 1 not_found"

    @property
    def newly_actioned(self) -> bool:
        return self.complaint_to is ComplaintStatus.ACTIONED and self.complaint_from is not ComplaintStatus.ACTIONED


def change_items(
    session: Session,
    ctx: Context,
    complaint: Complaint,
    items: Sequence[ComplaintItem],
    target: ItemStatus,
    note: str | None,
) -> CaseChange:
    """Move every item to `target` (transitions already checked) and re-derive the case status."""
    assert complaint.id is not None
    appeals: list[SellerAppeal] = []
    audit_rows: list[dict[str, object]] = []
    for item in items:
        assert item.id is not None
        previous = item.status
        _apply(item, target, ctx)
        if target is ItemStatus.COUNTER_NOTICE:
            appeals.append(_open_appeal(session, ctx, item, note))
        elif previous is ItemStatus.COUNTER_NOTICE:
            _close_appeal(session, ctx, item, target)
        session.add(item)
        audit_rows.append(
            {"at": ctx.now, "actor": ctx.caller.ref, "entity": AuditEntity.ITEM, "entity_id": item.id,
             "action": "status", "from_status": previous, "to_status": target, "note": note}
        )  # fmt: skip
    audit.record_many(session, audit_rows)
    session.flush()
    before = complaint.status
    counts = item_status_counts(session, [complaint.id])[complaint.id]
    after = complaint_status(counts.elements(), before)
    set_complaint_status(session, ctx, complaint, after, note=None)
    return CaseChange([item.position for item in items], before, after, appeals, tally_of(counts))


def already_there(
    session: Session, ctx: Context, complaint: Complaint, items: Sequence[ComplaintItem], target: ItemStatus
) -> str | None:
    """What to say when every one of `items` already has `target` (a second click, or a colleague
    first), with who and when from the audit log; None otherwise. E.g. "Nothing to record: item 1
    of MS-000001 is already removed (by console:team1 at 2026-11-18 15:00 EST)."
    """
    if not items or any(item.status != target for item in items):
        return None
    ids = [item.id for item in items if item.id is not None]
    changes = audit.latest_status_changes(session, ids, target)
    by_whom: dict[str, list[int]] = {}
    for item in items:
        entry = changes.get(item.id) if item.id is not None else None
        who = (
            _("by {actor} at {when}", actor=entry.actor, when=local_time(entry.at, ctx.rules.timezone))
            if entry
            else _("earlier")
        )
        by_whom.setdefault(who, []).append(item.position)
    positions = [item.position for item in items]
    if len(by_whom) == 1:
        when = next(iter(by_whom))
    else:
        when = "; ".join(f"{item_numbers(group)} {who}" for who, group in by_whom.items())
    return ngettext(
        "Nothing to record: {items} of {case} is already {status} ({when}).",
        "Nothing to record: {items} of {case} are already {status} ({when}).",
        len(positions),
        items=items_label(positions),
        case=complaint.case_id,
        status=target,
        when=when,
    )


def case_already(
    session: Session, ctx: Context, complaint: Complaint, status: ComplaintStatus, note: str | None
) -> str:
    """What to say when a case outcome would set the status the case already has (a second click,
    or a colleague first), with who set it and when, e.g. "Nothing to record: MS-000002 is already
    returned (since 2026-11-18 15:00 EST, by console:team1)." `note`, when the repeat carries one
    other than the first's, is not recorded either: the caller is told how to send it."""
    assert complaint.id is not None
    entries = audit.history(session, [(AuditEntity.COMPLAINT, [complaint.id])], limit=CASE_ENTRIES_SEARCHED)
    entry = next((e for e in reversed(entries) if e.action == "status" and e.to_status == status), None)
    if entry is None:
        said = _("Nothing to record: {case} is already {status}.", case=complaint.case_id, status=status)
    else:
        said = _(
            "Nothing to record: {case} is already {status} (since {when}, by {actor}).",
            case=complaint.case_id,
            status=status,
            when=local_time(entry.at, ctx.rules.timezone),
            actor=entry.actor,
        )
    if note and (entry is None or note != entry.note):
        said += " " + _(
            "Your note was not recorded: `case {case} reply <message>` sends it to the brand.", case=complaint.case_id
        )
    return said


def tally_of(counts: Counter[ItemStatus]) -> Localized:
    """A case's items by status, e.g. "3 removed, 1 not_found" (`3 项 removed，1 项 not_found`), in
    every language: it is shown in replies and in notices alike. The status words stay as typed."""
    ordered = sorted(counts.items())
    return localized(
        lambda: _(", ").join(
            ngettext("{count} {status}", "{count} {status}", count, status=status) for status, count in ordered
        )
    )


def case_tally(session: Session, complaint: Complaint) -> Localized:
    assert complaint.id is not None
    return tally_of(item_status_counts(session, [complaint.id])[complaint.id])


def set_complaint_status(
    session: Session, ctx: Context, complaint: Complaint, status: ComplaintStatus, note: str | None
) -> None:
    assert complaint.id is not None
    complaint.updated_at = ctx.now
    if complaint.status != status:
        record_change(
            session,
            ctx,
            AuditEntity.COMPLAINT,
            complaint.id,
            "status",
            from_status=complaint.status,
            to_status=status,
            note=note,
        )
        complaint.status = status
    session.add(complaint)


def _apply(item: ComplaintItem, target: ItemStatus, ctx: Context) -> None:
    if item.decided_at is None and target is not ItemStatus.WITHDRAWN:
        item.decided_at = ctx.now
        item.decided_month = month_of(ctx.now, ctx.rules.timezone)
        item.decision_seconds = int((ctx.now - item.reported_at).total_seconds())
    if target is ItemStatus.REMOVED:
        item.removal_seconds = int((ctx.now - item.reported_at).total_seconds())
    elif target not in REMOVAL_STATUSES:
        # Only listings that are down count in the median time to removal.
        item.removal_seconds = None
    if target is ItemStatus.COUNTER_NOTICE:
        item.counter_rounds += 1
    item.status = target


def _open_appeal(session: Session, ctx: Context, item: ComplaintItem, note: str | None) -> SellerAppeal:
    assert item.id is not None
    due = counter_notice_due(ctx.now, item.counter_rounds, ctx.rules.timezone, ctx.rules.holidays)
    appeal = SellerAppeal(item_id=item.id, round=item.counter_rounds, received_at=ctx.now, due_at=due, note=note)
    session.add(appeal)
    return appeal


def _close_appeal(session: Session, ctx: Context, item: ComplaintItem, target: ItemStatus) -> None:
    assert item.id is not None
    appeal = open_appeal(session, item.id)
    if appeal is not None:
        appeal.status = CounterNoticeStatus(target.value)
        appeal.decided_at = ctx.now
        session.add(appeal)
