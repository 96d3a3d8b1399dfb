"""`remind`: reminders for yourself, your organisation's channel, or (the team) any logical channel."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from sqlmodel import Session

from handlers.calendar.time_grammar import When, next_occurrence, parse_when
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.registry import command
from handlers.kit.replies import Reply, plural
from storage.models import Member, Reminder
from storage.queries.members import organisation_by_slug
from storage.queries.reminders import (
    active_reminder,
    active_reminders_of,
    all_active_reminders,
    count_active_reminders,
)
from storage.vocabulary import AuditEntity, Channel, dm_channel, dm_recipient, org_channel, org_slug

MAX_ACTIVE = 50
MAX_TEXT = 1000
LISTED_TEXT = 200  # longer texts are shortened in `remind list`
MAX_ID = 2**31 - 1
EXAMPLE = "e.g. remind me tomorrow 09:00 to check MS-000123"
ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$")


@command("remind", summary="reminders for yourself, your organisation's channel or a team channel")
def remind(ctx: Context, args: Args, session: Session) -> Reply:
    """remind <me | org | team | announcements> <when> [to] <text> [tz=Area/City]
        when: in 90 minutes | in 3 days | in 2 weeks | tomorrow [HH:MM] | on YYYY-MM-DD [HH:MM]
              | every monday [HH:MM] | every day [HH:MM]   (24-hour times; 09:00 when left out)
        me: a direct message to you; org: your organisation's channel.
        team, announcements, the other logical channels and org:<slug>: the IACC/Alibaba team only.
        tz= gives the time zone of the time (default: the program's time zone).
    remind list                    your active reminders (admins: remind list all)
    remind cancel <id>
    At most 50 active reminders each; the text is up to 1000 characters.
    Example: remind me every monday 09:00 to triage new cases"""
    if not args.words:
        raise UserError(
            "Missing whom to remind.", hint=f"Write remind <me|org|team|announcements> <when> <text>, {EXAMPLE}."
        )
    action = args.words[0].lower()
    if action == "list":
        return _list(ctx, args, session)
    if action == "cancel":
        return _cancel(ctx, args, session)
    return _set(ctx, args, session)


def _set(ctx: Context, args: Args, session: Session) -> Reply:
    unknown = sorted(set(args.options) - {"tz"})
    if unknown:
        raise UserError(
            f"Unknown option {unknown[0]}=.",
            hint='The only option is tz=Area/City; put text with = in quotes, e.g. remind me tomorrow "check id=42".',
        )
    assert ctx.member_id is not None
    if count_active_reminders(session, ctx.member_id) >= MAX_ACTIVE:
        raise UserError(
            f"You already have {MAX_ACTIVE} active reminders, the most one person may have.",
            hint="`remind list` shows them; `remind cancel <id>` stops one you no longer need.",
        )
    target = _target(ctx, args.words[0], session)
    tz = args.option("tz")
    zone = _zone(tz) if tz else ctx.rules.timezone
    when, used = parse_when(args.words[1:], ctx.now, zone)
    rest = args.words[1 + used :]
    if rest and rest[0].lower() == "to":
        rest = rest[1:]
    text = " ".join(rest).strip()
    if not text:
        raise UserError(
            "Missing what the reminder should say.", hint=f"Write it after the time, {EXAMPLE}.", field="text"
        )
    if len(text) > MAX_TEXT:
        raise UserError(
            f"The reminder text is {len(text):,} characters; the limit is {MAX_TEXT}.",
            hint="Shorten it, or put the details in a case and name the case, e.g. check MS-000123.",
            field="text",
        )
    reminder = Reminder(
        member_id=ctx.member_id,
        target=target,
        text=text,
        first_at=when.first_at,
        recurrence=when.recurrence,
        timezone=zone.key,
        created_at=ctx.now,
    )
    session.add(reminder)
    session.flush()
    assert reminder.id is not None
    record_change(
        session, ctx, AuditEntity.REMINDER, reminder.id, "created", to_status="active",
        note=f"{target}, {when.recurrence or 'once'}, first {when.first_at.isoformat()}",
    )  # fmt: skip
    return Reply(f"Reminder #{reminder.id} set: {when.describe(zone)} {_where(target)}: {text}")


def _list(ctx: Context, args: Args, session: Session) -> Reply:
    args.check_options()
    choice = args.words[1].lower() if len(args.words) > 1 else ""
    if choice not in ("", "all") or len(args.words) > 2:
        raise UserError(
            f"'{args.words[-1]}' is not a choice here.", hint="Use `remind list`, or `remind list all` (admins)."
        )
    rows: list[tuple[Reminder, Member | None]]
    if choice == "all":
        ctx.require_admin("list everyone's reminders")
        rows = [(reminder, member) for reminder, member in all_active_reminders(session)]
    else:
        assert ctx.member_id is not None
        rows = [(reminder, None) for reminder in active_reminders_of(session, ctx.member_id)]
    if not rows:
        empty = "There are no active reminders." if choice == "all" else "You have no active reminders."
        return Reply(empty, lines=[f"Set one with `remind`, {EXAMPLE}."])
    upcoming = sorted(((_next_firing(reminder, ctx.now), reminder, member) for reminder, member in rows), key=_order)
    reply = Reply(f"{'There are' if choice == 'all' else 'You have'} {plural(len(rows), 'active reminder')}:")
    for (when, zone), reminder, member in upcoming:
        owner = f" (set by {member.platform}:{member.user_id})" if member is not None else ""
        text = reminder.text if len(reminder.text) <= LISTED_TEXT else reminder.text[: LISTED_TEXT - 1] + "…"
        reply.lines.append(f"#{reminder.id} {when.describe(zone)} {_where(reminder.target)}{owner}: {text}")
    return reply


def _cancel(ctx: Context, args: Args, session: Session) -> Reply:
    args.check_options()
    if len(args.words) < 2:
        raise UserError(
            "Missing the id of the reminder to cancel.", hint="`remind list` shows them, e.g. remind cancel 4."
        )
    if len(args.words) > 2:
        raise UserError("Cancel one reminder at a time.", hint="e.g. remind cancel 4.")
    written = args.words[1]
    digits = written.removeprefix("#")
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(
            f"'{written}' is not a reminder id.",
            hint="Ids are numbers; `remind list` shows them, e.g. remind cancel 4.",
        )
    number = int(digits) if len(digits) <= 18 else MAX_ID + 1
    shown = digits.lstrip("0") or "0"
    assert ctx.member_id is not None
    owner = None if ctx.is_admin else ctx.member_id
    reminder = active_reminder(session, number, owner) if 1 <= number <= MAX_ID else None
    if reminder is None:
        # Someone else's reminder reads exactly like one that does not exist.
        raise NotFound(f"There is no active reminder #{shown} for you to cancel.", hint="`remind list` shows yours.")
    assert reminder.id is not None
    reminder.active = False
    session.add(reminder)
    record_change(
        session, ctx, AuditEntity.REMINDER, reminder.id, "cancelled", from_status="active", to_status="cancelled"
    )
    setter = ""
    if reminder.member_id != ctx.member_id:
        member = session.get(Member, reminder.member_id)
        setter = f" (set by {member.platform}:{member.user_id})" if member is not None else ""
    return Reply(f"Cancelled reminder #{reminder.id}{setter}: {reminder.text}")


# --- pieces -----------------------------------------------------------------------------------


def _target(ctx: Context, word: str, session: Session) -> str:
    """Where the reminder is posted: `dm:<platform>:<user>`, `org:<slug>` or a logical channel."""
    name = word.lower()
    if name == "me":
        return dm_channel(ctx.caller.platform, ctx.caller.user_id)
    if name == "org":
        if ctx.organisation_slug is not None:
            return org_channel(ctx.organisation_slug)
        if ctx.is_staff:
            raise UserError(
                "You are not in an organisation, so `org` names no channel.",
                hint="Name the organisation, e.g. remind org:acme tomorrow 09:00 to send the monthly figures.",
                field="target",
            )
        ctx.require_organisation()
    if (slug := org_slug(name)) is not None:
        if slug == ctx.organisation_slug:
            return name
        if not ctx.is_staff:
            raise NotPermitted(
                "Only the IACC/Alibaba team can set reminders in another organisation's channel.",
                hint="Use `org` for your own organisation's channel.",
            )
        if organisation_by_slug(session, slug) is None:
            raise NotFound(f"There is no organisation '{slug}'.", hint="`admin org list` shows them.", field="target")
        return name
    if name in tuple(Channel):
        if not ctx.is_staff:
            raise NotPermitted(
                f"Only the IACC/Alibaba team can set reminders in the {name} channel.",
                hint="Use `me` for a direct message or `org` for your organisation's channel.",
            )
        return name
    raise UserError(
        f"'{word}' is not a place for a reminder.",
        hint=f"Start with whom to remind: me, org, team or announcements, {EXAMPLE}.",
        field="target",
    )


def _zone(name: str) -> ZoneInfo:
    """A time zone by its name (`Europe/London`, any letter case), or a clear refusal."""
    if len(name) <= 64 and ZONE_NAME.match(name):
        for key in (name, _zone_names().get(name.lower())):
            if key is None:
                continue
            try:
                return ZoneInfo(key)
            except (KeyError, ValueError, OSError):
                continue
    raise UserError(
        f"'{name}' is not a time zone.",
        hint="Write it as Area/City, e.g. tz=Europe/London or tz=Asia/Shanghai.",
        field="tz",
    )


@cache
def _zone_names() -> dict[str, str]:
    """Every time zone name the system knows, by its lowercase form."""
    return {name.lower(): name for name in available_timezones()}


def _where(target: str) -> str:
    if dm_recipient(target) is not None:
        return "in a direct message"
    if (slug := org_slug(target)) is not None:
        return f"in the {slug} organisation channel"
    return f"in the {target} channel"


def _next_firing(reminder: Reminder, now: datetime) -> tuple[When, ZoneInfo]:
    """A reminder's next firing (its first, or for a rule whose first has passed, the next after now)."""
    zone = ZoneInfo(reminder.timezone)
    at = reminder.first_at
    if reminder.recurrence is not None and at <= now:
        at = next_occurrence(reminder.recurrence, now, zone)
    return When(at, reminder.recurrence), zone


def _order(row: tuple[tuple[When, ZoneInfo], Reminder, Member | None]) -> tuple[datetime, int]:
    (when, _), reminder, _ = row
    return when.first_at, reminder.id or 0
