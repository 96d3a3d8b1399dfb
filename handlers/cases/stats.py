"""`stats`: the program's figures per month, for an organisation or overall, with accuracy."""

from __future__ import annotations

from babel.numbers import format_percent
from sqlmodel import Session

from handlers.cases.case_filters import names_own_organisation
from handlers.kit.arguments import Args, parse_month, parse_positive_int
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import duration, month_label, percent
from handlers.kit.i18n import N_, _, babel_locale
from handlers.kit.local_time import month_of, shift_month
from handlers.kit.registry import command, group
from handlers.kit.replies import Reply
from storage.models import Organisation
from storage.queries.figures import accuracy, monthly_figures, service_by_platform
from storage.queries.members import organisation_by_slug
from storage.vocabulary import Platform

SUCCESS_FLOOR = 0.90
LOST_APPEAL_CEILING = 0.05
ACCURACY_MONTHS = 3


group(
    "stats", summary=N_("figures per month: listings and storefronts reported, removed, takedown rate, stores closed")
)


@command(
    "stats show", summary=N_("figures per month, per platform and accuracy, as a table"), default=True, reads_only=True
)
def stats(ctx: Context, args: Args, session: Session) -> Reply:
    """stats [months=<n>] [until=YYYY-MM] [org=<slug> | overall]
    Per month: listings reported, storefronts reported, items removed, takedown rate (removed / decided),
    storefronts closed, median time from report to removal, sellers referred to RogueBlock;
    per platform, the share of the items reported in the last 3 months decided within 24 h and
    72 h and the median time to a first decision; then the success and lost-appeal
    rates of the last 3 months against the program's 90% / 5% thresholds. Members see their
    organisation; the team sees the whole program, or one organisation with org=.
    Example: stats months=12"""
    args.check_options("months", "until", "org")
    unknown = [word for word in args.words if word.lower() != "overall"]
    if unknown:
        raise UserError(
            _("'{word}' is not a choice here.", word=unknown[0]),
            hint=_("Use `overall` or the options in `help {command}`.", command="stats"),
        )
    organisation = stats_scope(ctx, args, session)
    months = (
        parse_positive_int(args.options["months"], N_("number of months"), maximum=120) if args.option("months") else 6
    )
    last = parse_month(args.options["until"]) if args.option("until") else month_of(ctx.now, ctx.rules.timezone)
    first = shift_month(last, -(months - 1))
    zone = ctx.rules.timezone
    scope_id = organisation.id if organisation else None
    rows = monthly_figures(session, organisation_id=scope_id, first_month=first, last_month=last, zone=zone)
    title = organisation.name if organisation else _("The whole program")
    reply = Reply(
        _("{title}: figures for {first} to {last}", title=title, first=month_label(first), last=month_label(last))
    )
    # Translators: the columns line up with the figures below them (a CJK character is two columns wide).
    reply.lines.append(
        _("month    listings reported  storefronts reported  removed  takedown  stores closed  median to removal")
    )
    for row in rows:
        reply.lines.append(
            f"{month_label(row.month)}  {row.listings_reported:>17}  {row.storefronts_reported:>20}  "
            f"{row.removed:>7}  {percent(row.takedown_rate):>8}  "
            f"{row.storefronts_closed:>13}  {duration(row.median_removal_seconds)}"
        )
    referrals = [f"{month_label(row.month)}: {row.rogueblock_referrals}" for row in rows if row.rogueblock_referrals]
    if referrals:
        reply.lines.append(_("Sellers referred to RogueBlock: {months}", months=", ".join(referrals)))
    reply.lines.extend(service_lines(session, scope_id, shift_month(last, -(ACCURACY_MONTHS - 1)), last))
    window = accuracy(session, scope_id, shift_month(last, -(ACCURACY_MONTHS - 1)), last)
    reply.lines.append(
        _("Takedown success, last {months} months: {rate} of {count} decided", months=ACCURACY_MONTHS,
          rate=percent(window.success_rate), count=window.decided)
    )  # fmt: skip
    reply.lines.append(
        _("Appeals lost, last {months} months: {rate} of {count} decided", months=ACCURACY_MONTHS,
          rate=percent(window.lost_appeal_rate), count=window.appeals_decided)
    )  # fmt: skip
    if window.success_rate is not None and window.success_rate < SUCCESS_FLOOR:
        reply.lines.append(
            _("Warning: takedown success is under {floor}; check the accuracy of complaints.",
              floor=whole_percent(SUCCESS_FLOOR))
        )  # fmt: skip
    if window.lost_appeal_rate is not None and window.lost_appeal_rate > LOST_APPEAL_CEILING:
        reply.lines.append(
            _("Warning: over {ceiling} of appeals were lost; review complaints before filing.",
              ceiling=whole_percent(LOST_APPEAL_CEILING))
        )  # fmt: skip
    return reply


def service_lines(session: Session, organisation_id: int | None, first: int, last: int) -> list[str]:
    """Per platform, how fast the items reported in these months got their first decision."""
    rows = service_by_platform(session, organisation_id, first, last)
    if not rows:
        return []
    lines = [
        _("First decisions, of the items reported in the last {months} months:", months=ACCURACY_MONTHS),
        # Translators: the columns line up with the figures below them (a CJK character is two columns wide).
        _("platform      items  decided within 24 h  within 72 h  median to first decision"),
    ]
    for row in rows:
        lines.append(
            f"{Platform(row.platform).label:<12}  {row.reported:>5}  {percent(row.share_within_day):>19}  "
            f"{percent(row.share_within_three_days):>11}  {duration(row.median_decision_seconds)}"
        )
    return lines


def whole_percent(rate: float) -> str:
    """`90%`, as the reader writes a threshold."""
    return format_percent(rate, "#,##0%", locale=babel_locale())


def stats_scope(ctx: Context, args: Args, session: Session) -> Organisation | None:
    """The organisation the figures are for; None for the whole program (the team's view)."""
    wanted = args.option("org")
    overall = bool(args.words) and args.words[0].lower() == "overall"
    if wanted and overall:
        raise UserError(
            _("`overall` is the whole program and org= one organisation: choose one."),
            hint=_("`help {command}` shows the usage.", command="stats"),
        )
    if wanted and names_own_organisation(ctx, wanted) and not ctx.is_staff:
        wanted = None
    if wanted or overall:
        ctx.require_staff(N_("see figures beyond your own organisation"))
    if wanted:
        organisation = organisation_by_slug(session, wanted)
        if organisation is None:
            raise NotFound(_("There is no organisation '{slug}'.", slug=wanted))
        return organisation
    if ctx.is_staff:
        return None
    organisation = session.get(Organisation, ctx.require_organisation())
    assert organisation is not None
    return organisation
