"""`case MS-000123 timeline`: everything that happened in a case, in order, a page at a time.

The audit log (outcomes, withdrawals, status changes), the messages relayed between the brand and
the team in the case's threads, counter-notice rounds and the bot's own notices about the case,
merged and paged by the database. The owning organisation sees what was posted to its channel;
the team sees everything.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.case_view import CASE, PAGE_OPTION, hidden_actions, history_line, load_case
from handlers.kit.arguments import Args, parse_positive_int
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, current_language, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.outbox import NoticePayload
from handlers.kit.registry import command
from handlers.kit.replies import Reply
from storage.models import AuditEntry, CaseMessage, Complaint, OutboxNotice, SellerAppeal
from storage.queries import audit
from storage.queries.timeline import APPEAL, APPEAL_DECIDED, AUDIT, MESSAGE, TimelineEntry, case_timeline
from storage.vocabulary import AuditEntity, org_channel

TIMELINE_PAGE = 30
NOTICE_SHOWN = 300  # characters of a notice's first line; the rest is in the channel it went to


@command(
    "case timeline", summary=N_("everything that happened in a case, in order: outcomes, messages, appeals, notices"),
    options=(CASE, PAGE_OPTION), subject_first=True, reads_only=True,
)  # fmt: skip
def case_timeline_command(ctx: Context, args: Args, session: Session) -> Reply:
    """case MS-000123 timeline [page=<n>]
    The case's history, the messages relayed in its threads (both sides, with who wrote them),
    counter-notice rounds and the bot's notices about it, oldest first, 30 a page.
    Example: case MS-000123 timeline page=2"""
    args.check_options("page")
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)")))
    args.no_more_words(1, "case timeline")
    page = parse_positive_int(args.options["page"], "page") if args.option("page") else 1
    entries, total = timeline_page(ctx, session, complaint, page, TIMELINE_PAGE)
    pages = max(1, -(-total // TIMELINE_PAGE))
    if page > pages:
        raise UserError(
            ngettext("The timeline of {case} has {count} page.", "The timeline of {case} has {count} pages.", pages,
                     case=complaint.case_id)
        )  # fmt: skip
    reply = Reply(
        ngettext("{case} timeline, {count} entry, page {page} of {pages}:",
                 "{case} timeline, {count} entries, page {page} of {pages}:", total,
                 case=complaint.case_id, page=page, pages=pages)
    )  # fmt: skip
    reply.lines = timeline_lines(ctx, session, entries)
    if page < pages:
        more = f"case {complaint.case_id} timeline page={page + 1}"
        reply.lines.append(_("More: `{command}`.", command=more))
    return reply


def timeline_page(
    ctx: Context, session: Session, complaint: Complaint, page: int, size: int | None
) -> tuple[list[TimelineEntry], int]:
    """One page of the case's timeline as the caller may see it (all of it when `size` is None)."""
    assert complaint.id is not None
    channels = None if ctx.is_staff else [org_channel(ctx.organisation_slug or "")]
    return case_timeline(
        session, complaint.id, complaint.case_id, hidden_actions=hidden_actions(ctx), notice_channels=channels,
        offset=(page - 1) * (size or 0), limit=size,
    )  # fmt: skip


def timeline_lines(ctx: Context, session: Session, entries: list[TimelineEntry]) -> list[str]:
    """Each entry as one line: when, who, what."""
    audited = [entry.row for entry in entries if entry.source == AUDIT]
    appealed: list[SellerAppeal] = [entry.row for entry in entries if entry.source in (APPEAL, APPEAL_DECIDED)]
    item_ids = [row.entity_id for row in audited if row.entity == AuditEntity.ITEM] + [a.item_id for a in appealed]
    positions = audit.item_positions(session, item_ids)
    return [_line(ctx, entry, positions) for entry in entries]


def _line(ctx: Context, entry: TimelineEntry, positions: dict[int, int]) -> str:
    zone = ctx.rules.timezone
    if entry.source == AUDIT:
        row: AuditEntry = entry.row
        return history_line(ctx, row, positions)
    when = local_time(entry.at, zone)
    if entry.source == MESSAGE:
        message: CaseMessage = entry.row
        who = f"{message.author_name} ({message.author})" if message.author_name else message.author
        if message.side == "team":
            return _("{when} {who}, the team, wrote: {text}", when=when, who=who, text=message.text)
        return _("{when} {who}, the brand, wrote: {text}", when=when, who=who, text=message.text)
    if entry.source in (APPEAL, APPEAL_DECIDED):
        appeal: SellerAppeal = entry.row
        item = positions.get(appeal.item_id, "?")
        if entry.source == APPEAL:
            due = local_time(appeal.due_at, zone)
            return _(
                "{when} seller's counter-notice, item {position} round {round}: received, due {due}",
                when=when, position=item, round=appeal.round, due=due,
            )  # fmt: skip
        return _(
            "{when} seller's counter-notice, item {position} round {round}: {status}",
            when=when, position=item, round=appeal.round, status=appeal.status,
        )  # fmt: skip
    notice: OutboxNotice = entry.row
    first, _newline, rest = _notice_text(notice).partition("\n")
    shown = first[:NOTICE_SHOWN] + (" …" if rest or len(first) > NOTICE_SHOWN else "")
    return _("{when} the bot, to {channel}: {text}", when=when, channel=notice.channel, text=shown)


def _notice_text(notice: OutboxNotice) -> str:
    """The notice as the reader reads it, when it was written in their language too."""
    try:
        payload = NoticePayload.model_validate(notice.payload)
    except ValueError:  # a payload the posters would refuse: shown as stored
        return notice.text
    return payload.in_language(current_language(), notice.text)[0]
