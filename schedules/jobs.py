"""The jobs: each takes only its job id, looks everything else up, and writes to the outbox.

A job id names one occurrence (`milestone:<id>:<minutes before>:<when>`, `reminder:<id>:<when>`,
`digest:<when>`) and is the outbox dedupe key, so an occurrence is announced once however many
times it runs. The follow-up sweep runs every few minutes and keys each message by case and day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.cases.routing import handles_cases, member_label
from handlers.kit.formatting import items_reported, percent
from handlers.kit.local_time import add_business_days, local_time
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice, plural
from handlers.program.application_review import status_update_notices
from handlers.working_group.meetings import meeting_agenda_notices
from schedules.right_expiry import EXPIRY, expiry_notices
from schedules.runtime import Runtime, current
from storage.models import Milestone, Organisation, Reminder
from storage.queries import audit
from storage.queries.figures import WindowFigures, figures_between
from storage.queries.follow_ups import open_appeals_due_before, undecided_cases_filed_before
from storage.queries.members import organisations
from storage.queries.routing import members_by_id
from storage.vocabulary import AuditEntity, Channel, MilestoneKind, NoticeKind, dm_channel, org_channel

MILESTONE, REMINDER, DIGEST, SWEEP, AGENDA = "milestone", "reminder", "digest", "sweep", "agenda"
FOLLOW_UP_SWEEP = f"{SWEEP}:follow-ups"
SCHEDULER = "scheduler"  # the audit log's actor for what the scheduler changes


def fire(job_id: str) -> None:
    """The entry point of every scheduled job."""
    runtime = current()
    with runtime.database.transaction() as session:
        notices = _notices_for(session, runtime, job_id)
        save_notices(session, notices, runtime.clock())


def _notices_for(session: Session, runtime: Runtime, job_id: str) -> list[Notice]:
    kind, _, rest = job_id.partition(":")
    if kind == MILESTONE:
        milestone_id, minutes, _ = rest.split(":")
        return _milestone(session, runtime, job_id, int(milestone_id), int(minutes))
    if kind == REMINDER:
        reminder_id, _ = rest.split(":")
        return _reminder(session, job_id, int(reminder_id), runtime.clock())
    if kind == DIGEST:
        return _digests(session, runtime, job_id)
    if kind == AGENDA:
        meeting = session.get(Milestone, int(rest.split(":")[0]))
        if meeting is None:
            return []
        return meeting_agenda_notices(session, meeting, runtime.clock(), runtime.rules.timezone)
    if kind == EXPIRY:
        return expiry_notices(session, runtime)
    if job_id == FOLLOW_UP_SWEEP:
        return follow_ups(session, runtime)
    raise ValueError(f"unknown job {job_id}")


def _milestone(session: Session, runtime: Runtime, job_id: str, milestone_id: int, minutes: int) -> list[Notice]:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        return []
    when = local_time(milestone.at, runtime.rules.timezone)
    text = f"Now: {milestone.title} ({when})." if minutes == 0 else f"{milestone.title} {_in(minutes)}: {when}."
    notices = [Notice(channel=Channel.ANNOUNCEMENTS, kind=NoticeKind.MILESTONE, text=text, dedupe_key=job_id)]
    if minutes == 0 and milestone.kind == MilestoneKind.STATUS_UPDATE:
        # The round's status update: every applicant hears where their application stands.
        notices += status_update_notices(session, runtime.clock(), runtime.rules.timezone)
    return notices


def _in(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    if days and not rest:
        return f"in {plural(days, 'day')}"
    hours, rest = divmod(minutes, 60)
    if hours and not rest:
        return f"in {plural(hours, 'hour')}"
    return f"in {plural(minutes, 'minute')}"


def _reminder(session: Session, job_id: str, reminder_id: int, now: datetime) -> list[Notice]:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or not reminder.active:
        return []
    retire_one_off(session, reminder, "fired", now)
    return [
        Notice(channel=reminder.target, kind=NoticeKind.REMINDER, text=f"Reminder: {reminder.text}", dedupe_key=job_id)
    ]


def retire_one_off(session: Session, reminder: Reminder, how: str, now: datetime) -> None:
    """A one-off reminder that fired (or was missed) is done: no longer listed, nor counted toward
    its setter's limit. A repeating one stays active until cancelled."""
    if reminder.recurrence is not None or not reminder.active:
        return
    assert reminder.id is not None
    reminder.active = False
    session.add(reminder)
    audit.record(
        session, actor=SCHEDULER, entity=AuditEntity.REMINDER, entity_id=reminder.id, action=how,
        from_status="active", to_status=how, at=now,
    )  # fmt: skip


def _digests(session: Session, runtime: Runtime, job_id: str) -> list[Notice]:
    """The week's figures: each organisation's to its channel, the whole program's to the team."""
    end = runtime.clock()
    start = end - timedelta(days=7)
    figures = figures_between(session, start, end, runtime.rules.timezone)
    notices = []
    for organisation in organisations(session):
        if organisation.id is None or not organisation.active:
            continue
        week = figures.get(organisation.id, WindowFigures(0, 0, 0, 0))  # a quiet week is news too
        notices.append(
            _digest_notice(org_channel(organisation.slug), organisation.name, week, f"{job_id}:{organisation.id}")
        )
    overall = figures[None]
    notices.append(_digest_notice(Channel.TEAM, "The whole program", overall, f"{job_id}:all"))
    return notices


def _digest_notice(channel: str, title: str, week: WindowFigures, key: str) -> Notice:
    return Notice(
        channel=channel,
        kind=NoticeKind.WEEKLY_DIGEST,
        text=(
            f"{title}, the last 7 days: {items_reported(week.listings_reported, week.storefronts_reported)}, "
            f"{week.removed} removed "
            f"({percent(week.takedown_rate)} taken down)."
        ),
        dedupe_key=key,
    )


def follow_ups(session: Session, runtime: Runtime) -> list[Notice]:
    """Cases still undecided a day after filing (to the assigned team member first, then to the
    team thread every further day); appeals about to fall due (to the brand, one business day
    before) and overdue (to the team)."""
    now, zone, holidays = runtime.clock(), runtime.rules.timezone, runtime.rules.holidays
    notices = _escalations(session, now)
    horizon = add_business_days(now, 1, zone, holidays)
    for appeal, item, complaint in open_appeals_due_before(session, horizon):
        organisation = session.get(Organisation, complaint.organisation_id)
        assert organisation is not None
        due = local_time(appeal.due_at, zone)
        if appeal.due_at > now:
            notices.append(
                Notice(
                    channel=org_channel(organisation.slug), case_id=complaint.case_id, kind=NoticeKind.APPEAL_DUE,
                    text=f"The seller's appeal on item {item.position} of {complaint.case_id} is due by {due}.",
                    dedupe_key=f"appeal-due:{appeal.id}",
                )
            )  # fmt: skip
        else:
            notices.append(
                Notice(
                    channel=Channel.TEAM, case_id=complaint.case_id, kind=NoticeKind.APPEAL_OVERDUE,
                    text=f"The appeal on item {item.position} of {complaint.case_id} was due {due} and is unanswered.",
                    dedupe_key=f"appeal-overdue:{appeal.id}",
                )
            )  # fmt: skip
    return notices


def _escalations(session: Session, now: datetime) -> list[Notice]:
    """Day 1 of no outcome: the assigned member by direct message (the team thread when the case
    has nobody who can act on it). Day 2 and later: the team thread, naming the assignee."""
    undecided = undecided_cases_filed_before(session, now - timedelta(days=1))
    assignees = members_by_id(session, [c.assigned_to_id for c in undecided if c.assigned_to_id is not None])
    notices = []
    for complaint in undecided:
        case, days = complaint.case_id, int((now - complaint.created_at).total_seconds() // 86400)
        waited = f"{case} has had no outcome for {days} day{'s' if days != 1 else ''}"
        assignee = assignees.get(complaint.assigned_to_id) if complaint.assigned_to_id is not None else None
        if assignee is not None and not handles_cases(assignee):
            assignee = None  # removed from the team since: the whole team hears of it
        key = f"follow-up:{complaint.id}:{days}"
        if days == 1 and assignee is not None:
            notices.append(
                Notice(channel=dm_channel(assignee.platform, assignee.user_id), kind=NoticeKind.ESCALATION,
                       dedupe_key=key, text=f"{waited}; it is assigned to you. `case {case}` shows it.")
            )  # fmt: skip
            continue
        text = f"{waited}; assigned to {member_label(assignee)}." if assignee is not None else f"{waited}."
        notices.append(
            Notice(channel=Channel.TEAM, case_id=case, kind=NoticeKind.ESCALATION, text=text, dedupe_key=key)
        )
    return notices
