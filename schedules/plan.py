"""When each job falls: the occurrences of milestones, reminders and the weekly digest.

A job id names one occurrence and ends with its time to the second (`reminder:3:20261130T150000Z`,
`milestone:4:1440:20261130T150000Z`, `agenda:4:20261129T150000Z`, `digest:20261130T140000Z`), so
the id alone says what to record: (kind, source, due time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.kit.local_time import before, job_stamp, next_weekly
from storage.models import Milestone, Reminder
from storage.vocabulary import MilestoneKind

MILESTONE, REMINDER, DIGEST, SWEEP, AGENDA = "milestone", "reminder", "digest", "sweep", "agenda"
FOLLOW_UP_SWEEP = f"{SWEEP}:follow-ups"
EXPIRY_SWEEP = f"{SWEEP}:right-expiry"  # IP rights running out (`schedules.right_expiry`)
# How late an occurrence may still run after the bot was down; later ones are reported missed.
ANNOUNCEMENT_GRACE = timedelta(hours=1)
DIGEST_GRACE = timedelta(days=1)
FOLLOW_UP_GRACE = timedelta(days=1)
DIGEST_WEEKDAY, DIGEST_TIME = 0, time(9, 0)  # Mondays at 09:00 in the program's zone
AGENDA_BEFORE = 24 * 60  # minutes: a meeting's agenda is posted the day before
STAMP = "%Y%m%dT%H%M%SZ"
GRACES = {MILESTONE: ANNOUNCEMENT_GRACE, AGENDA: ANNOUNCEMENT_GRACE, REMINDER: ANNOUNCEMENT_GRACE, DIGEST: DIGEST_GRACE}


@dataclass(frozen=True, slots=True)
class PlannedJob:
    id: str
    run_at: datetime
    grace: timedelta


def occurrence_of(job_id: str) -> tuple[str, int, datetime]:
    """(kind, source id, due time) an occurrence's job id names; ValueError for any other id."""
    kind, _, rest = job_id.partition(":")
    parts = rest.split(":")
    if kind not in GRACES or len(parts) != {MILESTONE: 3, AGENDA: 2, REMINDER: 2, DIGEST: 1}[kind]:
        raise ValueError(f"not an occurrence: {job_id}")
    due = datetime.strptime(parts[-1], STAMP).replace(tzinfo=UTC)
    return kind, 0 if kind == DIGEST else int(parts[0]), due


def source_of(job_id: str) -> tuple[str, int]:
    """What a job is planned from: a milestone (its announcements and agenda), a reminder, the digest."""
    kind, source_id, _ = occurrence_of(job_id)
    return (MILESTONE if kind == AGENDA else kind), source_id


def milestone_jobs(milestone: Milestone) -> list[PlannedJob]:
    """Every occurrence a milestone calls for: its announcements, and a meeting's agenda."""
    zone = ZoneInfo(milestone.timezone)
    jobs = []
    if milestone.kind == MilestoneKind.MEETING:
        agenda_at = before(milestone.at, AGENDA_BEFORE, zone)
        jobs.append(PlannedJob(f"{AGENDA}:{milestone.id}:{job_stamp(agenda_at)}", agenda_at, ANNOUNCEMENT_GRACE))
    for minutes in offsets(milestone.reminder_offsets):
        run_at = before(milestone.at, minutes, zone)
        jobs.append(PlannedJob(f"{MILESTONE}:{milestone.id}:{minutes}:{job_stamp(run_at)}", run_at, ANNOUNCEMENT_GRACE))
    return jobs


def reminder_job(reminder: Reminder) -> PlannedJob | None:
    """The reminder's next occurrence not yet recorded, if it has one."""
    if not reminder.active or reminder.next_at is None:
        return None
    return PlannedJob(f"{REMINDER}:{reminder.id}:{job_stamp(reminder.next_at)}", reminder.next_at, ANNOUNCEMENT_GRACE)


def first_occurrence(reminder: Reminder) -> datetime:
    """A reminder's first occurrence: its time, or its rule's first time at or after it."""
    if reminder.recurrence is None:
        return reminder.first_at
    return following_occurrence(reminder, reminder.first_at - timedelta(microseconds=1)) or reminder.first_at


def following_occurrence(reminder: Reminder, after: datetime) -> datetime | None:
    """A repeating reminder's next occurrence after `after`; None for a one-off."""
    from handlers.calendar.time_grammar import next_occurrence

    if reminder.recurrence is None:
        return None
    return next_occurrence(reminder.recurrence, after, ZoneInfo(reminder.timezone))


def digest_job(at: datetime) -> PlannedJob:
    return PlannedJob(f"{DIGEST}:{job_stamp(at)}", at, DIGEST_GRACE)


def digest_jobs(after: datetime, until: datetime, zone: ZoneInfo) -> list[PlannedJob]:
    """The weekly digests due after `after`, up to `until`."""
    jobs = []
    moment = next_weekly(after, DIGEST_WEEKDAY, DIGEST_TIME, zone)
    while moment <= until:
        jobs.append(digest_job(moment))
        moment = next_weekly(moment, DIGEST_WEEKDAY, DIGEST_TIME, zone)
    return jobs


def next_digest(now: datetime, zone: ZoneInfo) -> PlannedJob:
    return digest_job(next_weekly(now, DIGEST_WEEKDAY, DIGEST_TIME, zone))


def offsets(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip().isdigit()}, reverse=True)
