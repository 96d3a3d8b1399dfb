"""Strikes against storefronts and when a storefront may be closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session

from handlers.kit.context import Context
from handlers.kit.i18n import _, ngettext
from storage.models import ComplaintItem, Storefront, Strike
from storage.queries import audit
from storage.queries.storefronts import active_strike_count, complaints_naming, has_accepted_raid
from storage.vocabulary import AuditEntity, Platform, StorefrontStatus

# Entries of a storefront's audit log read besides one per strike: its closures, reinstatements and referral.
STATUS_ENTRIES_READ = 100


def sees_pursuit(session: Session, ctx: Context, storefront: Storefront) -> bool:
    """Whether the caller may see how a storefront is pursued: its strikes and RogueBlock referral.
    Its status is public; who pursues it is for the team and the organisations whose complaints
    name it to know."""
    assert storefront.id is not None
    if ctx.is_staff:
        return True
    return ctx.organisation_id is not None and complaints_naming(session, storefront.id, ctx.organisation_id) > 0


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
    return ngettext(
        "it has {count} active strike and {platform} closes stores at {threshold}, and no accepted raid evidence "
        "names it",
        "it has {count} active strikes and {platform} closes stores at {threshold}, and no accepted raid evidence "
        "names it",
        strikes,
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


def reinstatements(session: Session, storefront: Storefront, strikes: int) -> list[tuple[datetime | None, datetime]]:
    """When the storefront was reinstated, oldest first, each with when it had been closed (None
    when that is no longer in the entries read), from the audit log: reinstating clears `closed_at`."""
    assert storefront.id is not None
    # A storefront's entries are its strikes, its status changes and its referral: all of them.
    entries = audit.history(session, [(AuditEntity.STOREFRONT, [storefront.id])], limit=strikes + STATUS_ENTRIES_READ)
    found: list[tuple[datetime | None, datetime]] = []
    closed: datetime | None = None
    for entry in entries:
        if entry.action != "status":
            continue
        if entry.to_status == StorefrontStatus.CLOSED:
            closed = entry.at
        elif entry.from_status == StorefrontStatus.CLOSED and entry.to_status == StorefrontStatus.ACTIVE:
            found.append((closed, entry.at))
            closed = None
    return found


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC, read as UTC when the database gave it back without a zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
