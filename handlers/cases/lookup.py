"""`lookup`: what the program knows of a listing or storefront, across every case.

A member sees their own organisation's cases in full; of another organisation's, only that the
item was reported by another member and its outcome, which the marketplace shows anyway. The
team sees every case and who filed it.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, RejectedLink, parse_link
from handlers.kit.arguments import Args
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, command
from handlers.kit.replies import Reply, plural
from storage.models import Listing, Organisation, Storefront
from storage.queries.lookup import Holder, holders, target_by_key, targets_with_id
from storage.queries.storefronts import active_strike_count, complaints_naming
from storage.vocabulary import ItemKind, Platform

BARE_ID = re.compile(r"u?[0-9]{1,30}")


@command(
    "lookup", summary="what the program knows of a listing or storefront: cases, outcomes, appeals, strikes",
    options=(Option("item", "a listing or store link, or a listing's id", required=True),),
)  # fmt: skip
def lookup(ctx: Context, args: Args, session: Session) -> Reply:
    """lookup <link | listing id | store link>
    Every case that names it with its outcome and appeals (your organisation's cases in full; of
    others', that another member reported it and its outcome), the storefront's status, and its
    strikes and RogueBlock referral when your organisation pursues it too.
    Example: lookup https://item.taobao.com/item.htm?id=123"""
    args.check_options()
    written = args.word(0, "a listing or store link, or a listing's id")
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
            raise NotFound(f"No listing or storefront with the id {written} is known to the program.")
        return found
    parsed = parse_link(written)
    if isinstance(parsed, RejectedLink):
        raise UserError(f"'{parsed.original}' is not a link the program knows: {parsed.reason}.")
    if not isinstance(parsed, ParsedLink):
        raise UserError(f"{parsed.original} cannot be resolved here: {parsed.reason}.")
    target = target_by_key(session, parsed.key.platform, parsed.key.kind, parsed.key.external_id)
    if target is None:
        raise NotFound(f"The program has no record of {parsed.canonical_url}: no complaint or strike names it.")
    return [target]


def _title(written: str, targets: list[Listing | Storefront]) -> str:
    if len(targets) == 1:
        return f"What the program knows of {targets[0].canonical_url}:"
    return f"{plural(len(targets), 'listing or storefront', 'listings or storefronts')} have the id {written}:"


def _describe(ctx: Context, session: Session, target: Listing | Storefront) -> list[str]:
    kind = ItemKind.LISTING if isinstance(target, Listing) else ItemKind.STOREFRONT
    lines = [f"{Platform(target.platform).label} {kind}: {target.canonical_url}"]
    found, total = holders(session, target)
    if not found:
        lines.append("  No complaint names it.")
    for holder in found:
        lines.extend(_holder_lines(ctx, session, holder))
    if total > len(found):
        lines.append(f"  … and {plural(total - len(found), 'more item')} naming it, not shown.")
    store = target if isinstance(target, Storefront) else _store_of(session, target)
    if store is not None:
        lines.append(_store_line(ctx, session, store, own=isinstance(target, Storefront)))
    return lines


def _holder_lines(ctx: Context, session: Session, holder: Holder) -> list[str]:
    item, complaint = holder.item, holder.complaint
    if not (ctx.is_staff or complaint.organisation_id == ctx.organisation_id):
        return [f"  Reported by another member: {item.status}."]
    whose = ""
    if ctx.is_staff:
        organisation = session.get(Organisation, complaint.organisation_id)
        whose = f" ({organisation.name})" if organisation else ""
    reported = local_time(item.reported_at, ctx.rules.timezone)
    state = f"{item.status}; case {complaint.status}; reported {reported}"
    lines = [f"  {complaint.case_id} item {item.position}{whose}: {state}."]
    for appeal in holder.appeals:
        due = local_time(appeal.due_at, ctx.rules.timezone)
        lines.append(f"    seller's counter-notice, round {appeal.round}: {appeal.status} (due {due})")
    return lines


def _store_of(session: Session, listing: Listing) -> Storefront | None:
    return session.get(Storefront, listing.storefront_id) if listing.storefront_id is not None else None


def _store_line(ctx: Context, session: Session, store: Storefront, *, own: bool) -> str:
    assert store.id is not None
    status = str(store.status)
    if store.closed_at is not None:
        status += f" on {local_time(store.closed_at, ctx.rules.timezone)}"
    parts = [status]
    # Its status is public; strikes and referrals tell who pursues it, which is the pursuers' to know.
    if ctx.is_staff or complaints_naming(session, store.id, ctx.organisation_id) > 0:
        threshold = ctx.rules.strike_threshold(Platform(store.platform))
        parts = [f"{status}, {active_strike_count(session, store.id, ctx.now)} active strikes (closes at {threshold})"]
        if store.rogueblock_status is not None:
            parts.append(f"RogueBlock: {store.rogueblock_status}")
    return f"  {'Storefront' if own else 'Its storefront ' + store.canonical_url}: " + "; ".join(parts) + "."
