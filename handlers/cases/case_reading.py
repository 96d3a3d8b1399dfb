"""`cases` and `withdraw`: the list of cases, and taking items back."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.case_filters import case_selection
from handlers.cases.case_view import CASE, load_case
from handlers.cases.item_changes import change_items
from handlers.cases.notices import (
    case_actioned_notice,
    case_summary_notices,
    describe_items,
)
from handlers.cases.routing import assignee_label
from handlers.kit.arguments import (
    Args,
    parse_positive_int,
    parse_selection,
)
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import items_label
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply, plural
from storage.models import Organisation
from storage.queries.cases import cases_for, item_status_counts, items_of
from storage.vocabulary import Channel, ItemStatus, NoticeKind


@command("cases", summary="list your organisation's cases (the team sees all)")
def cases(ctx: Context, args: Args, session: Session) -> Reply:
    """cases [open] [platform=<name>] [month=YYYY-MM] [status=<status>] [org=<slug>] [page=<n>]
    cases mine [all] [filters as above]   (team: the cases assigned to you, open ones unless `all`)
    Newest first, 20 a page. `org=` is for the team.
    Example: cases open platform=taobao month=2026-11"""
    args.check_options("platform", "month", "status", "org", "page")
    selection = case_selection(ctx, args, session)
    mine, open_only, where = selection.mine, selection.open_only, selection.where
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    found, total = cases_for(session, where, limit=20, offset=(page - 1) * 20)
    if not found:
        if total:
            return Reply(f"There are only {total} matching cases.")
        if mine:
            filtered = bool(set(args.options) - {"page"}) or "all" in [word.lower() for word in args.words]
            return Reply("No cases assigned to you match." if filtered else "You have no open cases assigned.")
        return Reply("No cases match.")
    counts = item_status_counts(session, [c.id for c in found if c.id is not None])
    pages = f"page {page} of {-(-total // 20)}"
    if mine:
        reply = Reply(f"{plural(total, 'open case' if open_only else 'case')} assigned to you ({pages}):")
    else:
        reply = Reply(f"{plural(total, 'case')} ({pages}):")
    for complaint in found:
        assert complaint.id is not None
        tally = counts[complaint.id]
        decided = complaint.item_count - tally[ItemStatus.REPORTED] - tally[ItemStatus.WITHDRAWN]
        reply.lines.append(
            f"{complaint.case_id} {complaint.created_at.astimezone(ctx.rules.timezone):%Y-%m-%d} "
            f"{describe_items(complaint)} · {complaint.status} · {decided}/{complaint.item_count} decided"
        )
    return reply


@command("withdraw", summary="withdraw your complaint, or some of its items", options=(CASE,))
def withdraw(ctx: Context, args: Args, session: Session) -> Reply:
    """withdraw MS-000123 [all | <items>] [note="..."]
    Withdraws items the team has not decided yet; items are numbered as in `case`.
    Example: withdraw MS-000123 2,5-7 note="licensed reseller\""""
    args.check_options("note")
    complaint = load_case(session, ctx, args.word(0, "case id (e.g. MS-000123)"), for_update=True)
    if ctx.is_staff and not ctx.is_admin and complaint.organisation_id != ctx.organisation_id:
        raise UserError("Only the organisation that filed a case can withdraw it.")
    assert complaint.id is not None
    selection = parse_selection(args.words[1], complaint.item_count) if len(args.words) > 1 else None
    items = items_of(session, complaint.id, selection)
    open_items = [item for item in items if item.status == ItemStatus.REPORTED]
    if selection is not None and len(open_items) < len(items):
        decided = [f"{item.position} ({item.status})" for item in items if item.status != ItemStatus.REPORTED]
        raise UserError(f"These items are already decided and cannot be withdrawn: {', '.join(decided)}.")
    if not open_items:
        raise UserError(f"{complaint.case_id} has no undecided items left to withdraw.")
    note = args.note()
    change = change_items(session, ctx, complaint, open_items, ItemStatus.WITHDRAWN, note)
    what = items_label(change.positions) if selection is not None else "all undecided items"
    reply = Reply(f"Withdrew {what} of {complaint.case_id}; the case is {change.complaint_to}.")
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    if change.newly_actioned:
        reply.notices.append(case_actioned_notice(complaint, organisation, change.tally))
    reply.notices.extend(
        case_summary_notices(complaint, organisation, change.tally, assignee_label(session, complaint))
    )
    reply.notices.append(
        Notice(channel=Channel.TEAM, case_id=complaint.case_id, kind=NoticeKind.WITHDRAWN,
               text=f"{ctx.caller.ref} withdrew {what} of {complaint.case_id}" + (f": {note}" if note else "."))
    )  # fmt: skip
    return reply
