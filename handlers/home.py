"""The viewer's home: their organisation's open cases, its figures, and the next milestones."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.notices import describe_items
from handlers.kit.context import Context
from handlers.kit.formatting import duration, items_reported, month_label, percent
from handlers.kit.i18n import _
from handlers.kit.local_time import local_time, month_of, shift_month
from handlers.kit.replies import Reply
from storage.models import Organisation
from storage.queries.calendar import upcoming_milestones
from storage.queries.cases import CaseFilter, cases_for
from storage.queries.figures import monthly_figures

OPEN_CASES_SHOWN = 10


def home(ctx: Context, session: Session) -> Reply:
    """What a member sees on the bot's home tab (the team sees the whole program)."""
    if ctx.role is None:
        return Reply(
            _(
                "Welcome to MarketSafe. You are not in the program yet: ask a program admin to add you "
                "to your organisation. `/marketsafe help` lists the commands."
            )
        )
    scope = None if ctx.is_staff else ctx.organisation_id
    organisation = session.get(Organisation, scope) if scope is not None else None
    title = organisation.name if organisation else _("The whole program")
    reply = Reply(f"MarketSafe · {title}")
    listed = cases_for(session, CaseFilter(organisation_id=scope, open_only=True), limit=OPEN_CASES_SHOWN)
    found = listed.cases
    if listed.at_least:
        reply.lines.append(_("Open cases: {count} or more", count=listed.total))
    else:
        reply.lines.append(_("Open cases: {count}", count=listed.total))
    reply.lines += [
        f"{c.case_id} · {c.status} · {describe_items(c)} · "
        + _("filed {moment}", moment=local_time(c.created_at, ctx.rules.timezone))
        for c in found
    ]
    this_month = month_of(ctx.now, ctx.rules.timezone)
    figures = monthly_figures(
        session, organisation_id=scope, first_month=shift_month(this_month, -1), last_month=this_month,
        zone=ctx.rules.timezone,
    )  # fmt: skip
    for row in reversed(figures):
        reply.fields.append(
            (
                month_label(row.month),
                _(
                    "{reported}, {removed} removed ({rate}), {closed} stores closed, median {median} to removal",
                    reported=items_reported(row.listings_reported, row.storefronts_reported),
                    removed=row.removed,
                    rate=percent(row.takedown_rate),
                    closed=row.storefronts_closed,
                    median=duration(row.median_removal_seconds),
                ),
            )
        )
    milestones = upcoming_milestones(session, ctx.now)
    reply.lines.append(_("Next milestones:") if milestones else _("No milestones are scheduled."))
    reply.lines += [f"{local_time(m.at, ctx.rules.timezone)} · {m.title}" for m in milestones]
    return reply
