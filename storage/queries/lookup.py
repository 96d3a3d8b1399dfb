"""What the program knows of one listing or storefront: the items that hold it, in every case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from storage.models import Complaint, ComplaintItem, Listing, SellerAppeal, Storefront
from storage.vocabulary import ItemKind

MAX_HOLDERS = 50  # items shown per listing or storefront; the rest are counted


@dataclass(frozen=True, slots=True)
class Holder:
    """One item that names the listing or storefront, with its case and the appeals against it."""

    item: ComplaintItem
    complaint: Complaint
    appeals: tuple[SellerAppeal, ...]


def targets_with_id(session: Session, external_id: str) -> list[Listing | Storefront]:
    """Every listing and storefront, on any platform, known by this id."""
    listings = session.exec(select(Listing).where(Listing.external_id == external_id)).all()
    stores = session.exec(select(Storefront).where(Storefront.external_id == external_id)).all()
    return [*listings, *stores]


def target_by_key(session: Session, platform: str, kind: ItemKind, external_id: str) -> Listing | Storefront | None:
    if kind is ItemKind.LISTING:
        return session.exec(
            select(Listing).where(Listing.platform == platform, Listing.external_id == external_id)
        ).first()
    query = select(Storefront).where(Storefront.platform == platform, Storefront.external_id == external_id)
    return session.exec(query).first()


def holders(session: Session, target: Listing | Storefront) -> tuple[list[Holder], int]:
    """The items naming it (oldest first, at most `MAX_HOLDERS`), and how many there are in all."""
    column = ComplaintItem.listing_id if isinstance(target, Listing) else ComplaintItem.storefront_id
    condition = col(column) == target.id
    total = session.exec(select(func.count()).select_from(ComplaintItem).where(condition)).one()
    rows = session.exec(
        select(ComplaintItem, Complaint)
        .join(Complaint, col(Complaint.id) == col(ComplaintItem.complaint_id))
        .where(condition)
        .order_by(col(ComplaintItem.id))
        .limit(MAX_HOLDERS)
    ).all()
    appeals = _appeals(session, [item.id for item, _ in rows if item.id is not None])
    return [Holder(item, complaint, tuple(appeals.get(item.id or 0, ()))) for item, complaint in rows], total


def _appeals(session: Session, item_ids: Sequence[int]) -> dict[int, list[SellerAppeal]]:
    found: dict[int, list[SellerAppeal]] = {}
    if not item_ids:
        return found
    query = select(SellerAppeal).where(col(SellerAppeal.item_id).in_(item_ids)).order_by(col(SellerAppeal.round))
    for appeal in session.exec(query).all():
        found.setdefault(appeal.item_id, []).append(appeal)
    return found
