"""Whether a reminder may still be posted where it goes, decided each time it fires.

A reminder is set by someone allowed to post where it goes (`handlers.calendar.reminder_setting`);
by the time it fires they may have been removed from the program, moved to another organisation or
taken off the team. The same rule is applied to their membership as it stands then, read as the
router reads a caller's: a reminder they could not set now is not posted, and is retired.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.calendar.reminder_setting import Setter, refusal
from handlers.kit.i18n import in_language
from schedules.runtime import Runtime
from storage.models import Member, Organisation, Reminder
from storage.vocabulary import Role


def setter_now(session: Session, member_id: int, admins: frozenset[str]) -> Setter | None:
    """The reminder's setter as the router would see them now: admins named in the settings are
    admins; someone removed has no role and no organisation. None when no such member exists."""
    member = session.get(Member, member_id)
    if member is None:
        return None
    listed = f"{member.platform}:{member.user_id}" in admins
    role = Role.ADMIN if listed else (member.role if member.active else None)
    organisation = session.get(Organisation, member.organisation_id) if member.organisation_id else None
    slug = organisation.slug if organisation is not None and member.active else None
    return Setter(member.platform, member.user_id, role, slug)


def withdrawn(session: Session, runtime: Runtime, reminder: Reminder) -> str | None:
    """Why the reminder may no longer be posted where it goes, in English for the log; None when it may."""
    setter = setter_now(session, reminder.member_id, runtime.rules.admins)
    if setter is None:
        return "its setter is no longer on record"
    with in_language("en"):
        refused = refusal(setter, reminder.target)
        return None if refused is None else str(refused)
