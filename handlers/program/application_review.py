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
from handlers.kit.i18n import N_, _, localized, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, OptionKind, command, group
from handlers.kit.replies import Notice, Reply
from handlers.program.applicant_notices import move, reason_text, tell
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
REVIEW = N_("review applications")


group("applications", summary=N_("review applications: groups, seats and selection (team)"))
APPLICATION = Option("id", N_("the application's number, e.g. 3"), required=True)


@command(
    "applications list", summary=N_("every group with its seats and its applications in order of arrival (team)"),
    roles=STAFF, action=REVIEW, default=True,
)  # fmt: skip
def applications_list(ctx: Context, args: Args, session: Session) -> Reply:
    """applications list
    `applications` alone lists too. Groups are region:size; groups without seats set have none.
    Example: applications"""
    args.check_options()
    args.no_more_words(0, "applications")
    return _listing(session)


@command(
    "applications show", summary=N_("one application in full (team)"), roles=STAFF, action=REVIEW,
    options=(APPLICATION,),
)  # fmt: skip
def applications_show(ctx: Context, args: Args, session: Session) -> Reply:
    """applications show <id>
    Example: applications show 3"""
    args.check_options()
    return _show(session, args, ctx.rules.timezone)


@command(
    "applications seats", summary=N_("set how many seats a group has (team)"), roles=STAFF, action=REVIEW,
    options=(
        Option("group", N_("the group, region:size, e.g. north-america:large"), required=True),
        Option("seats", N_("how many seats, 0 to 10000"), OptionKind.NUMBER, required=True),
    ),
)  # fmt: skip
def applications_seats(ctx: Context, args: Args, session: Session) -> Reply:
    """applications seats <group> <n>
    Run `applications select` after adding seats.
    Example: applications seats north-america:large 5"""
    args.check_options()
    return _seats(ctx, args, session)


@command(
    "applications select", summary=N_("give each group's seats to its first eligible applicants (team)"),
    roles=STAFF, action=REVIEW,
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
        return Reply(_("No applications yet."))
    reply = Reply(_("{applications} in {groups}:", applications=_applications(len(rows)), groups=_groups(len(keys))))
    for key in keys:
        group = groups.get(key)
        seats = _seat_count(group.seats) if group else _("no seats set")
        reply.lines.append(f"{key} ({group_label(key)}) · {seats}")
        for row in (row for row in rows if row.group_key == key):
            reason = f" · {reason_text(row.status_reason)}" if row.status == S.INELIGIBLE and row.status_reason else ""
            reply.lines.append(f"  #{row.id} {row.legal_name} · {row.status}{reason}")
    return reply


def _applications(count: int) -> str:
    return ngettext("{count} application", "{count} applications", count)


def _groups(count: int) -> str:
    return ngettext("{count} group", "{count} groups", count)


def _seat_count(count: int) -> str:
    return ngettext("{count} seat", "{count} seats", count)


def _show(session: Session, args: Args, zone: ZoneInfo) -> Reply:
    application = find_application(session, args.word(0, _("application id"), field="id", usage="applications show"))
    if application.is_rights_holder:
        role = _("rights-holder")
    elif application.represents:
        role = _("representative for {rights_holder}", rights_holder=application.represents)
    else:
        role = _("other")
    reply = Reply(
        _("Application #{number}: {name} · {status}", number=application.id, name=application.legal_name,
          status=application.status)
    )  # fmt: skip
    letter = application.authorisation_sha256
    reply.fields = [
        (_("Chinese name"), application.name_zh or "-"),
        (_("applicant"), f"{application.applicant_platform}:{application.applicant_user_id}"),
        (_("country"), f"{application.country} ({_(application.region)})"),
        (_("size"), application.size_band),
        (_("group"), _("{group}, arrival #{arrival}", group=application.group_key, arrival=application.arrival_seq)),
        (_("contact"), application.contact),
        (_("role"), role),
        (_("letter of authorisation"), f"SHA-256 {letter}" if letter else _("none")),
        (_("Good Faith participant"), _("yes") if application.good_faith else _("no")),
        (_("marks"), application.marks),
        (_("submitted"), local_time(application.submitted_at, zone)),
        (_("updated"), local_time(application.updated_at, zone)),
    ]
    if application.status_reason:
        reply.fields.append((_("reason"), reason_text(application.status_reason)))
    if application.organisation_id is not None:
        organisation = session.get(Organisation, application.organisation_id)
        reply.fields.append((_("organisation"), organisation.slug if organisation else "-"))
    return reply


def _seats(ctx: Context, args: Args, session: Session) -> Reply:
    written = args.word(0, _("group, e.g. north-america:large"), field="group", usage="applications seats")
    key = parse_group_key(written)
    text = args.word(1, _("number of seats"), field="seats", usage="applications seats")
    args.no_more_words(2, "applications seats")
    if not text.isascii() or not text.isdigit() or int(text) > MAX_SEATS:
        raise UserError(
            _("'{text}' is not a number of seats.", text=text),
            hint=_("Use a number from 0 to {maximum}.", maximum=MAX_SEATS),
            field="seats",
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
    label = group_label(key)
    text = (
        _("{key} ({label}) now has {seats}.", key=key, label=label, seats=_seat_count(seats))
        if before is None
        else _("{key} ({label}) now has {seats} (it had {before}).", key=key, label=label, seats=_seat_count(seats),
               before=before)
    )  # fmt: skip
    return Reply(
        text, lines=[_("`applications select` gives the seats to the first eligible applicants in order of arrival.")]
    )


def _select(ctx: Context, session: Session) -> Reply:
    groups = application_groups(session)
    waiting = applications_with_status(session, (S.QUEUED, S.WAITLISTED), for_update=True)
    keys = sorted({row.group_key for row in waiting})
    if not keys:
        return Reply(_("No queued or waitlisted applications to allocate."))
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
        parts = [f"{key}: " + (_seat_count(seats) if key in groups else _("no seats set"))]
        parts += [_("selected {ids}", ids=", ".join(chosen))] if chosen else []
        parts += [_("waitlisted {ids}", ids=", ".join(rest))] if rest else []
        reply.lines.append(" · ".join(parts))
    reply.text = _(
        "Selected {selected} and waitlisted {waitlisted} in {groups}.",
        selected=selected, waitlisted=waitlisted, groups=_groups(len(keys)),
    )  # fmt: skip
    if any(key not in groups for key in keys):
        reply.lines.append(
            _("Groups with no seats set have none: `applications seats <group> <n>`, then select again.")
        )
    update = latest_milestone(session, MilestoneKind.STATUS_UPDATE)
    if update is not None and update.at <= ctx.now:
        reply.notices += tell(session, changed, ctx.now, ctx.rules.timezone, ctx.caller.ref)
        reply.lines.append(_("The status update has passed, so the applicants concerned were told at once."))
    elif update is not None:
        when = local_time(update.at, ctx.rules.timezone)
        reply.lines.append(_("Applicants hear at the status update on {moment}.", moment=when))
    else:
        reply.lines.append(_("Applicants hear at the status update (not on the calendar yet)."))
    reply.notices.append(
        localized(
            lambda: Notice(
                Channel.TEAM,
                _("Seats allocated: {selected} selected, {waitlisted} waitlisted", selected=selected,
                  waitlisted=waitlisted),
                NoticeKind.APPLICATION,
            )
        )
    )  # fmt: skip
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
            _("There is no application '{text}'.", text=text),
            hint=_("`applications` lists them with their ids."),
            field="id",
        )
    return application
