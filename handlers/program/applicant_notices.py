"""How applicants are told where they stand: the direct message for each status, the waitlist's
promotion when a seat is freed, and the status change behind each (with its audit entry)."""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.milestone_wording import moment, zone_of
from handlers.kit.audit_trail import note_columns
from handlers.kit.i18n import N_, Message, _, deferred, localized
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
    """One direct message per application (written once per status, in every language); selected
    ones become notified."""
    notices = []
    for application in rows:
        assert application.id is not None
        status = application.status
        notices.append(_status_notice(session, application, zone))
        if status == S.SELECTED:
            move(session, actor, application, S.NOTIFIED, now)
    return notices


def _status_notice(session: Session, application: Application, zone: ZoneInfo) -> Notice:
    key = f"application-status:{application.id}:{application.status}"
    return localized(
        lambda: Notice(
            applicant_channel(application), message(session, application, zone), NoticeKind.APPLICATION, dedupe_key=key
        )
    )


def message(session: Session, application: Application, zone: ZoneInfo, opening: str | None = None) -> str:
    """The direct message that tells an applicant where they stand."""
    return _(
        "{opening} {headline}. {details}",
        opening=opening or _("MarketSafe:"),
        headline=headline(application),
        details=reduce(lambda sentence, more: _("{sentence} {next}", sentence=sentence, next=more),
                       details(session, application, zone)),
    )  # fmt: skip


def headline(application: Application) -> str:
    """`Application #3 (ACME Corp) is queued in North America, large`."""
    number, name, status = application.id, application.legal_name, application.status
    if status in (S.QUEUED, S.SELECTED, S.NOTIFIED, S.WAITLISTED):
        wording = {
            S.QUEUED: N_("Application #{number} ({name}) is queued in {group}"),
            S.SELECTED: N_("Application #{number} ({name}) is selected in {group}"),
            S.NOTIFIED: N_("Application #{number} ({name}) is selected in {group}"),
            S.WAITLISTED: N_("Application #{number} ({name}) is on the waitlist for {group}"),
        }[status]
        return _(wording, number=number, name=name, group=group_label(application.group_key))
    final = {
        S.ONBOARDED: N_("Application #{number} ({name}) is onboarded"),
        S.INELIGIBLE: N_("Application #{number} ({name}) is not eligible"),
        S.WITHDRAWN: N_("Application #{number} ({name}) is withdrawn"),
    }.get(status)
    if final is None:
        return _("Application #{number} ({name}) is {status}", number=number, name=name, status=status)
    return _(final, number=number, name=name)


def reason_text(stored: str | None) -> str:
    """An application's reason as kept (English, parts joined by `; `), in the reader's language."""
    return "; ".join(_(part) for part in stored.split("; ")) if stored else ""


def reason_note(stored: str) -> Message:
    """An application's reason (as `status_reason` keeps it) for its audit entry, read in each
    reader's language as `reason_text` reads it."""
    parts = [deferred(part) for part in stored.split("; ")]
    return reduce(lambda first, then: deferred(N_("{first}; {then}"), first=first, then=then), parts)


def details(session: Session, application: Application, zone: ZoneInfo) -> list[str]:
    """What the status means and what happens next, in a sentence or two each."""
    status = application.status
    if status is S.QUEUED:
        update = latest_milestone(session, MilestoneKind.STATUS_UPDATE)
        place = place_in_group(session, application, IN_LINE)
        return [
            _("It is number {place} in its group in order of arrival.", place=place),
            _(
                "Seats go to eligible applicants in order of arrival; you will hear by direct message at the status "
                "update, {moment}.",
                moment=local_time(update.at, zone),
            )
            if update
            else _(
                "Seats go to eligible applicants in order of arrival; you will hear by direct message when they are "
                "allocated."
            ),
        ]
    if status is S.WAITLISTED:
        place = place_in_group(session, application, (S.WAITLISTED,))
        return [
            _("It is number {place} on the waitlist.", place=place),
            _("If a selected applicant withdraws or declines, the first on the waitlist is selected and told at once."),
        ]
    if status in (S.SELECTED, S.NOTIFIED):
        return [
            program_dates(session, zone),
            _(
                "Accept your seat with `apply accept`: your organisation is set up at once, and you can file "
                "complaints once a program admin has verified your marks. `apply decline` gives the seat to the next "
                "on the waitlist."
            ),
        ]
    if status is S.ONBOARDED:
        organisation = session.get(Organisation, application.organisation_id) if application.organisation_id else None
        slug = organisation.slug if organisation else "-"
        rights = rights_of(session, organisation.id) if organisation and organisation.id else []
        if not any(right.status == RightStatus.VERIFIED for right in rights):
            return [
                _(
                    "You are in the program as organisation {organisation}. Its rights await a program admin's "
                    "verification; then file complaints with `complaint <links>`.",
                    organisation=slug,
                )
            ]
        return [
            _(
                "You are in the program as organisation {organisation}; file complaints with `complaint <links>`.",
                organisation=slug,
            )
        ]
    if status is S.INELIGIBLE:
        return [
            _("Reason: {reason}.", reason=reason_text(application.status_reason)),
            _("If that changes, apply again with `apply`."),
        ]
    if status is S.WITHDRAWN:
        return [
            _("It was {how}.", how=reason_text(application.status_reason) or _("withdrawn")),
            _("You may apply again while applications are open."),
        ]
    return [_("It is being checked.")]


def program_dates(session: Session, zone: ZoneInfo) -> str:
    """`Orientation: 2027-02-07 10:00 EST; launch: 2027-02-15 09:00 EST.`"""
    orientation, launch = (
        latest_milestone(session, kind) for kind in (MilestoneKind.ORIENTATION, MilestoneKind.LAUNCH)
    )
    later = _("to be announced")
    return _(
        "Orientation: {orientation}; launch: {launch}.",
        orientation=moment(orientation.at, zone, zone_of(orientation)) if orientation else later,
        launch=moment(launch.at, zone, zone_of(launch)) if launch else later,
    )


def promote_after(
    session: Session, actor: str, freed: Application, now: datetime, zone: ZoneInfo
) -> tuple[Application | None, list[Notice]]:
    """Give a freed seat to the first on the group's waitlist, with the message that tells them."""
    waiting = group_applications(session, freed.group_key, (S.WAITLISTED,))
    if not waiting:
        return None, []
    promoted = waiting[0]
    move(
        session,
        actor,
        promoted,
        S.SELECTED,
        now,
        note=deferred(N_("seat freed by application #{number}"), number=freed.id),
    )
    key = f"application-status:{promoted.id}:{S.SELECTED}"

    def build() -> Notice:
        opening = _("Good news from MarketSafe: a seat opened in {group}.", group=group_label(promoted.group_key))
        text = message(session, promoted, zone, opening)
        return Notice(applicant_channel(promoted), text, NoticeKind.APPLICATION, dedupe_key=key)

    return promoted, [localized(build)]


def move(
    session: Session,
    actor: str,
    application: Application,
    status: S,
    now: datetime,
    note: str | Message | None = None,
) -> None:
    """Change an application's status, with its audit entry."""
    assert application.id is not None
    before = application.status
    application.status, application.updated_at = status, now
    session.add(application)
    text, message = note_columns(note)
    audit.record(
        session, actor=actor, entity=AuditEntity.APPLICATION, entity_id=application.id, action="status",
        from_status=before, to_status=status, note=text, note_message=message, at=now,
    )  # fmt: skip


def applicant_channel(application: Application) -> str:
    return dm_channel(application.applicant_platform, application.applicant_user_id)
