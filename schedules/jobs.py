"""The jobs: each takes only its job id, looks everything else up, and writes to the outbox.

A job id names one occurrence (`milestone:<id>:<minutes before>:<when>`, `reminder:<id>:<when>`,
`agenda:<id>:<when>`, `digest:<when>`). Running it records the occurrence in
`scheduled_occurrence` in the same transaction as its notices, and moves a reminder on to its next
occurrence there too: a process that dies before the commit leaves the occurrence unrecorded, for
the next leader to post or report missed; one recorded is never posted again. The follow-up sweep
runs every few minutes and keys each message by case and day.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.cases.routing import handles_cases, member_label
from handlers.kit.audit_trail import note_columns
from handlers.kit.formatting import items_reported, percent
from handlers.kit.i18n import N_, _, deferred, localized, ngettext
from handlers.kit.local_time import add_business_days, job_stamp, local_time
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Notice
from handlers.program.application_review import status_update_notices
from handlers.working_group.meetings import meeting_agenda_notices
from schedules.plan import (
    AGENDA,
    DIGEST,
    EXPIRY_SWEEP,
    FOLLOW_UP_SWEEP,
    MILESTONE,
    REMINDER,
    SWEEP,
    following_occurrence,
    milestone_jobs,
    occurrence_of,
)
from schedules.reminder_rights import withdrawn
from schedules.right_expiry import expiry_notices
from schedules.runtime import Runtime, current
from storage.models import Member, Milestone, Organisation, Reminder
from storage.queries import audit
from storage.queries.figures import WindowFigures, figures_between
from storage.queries.follow_ups import open_appeals_due_before, undecided_cases_filed_before
from storage.queries.members import organisations
from storage.queries.reminders import locked_reminder
from storage.queries.routing import members_by_id
from storage.queries.schedule_records import record_occurrence
from storage.vocabulary import (
    AuditEntity,
    Channel,
    MilestoneKind,
    NoticeKind,
    OccurrenceOutcome,
    dm_channel,
    org_channel,
)

__all__ = ["AGENDA", "DIGEST", "EXPIRY_SWEEP", "FOLLOW_UP_SWEEP", "MILESTONE", "REMINDER", "SWEEP", "fire", "settle"]
SCHEDULER = "scheduler"  # the audit log's actor for what the scheduler changes
log = logging.getLogger(__name__)


def fire(job_id: str) -> None:
    """The entry point of every scheduled job: post its occurrence, once."""
    runtime = current()
    with runtime.database.transaction() as session:
        settle(session, runtime, job_id, OccurrenceOutcome.POSTED)


def settle(session: Session, runtime: Runtime, job_id: str, outcome: OccurrenceOutcome) -> bool:
    """Post an occurrence, or report it missed, and record it, all in the caller's transaction.
    False, with nothing written, when it was recorded already or its source no longer calls for
    it (a reminder cancelled or past it, a milestone moved or removed). A reminder whose setter may
    no longer have it posted where it goes is False too: it is retired, neither posted nor missed."""
    now = runtime.clock()
    if job_id == FOLLOW_UP_SWEEP:  # state, not an occurrence: a lost run's work is the next run's
        save_notices(session, follow_ups(session, runtime), now)
        return True
    if job_id == EXPIRY_SWEEP:  # likewise
        save_notices(session, expiry_notices(session, runtime), now)
        return True
    kind, source_id, due_at = occurrence_of(job_id)
    reminder = None
    if kind == REMINDER:
        reminder = locked_reminder(session, source_id)
        if reminder is None or not reminder.active or reminder.next_at is None:
            return False
        if job_stamp(reminder.next_at) != job_stamp(due_at):
            return False
        why = withdrawn(session, runtime, reminder)
        if why is not None:
            retire_withdrawn(session, reminder, why, now)
            return False
    elif kind in (MILESTONE, AGENDA):
        milestone = session.get(Milestone, source_id)
        if milestone is None or job_id not in {job.id for job in milestone_jobs(milestone)}:
            return False
    if not record_occurrence(session, kind, source_id, due_at, outcome, now):
        return False
    if outcome is OccurrenceOutcome.MISSED:
        notices = [_missed_notice(session, runtime, job_id, due_at)]
    else:
        notices = _notices_for(session, runtime, job_id)
    if reminder is not None:
        _move_on(session, reminder, due_at, outcome, now)
    save_notices(session, notices, now)
    return True


def _notices_for(session: Session, runtime: Runtime, job_id: str) -> list[Notice]:
    kind, _sep, rest = job_id.partition(":")
    if kind == MILESTONE:
        milestone_id, minutes, _stamp = rest.split(":")
        return _milestone(session, runtime, job_id, int(milestone_id), int(minutes))
    if kind == REMINDER:
        reminder = session.get(Reminder, int(rest.split(":")[0]))
        assert reminder is not None
        channel, text = reminder.target, reminder.text
        return [
            localized(
                lambda: Notice(
                    channel=channel, kind=NoticeKind.REMINDER, text=_("Reminder: {text}", text=text), dedupe_key=job_id
                )
            )
        ]
    if kind == DIGEST:
        return _digests(session, runtime, job_id)
    if kind == AGENDA:
        meeting = session.get(Milestone, int(rest.split(":")[0]))
        if meeting is None:
            return []
        return meeting_agenda_notices(session, meeting, runtime.clock(), runtime.rules.timezone)
    raise ValueError(f"unknown job {job_id}")


def _missed_notice(session: Session, runtime: Runtime, job_id: str, due_at: datetime) -> Notice:
    zone = runtime.rules.timezone
    return localized(
        lambda: Notice(
            channel=Channel.TEAM,
            kind=NoticeKind.MISSED,
            text=_(
                "Missed while the bot was down: {what}, due {when}. It was not sent.",
                what=describe(session, job_id), when=local_time(due_at, zone),
            ),
            dedupe_key=f"missed:{job_id}",
        )
    )  # fmt: skip


def describe(session: Session, job_id: str) -> str:
    """What a job posts, in the current language: `the weekly digest`, `reminder #4`."""
    kind, _sep, rest = job_id.partition(":")
    if kind == MILESTONE:
        milestone = session.get(Milestone, int(rest.split(":")[0]))
        return _("the announcement of {title}", title=milestone.title) if milestone else _("an announcement")
    if kind == REMINDER:
        return _("reminder #{id}", id=rest.split(":")[0])
    if kind == DIGEST:
        return _("the weekly digest")
    if kind == AGENDA:
        meeting = session.get(Milestone, int(rest.split(":")[0]))
        return _("the agenda of {title}", title=meeting.title) if meeting else _("a meeting's agenda")
    if job_id == EXPIRY_SWEEP:
        return _("the check of IP rights running out")
    return _("the case follow-ups")


def _move_on(session: Session, reminder: Reminder, due_at: datetime, outcome: OccurrenceOutcome, now: datetime) -> None:
    """A repeating reminder's next occurrence; a one-off is done."""
    following = following_occurrence(reminder, due_at)
    if following is None:
        retire_one_off(session, reminder, "fired" if outcome is OccurrenceOutcome.POSTED else "missed", now)
    reminder.next_at = following
    session.add(reminder)


def _milestone(session: Session, runtime: Runtime, job_id: str, milestone_id: int, minutes: int) -> list[Notice]:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        return []
    notices = [localized(partial(_milestone_notice, milestone, minutes, runtime.rules.timezone, job_id))]
    if minutes == 0 and milestone.kind == MilestoneKind.STATUS_UPDATE:
        # The round's status update: every applicant hears where their application stands.
        notices += status_update_notices(session, runtime.clock(), runtime.rules.timezone)
    return notices


def _milestone_notice(milestone: Milestone, minutes: int, zone: ZoneInfo, job_id: str) -> Notice:
    """`Now: Orientation (2027-02-07 10:00 EST).` or `Orientation in 3 days: 2027-02-07 10:00 EST.`"""
    when = local_time(milestone.at, zone)
    if minutes == 0:
        text = _("Now: {title} ({when}).", title=milestone.title, when=when)
    else:
        text = _("{title} {within}: {when}.", title=milestone.title, within=_in(minutes), when=when)
    return Notice(channel=Channel.ANNOUNCEMENTS, kind=NoticeKind.MILESTONE, text=text, dedupe_key=job_id)


def _in(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    if days and not rest:
        return ngettext("in {count} day", "in {count} days", days)
    hours, rest = divmod(minutes, 60)
    if hours and not rest:
        return ngettext("in {count} hour", "in {count} hours", hours)
    return ngettext("in {count} minute", "in {count} minutes", minutes)


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


def retire_withdrawn(session: Session, reminder: Reminder, why: str, now: datetime) -> None:
    """A reminder its setter may no longer have posted where it goes (removed from the program,
    moved to another organisation, off the team) is stopped: no longer listed, nor counted toward
    their limit, with an audit entry and a log line saying why."""
    assert reminder.id is not None
    log.warning("reminder #%s to %s retired, not posted: %s", reminder.id, reminder.target, why)
    reminder.active = False
    session.add(reminder)
    note, message = note_columns(
        deferred(N_("its setter may no longer have reminders posted in {target}"), target=reminder.target)
    )
    audit.record(
        session, actor=SCHEDULER, entity=AuditEntity.REMINDER, entity_id=reminder.id, action="withdrawn",
        from_status="active", to_status="withdrawn", note=note, note_message=message, at=now,
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
        key = f"{job_id}:{organisation.id}"
        notices.append(localized(partial(_digest_notice, org_channel(organisation.slug), organisation.name, week, key)))
    notices.append(localized(partial(_digest_notice, Channel.TEAM, None, figures[None], f"{job_id}:all")))
    return notices


def _digest_notice(channel: str, organisation: str | None, week: WindowFigures, key: str) -> Notice:
    """An organisation's week (the whole program's when `organisation` is None)."""
    return Notice(
        channel=channel,
        kind=NoticeKind.WEEKLY_DIGEST,
        text=_(
            "{title}, the last 7 days: {reported}, {removed} removed ({rate} taken down).",
            title=organisation if organisation is not None else _("The whole program"),
            reported=items_reported(week.listings_reported, week.storefronts_reported),
            removed=week.removed,
            rate=percent(week.takedown_rate),
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
        notices.append(
            localized(partial(_appeal_notice, org_channel(organisation.slug), appeal.due_at, now, zone,
                              item.position, complaint.case_id, appeal.id))
        )  # fmt: skip
    return notices


def _appeal_notice(
    brand: str, due_at: datetime, now: datetime, zone: ZoneInfo, position: int, case: str, appeal_id: int | None
) -> Notice:
    """Before it is due, the brand hears of an appeal; after, the team."""
    due = local_time(due_at, zone)
    if due_at > now:
        return Notice(
            channel=brand, case_id=case, kind=NoticeKind.APPEAL_DUE,
            text=_("The seller's appeal on item {item} of {case} is due by {due}.", item=position, case=case, due=due),
            dedupe_key=f"appeal-due:{appeal_id}",
        )  # fmt: skip
    return Notice(
        channel=Channel.TEAM, case_id=case, kind=NoticeKind.APPEAL_OVERDUE,
        text=_(
            "The appeal on item {item} of {case} was due {due} and is unanswered.", item=position, case=case, due=due
        ),
        dedupe_key=f"appeal-overdue:{appeal_id}",
    )  # fmt: skip


def _escalations(session: Session, now: datetime) -> list[Notice]:
    """Day 1 of no outcome: the assigned member by direct message (the team thread when the case
    has nobody who can act on it). Day 2 and later: the team thread, naming the assignee."""
    undecided = undecided_cases_filed_before(session, now - timedelta(days=1))
    assignees = members_by_id(session, [c.assigned_to_id for c in undecided if c.assigned_to_id is not None])
    notices = []
    for complaint in undecided:
        case, days = complaint.case_id, int((now - complaint.created_at).total_seconds() // 86400)
        assignee = assignees.get(complaint.assigned_to_id) if complaint.assigned_to_id is not None else None
        if assignee is not None and not handles_cases(assignee):
            assignee = None  # removed from the team since: the whole team hears of it
        notices.append(localized(partial(_escalation, case, days, assignee, f"follow-up:{complaint.id}:{days}")))
    return notices


def _escalation(case: str, days: int, assignee: Member | None, key: str) -> Notice:
    if days == 1 and assignee is not None:
        return Notice(
            channel=dm_channel(assignee.platform, assignee.user_id), kind=NoticeKind.ESCALATION, dedupe_key=key,
            text=ngettext(
                "{case} has had no outcome for {count} day; it is assigned to you. `case {case}` shows it.",
                "{case} has had no outcome for {count} days; it is assigned to you. `case {case}` shows it.",
                days, case=case,
            ),
        )  # fmt: skip
    if assignee is not None:
        text = ngettext(
            "{case} has had no outcome for {count} day; assigned to {member}.",
            "{case} has had no outcome for {count} days; assigned to {member}.",
            days, case=case, member=member_label(assignee),
        )  # fmt: skip
    else:
        text = ngettext("{case} has had no outcome for {count} day.", "{case} has had no outcome for {count} days.",
                        days, case=case)  # fmt: skip
    return Notice(channel=Channel.TEAM, case_id=case, kind=NoticeKind.ESCALATION, text=text, dedupe_key=key)
