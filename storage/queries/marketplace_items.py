"""Listings and storefronts by canonical key, in bulk: a paste may name ten thousand of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import ComplaintItem, Listing, Storefront
from storage.vocabulary import ItemKind, ItemStatus

# Items that are still being acted on: a second complaint about the same target would be a
# double submission.
OPEN_ITEM_STATUSES = (ItemStatus.REPORTED, ItemStatus.COUNTER_NOTICED)
_CHUNK = 900  # well under every backend's bound-parameter limit


def chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def target_table(kind: ItemKind) -> type[Listing] | type[Storefront]:
    return Listing if kind is ItemKind.LISTING else Storefront


def ensure_targets(
    session: Session,
    platform: str,
    kind: ItemKind,
    canonical_urls: Mapping[str, str],
    now: datetime,
) -> dict[str, int]:
    """Ids of the listings or storefronts with these external ids, creating the missing ones.

    Safe against a concurrent filer creating the same row: conflicts are skipped, then read.
    """
    table = target_table(kind)
    ids = _ids_for(session, table, platform, list(canonical_urls))
    missing = [
        {"platform": platform, "external_id": external_id, "canonical_url": url,
         "first_seen_at": now}
        for external_id, url in canonical_urls.items()
        if external_id not in ids
    ]  # fmt: skip
    if missing:
        dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
        statement = dialect.insert(table).on_conflict_do_nothing(
            index_elements=["platform", "external_id"]
        )
        if kind is ItemKind.STOREFRONT:
            missing = [row | {"status": "active"} for row in missing]
        session.execute(statement, missing)
        ids.update(_ids_for(session, table, platform, [row["external_id"] for row in missing]))
    return ids


def _ids_for(
    session: Session, table: type[Listing] | type[Storefront], platform: str, external_ids: list[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(external_ids):
        rows = session.execute(
            select(table.id, table.external_id).where(
                table.platform == platform, col(table.external_id).in_(chunk)
            )
        ).all()
        found.update({external_id: row_id for row_id, external_id in rows})
    return found


def open_items_for(
    session: Session, kind: ItemKind, target_ids: Iterable[int]
) -> dict[int, tuple[int, int]]:
    """For targets already in an open item: target id -> (complaint id, organisation id)."""
    column = col(ComplaintItem.listing_id if kind is ItemKind.LISTING else ComplaintItem.storefront_id)
    found: dict[int, tuple[int, int]] = {}
    for chunk in chunks(sorted(set(target_ids))):
        rows = session.execute(
            select(column, ComplaintItem.complaint_id, ComplaintItem.organisation_id).where(
                column.in_(chunk), col(ComplaintItem.status).in_(OPEN_ITEM_STATUSES)
            )
        ).all()
        for target_id, complaint_id, organisation_id in rows:
            found.setdefault(target_id, (complaint_id, organisation_id))
    return found


def storefront_by_key(session: Session, platform: str, external_id: str) -> Storefront | None:
    return session.exec(
        select(Storefront).where(Storefront.platform == platform, Storefront.external_id == external_id)
    ).first()
