"""Applications to the program and the seats of their groups, as the bot reads them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.locks import locking
from storage.models import Application, ApplicationGroup, Milestone
from storage.vocabulary import ApplicationStatus

# Statuses in which an identity may not apply again: the application is still on its way.
ACTIVE_STATUSES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.QUEUED,
        ApplicationStatus.SELECTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.NOTIFIED,
        ApplicationStatus.ONBOARDED,
    }
)
# Statuses that hold one of a group's seats.
SEAT_STATUSES = frozenset({ApplicationStatus.SELECTED, ApplicationStatus.NOTIFIED, ApplicationStatus.ONBOARDED})


def active_application(session: Session, platform: str, user_id: str) -> Application | None:
    """The identity's application that is still on its way, if any (the earliest when several)."""
    return session.exec(
        select(Application)
        .where(
            Application.applicant_platform == platform,
            Application.applicant_user_id == user_id,
            col(Application.status).in_(ACTIVE_STATUSES),
        )
        .order_by(col(Application.id))
        .limit(1)
    ).first()


def latest_application(session: Session, platform: str, user_id: str) -> Application | None:
    """The identity's most recent application, whatever its status."""
    return session.exec(
        select(Application)
        .where(Application.applicant_platform == platform, Application.applicant_user_id == user_id)
        .order_by(col(Application.id).desc())
        .limit(1)
    ).first()


def next_arrival_seq(session: Session) -> int:
    """The next number in the round's global order of arrival."""
    latest = session.exec(select(func.max(Application.arrival_seq))).one()
    return (latest or 0) + 1


def applications_in_order(session: Session) -> list[Application]:
    """Every application, by group and then in order of arrival (ties by id)."""
    return list(
        session.exec(
            select(Application).order_by(col(Application.group_key), col(Application.arrival_seq), col(Application.id))
        ).all()
    )


def applications_with_status(
    session: Session, statuses: Iterable[str], *, for_update: bool = False
) -> list[Application]:
    """Applications in any of `statuses`, in order of arrival; `for_update` locks them until the
    transaction ends (`storage.locks`)."""
    statement = (
        select(Application)
        .where(col(Application.status).in_(list(statuses)))
        .order_by(col(Application.arrival_seq), col(Application.id))
    )
    return list(session.exec(locking(statement) if for_update else statement).all())


def group_applications(session: Session, group_key: str, statuses: Iterable[str]) -> list[Application]:
    """A group's applications in any of `statuses`, in order of arrival."""
    return list(
        session.exec(
            select(Application)
            .where(Application.group_key == group_key, col(Application.status).in_(list(statuses)))
            .order_by(col(Application.arrival_seq), col(Application.id))
        ).all()
    )


def place_in_group(session: Session, application: Application, statuses: Iterable[str]) -> int:
    """1 + how many applications of the same group in `statuses` arrived before this one."""
    earlier = session.exec(
        select(func.count())
        .select_from(Application)
        .where(
            Application.group_key == application.group_key,
            col(Application.status).in_(list(statuses)),
            (col(Application.arrival_seq) < application.arrival_seq)
            | ((col(Application.arrival_seq) == application.arrival_seq) & (col(Application.id) < application.id)),
        )
    ).one()
    return earlier + 1


def application_groups(session: Session) -> dict[str, ApplicationGroup]:
    """Seats per group key."""
    return {group.group_key: group for group in session.exec(select(ApplicationGroup)).all()}


def application_group(session: Session, group_key: str) -> ApplicationGroup | None:
    return session.get(ApplicationGroup, group_key)


def latest_milestone(session: Session, kind: str) -> Milestone | None:
    """The latest milestone of a kind on the calendar (e.g. the round's application deadline)."""
    return session.exec(
        select(Milestone)
        .where(Milestone.kind == kind)
        .order_by(col(Milestone.at).desc(), col(Milestone.id).desc())
        .limit(1)
    ).first()
