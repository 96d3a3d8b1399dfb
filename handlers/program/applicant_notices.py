"""How applicants are told where they stand: the direct message for each status, the waitlist's
promotion when a seat is freed, and the status change behind each (with its audit entry)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.milestone_wording import moment, zone_of
from handlers.kit.local_time import local_time
from handlers.kit.replies import Notice
from handlers.program.regions import group_label
from storage.models import Application, Organisation
from storage.queries import audit
from storage.queries.applications import group_applications, latest_milestone, place_in_group
from storage.queries.members import rights_of
from storage.vocabulary import ApplicationStatus, AuditEntity, MilestoneKind, NoticeKind, RightStatus, dm_channel

S = ApplicationStatus
IN_LINE = (S.QUEUED, S.WAITLISTED, S.SELECTED, S.NOTIFIED, S.ONBOARDED)


def tell(session: Session, rows: list[Application], now: datetime, zone: ZoneInfo, actor: str) -> list[Notice]:
    """One direct message per application (written once per status); selected ones become notified."""
    notices = []
    for application in rows:
        assert application.id is not None
        status = application.status
        notices.append(
            Notice(
                applicant_channel(application),
                message(session, application, zone),
                NoticeKind.APPLICATION,
                dedupe_key=f"application-status:{application.id}:{status}",
            )
        )
        if status == S.SELECTED:
            move(session, actor, application, S.NOTIFIED, now)
    return notices


def message(session: Session, application: Application, zone: ZoneInfo, opening: str = "MarketSafe:") -> str:
    """The direct message that tells an applicant where they stand."""
    return f"{opening} {headline(application)}. " + " ".join(details(session, application, zone))


def headline(application: Application) -> str:
    """`Application #3 (ACME Corp) is queued in North America, large`."""
    group = group_label(application.group_key)
    standing = {
        S.QUEUED: f"queued in {group}",
        S.SELECTED: f"selected in {group}",
        S.NOTIFIED: f"selected in {group}",
        S.WAITLISTED: f"on the waitlist for {group}",
        S.ONBOARDED: "onboarded",
        S.INELIGIBLE: "not eligible",
        S.WITHDRAWN: "withdrawn",
    }.get(application.status, application.status)
    return f"Application #{application.id} ({application.legal_name}) is {standing}"


def details(session: Session, application: Application, zone: ZoneInfo) -> list[str]:
    """What the status means and what happens next, in a sentence or two each."""
    status = application.status
    if status is S.QUEUED:
        update = latest_milestone(session, MilestoneKind.STATUS_UPDATE)
        hear = f" at the status update, {local_time(update.at, zone)}" if update else " when they are allocated"
        return [
            f"It is number {place_in_group(session, application, IN_LINE)} in its group in order of arrival.",
            f"Seats go to eligible applicants in order of arrival; you will hear by direct message{hear}.",
        ]
    if status is S.WAITLISTED:
        place = place_in_group(session, application, (S.WAITLISTED,))
        return [
            f"It is number {place} on the waitlist.",
            "If a selected applicant withdraws or declines, the first on the waitlist is selected and told at once.",
        ]
    if status in (S.SELECTED, S.NOTIFIED):
        return [
            program_dates(session, zone),
            "Accept your seat with `apply accept`: your organisation is set up at once, and you can file "
            "complaints once a program admin has verified your marks. `apply decline` gives the seat to the next "
            "on the waitlist.",
        ]
    if status is S.ONBOARDED:
        organisation = session.get(Organisation, application.organisation_id) if application.organisation_id else None
        slug = organisation.slug if organisation else "-"
        rights = rights_of(session, organisation.id) if organisation and organisation.id else []
        if not any(right.status == RightStatus.VERIFIED for right in rights):
            return [
                f"You are in the program as organisation {slug}. Its rights await a program admin's verification; "
                "then file complaints with `complaint <links>`."
            ]
        return [f"You are in the program as organisation {slug}; file complaints with `complaint <links>`."]
    if status is S.INELIGIBLE:
        return [f"Reason: {application.status_reason}.", "If that changes, apply again with `apply`."]
    if status is S.WITHDRAWN:
        return [
            f"It was {application.status_reason or 'withdrawn'}.",
            "You may apply again while applications are open.",
        ]
    return ["It is being checked."]


def program_dates(session: Session, zone: ZoneInfo) -> str:
    """`Orientation: 2027-02-07 10:00 EST; launch: 2027-02-15 09:00 EST.`"""
    parts = []
    for kind, name in ((MilestoneKind.ORIENTATION, "Orientation"), (MilestoneKind.LAUNCH, "launch")):
        milestone = latest_milestone(session, kind)
        parts.append(f"{name}: {moment(milestone.at, zone, zone_of(milestone)) if milestone else 'to be announced'}")
    return "; ".join(parts) + "."


def promote_after(
    session: Session, actor: str, freed: Application, now: datetime, zone: ZoneInfo
) -> tuple[Application | None, list[Notice]]:
    """Give a freed seat to the first on the group's waitlist, with the message that tells them."""
    waiting = group_applications(session, freed.group_key, (S.WAITLISTED,))
    if not waiting:
        return None, []
    promoted = waiting[0]
    move(session, actor, promoted, S.SELECTED, now, note=f"seat freed by application #{freed.id}")
    opening = f"Good news from MarketSafe: a seat opened in {group_label(promoted.group_key)}."
    key = f"application-status:{promoted.id}:{S.SELECTED}"
    text = message(session, promoted, zone, opening)
    return promoted, [Notice(applicant_channel(promoted), text, NoticeKind.APPLICATION, dedupe_key=key)]


def move(
    session: Session, actor: str, application: Application, status: S, now: datetime, note: str | None = None
) -> None:
    """Change an application's status, with its audit entry."""
    assert application.id is not None
    before = application.status
    application.status, application.updated_at = status, now
    session.add(application)
    audit.record(
        session, actor=actor, entity=AuditEntity.APPLICATION, entity_id=application.id, action="status",
        from_status=before, to_status=status, note=note, at=now,
    )  # fmt: skip


def applicant_channel(application: Application) -> str:
    return dm_channel(application.applicant_platform, application.applicant_user_id)
