"""`remind` (`remind set`): reminders for yourself, your organisation's channel, or (the team) any logical channel."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.admin.channels import FIXED_CHANNELS
from handlers.calendar.time_grammar import parse_when
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import STAFF_ROLES, Context
from handlers.kit.errors import NotFound, NotPermitted, UserError
from handlers.kit.i18n import N_, _, deferred, format_number
from handlers.kit.local_time import zone_named
from handlers.kit.registry import Option, command, group
from handlers.kit.replies import Reply
from storage.models import Reminder
from storage.queries.members import organisation_by_slug
from storage.queries.reminders import count_active_reminders
from storage.vocabulary import AuditEntity, Role, dm_channel, dm_recipient, org_channel, org_slug

MAX_ACTIVE = 50
MAX_TEXT = 1000


def example() -> str:
    """`e.g. remind me tomorrow 09:00 to check MS-000123`, in the reader's language."""
    return _("e.g. {example}", example="remind me tomorrow 09:00 to check MS-000123")


group(
    "remind",
    summary=N_("reminders for yourself, your organisation's channel or a team channel"),
    order=("set", "list", "cancel"),
)


@command(
    "remind set", summary=N_("set a one-off or repeating reminder (`set` may be left out)"), default=True,
    options=(
        Option("target", N_("whom to remind: me, org, team, announcements or org:<slug>"), required=True),
        Option("when", N_("in 3 days, tomorrow 09:00, on 2026-12-01 14:30, every monday 09:00"), required=True),
        Option("text", N_("what the reminder says"), required=True),
        Option("tz", N_("the time zone of the time, e.g. Europe/London"), keyword=True),
    ),
)  # fmt: skip
def remind_set(ctx: Context, args: Args, session: Session) -> Reply:
    """remind set <me | org | team | announcements> <when> [to] <text> [tz=Area/City]
        `set` may be left out: remind me tomorrow 09:00 to call ACME.
        when: in 90 minutes | in 3 days | in 2 weeks | tomorrow [HH:MM] | on YYYY-MM-DD [HH:MM]
              | every monday [HH:MM] | every day [HH:MM]   (24-hour times; 09:00 when left out)
        me: a direct message to you; org: your organisation's channel.
        team, announcements, the other logical channels and org:<slug>: the IACC/Alibaba team only.
        tz= gives the time zone of the time (default: the program's time zone).
    At most 50 active reminders each; the text is up to 1000 characters.
    Example: remind me every monday 09:00 to triage new cases"""
    if not args.words:
        raise UserError(
            _("Missing whom to remind."),
            hint=_("Write remind <me|org|team|announcements> <when> <text>, {example}.", example=example()),
        )
    unknown = sorted(set(args.options) - {"tz"})
    if unknown:
        raise UserError(
            _("Unknown option {option}=.", option=unknown[0]),
            hint=_(
                'The only option is tz=Area/City; put text with = in quotes, e.g. remind me tomorrow "check id=42".'
            ),
        )
    assert ctx.member_id is not None
    if count_active_reminders(session, ctx.member_id) >= MAX_ACTIVE:
        raise UserError(
            _("You already have {count} active reminders, the most one person may have.", count=MAX_ACTIVE),
            hint=_("`remind list` shows them; `remind cancel <id>` stops one you no longer need."),
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
            _("Missing what the reminder should say."),
            hint=_("Write it after the time, {example}.", example=example()),
            field="text",
        )
    if len(text) > MAX_TEXT:
        raise UserError(
            _(
                "The reminder text is {length} characters; the limit is {limit}.",
                length=format_number(len(text)),
                limit=MAX_TEXT,
            ),
            hint=_("Shorten it, or put the details in a case and name the case, e.g. check MS-000123."),
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
    add_recorded(
        session, ctx, reminder, AuditEntity.REMINDER, to_status="active",
        note=deferred(N_("{target}, {recurrence}, first {first}"), target=target,
                      recurrence=when.recurrence or deferred(N_("once")), first=when.first_at.isoformat()),
    )  # fmt: skip
    return Reply(
        _("Reminder #{id} set: {when} {where}: {text}", id=reminder.id, when=when.describe(zone), where=where(target),
          text=text)
    )  # fmt: skip


def where(target: str) -> str:
    """`in a direct message`, `in the acme organisation channel`, `in the team channel`."""
    if dm_recipient(target) is not None:
        return _("in a direct message")
    if (slug := org_slug(target)) is not None:
        return _("in the {slug} organisation channel", slug=slug)
    return _("in the {channel} channel", channel=target)


@dataclass(frozen=True, slots=True)
class Setter:
    """Who set a reminder, as it stands now: what decides where their reminders may be posted."""

    platform: str
    user_id: str
    role: Role | None  # None: not in the program (never added, or removed)
    organisation_slug: str | None

    @classmethod
    def of(cls, ctx: Context) -> Setter:
        return cls(ctx.caller.platform, ctx.caller.user_id, ctx.role, ctx.organisation_slug)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def refusal(setter: Setter, target: str) -> NotPermitted | None:
    """Why `setter` may not have reminders posted at `target`, in the current language; None when
    they may. `remind` applies it when a reminder is set and when one is listed or cancelled, and
    the scheduler each time one fires: someone removed, moved to another organisation or no longer
    on the team has no reminder posted where they could not set it now."""
    if setter.role is None:
        return NotPermitted(
            _("You need to be in the program to use `{command}`.", command="remind"),
            hint=_("Ask a program admin to add you to your organisation."),
        )
    if dm_recipient(target) is not None:
        if target == dm_channel(setter.platform, setter.user_id):
            return None
        return NotPermitted(_("A reminder in a direct message goes only to the person who set it."))
    if (slug := org_slug(target)) is not None:
        if slug == setter.organisation_slug or setter.is_staff:
            return None
        return NotPermitted(
            _("Only the IACC/Alibaba team can set reminders in another organisation's channel."),
            hint=_("Use `org` for your own organisation's channel."),
        )
    if target in FIXED_CHANNELS and setter.is_staff:
        return None
    return NotPermitted(
        _("Only the IACC/Alibaba team can set reminders in the {channel} channel.", channel=target),
        hint=_("Use `me` for a direct message or `org` for your organisation's channel."),
    )


def _target(ctx: Context, word: str, session: Session) -> str:
    """Where the reminder is posted: `dm:<platform>:<user>`, `org:<slug>` or a logical channel."""
    name = word.lower()
    if name == "me":
        name = dm_channel(ctx.caller.platform, ctx.caller.user_id)
    elif name == "org":
        if ctx.organisation_slug is None:
            if ctx.is_staff:
                raise UserError(
                    _("You are not in an organisation, so `org` names no channel."),
                    hint=_("Name the organisation, e.g. remind org:acme tomorrow 09:00 to send the monthly figures."),
                    field="target",
                )
            ctx.require_organisation()
        assert ctx.organisation_slug is not None
        name = org_channel(ctx.organisation_slug)
    elif org_slug(name) is None and name not in FIXED_CHANNELS:
        raise UserError(
            _("'{word}' is not a place for a reminder.", word=word),
            hint=_("Start with whom to remind: me, org, team or announcements, {example}.", example=example()),
            field="target",
        )
    refused = refusal(Setter.of(ctx), name)
    if refused is not None:
        raise refused
    slug = org_slug(name)
    if slug is not None and slug != ctx.organisation_slug and organisation_by_slug(session, slug) is None:
        raise NotFound(
            _("There is no organisation '{slug}'.", slug=slug),
            hint=_("`admin org list` shows them."),
            field="target",
        )
    return name


def _zone(name: str) -> ZoneInfo:
    """A time zone by its name (`Europe/London`, any letter case), or a clear refusal."""
    zone = zone_named(name)
    if zone is None:
        raise UserError(
            _("'{name}' is not a time zone.", name=name),
            hint=_("Write it as Area/City, e.g. tz=Europe/London or tz=Asia/Shanghai."),
            field="tz",
        )
    return zone
