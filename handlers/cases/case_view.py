"""`case MS-000123`: one case with its items, counter-notices and history, a page at a time."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.item_changes import tally_of
from handlers.cases.notices import describe_items, describe_reason, describe_right, in_reader, team_buttons
from handlers.cases.routing import WHOLE_TEAM, member_label, member_ref, takes_cases
from handlers.kit.arguments import Args, parse_case_id, parse_positive_int
from handlers.kit.audit_trail import note_text
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, OptionKind, command, group
from handlers.kit.replies import Reply
from storage.locks import locked
from storage.models import AuditEntry, Complaint, IPRight, Member, Organisation, case_id
from storage.queries import audit
from storage.queries.cases import appeals_of, item_status_counts, items_of
from storage.vocabulary import AuditEntity

PAGE = 25
HISTORY_SHOWN = 15  # the latest history entries shown with a case; `case … history` pages through all
HISTORY_PAGE = 30
CASE = Option("case", N_("the case id, e.g. MS-000123"), OptionKind.CASE, required=True)
PAGE_OPTION = Option("page", N_("which page"), OptionKind.NUMBER, keyword=True)

group("case", summary=N_("show one case with its items, outcomes and history; reply in it; assign it"))


def load_case(
    session: Session, ctx: Context, text: str, field: str | None = None, *, for_update: bool = False
) -> Complaint:
    """The case the caller named, if they may see it: their organisation's, or any for the team.

    A case of another organisation is answered exactly like a missing one, so ids reveal nothing.
    `for_update` locks it until the transaction ends, for a command that changes the case or its
    items: a concurrent change waits, then checks itself against what this one wrote.
    """
    number = parse_case_id(text, field)
    complaint = locked(session, Complaint, number) if for_update else session.get(Complaint, number)
    if complaint is None or not (ctx.is_staff or complaint.organisation_id == ctx.organisation_id):
        raise NotFound(
            _("There is no case {case}.", case=case_id(number))
            if ctx.is_staff
            else _("There is no case {case} among your organisation's cases.", case=case_id(number)),
            hint=_("`cases` lists them."),
            field=field,
        )
    return complaint


@command(
    "case show", summary=N_("show one case with its items, outcomes and history"),
    options=(CASE, PAGE_OPTION), default=True, subject_first=True, reads_only=True,
)  # fmt: skip
def case_show(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 [page=<n>]
    Shows the case's items (25 a page), counter-notices and its latest history; `case MS-000123
    history` shows all of it. `case MS-000123 reply <message>` talks to the other side,
    `case MS-000123 assign <platform:user | me>` hands the case over (team).
    Example: case MS-000123 page=2"""
    args.check_options("page")
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")))
    args.no_more_words(1, "case")
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    return _case_view(ctx, session, complaint, page)


@command(
    "case history", summary=N_("every entry of a case's history, oldest first, a page at a time"),
    options=(CASE, PAGE_OPTION), subject_first=True, reads_only=True,
)  # fmt: skip
def case_history(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 history [page=<n>]
    Example: case MS-000123 history page=2"""
    args.check_options("page")
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")))
    args.no_more_words(1, "case history")
    assert complaint.id is not None
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    shown, total = audit.case_history(
        session, complaint.id, hidden_actions=hidden_actions(ctx), offset=(page - 1) * HISTORY_PAGE, limit=HISTORY_PAGE
    )
    pages = max(1, -(-total // HISTORY_PAGE))
    if page > pages:
        raise UserError(
            ngettext("The history of {case} has {count} page.", "The history of {case} has {count} pages.", pages,
                     case=complaint.case_id)
        )  # fmt: skip
    reply = Reply(
        ngettext("{case} history, {count} entry, page {page} of {pages}:",
                 "{case} history, {count} entries, page {page} of {pages}:", total,
                 case=complaint.case_id, page=page, pages=pages)
    )  # fmt: skip
    reply.lines = history_lines(ctx, session, shown)
    if page < pages:
        more = f"case {complaint.case_id} history page={page + 1}"
        reply.lines.append(_("More: `{command}`.", command=more))
    return reply


def _case_view(ctx: Context, session: Session, complaint: Complaint, page: int) -> Reply:
    assert complaint.id is not None
    organisation = session.get(Organisation, complaint.organisation_id)
    right = session.get(IPRight, complaint.ip_right_id)
    filer = session.get(Member, complaint.filed_by_id)
    assert organisation is not None and right is not None and filer is not None
    counts = item_status_counts(session, [complaint.id])[complaint.id]
    pages = max(1, -(-complaint.item_count // PAGE))
    if page > pages:
        raise UserError(
            ngettext("Case {case} has {count} page of items.", "Case {case} has {count} pages of items.", pages,
                     case=complaint.case_id)
        )  # fmt: skip
    positions = list(range((page - 1) * PAGE + 1, min(page * PAGE, complaint.item_count) + 1))
    items = items_of(session, complaint.id, positions)
    reply = Reply(f"{complaint.case_id} · {complaint.status} · {describe_items(complaint)}")
    reply.fields = [
        (_("Organisation"), organisation.name),
        (_("IP right"), describe_right(right)),
        (_("Reason"), describe_reason(complaint)),
        (
            _("Filed"),
            _(
                "{when} by {who}",
                when=local_time(complaint.created_at, ctx.rules.timezone),
                who=member_ref(filer),
            ),
        ),
        (_("Items"), in_reader(tally_of(counts))),
    ]
    if ctx.is_staff:  # routing is the team's business
        reply.fields.insert(4, (_("Assigned to"), _assignee(ctx, session, complaint)))
    reply.lines.append(_("Items, page {page} of {pages}:", page=page, pages=pages))
    for item in items:
        pasted = "" if item.original_text == item.canonical_url else _(" (pasted: {text})", text=item.original_text)
        reply.lines.append(f"{item.position}. {item.status} {item.canonical_url}{pasted}")
    appeals = appeals_of(session, [item.id for item in items if item.id is not None])
    by_id = {item.id: item.position for item in items}
    for notice in appeals:
        reply.lines.append(
            _(
                "Counter-notice, item {position} round {round}: {status}, due {due}",
                position=by_id[notice.item_id],
                round=notice.round,
                status=notice.status,
                due=local_time(notice.due_at, ctx.rules.timezone),
            )
        )
    _add_latest_history(ctx, session, complaint, reply)
    if ctx.is_staff:
        reply.buttons = list(team_buttons(complaint.case_id))
    return reply


def _add_latest_history(ctx: Context, session: Session, complaint: Complaint, reply: Reply) -> None:
    """The latest entries of the whole case's history, newest last, saying how many are older."""
    assert complaint.id is not None
    latest, total = audit.case_history(
        session, complaint.id, hidden_actions=hidden_actions(ctx), limit=HISTORY_SHOWN, latest=True
    )
    if not latest:
        return
    everything = f"case {complaint.case_id} history"
    reply.lines.append(
        _(
            "History, the latest {count} of {total} (`{command}` shows all):",
            count=len(latest),
            total=total,
            command=everything,
        )
        if total > len(latest)
        else _("History:")
    )
    reply.lines.extend(history_lines(ctx, session, latest))


def hidden_actions(ctx: Context) -> tuple[str, ...]:
    """Routing is the team's business: brands do not see who a case is assigned to."""
    return () if ctx.is_staff else ("assigned",)


def history_lines(ctx: Context, session: Session, entries: list[AuditEntry]) -> list[str]:
    items = [entry.entity_id for entry in entries if entry.entity == AuditEntity.ITEM]
    positions = audit.item_positions(session, items)
    return [history_line(ctx, entry, positions) for entry in entries]


def history_line(ctx: Context, entry: AuditEntry, positions: dict[int, int]) -> str:
    change = f"{entry.from_status} -> {entry.to_status}" if entry.action == "status" else entry.action
    if entry.action == "filed":
        change = _("filed")
    elif entry.action == "assigned":
        change = _(
            "assigned {before} -> {after}",
            before=entry.from_status or _(WHOLE_TEAM),
            after=entry.to_status or _(WHOLE_TEAM),
        )
    subject = (
        _("case") if entry.entity == "complaint" else _("item {position}", position=positions.get(entry.entity_id, "?"))
    )
    note = note_text(entry)
    note = f" ({note})" if note else ""
    return f"{local_time(entry.at, ctx.rules.timezone)} {entry.actor}: {subject} {change}{note}"


def _assignee(ctx: Context, session: Session, complaint: Complaint) -> str:
    assignee = session.get(Member, complaint.assigned_to_id) if complaint.assigned_to_id is not None else None
    if assignee is None:
        return _(WHOLE_TEAM)
    if takes_cases(ctx, assignee):
        return member_label(assignee)
    return _("{member} (no longer on the team)", member=member_label(assignee))
