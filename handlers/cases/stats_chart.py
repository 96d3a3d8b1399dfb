"""`stats chart`: the monthly figures of `stats` as a picture, sent to the caller."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.stats import stats_scope
from handlers.kit.arguments import Args, parse_month, parse_positive_int
from handlers.kit.charts import ChartLabels, MonthlySeries, render_monthly
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import month_label, percent
from handlers.kit.i18n import N_, _
from handlers.kit.local_time import month_of, shift_month
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply, ReplyFile
from storage.queries.figures import MonthFigures, monthly_figures

MAX_CHART_MONTHS = 36


@command(
    "stats chart", summary=N_("the monthly figures as a chart: reported, removed, takedown rate, stores closed"),
    options=(
        Option("org", N_("team: one organisation's figures"), keyword=True),
        Option("months", N_("how many months, up to 36 (default 12)"), OptionKind.NUMBER, keyword=True),
        Option("until", N_("the last month (YYYY-MM; default this month)"), keyword=True),
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
            _("'{word}' is not a choice here.", word=unknown[0]),
            hint=_("Use `overall` or the options in `help {command}`.", command="stats chart"),
        )
    organisation = stats_scope(ctx, args, session)
    count = parse_positive_int(args.options["months"], N_("number of months"), maximum=MAX_CHART_MONTHS) if args.option(
        "months") else 12  # fmt: skip
    last = parse_month(args.options["until"]) if args.option("until") else month_of(ctx.now, ctx.rules.timezone)
    first = shift_month(last, -(count - 1))
    rows = monthly_figures(
        session, organisation_id=organisation.id if organisation else None, first_month=first, last_month=last,
        zone=ctx.rules.timezone,
    )  # fmt: skip
    who = organisation.name if organisation else _("The whole program")
    title = _("{who}: {first} to {last}", who=who, first=month_label(first), last=month_label(last))
    series = monthly_series(title, rows)
    # The file's name stays ASCII whatever the reader's language: every platform and file system takes it.
    scope = organisation.slug if organisation else "program"
    name = f"stats-{scope}-{month_label(first)}-{month_label(last)}.png"
    reply = Reply(_("{title}: the chart is in {file}.", title=series.title, file=name))
    total_reported, total_removed = sum(series.reported), sum(series.removed)
    decided = sum(row.decided for row in rows)
    reply.lines.append(
        _(
            "In all: {reported} items reported, {removed} removed, takedown rate {rate}, {closed} storefronts closed.",
            reported=total_reported,
            removed=total_removed,
            rate=percent(total_removed / decided if decided else None),
            closed=sum(series.storefronts_closed),
        )
    )
    description = _(
        "Monthly figures, {title}: items reported and removed, takedown rate, storefronts closed", title=series.title
    )
    reply.files.append(ReplyFile(name, "image/png", render_monthly(series), description))
    return reply


def chart_labels() -> ChartLabels:
    """The chart's legend and axis words in the reader's language."""
    return ChartLabels(
        reported=_("reported"),
        removed=_("removed"),
        items=_("items"),
        takedown_rate=_("takedown rate"),
        takedown_axis=_("takedown rate (%)"),
        storefronts_closed=_("storefronts closed"),
    )


def monthly_series(title: str, rows: list[MonthFigures]) -> MonthlySeries:
    """The chart's data, one value a month for each figure in month order, labelled in the reader's language."""
    return MonthlySeries(
        title=title,
        months=tuple(month_label(row.month) for row in rows),
        reported=tuple(row.reported for row in rows),
        removed=tuple(row.removed for row in rows),
        takedown_rate=tuple(row.takedown_rate for row in rows),
        storefronts_closed=tuple(row.storefronts_closed for row in rows),
        labels=chart_labels(),
    )
