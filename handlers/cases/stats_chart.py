"""`stats chart`: the monthly figures of `stats` as a picture, sent to the caller."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.stats import stats_scope
from handlers.kit.arguments import Args, parse_month, parse_positive_int
from handlers.kit.charts import MonthlySeries, render_monthly
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import month_label, percent
from handlers.kit.local_time import month_of, shift_month
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply, ReplyFile
from storage.queries.figures import MonthFigures, monthly_figures

MAX_CHART_MONTHS = 36


@command(
    "stats chart", summary="the monthly figures as a chart: reported, removed, takedown rate, stores closed",
    options=(
        Option("org", "team: one organisation's figures", keyword=True),
        Option("months", "how many months, up to 36 (default 12)", OptionKind.NUMBER, keyword=True),
        Option("until", "the last month (YYYY-MM; default this month)", keyword=True),
    ),
)  # fmt: skip
def stats_chart(ctx: Context, args: Args, session: Session) -> Reply:
    """stats chart [org=<slug> | overall] [months=<n>] [until=YYYY-MM]
    Per month: items reported and removed (bars), the takedown rate (line), storefronts closed
    (below). Members see their organisation; the team the whole program, or one organisation
    with org=. Sent to you as a PNG image (on the console, a file in the export directory).
    Example: stats chart months=12"""
    args.check_options("org", "months", "until")
    unknown = [word for word in args.words if word.lower() != "overall"]
    if unknown:
        raise UserError(
            f"'{unknown[0]}' is not a choice here.", hint="Use `overall` or the options in `help stats chart`."
        )
    organisation = stats_scope(ctx, args, session)
    count = parse_positive_int(args.options["months"], "number of months", maximum=MAX_CHART_MONTHS) if args.option(
        "months") else 12  # fmt: skip
    last = parse_month(args.options["until"]) if args.option("until") else month_of(ctx.now, ctx.rules.timezone)
    first = shift_month(last, -(count - 1))
    rows = monthly_figures(
        session, organisation_id=organisation.id if organisation else None, first_month=first, last_month=last,
        zone=ctx.rules.timezone,
    )  # fmt: skip
    who = organisation.name if organisation else "The whole program"
    series = monthly_series(f"{who}: {month_label(first)} to {month_label(last)}", rows)
    scope = organisation.slug if organisation else "program"
    name = f"stats-{scope}-{month_label(first)}-{month_label(last)}.png"
    reply = Reply(f"{series.title}: the chart is in {name}.")
    total_reported, total_removed = sum(series.reported), sum(series.removed)
    decided = sum(row.decided for row in rows)
    reply.lines.append(
        f"In all: {total_reported} items reported, {total_removed} removed, takedown rate "
        f"{percent(total_removed / decided if decided else None)}, {sum(series.storefronts_closed)} storefronts closed."
    )
    description = f"Monthly figures, {series.title}: items reported and removed, takedown rate, storefronts closed"
    reply.files.append(ReplyFile(name, "image/png", render_monthly(series), description))
    return reply


def monthly_series(title: str, rows: list[MonthFigures]) -> MonthlySeries:
    """The chart's data: one value a month for each figure, in month order."""
    return MonthlySeries(
        title=title,
        months=tuple(month_label(row.month) for row in rows),
        reported=tuple(row.reported for row in rows),
        removed=tuple(row.removed for row in rows),
        takedown_rate=tuple(row.takedown_rate for row in rows),
        storefronts_closed=tuple(row.storefronts_closed for row in rows),
    )
