"""The jobs the program's tables call for now: one per announcement, reminder and digest occurrence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from handlers.kit.local_time import before, job_stamp, next_weekly
from schedules.jobs import AGENDA, DIGEST, MILESTONE, REMINDER
from schedules.right_expiry import expiry_check
from storage.models import Milestone, Reminder
from storage.vocabulary import MilestoneKind

# How late an occurrence may still run after the bot was down; later ones are reported missed.
ANNOUNCEMENT_GRACE = timedelta(hours=1)
DIGEST_GRACE = timedelta(days=1)
FOLLOW_UP_GRACE = timedelta(days=1)
DIGEST_WEEKDAY, DIGEST_TIME = 0, time(9, 0)  # Mondays at 09:00 in the program's zone
AGENDA_BEFORE = 24 * 60  # minutes: a meeting's agenda is posted the day before


@dataclass(frozen=True, slots=True)
class PlannedJob:
    id: str
    run_at: datetime
    grace: timedelta


def planned_jobs(session: Session, now: datetime, zone: ZoneInfo) -> list[PlannedJob]:
    """Every future occurrence the calendar, the reminders and the digest call for."""
    jobs = [*_milestones(session, now), *_reminders(session, now)]
    digest_at = next_weekly(now, DIGEST_WEEKDAY, DIGEST_TIME, zone)
    jobs.append(PlannedJob(f"{DIGEST}:{job_stamp(digest_at)}", digest_at, DIGEST_GRACE))
    jobs.append(expiry_check(now, zone))
    return jobs


def _milestones(session: Session, now: datetime) -> list[PlannedJob]:
    jobs = []
    for milestone in session.exec(select(Milestone).where(col(Milestone.at) > now)).all():
        zone = ZoneInfo(milestone.timezone)
        if milestone.kind == MilestoneKind.MEETING:
            agenda_at = before(milestone.at, AGENDA_BEFORE, zone)
            if agenda_at > now:
                jobs.append(
                    PlannedJob(f"{AGENDA}:{milestone.id}:{job_stamp(agenda_at)}", agenda_at, ANNOUNCEMENT_GRACE)
                )
        for minutes in offsets(milestone.reminder_offsets):
            run_at = before(milestone.at, minutes, zone)
            if run_at > now:
                job_id = f"{MILESTONE}:{milestone.id}:{minutes}:{job_stamp(run_at)}"
                jobs.append(PlannedJob(job_id, run_at, ANNOUNCEMENT_GRACE))
    return jobs


def _reminders(session: Session, now: datetime) -> list[PlannedJob]:
    from handlers.calendar.time_grammar import next_occurrence

    jobs = []
    for reminder in session.exec(select(Reminder).where(col(Reminder.active))).all():
        if reminder.recurrence is None:
            run_at = reminder.first_at
        else:
            after = max(now, reminder.first_at - timedelta(microseconds=1))
            run_at = next_occurrence(reminder.recurrence, after, ZoneInfo(reminder.timezone))
        if run_at > now:
            jobs.append(PlannedJob(f"{REMINDER}:{reminder.id}:{job_stamp(run_at)}", run_at, ANNOUNCEMENT_GRACE))
    return jobs


def offsets(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip().isdigit()}, reverse=True)
