"""Strikes against storefronts and when a storefront may be closed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from handlers.kit.context import Context
from handlers.kit.i18n import _
from storage.models import ComplaintItem, Storefront, Strike
from storage.queries.storefronts import active_strike_count, has_accepted_raid
from storage.vocabulary import Platform, StorefrontStatus


def add_strike(session: Session, ctx: Context, storefront: Storefront, item_id: int | None, note: str | None) -> int:
    """Record a serious finding; returns the storefront's active strikes after it."""
    assert storefront.id is not None
    session.add(
        Strike(
            storefront_id=storefront.id,
            item_id=item_id,
            recorded_by=ctx.caller.ref,
            note=note,
            created_at=ctx.now,
            expires_at=ctx.now + ctx.rules.strike_lifetime,
        )
    )
    session.flush()
    return active_strike_count(session, storefront.id, ctx.now)


def closure_refusal(session: Session, ctx: Context, storefront: Storefront) -> str | None:
    """Why the team may not close this storefront yet, or None when it may."""
    assert storefront.id is not None
    if storefront.status == StorefrontStatus.CLOSED:
        return _("it is already closed")
    threshold = ctx.rules.strike_threshold(Platform(storefront.platform))
    strikes = active_strike_count(session, storefront.id, ctx.now)
    if strikes >= threshold or has_accepted_raid(session, storefront.id):
        return None
    return _(
        "it has {count} active strike(s) and {platform} closes stores at {threshold}, and no accepted raid evidence "
        "names it",
        count=strikes,
        platform=Platform(storefront.platform).label,
        threshold=threshold,
    )


def strike_storefronts(session: Session, ctx: Context, items: Sequence[ComplaintItem], note: str | None) -> list[str]:
    """Strikes for storefront items found counterfeit; lines telling the team which can close."""
    lines = []
    for item in items:
        if item.storefront_id is None:
            continue
        storefront = session.get(Storefront, item.storefront_id)
        assert storefront is not None
        strikes = add_strike(session, ctx, storefront, item.id, note)
        threshold = ctx.rules.strike_threshold(Platform(storefront.platform))
        if strikes >= threshold and storefront.status == StorefrontStatus.ACTIVE:
            close = f"store close {storefront.canonical_url}"
            lines.append(
                _(
                    "{link} has {count} active strikes (threshold {threshold}): close it with `{command}`.",
                    link=storefront.canonical_url, count=strikes, threshold=threshold, command=close,
                )
            )  # fmt: skip
    return lines
