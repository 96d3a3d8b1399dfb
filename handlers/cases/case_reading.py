"""`case`, `cases` and `withdraw`: following a case, and taking items back."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers.admin.admin import member_named
from handlers.cases.item_changes import change_items, set_complaint_status
from handlers.cases.notices import (
    case_actioned_notice,
    case_summary_notices,
    describe_items,
    describe_reason,
    describe_right,
    team_buttons,
)
from handlers.cases.routing import WHOLE_TEAM, assignee_label, hand_over, handles_cases, member_label
from handlers.kit.arguments import (
    Args,
    parse_case_id,
    parse_enum,
    parse_month,
    parse_platform,
    parse_positive_int,
    parse_selection,
)
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.formatting import items_label, local_time
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply, plural
from storage.models import Complaint, IPRight, Member, Organisation, case_id
from storage.queries import audit
from storage.queries.cases import CaseFilter, cases_for, counter_notices_of, item_status_counts, items_of
from storage.queries.members import organisation_by_slug
from storage.vocabulary import AuditEntity, Channel, ComplaintStatus, ItemStatus, NoticeKind, org_channel

PAGE = 25
MAX_MESSAGE = 2000


def load_case(session: Session, ctx: Context, text: str, field: str | None = None) -> Complaint:
    """The case the caller named, if they may see it: their organisation's, or any for the team.

    A case of another organisation is answered exactly like a missing one, so ids reveal nothing.
    """
    number = parse_case_id(text, field)
    complaint = session.get(Complaint, number)
    if complaint is None or not (ctx.is_staff or complaint.organisation_id == ctx.organisation_id):
        raise NotFound(
            f"There is no case {case_id(number)} among your organisation's cases.",
            hint="`cases` lists them.",
            field=field,
        )
    return complaint


@command("case", summary="show one case with its items, outcomes and history")
def case(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 [page=<n>]
    case MS-000123 reply <message>
    case MS-000123 assign <platform:user | me>   (team)
    Shows the case's items (25 a page), counter-notices and history. `reply` sends a message to
    the team in the case thread; on a case the team returned for more information it also sends
    the case back to them. `assign` hands the case to a colleague on the team (or takes it)."""
    args.check_options("page")
    complaint = load_case(session, ctx, args.word(0, "case id (e.g. MS-000123)"))
    if len(args.words) > 1 and args.words[1].lower() == "reply":
        return _reply_in_case(ctx, args, session, complaint)
    if len(args.words) > 1 and args.words[1].lower() == "assign":
        return _assign(ctx, args, session, complaint)
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    return _case_view(ctx, session, complaint, page)


def _case_view(ctx: Context, session: Session, complaint: Complaint, page: int) -> Reply:
    assert complaint.id is not None
    organisation = session.get(Organisation, complaint.organisation_id)
    right = session.get(IPRight, complaint.ip_right_id)
    filer = session.get(Member, complaint.filed_by_id)
    assert organisation is not None and right is not None and filer is not None
    counts = item_status_counts(session, [complaint.id])[complaint.id]
    pages = max(1, -(-complaint.item_count // PAGE))
    if page > pages:
        raise UserError(f"Case {complaint.case_id} has {plural(pages, 'page')} of items.")
    positions = list(range((page - 1) * PAGE + 1, min(page * PAGE, complaint.item_count) + 1))
    items = items_of(session, complaint.id, positions)
    reply = Reply(f"{complaint.case_id} · {complaint.status} · {describe_items(complaint)}")
    reply.fields = [
        ("Organisation", organisation.name),
        ("IP right", describe_right(right)),
        ("Reason", describe_reason(complaint)),
        ("Filed", f"{local_time(complaint.created_at, ctx.rules.timezone)} by {filer.platform}:{filer.user_id}"),
        ("Items", ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))),
    ]
    if ctx.is_staff:  # routing is the team's business
        reply.fields.insert(4, ("Assigned to", _assignee(session, complaint)))
    reply.lines.append(f"Items, page {page} of {pages}:")
    for item in items:
        pasted = "" if item.original_text == item.canonical_url else f" (pasted: {item.original_text})"
        reply.lines.append(f"{item.position}. {item.status} {item.canonical_url}{pasted}")
    appeals = counter_notices_of(session, [item.id for item in items if item.id is not None])
    by_id = {item.id: item.position for item in items}
    for notice in appeals:
        reply.lines.append(
            f"Counter-notice, item {by_id[notice.item_id]} round {notice.round}: {notice.status}, "
            f"due {local_time(notice.due_at, ctx.rules.timezone)}"
        )
    history = audit.history(
        session, [(AuditEntity.COMPLAINT, [complaint.id]), (AuditEntity.ITEM, [i.id for i in items if i.id])], limit=15
    )
    if history:
        reply.lines.append("History:")
        for entry in history:
            if entry.action == "assigned" and not ctx.is_staff:
                continue
            change = f"{entry.from_status} -> {entry.to_status}" if entry.action == "status" else entry.action
            if entry.action == "assigned":
                change = f"assigned {entry.from_status or WHOLE_TEAM} -> {entry.to_status or WHOLE_TEAM}"
            subject = "case" if entry.entity == AuditEntity.COMPLAINT else f"item {by_id.get(entry.entity_id, '?')}"
            note = f" ({entry.note})" if entry.note else ""
            reply.lines.append(f"{local_time(entry.at, ctx.rules.timezone)} {entry.actor}: {subject} {change}{note}")
    if ctx.is_staff:
        reply.buttons = list(team_buttons(complaint.case_id))
    return reply


def _assignee(session: Session, complaint: Complaint) -> str:
    assignee = session.get(Member, complaint.assigned_to_id) if complaint.assigned_to_id is not None else None
    if assignee is None:
        return WHOLE_TEAM
    return member_label(assignee) + ("" if handles_cases(assignee) else " (no longer on the team)")


def _assign(ctx: Context, args: Args, session: Session, complaint: Complaint) -> Reply:
    """`case MS-000123 assign <platform:user | me>`: hand the case to a colleague, or take it."""
    if not ctx.is_staff:
        raise NotPermitted(
            "Only the IACC/Alibaba team can assign cases.", hint="The team assigns each case to one of its members."
        )
    who = args.word(2, f"who to assign it to: case {complaint.case_id} assign <platform:user | me>")
    if len(args.words) > 3:
        raise UserError(
            f"'{args.words[3]}' is not understood here: a case goes to one person.",
            hint=f"case {complaint.case_id} assign <platform:user | me>",
        )
    if who.lower() == "me":
        assert ctx.member_id is not None
        target = session.get(Member, ctx.member_id)
        assert target is not None
    else:
        target = member_named(session, who, hint="Name a team member or admin as platform:user, or `me`.")
    return hand_over(session, ctx, complaint, target)


def _reply_in_case(ctx: Context, args: Args, session: Session, complaint: Complaint) -> Reply:
    message = args.text.split("reply", 1)[1].strip() if "reply" in args.text else " ".join(args.words[2:])
    if not message:
        raise UserError("Write the message after `reply`.", hint=f"case {complaint.case_id} reply <message>")
    if len(message) > MAX_MESSAGE:
        raise UserError(f"The message is {len(message)} characters; the limit is {MAX_MESSAGE}.")
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    if ctx.thread is not None and (ctx.thread == Channel.TEAM) != ctx.is_staff:
        # Written in the other side's thread (a team member in the brand's channel): already seen there.
        return Reply(f"Not relayed: this thread belongs to the {'team' if ctx.thread == Channel.TEAM else 'brand'}.")
    reply = Reply(f"Sent to the {'brand' if ctx.is_staff else 'team'} in {complaint.case_id}.")
    if not ctx.is_staff and complaint.status == ComplaintStatus.RETURNED:
        set_complaint_status(session, ctx, complaint, ComplaintStatus.SUBMITTED, note=message[:1000])
        reply.text = f"{complaint.case_id} is back with the team with your answer."
    target = org_channel(organisation.slug) if ctx.is_staff else Channel.TEAM
    reply.notices.append(
        Notice(
            channel=target, case_id=complaint.case_id, kind=NoticeKind.CASE_MESSAGE, text=f"{author(ctx)}: {message}"
        )
    )
    return reply


def author(ctx: Context) -> str:
    """Who wrote a relayed message: their name on the platform, with their identity."""
    name = ctx.caller.display_name
    return f"{name} ({ctx.caller.ref})" if name and name != ctx.caller.user_id else ctx.caller.ref


MINE = ("mine", "--mine")
LISTING_WORDS = ("open", "all", *MINE)


@command("cases", summary="list your organisation's cases (the team sees all)")
def cases(ctx: Context, args: Args, session: Session) -> Reply:
    """cases [open] [platform=<name>] [month=YYYY-MM] [status=<status>] [org=<slug>] [page=<n>]
    cases mine [all] [filters as above]   (team: the cases assigned to you, open ones unless `all`)
    Newest first, 20 a page. `org=` is for the team.
    Example: cases open platform=taobao month=2026-11"""
    args.check_options("platform", "month", "status", "org", "page")
    words = [word.lower() for word in args.words]
    unknown = [word for word in args.words if word.lower() not in LISTING_WORDS]
    if unknown:
        raise UserError(f"'{unknown[0]}' is not a filter here.", hint="Use `open` or the options in `help cases`.")
    mine = any(word in MINE for word in words)
    if "all" in words and not mine:
        raise UserError("`all` goes with `cases mine`: `cases` alone already lists every case.")
    if "all" in words and "open" in words:
        raise UserError("Choose `open` or `all`, not both.")
    if mine and not ctx.is_staff:
        raise NotPermitted(
            "`cases mine` lists the cases assigned to a team member.", hint="`cases` lists your organisation's cases."
        )
    organisation_id = None  # the team sees every case unless it names one organisation
    if args.option("org"):
        ctx.require_staff("list other organisations' cases")
        organisation = organisation_by_slug(session, args.options["org"])
        if organisation is None:
            raise NotFound(f"There is no organisation '{args.options['org']}'.")
        organisation_id = organisation.id
    elif not ctx.is_staff:
        organisation_id = ctx.require_organisation()
    month_start = month_end = None
    if args.option("month"):
        month = parse_month(args.options["month"])
        month_start = datetime(month // 100, month % 100, 1, tzinfo=ctx.rules.timezone)
        month_end = datetime(month // 100 + month % 100 // 12, month % 100 % 12 + 1, 1, tzinfo=ctx.rules.timezone)
    status = parse_enum(ComplaintStatus, args.options["status"], "case status") if args.option("status") else None
    # Your own cases are the open ones unless you ask for all of them or for a status.
    open_only = "open" in words or (mine and "all" not in words and status is None)
    where = CaseFilter(
        organisation_id=organisation_id,
        open_only=open_only,
        platform=parse_platform(args.options["platform"]) if args.option("platform") else None,
        status=status,
        month_start=month_start,
        month_end=month_end,
        assigned_to_id=ctx.member_id if mine else None,
    )
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    found, total = cases_for(session, where, limit=20, offset=(page - 1) * 20)
    if not found:
        if total:
            return Reply(f"There are only {total} matching cases.")
        if mine:
            filtered = bool(set(args.options) - {"page"}) or "all" in words
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


@command("withdraw", summary="withdraw your complaint, or some of its items")
def withdraw(ctx: Context, args: Args, session: Session) -> Reply:
    """withdraw MS-000123 [all | <items>] [note="..."]
    Withdraws items the team has not decided yet; items are numbered as in `case`.
    Example: withdraw MS-000123 2,5-7 note="licensed reseller\""""
    args.check_options("note")
    complaint = load_case(session, ctx, args.word(0, "case id (e.g. MS-000123)"))
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
