"""Storefront strikes, closures and the evidence behind them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import ComplaintItem, RaidEvidence, RaidStorefront, Storefront, Strike
from storage.vocabulary import RaidStatus


def strikes_of(session: Session, storefront_id: int) -> list[Strike]:
    return list(
        session.exec(select(Strike).where(Strike.storefront_id == storefront_id).order_by(col(Strike.created_at))).all()
    )


def active_strike_count(session: Session, storefront_id: int, now: datetime) -> int:
    return session.execute(
        select(func.count()).where(Strike.storefront_id == storefront_id, col(Strike.expires_at) > now)
    ).scalar_one()


def end_active_strikes(session: Session, storefront_id: int, now: datetime) -> int:
    """Make the storefront's active strikes expire now (they stay listed); how many there were."""
    active = list(
        session.exec(select(Strike).where(Strike.storefront_id == storefront_id, col(Strike.expires_at) > now)).all()
    )
    for strike in active:
        strike.expires_at = now
        session.add(strike)
    return len(active)


def has_accepted_raid(session: Session, storefront_id: int) -> bool:
    """True when raid evidence naming the storefront led to a penalty."""
    found = session.execute(
        select(RaidEvidence.id)
        .join(RaidStorefront, col(RaidStorefront.raid_id) == col(RaidEvidence.id))
        .where(RaidStorefront.storefront_id == storefront_id, RaidEvidence.status == RaidStatus.PENALTY_APPLIED)
        .limit(1)
    ).first()
    return found is not None


def complaints_naming(session: Session, storefront_id: int, organisation_id: int | None) -> int:
    query = select(func.count(func.distinct(ComplaintItem.complaint_id))).where(
        ComplaintItem.storefront_id == storefront_id
    )
    if organisation_id is not None:
        query = query.where(ComplaintItem.organisation_id == organisation_id)
    return session.execute(query).scalar_one()


def storefronts(
    session: Session, *, closed: bool, platform: str | None, now: datetime, limit: int = 50
) -> list[tuple[Storefront, int]]:
    """Storefronts with their active strikes (those that count towards closure), most first."""
    strikes = func.count(col(Strike.id))
    active = (col(Strike.storefront_id) == col(Storefront.id)) & (col(Strike.expires_at) > now)
    query = (
        select(Storefront, strikes)
        .outerjoin(Strike, active)
        .group_by(col(Storefront.id))
        .order_by(strikes.desc(), col(Storefront.id))
        .limit(limit)
    )
    if closed:
        query = query.where(col(Storefront.closed_at).is_not(None))
    if platform is not None:
        query = query.where(Storefront.platform == platform)
    return [(store, int(count)) for store, count in session.exec(query).all()]
