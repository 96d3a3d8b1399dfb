"""`applications`: the team reviews the round (groups, seats, first-come-first-served selection), and
the status update that tells applicants where they stand. The messages: handlers/program/applicant_notices."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, OptionKind, command, group
from handlers.kit.replies import Notice, Reply, plural
from handlers.program.applicant_notices import move, tell
from handlers.program.regions import group_label, parse_group_key
from storage.models import Application, ApplicationGroup, Organisation
from storage.queries.applications import (
    SEAT_STATUSES,
    application_group,
    application_groups,
    applications_in_order,
    applications_with_status,
    group_applications,
    latest_milestone,
)
from storage.vocabulary import ApplicationStatus, AuditEntity, Channel, MilestoneKind, NoticeKind

S = ApplicationStatus
MAX_SEATS = 10_000
TOLD_AT_STATUS_UPDATE = (S.SELECTED, S.WAITLISTED, S.INELIGIBLE, S.QUEUED)
SCHEDULER = "scheduler"


group("applications", summary="review applications: groups, seats and selection (team)")
APPLICATION = Option("id", "the application's number, e.g. 3", required=True)


@command(
    "applications list", summary="every group with its seats and its applications in order of arrival (team)",
    roles=STAFF, action="review applications", default=True,
)  # fmt: skip
def applications_list(ctx: Context, args: Args, session: Session) -> Reply:
    """applications list
    `applications` alone lists too. Groups are region:size; groups without seats set have none.
    Example: applications"""
    args.check_options()
    args.no_more_words(0, "applications")
    return _listing(session)


@command(
    "applications show", summary="one application in full (team)", roles=STAFF, action="review applications",
    options=(APPLICATION,),
)  # fmt: skip
def applications_show(ctx: Context, args: Args, session: Session) -> Reply:
    """applications show <id>
    Example: applications show 3"""
    args.check_options()
    return _show(session, args, ctx.rules.timezone)


@command(
    "applications seats", summary="set how many seats a group has (team)", roles=STAFF, action="review applications",
    options=(
        Option("group", "the group, region:size, e.g. north-america:large", required=True),
        Option("seats", "how many seats, 0 to 10000", OptionKind.NUMBER, required=True),
    ),
)  # fmt: skip
def applications_seats(ctx: Context, args: Args, session: Session) -> Reply:
    """applications seats <group> <n>
    Run `applications select` after adding seats.
    Example: applications seats north-america:large 5"""
    args.check_options()
    return _seats(ctx, args, session)


@command(
    "applications select", summary="give each group's seats to its first eligible applicants (team)",
    roles=STAFF, action="review applications",
)  # fmt: skip
def applications_select(ctx: Context, args: Args, session: Session) -> Reply:
    """applications select
    Gives each group's seats to its first eligible applicants in order of arrival and puts the
    rest on the waitlist; run it again after adding seats. Applicants hear at the status update,
    or at once when it has passed.
    Example: applications select"""
    args.check_options()
    args.no_more_words(0, "applications select")
    return _select(ctx, session)


def _listing(session: Session) -> Reply:
    rows = applications_in_order(session)
    groups = application_groups(session)
    keys = sorted({row.group_key for row in rows} | set(groups))
    if not keys:
        return Reply("No applications yet.")
    reply = Reply(f"{plural(len(rows), 'application')} in {plural(len(keys), 'group')}:")
    for key in keys:
        group = groups.get(key)
        seats = plural(group.seats, "seat") if group else "no seats set"
        reply.lines.append(f"{key} ({group_label(key)}) · {seats}")
        for row in (row for row in rows if row.group_key == key):
            reason = f" · {row.status_reason}" if row.status == S.INELIGIBLE and row.status_reason else ""
            reply.lines.append(f"  #{row.id} {row.legal_name} · {row.status}{reason}")
    return reply


def _show(session: Session, args: Args, zone: ZoneInfo) -> Reply:
    application = find_application(session, args.word(0, "application id", field="id", usage="applications show"))
    role = "rights-holder" if application.is_rights_holder else "representative" if application.represents else "other"
    reply = Reply(f"Application #{application.id}: {application.legal_name} · {application.status}")
    reply.fields = [
        ("Chinese name", application.name_zh or "-"),
        ("applicant", f"{application.applicant_platform}:{application.applicant_user_id}"),
        ("country", f"{application.country} ({application.region})"),
        ("size", application.size_band),
        ("group", f"{application.group_key}, arrival #{application.arrival_seq}"),
        ("contact", application.contact),
        ("role", role + (f" for {application.represents}" if application.represents else "")),
        ("letter of authorisation", f"SHA-256 {application.authorisation_sha256}" if application.authorisation_sha256
         else "none"),
        ("Good Faith participant", "yes" if application.good_faith else "no"),
        ("marks", application.marks),
        ("submitted", local_time(application.submitted_at, zone)),
        ("updated", local_time(application.updated_at, zone)),
    ]  # fmt: skip
    if application.status_reason:
        reply.fields.append(("reason", application.status_reason))
    if application.organisation_id is not None:
        organisation = session.get(Organisation, application.organisation_id)
        reply.fields.append(("organisation", organisation.slug if organisation else "-"))
    return reply


def _seats(ctx: Context, args: Args, session: Session) -> Reply:
    key = parse_group_key(args.word(0, "group, e.g. north-america:large", field="group", usage="applications seats"))
    text = args.word(1, "number of seats", field="seats", usage="applications seats")
    args.no_more_words(2, "applications seats")
    if not text.isascii() or not text.isdigit() or int(text) > MAX_SEATS:
        raise UserError(
            f"'{text}' is not a number of seats.", hint=f"Use a number from 0 to {MAX_SEATS}.", field="seats"
        )
    seats = int(text)
    group = application_group(session, key)
    before = group.seats if group else None
    group = group or ApplicationGroup(group_key=key, seats=seats, updated_by=ctx.caller.ref)
    group.seats, group.updated_by, group.updated_at = seats, ctx.caller.ref, ctx.now
    session.add(group)
    # The group's key is its name; the audit log keeps it in the note.
    record_change(
        session, ctx, AuditEntity.APPLICATION_GROUP, 0, "seats",
        from_status=None if before is None else str(before), to_status=str(seats), note=key,
    )  # fmt: skip
    was = "" if before is None else f" (it had {before})"
    return Reply(
        f"{key} ({group_label(key)}) now has {plural(seats, 'seat')}{was}.",
        lines=["`applications select` gives the seats to the first eligible applicants in order of arrival."],
    )


def _select(ctx: Context, session: Session) -> Reply:
    groups = application_groups(session)
    waiting = applications_with_status(session, (S.QUEUED, S.WAITLISTED), for_update=True)
    keys = sorted({row.group_key for row in waiting})
    if not keys:
        return Reply("No queued or waitlisted applications to allocate.")
    changed: list[Application] = []
    selected = waitlisted = 0
    reply = Reply("")
    for key in keys:
        seats = groups[key].seats if key in groups else 0
        free = max(0, seats - len(group_applications(session, key, SEAT_STATUSES)))
        chosen: list[str] = []
        rest: list[str] = []
        for place, application in enumerate(group_applications(session, key, (S.QUEUED, S.WAITLISTED))):
            status = S.SELECTED if place < free else S.WAITLISTED
            (chosen if status is S.SELECTED else rest).append(f"#{application.id}")
            if application.status != status:
                move(session, ctx.caller.ref, application, status, ctx.now)
                changed.append(application)
        selected, waitlisted = selected + len(chosen), waitlisted + len(rest)
        parts = [f"{key}: " + (plural(seats, "seat") if key in groups else "no seats set")]
        parts += [f"selected {', '.join(chosen)}"] if chosen else []
        parts += [f"waitlisted {', '.join(rest)}"] if rest else []
        reply.lines.append(" · ".join(parts))
    reply.text = f"Selected {selected} and waitlisted {waitlisted} in {plural(len(keys), 'group')}."
    if any(key not in groups for key in keys):
        reply.lines.append("Groups with no seats set have none: `applications seats <group> <n>`, then select again.")
    update = latest_milestone(session, MilestoneKind.STATUS_UPDATE)
    if update is not None and update.at <= ctx.now:
        reply.notices += tell(session, changed, ctx.now, ctx.rules.timezone, ctx.caller.ref)
        reply.lines.append("The status update has passed, so the applicants concerned were told at once.")
    else:
        when = f" on {local_time(update.at, ctx.rules.timezone)}" if update else " (not on the calendar yet)"
        reply.lines.append(f"Applicants hear at the status update{when}.")
    reply.notices.append(
        Notice(Channel.TEAM, f"Seats allocated: {selected} selected, {waitlisted} waitlisted", NoticeKind.APPLICATION)
    )
    return reply


# --- the status update ------------------------------------------------------------------------


def status_update_notices(session: Session, now: datetime, zone: ZoneInfo) -> list[Notice]:
    """Tell every selected, waitlisted, ineligible and queued applicant where they stand, by direct
    message; selected applicants also get the orientation and launch dates and become notified."""
    return tell(session, applications_with_status(session, TOLD_AT_STATUS_UPDATE), now, zone, SCHEDULER)


def find_application(session: Session, text: str) -> Application:
    wanted = text.strip().lstrip("#")
    usable = wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
    application = session.get(Application, int(wanted)) if usable else None
    if application is None:
        raise NotFound(
            f"There is no application '{text}'.", hint="`applications` lists them with their ids.", field="id"
        )
    return application
