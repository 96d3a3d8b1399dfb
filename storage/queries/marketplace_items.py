"""Listings and storefronts by canonical key, in bulk: a paste may name ten thousand of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlmodel import Session, SQLModel, col, select

from storage.locks import locking
from storage.models import ComplaintItem, Listing, Storefront
from storage.queries.many_rows import insert_rows
from storage.vocabulary import ItemKind, ItemStatus

# Items that are still being acted on: a second complaint about the same target would be a
# double submission.
OPEN_ITEM_STATUSES = (ItemStatus.REPORTED, ItemStatus.COUNTER_NOTICE)
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
) -> tuple[dict[str, int], set[str]]:
    """Ids of the listings or storefronts with these external ids, creating the missing ones;
    and which of them existed before (only those can already be in a complaint).

    INSERT .. ON CONFLICT DO NOTHING RETURNING (`storage.queries.many_rows`, a page of rows per
    statement) creates the new rows and returns their ids; the rest existed (or a concurrent filer
    just created them) and are read back.
    """
    table = SQLModel.metadata.tables[str(target_table(kind).__tablename__)]
    shared: dict[str, object] = {"platform": platform, "first_seen_at": now}
    if kind is ItemKind.STOREFRONT:
        shared["status"] = "active"
    result = insert_rows(
        session.connection(),
        table,
        shared,
        ("external_id", "canonical_url"),
        list(canonical_urls.items()),
        skip_conflicts_on=("platform", "external_id"),
        returning=("id", "external_id"),
    )
    ids: dict[str, int] = {str(external_id): cast(int, row_id) for row_id, external_id in result}
    existing = [external_id for external_id in canonical_urls if external_id not in ids]
    ids.update(_ids_for(session, target_table(kind), platform, existing))
    return ids, set(existing)


def _ids_for(
    session: Session, table: type[Listing] | type[Storefront], platform: str, external_ids: list[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(external_ids):
        rows = session.exec(
            select(table.id, table.external_id).where(table.platform == platform, col(table.external_id).in_(chunk))
        ).all()
        found.update({external_id: cast(int, row_id) for row_id, external_id in rows})
    return found


def open_items_for(session: Session, kind: ItemKind, target_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For targets already in an open item: target id -> (complaint id, organisation id).

    The targets are locked first, in the order of their ids, until the transaction ends: a
    concurrent filing of any of them waits, then finds the items this one adds.
    """
    table = target_table(kind)
    ids = sorted(set(target_ids))
    for chunk in chunks(ids):
        session.exec(locking(select(table.id).where(col(table.id).in_(chunk)).order_by(col(table.id)))).all()
    column = col(ComplaintItem.listing_id if kind is ItemKind.LISTING else ComplaintItem.storefront_id)
    found: dict[int, tuple[int, int]] = {}
    for chunk in chunks(ids):
        rows = session.exec(
            select(column, ComplaintItem.complaint_id, ComplaintItem.organisation_id).where(
                column.in_(chunk), col(ComplaintItem.status).in_(OPEN_ITEM_STATUSES)
            )
        ).all()
        for target_id, complaint_id, organisation_id in rows:
            found.setdefault(cast(int, target_id), (complaint_id, organisation_id))
    return found


def storefront_by_key(
    session: Session, platform: str, external_id: str, *, for_update: bool = False
) -> Storefront | None:
    """The storefront with this key; `for_update` locks it until the transaction ends (`storage.locks`)."""
    statement = select(Storefront).where(Storefront.platform == platform, Storefront.external_id == external_id)
    return session.exec(locking(statement) if for_update else statement).first()
