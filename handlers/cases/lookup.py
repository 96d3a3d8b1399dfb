"""`lookup`: what the program knows of a listing or storefront, across every case.

A member sees their own organisation's cases in full; of another organisation's, only that the
item was reported by another member and its outcome, which the marketplace shows anyway. The
team sees every case and who filed it.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, RejectedLink, parse_link
from handlers.cases.storefront_rules import sees_pursuit
from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, command
from handlers.kit.replies import Reply
from storage.models import Listing, Organisation, Storefront
from storage.queries.lookup import Holder, holders, target_by_key, targets_with_id
from storage.queries.storefronts import active_strike_count
from storage.vocabulary import Platform

BARE_ID = re.compile(r"u?[0-9]{1,30}")


@command(
    "lookup", summary=N_("what the program knows of a listing or storefront: cases, outcomes, appeals, strikes"),
    options=(Option("item", N_("a listing or store link, or a listing's id"), required=True),),
    reads_only=True,
)  # fmt: skip
def lookup(ctx: Context, args: Args, session: Session) -> Reply:
    """lookup <link | listing id | store link>
    Every case that names it with its outcome and appeals (your organisation's cases in full; of
    others', that another member reported it and its outcome), the storefront's status, and its
    strikes and RogueBlock referral when your organisation pursues it too.
    Example: lookup https://item.taobao.com/item.htm?id=123"""
    args.check_options()
    written = args.word(0, _("a listing or store link, or a listing's id"))
    args.no_more_words(1, "lookup")
    targets = _targets(session, written)
    reply = Reply(_title(written, targets))
    for target in targets:
        reply.lines.extend(_describe(ctx, session, target))
    return reply


def _targets(session: Session, written: str) -> list[Listing | Storefront]:
    if BARE_ID.fullmatch(written):
        found = targets_with_id(session, written)
        if not found:
            raise NotFound(_("No listing or storefront with the id {id} is known to the program.", id=written))
        return found
    parsed = parse_link(written)
    if isinstance(parsed, RejectedLink):
        raise UserError(
            _("'{link}' is not a link the program knows: {reason}.", link=parsed.original, reason=parsed.reason)
        )
    if not isinstance(parsed, ParsedLink):
        raise UserError(_("{link} cannot be resolved here: {reason}.", link=parsed.original, reason=parsed.reason))
    target = target_by_key(session, parsed.key.platform, parsed.key.kind, parsed.key.external_id)
    if target is None:
        raise NotFound(
            _("The program has no record of {link}: no complaint or strike names it.", link=parsed.canonical_url)
        )
    return [target]


def _title(written: str, targets: list[Listing | Storefront]) -> str:
    if len(targets) == 1:
        return _("What the program knows of {link}:", link=targets[0].canonical_url)
    return ngettext(
        "{count} listing or storefront has the id {id}:", "{count} listings or storefronts have the id {id}:",
        len(targets), id=written,
    )  # fmt: skip


def _describe(ctx: Context, session: Session, target: Listing | Storefront) -> list[str]:
    platform = Platform(target.platform).label
    if isinstance(target, Listing):
        heading = _("{platform} listing: {link}", platform=platform, link=target.canonical_url)
    else:
        heading = _("{platform} storefront: {link}", platform=platform, link=target.canonical_url)
    lines = [heading]
    found, total = holders(session, target)
    if not found:
        lines.append("  " + _("No complaint names it."))
    for holder in found:
        lines.extend(_holder_lines(ctx, session, holder))
    if total > len(found):
        lines.append(
            "  " + ngettext("… and {count} more item naming it, not shown.",
                            "… and {count} more items naming it, not shown.", total - len(found))
        )  # fmt: skip
    store = target if isinstance(target, Storefront) else _store_of(session, target)
    if store is not None:
        lines.append(_store_line(ctx, session, store, own=isinstance(target, Storefront)))
    return lines


def _holder_lines(ctx: Context, session: Session, holder: Holder) -> list[str]:
    item, complaint = holder.item, holder.complaint
    if not (ctx.is_staff or complaint.organisation_id == ctx.organisation_id):
        return ["  " + _("Reported by another member: {status}.", status=item.status)]
    whose = ""
    if ctx.is_staff:
        organisation = session.get(Organisation, complaint.organisation_id)
        whose = f" ({organisation.name})" if organisation else ""
    reported = local_time(item.reported_at, ctx.rules.timezone)
    lines = [
        "  "
        + _(
            "{case} item {position}{whose}: {status}; case {case_status}; reported {reported}.",
            case=complaint.case_id, position=item.position, whose=whose, status=item.status,
            case_status=complaint.status, reported=reported,
        )
    ]  # fmt: skip
    for appeal in holder.appeals:
        due = local_time(appeal.due_at, ctx.rules.timezone)
        lines.append(
            "    "
            + _("seller's counter-notice, round {round}: {status} (due {due})", round=appeal.round,
                status=appeal.status, due=due)
        )  # fmt: skip
    return lines


def _store_of(session: Session, listing: Listing) -> Storefront | None:
    return session.get(Storefront, listing.storefront_id) if listing.storefront_id is not None else None


def _store_line(ctx: Context, session: Session, store: Storefront, *, own: bool) -> str:
    assert store.id is not None
    status = str(store.status)
    if store.closed_at is not None:
        status = _("{status} on {when}", status=status, when=local_time(store.closed_at, ctx.rules.timezone))
    parts = [status]
    if sees_pursuit(session, ctx, store):
        threshold = ctx.rules.strike_threshold(Platform(store.platform))
        strikes = active_strike_count(session, store.id, ctx.now)
        parts = [
            ngettext("{status}, {count} active strike (closes at {threshold})",
                     "{status}, {count} active strikes (closes at {threshold})", strikes,
                     status=status, threshold=threshold)
        ]  # fmt: skip
        if store.rogueblock_status is not None:
            parts.append(f"RogueBlock: {store.rogueblock_status}")
    said = "; ".join(parts)
    if own:
        return "  " + _("Storefront: {state}.", state=said)
    return "  " + _("Its storefront {link}: {state}.", link=store.canonical_url, state=said)
