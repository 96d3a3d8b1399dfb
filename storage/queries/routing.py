"""Who acts on which platform's cases, and how many open cases each team member carries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, col, select

from storage.models import Complaint, Member, PlatformAssignment
from storage.queries.cases import OPEN_COMPLAINT_STATUSES
from storage.vocabulary import Platform, Role

CASE_HANDLERS = (Role.TEAM, Role.ADMIN)


# Built once: every filing routes its new cases with it, and building the statement anew costs
# more than running it.
_COVERING = (
    select(Member)
    .join(PlatformAssignment, col(PlatformAssignment.member_id) == col(Member.id))
    .where(
        col(PlatformAssignment.platform) == bindparam("platform"),
        col(Member.active),
        col(Member.role).in_(CASE_HANDLERS),
    )
    .order_by(col(Member.id))
)


def members_covering(session: Session, platform: Platform) -> list[Member]:
    """Active team members and admins who act on `platform`'s cases, by member id."""
    return list(session.exec(_COVERING, params={"platform": platform}).all())


def open_loads(session: Session, member_ids: Sequence[int]) -> dict[int, int]:
    """Open cases assigned to each of the members (0 for those with none)."""
    loads = dict.fromkeys(member_ids, 0)
    if not member_ids:
        return loads
    rows = session.exec(
        select(Complaint.assigned_to_id, func.count())
        .where(col(Complaint.assigned_to_id).in_(member_ids), col(Complaint.status).in_(OPEN_COMPLAINT_STATUSES))
        .group_by(col(Complaint.assigned_to_id))
    ).all()
    for member_id, count in rows:
        if member_id is not None:
            loads[int(member_id)] = int(count)
    return loads


def platforms_of(session: Session, member_ids: Sequence[int]) -> dict[int, list[Platform]]:
    """Each member's platforms, in the vocabulary's order."""
    found: dict[int, list[Platform]] = {member_id: [] for member_id in member_ids}
    if not member_ids:
        return found
    rows = session.exec(
        select(PlatformAssignment.member_id, PlatformAssignment.platform).where(
            col(PlatformAssignment.member_id).in_(member_ids)
        )
    ).all()
    for member_id, platform in rows:
        found[int(member_id)].append(Platform(platform))
    order = list(Platform)
    for platforms in found.values():
        platforms.sort(key=order.index)
    return found


def set_platforms(session: Session, member_id: int, platforms: Iterable[Platform], now: datetime) -> None:
    """Make `platforms` exactly the member's platforms."""
    wanted = set(platforms)
    current = set(platforms_of(session, [member_id])[member_id])
    gone = current - wanted
    if gone:
        session.execute(
            delete(PlatformAssignment).where(
                col(PlatformAssignment.member_id) == member_id,
                col(PlatformAssignment.platform).in_([platform.value for platform in gone]),
            )
        )
    for platform in sorted(wanted - current, key=list(Platform).index):
        session.add(PlatformAssignment(member_id=member_id, platform=platform, created_at=now))
    session.flush()


def case_handlers(session: Session) -> list[Member]:
    """Active team members and admins, in identity order."""
    return list(
        session.exec(
            select(Member)
            .where(col(Member.active), col(Member.role).in_(CASE_HANDLERS))
            .order_by(col(Member.platform), col(Member.user_id))
        ).all()
    )


def covered_platforms(session: Session) -> set[Platform]:
    """Platforms at least one active team member or admin covers."""
    rows = session.exec(
        select(PlatformAssignment.platform)
        .join(Member, col(Member.id) == col(PlatformAssignment.member_id))
        .where(col(Member.active), col(Member.role).in_(CASE_HANDLERS))
        .distinct()
    ).all()
    return {Platform(platform) for platform in rows}


def members_by_id(session: Session, member_ids: Iterable[int]) -> dict[int, Member]:
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    rows = session.exec(select(Member).where(col(Member.id).in_(ids))).all()
    return {member.id: member for member in rows if member.id is not None}
