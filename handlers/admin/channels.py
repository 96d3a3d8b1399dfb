"""`admin channel` and `admin channels`: which real chat channel each logical channel posts to."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.admin.organisations import MANAGE, organisation_named
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply, plural
from storage.models import ChannelMapping
from storage.queries.members import channel_mapping, channel_mappings
from storage.vocabulary import AuditEntity, Channel, org_slug

FIXED_CHANNELS = tuple(channel.value for channel in Channel)
CHANNEL_IDS = {"slack": re.compile(r"^[CG][A-Z0-9]{6,20}$"), "discord": re.compile(r"^\d{15,21}$")}


@command(
    "admin channel", summary="map a logical channel to a Slack or Discord channel (admins)",
    roles=ADMINS, action=MANAGE,
    options=(
        Option("logical", f"{', '.join(FIXED_CHANNELS)} or org:<slug>", required=True),
        Option("platform", "the chat platform", OptionKind.CHOICE, required=True, choices=tuple(CHANNEL_IDS)),
        Option("channel", "the channel's id, e.g. C0123ABCD on Slack", required=True),
    ),
)  # fmt: skip
def channel(ctx: Context, args: Args, session: Session) -> Reply:
    """admin channel <logical channel> <slack|discord> <channel id>
        logical channels: announcements, outcomes, team, language, working-group, rogueblock, org:<slug>
    Example: admin channel team slack C0123ABCD"""
    logical = args.word(0, "logical channel").lower()
    platform = args.word(1, "platform (slack or discord)").lower()
    external = args.word(2, "channel id")
    if (slug := org_slug(logical)) is not None:
        organisation_named(session, slug)
    elif logical not in FIXED_CHANNELS:
        raise UserError(
            f"'{logical}' is not a logical channel.", hint=f"Use one of {', '.join(FIXED_CHANNELS)} or org:<slug>."
        )
    if platform not in CHANNEL_IDS:
        raise UserError(f"'{platform}' is not a chat platform with channels.", hint="Use slack or discord.")
    if not CHANNEL_IDS[platform].match(external):
        example = "C0123ABCD" if platform == "slack" else "112233445566778899"
        raise UserError(f"'{external}' is not a {platform} channel id.", hint=f"It looks like {example}.")
    mapping = channel_mapping(session, platform, logical) or ChannelMapping(
        platform=platform, logical_name=logical, external_id=external, updated_by=ctx.caller.ref
    )
    before = mapping.external_id if mapping.id is not None else None
    mapping.external_id, mapping.updated_by, mapping.updated_at = external, ctx.caller.ref, ctx.now
    add_recorded(
        session, ctx, mapping, AuditEntity.CHANNEL_MAPPING, "mapped",
        from_status=before, to_status=external, note=f"{logical} on {platform}",
    )  # fmt: skip
    return Reply(f"{logical} on {platform} is now channel {external} (set {local_time(ctx.now, ctx.rules.timezone)}).")


@command("admin channels", summary="the channel mappings (admins)", roles=ADMINS, action=MANAGE)
def channels(ctx: Context, args: Args, session: Session) -> Reply:
    """admin channels
    Example: admin channels"""
    rows = channel_mappings(session)
    reply = Reply(f"{plural(len(rows), 'channel mapping')}:" if rows else "No channels are mapped yet.")
    reply.lines = [f"{row.logical_name} -> {row.platform} {row.external_id}" for row in rows]
    return reply
