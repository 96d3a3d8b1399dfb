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
from handlers.kit.i18n import N_, _, localized, ngettext
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply
from storage.models import Organisation
from storage.queries.cases import cases_for, item_status_counts, items_of
from storage.vocabulary import Channel, ItemStatus, NoticeKind


@command("cases", summary=N_("list your organisation's cases (the team sees all)"), reads_only=True)
def cases(ctx: Context, args: Args, session: Session) -> Reply:
    """cases [open] [platform=<name>] [month=YYYY-MM] [status=<status>] [org=<slug>] [page=<n>]
    cases mine [all] [filters as above]   (team: the cases assigned to you, open ones unless `all`)
    Newest first, 20 a page. `org=` is for the team.
    Example: cases open platform=taobao month=2026-11"""
    args.check_options("platform", "month", "status", "org", "page")
    selection = case_selection(ctx, args, session)
    mine, open_only, where = selection.mine, selection.open_only, selection.where
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    listed = cases_for(session, where, limit=20, offset=(page - 1) * 20)
    found, total = listed.cases, listed.total
    if not found:
        if total:
            return Reply(
                ngettext("There is only {count} matching case.", "There are only {count} matching cases.", total)
            )
        if mine:
            filtered = bool(set(args.options) - {"page"}) or "all" in [word.lower() for word in args.words]
            return Reply(_("No cases assigned to you match.") if filtered else _("You have no open cases assigned."))
        return Reply(_("No cases match."))
    counts = item_status_counts(session, [c.id for c in found if c.id is not None])
    pages = -(-total // 20)
    if listed.at_least:
        heading = _at_least_heading(mine, open_only, total, page, pages)
    elif mine and open_only:
        heading = ngettext(
            "{count} open case assigned to you (page {page} of {pages}):",
            "{count} open cases assigned to you (page {page} of {pages}):",
            total, page=page, pages=pages,
        )  # fmt: skip
    elif mine:
        heading = ngettext(
            "{count} case assigned to you (page {page} of {pages}):",
            "{count} cases assigned to you (page {page} of {pages}):",
            total, page=page, pages=pages,
        )  # fmt: skip
    else:
        heading = ngettext("{count} case (page {page} of {pages}):", "{count} cases (page {page} of {pages}):", total,
                           page=page, pages=pages)  # fmt: skip
    reply = Reply(heading)
    for complaint in found:
        assert complaint.id is not None
        tally = counts[complaint.id]
        decided = complaint.item_count - tally[ItemStatus.REPORTED] - tally[ItemStatus.WITHDRAWN]
        reply.lines.append(
            _(
                "{case} {day} {items} · {status} · {decided}/{count} decided",
                case=complaint.case_id,
                day=complaint.created_at.astimezone(ctx.rules.timezone).date().isoformat(),
                items=describe_items(complaint),
                status=complaint.status,
                decided=decided,
                count=complaint.item_count,
            )
        )
    return reply


@command("withdraw", summary=N_("withdraw your complaint, or some of its items"), options=(CASE,))
def withdraw(ctx: Context, args: Args, session: Session) -> Reply:
    """withdraw MS-000123 [all | <items>] [note="..."]
    Withdraws items the team has not decided yet; items are numbered as in `case`.
    Example: withdraw MS-000123 2,5-7 note="licensed reseller\""""
    args.check_options("note")
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")), for_update=True)
    if ctx.is_staff and not ctx.is_admin and complaint.organisation_id != ctx.organisation_id:
        raise UserError(_("Only the organisation that filed a case can withdraw it."))
    assert complaint.id is not None
    selection = parse_selection(args.words[1], complaint.item_count) if len(args.words) > 1 else None
    items = items_of(session, complaint.id, selection)
    open_items = [item for item in items if item.status == ItemStatus.REPORTED]
    if selection is not None and len(open_items) < len(items):
        decided = [f"{item.position} ({item.status})" for item in items if item.status != ItemStatus.REPORTED]
        raise UserError(
            _("These items are already decided and cannot be withdrawn: {items}.", items=", ".join(decided))
        )
    if not open_items:
        raise UserError(_("{case} has no undecided items left to withdraw.", case=complaint.case_id))
    note = args.note()
    change = change_items(session, ctx, complaint, open_items, ItemStatus.WITHDRAWN, note)
    positions = change.positions if selection is not None else None

    def what() -> str:
        return items_label(positions) if positions is not None else _("all undecided items")

    reply = Reply(
        _("Withdrew {items} of {case}; the case is {status}.", items=what(), case=complaint.case_id,
          status=change.complaint_to)
    )  # fmt: skip
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    if change.newly_actioned:
        reply.notices.append(case_actioned_notice(complaint, organisation, change.tally))
    reply.notices.extend(
        case_summary_notices(complaint, organisation, change.tally, assignee_label(session, complaint))
    )

    def withdrawn() -> Notice:
        said = {"who": ctx.caller.ref, "items": what(), "case": complaint.case_id}
        text = (
            _("{who} withdrew {items} of {case}: {note}", note=note, **said)
            if note
            else _("{who} withdrew {items} of {case}.", **said)
        )
        return Notice(channel=Channel.TEAM, case_id=complaint.case_id, kind=NoticeKind.WITHDRAWN, text=text)

    reply.notices.append(localized(withdrawn))
    return reply


def _at_least_heading(mine: bool, open_only: bool, total: int, page: int, pages: int) -> str:
    """The heading of a page of more cases than were counted (`COUNT_BEYOND_PAGE` past the page)."""
    if mine and open_only:
        return _("{count} or more open cases assigned to you (page {page} of {pages} or more):", count=total,
                 page=page, pages=pages)  # fmt: skip
    if mine:
        return _("{count} or more cases assigned to you (page {page} of {pages} or more):", count=total, page=page,
                 pages=pages)  # fmt: skip
    return _("{count} or more cases (page {page} of {pages} or more):", count=total, page=page, pages=pages)
