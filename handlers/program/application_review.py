"""`applications`: the team reviews the round (groups, seats, first-come-first-served selection);
and how applicants are told where they stand (`status_update_notices`, waitlist promotion)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.calendar.milestones import moment, zone_of
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time
from handlers.kit.registry import MEMBERS, command
from handlers.kit.replies import Notice, Reply, plural
from handlers.program.regions import group_label, parse_group_key
from storage.models import Application, ApplicationGroup, Organisation
from storage.queries import audit
from storage.queries.applications import (
    SEAT_STATUSES,
    application_group,
    application_groups,
    applications_in_order,
    applications_with_status,
    group_applications,
    latest_milestone,
    place_in_group,
)
from storage.vocabulary import ApplicationStatus, AuditEntity, Channel, MilestoneKind, NoticeKind, dm_channel

S = ApplicationStatus
MAX_SEATS = 10_000
TOLD_AT_STATUS_UPDATE = (S.SELECTED, S.WAITLISTED, S.INELIGIBLE, S.QUEUED)
IN_LINE = (S.QUEUED, S.WAITLISTED, S.SELECTED, S.NOTIFIED, S.ONBOARDED)
SCHEDULER = "scheduler"


@command("applications", summary="review applications: groups, seats and selection (team)", roles=MEMBERS)
def applications(ctx: Context, args: Args, session: Session) -> Reply:
    """applications
    applications show <id>
    applications seats <group> <n>
    applications select
    `applications` lists every group (region:size) with its seats and its applications in order
    of arrival. `seats` sets how many seats a group has (groups without seats have none).
    `select` gives each group's seats to its first eligible applicants in order of arrival and
    puts the rest on the waitlist; run it again after adding seats. Applicants hear at the
    status update, or at once when it has passed. Team only.
    Example: applications seats north-america:large 5"""
    ctx.require_staff("review applications")
    action = args.words[0].lower() if args.words else ""
    if action == "":
        args.check_options()
        return _listing(session)
    if action == "show":
        args.check_options()
        return _show(session, args, ctx.rules.timezone)
    if action == "seats":
        args.check_options()
        return _seats(ctx, args, session)
    if action == "select":
        args.check_options()
        args.no_more_words(1, "applications")
        return _select(ctx, session)
    raise UserError(
        f"'{args.words[0]}' is not an applications action.",
        hint="Use `applications` to list them, or applications show, seats or select.",
    )


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
    application = find_application(session, args.word(1, "application id", field="id", usage="applications"))
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
    key = parse_group_key(args.word(1, "group, e.g. north-america:large", field="group", usage="applications"))
    text = args.word(2, "number of seats", field="seats", usage="applications")
    args.no_more_words(3, "applications")
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
    waiting = applications_with_status(session, (S.QUEUED, S.WAITLISTED))
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


# --- telling applicants -----------------------------------------------------------------------


def status_update_notices(session: Session, now: datetime, zone: ZoneInfo) -> list[Notice]:
    """Tell every selected, waitlisted, ineligible and queued applicant where they stand, by direct
    message; selected applicants also get the orientation and launch dates and become notified."""
    return tell(session, applications_with_status(session, TOLD_AT_STATUS_UPDATE), now, zone, SCHEDULER)


def tell(session: Session, rows: list[Application], now: datetime, zone: ZoneInfo, actor: str) -> list[Notice]:
    """One direct message per application (written once per status); selected ones become notified."""
    notices = []
    for application in rows:
        assert application.id is not None
        status = application.status
        notices.append(
            Notice(
                direct_channel(application),
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
    }.get(S(application.status), str(application.status))
    return f"Application #{application.id} ({application.legal_name}) is {standing}"


def details(session: Session, application: Application, zone: ZoneInfo) -> list[str]:
    """What the status means and what happens next, in a sentence or two each."""
    status = S(application.status)
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
            "Accept your seat with `apply accept`: your organisation is set up at once and you can file "
            "complaints. `apply decline` gives the seat to the next on the waitlist.",
        ]
    if status is S.ONBOARDED:
        organisation = session.get(Organisation, application.organisation_id) if application.organisation_id else None
        slug = organisation.slug if organisation else "-"
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
    return promoted, [Notice(direct_channel(promoted), text, NoticeKind.APPLICATION, dedupe_key=key)]


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


def direct_channel(application: Application) -> str:
    return dm_channel(application.applicant_platform, application.applicant_user_id)


def find_application(session: Session, text: str) -> Application:
    wanted = text.strip().lstrip("#")
    usable = wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
    application = session.get(Application, int(wanted)) if usable else None
    if application is None:
        raise NotFound(
            f"There is no application '{text}'.", hint="`applications` lists them with their ids.", field="id"
        )
    return application
