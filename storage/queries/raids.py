"""Civil-raid evidence: the submission, the storefronts it names and its documents' fingerprints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.models import RaidDocument, RaidEvidence, RaidStorefront, Storefront
from storage.queries.marketplace_items import ensure_targets
from storage.vocabulary import ItemKind, RaidStatus


def add_raid(
    session: Session,
    *,
    organisation_id: int,
    member_id: int,
    raid_date: date,
    authority: str,
    case_number: str,
    storefronts: Mapping[str, Mapping[str, str]],
    documents: Iterable[tuple[str, int, str, str]],
    now: datetime,
) -> RaidEvidence:
    """A new submission with its storefronts (platform -> external id -> canonical URL, created
    when not yet known) and its documents as (name, size, SHA-256, media type): fingerprints only."""
    raid = RaidEvidence(
        organisation_id=organisation_id,
        submitted_by_id=member_id,
        raid_date=raid_date,
        authority=authority,
        authority_case_number=case_number,
        status=RaidStatus.SUBMITTED,
        created_at=now,
        updated_at=now,
    )
    session.add(raid)
    session.flush()
    assert raid.id is not None
    for platform, urls in storefronts.items():
        ids, _ = ensure_targets(session, platform, ItemKind.STOREFRONT, urls, now)
        session.add_all(RaidStorefront(raid_id=raid.id, storefront_id=ids[external_id]) for external_id in urls)
    session.add_all(
        RaidDocument(raid_id=raid.id, name=name, size_bytes=size, sha256=sha256, media_type=media_type)
        for name, size, sha256, media_type in documents
    )
    session.flush()
    return raid


def raid_by_id(session: Session, raid_id: int, *, for_update: bool = False) -> RaidEvidence | None:
    """The raid evidence; `for_update` locks its row (PostgreSQL) so two decisions cannot cross."""
    query = select(RaidEvidence).where(RaidEvidence.id == raid_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def storefronts_of_raid(session: Session, raid_id: int) -> list[Storefront]:
    """The storefronts the evidence names, in the order they were given."""
    return list(
        session.exec(
            select(Storefront)
            .join(RaidStorefront, col(RaidStorefront.storefront_id) == col(Storefront.id))
            .where(RaidStorefront.raid_id == raid_id)
            .order_by(col(RaidStorefront.id))
        ).all()
    )


def documents_of_raid(session: Session, raid_id: int) -> list[RaidDocument]:
    return list(
        session.exec(select(RaidDocument).where(RaidDocument.raid_id == raid_id).order_by(col(RaidDocument.id))).all()
    )
