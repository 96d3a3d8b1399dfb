"""`admin channel` and `admin channels`: which real chat channel each logical channel posts to."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.admin.organisations import MANAGE, organisation_named
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, deferred, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import ADMINS, Option, OptionKind, command
from handlers.kit.replies import Reply
from storage.models import ChannelMapping
from storage.queries.members import channel_mapping, channel_mappings
from storage.vocabulary import AuditEntity, Channel, Language, org_slug

FIXED_CHANNELS = tuple(channel.value for channel in Channel)
CHANNEL_IDS = {"slack": re.compile(r"^[CG][A-Z0-9]{6,20}$"), "discord": re.compile(r"^\d{15,21}$")}


@command(
    "admin channel", summary=N_("map a logical channel to a Slack or Discord channel (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(
        Option("logical", N_("announcements, outcomes, team, language, working-group, rogueblock or org:<slug>"),
               required=True),
        Option("platform", N_("the chat platform"), OptionKind.CHOICE, required=True, choices=tuple(CHANNEL_IDS)),
        Option("channel", N_("the channel's id, e.g. C0123ABCD on Slack"), required=True),
        Option("lang", N_("the language of the notices posted there: en or zh"), OptionKind.CHOICE, keyword=True,
               choices=tuple(language.value for language in Language)),
    ),
)  # fmt: skip
def channel(ctx: Context, args: Args, session: Session) -> Reply:
    """admin channel <logical channel> <slack|discord> <channel id> [lang=en|zh]
        logical channels: announcements, outcomes, team, language, working-group, rogueblock, org:<slug>
        lang: the language of the notices posted there (default: MARKETSAFE_LANGUAGE)
    Example: admin channel team slack C0123ABCD lang=zh"""
    args.check_options("lang")
    logical = args.word(0, _("logical channel")).lower()
    platform = args.word(1, _("platform (slack or discord)")).lower()
    external = args.word(2, _("channel id"))
    language = _language(args.option("lang"))
    if (slug := org_slug(logical)) is not None:
        organisation_named(session, slug)
    elif logical not in FIXED_CHANNELS:
        raise UserError(
            _("'{logical}' is not a logical channel.", logical=logical),
            hint=_("Use one of {channels} or org:<slug>.", channels=", ".join(FIXED_CHANNELS)),
        )
    if platform not in CHANNEL_IDS:
        raise UserError(
            _("'{platform}' is not a chat platform with channels.", platform=platform), hint=_("Use slack or discord.")
        )
    if not CHANNEL_IDS[platform].match(external):
        example = "C0123ABCD" if platform == "slack" else "112233445566778899"
        raise UserError(
            _("'{external}' is not a {platform} channel id.", external=external, platform=platform),
            hint=_("It looks like {example}.", example=example),
        )
    mapping = channel_mapping(session, platform, logical, for_update=True) or ChannelMapping(
        platform=platform, logical_name=logical, external_id=external, updated_by=ctx.caller.ref
    )
    before = mapping.external_id if mapping.id is not None else None
    if before == external and language in (None, mapping.language):
        return Reply(
            _("{logical} on {platform} is already channel {external}; nothing changed.", logical=logical,
              platform=platform, external=external)
        )  # fmt: skip
    mapping.external_id, mapping.updated_by, mapping.updated_at = external, ctx.caller.ref, ctx.now
    if language is not None:
        mapping.language = language
    note = (
        deferred(N_("{logical} on {platform} lang={language}"), logical=logical, platform=platform, language=language)
        if language
        else deferred(N_("{logical} on {platform}"), logical=logical, platform=platform)
    )
    add_recorded(
        session, ctx, mapping, AuditEntity.CHANNEL_MAPPING, "mapped", from_status=before, to_status=external, note=note
    )
    said = _(
        "{logical} on {platform} is now channel {external} (set {moment}).",
        logical=logical, platform=platform, external=external, moment=local_time(ctx.now, ctx.rules.timezone),
    )  # fmt: skip
    if mapping.language is not None:
        said += " " + _("Notices there are in {language}.", language=language_name(mapping.language))
    return Reply(said)


def _language(text: str | None) -> Language | None:
    if text is None:
        return None
    try:
        return Language(text.strip().lower())
    except ValueError:
        raise UserError(
            _("'{text}' is not a language the bot speaks.", text=text), hint=_("Use en or zh."), field="lang"
        ) from None


def language_name(language: str) -> str:
    """`English`, `Chinese`, in the reader's language."""
    return _("Chinese") if language == Language.ZH else _("English")


@command("admin channels", summary=N_("the channel mappings (admins)"), roles=ADMINS, action=MANAGE)
def channels(ctx: Context, args: Args, session: Session) -> Reply:
    """admin channels
    Example: admin channels"""
    rows = channel_mappings(session)
    if rows:
        reply = Reply(ngettext("{count} channel mapping:", "{count} channel mappings:", len(rows)))
    else:
        reply = Reply(_("No channels are mapped yet."))
    reply.lines = [
        f"{row.logical_name} -> {row.platform} {row.external_id}"
        + (f" ({language_name(row.language)})" if row.language else "")
        for row in rows
    ]
    return reply
