"""`admin team`: who on the team acts on which marketplace platform, and so which new cases go to them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from handlers.admin.members import member_named
from handlers.admin.organisations import MANAGE
from handlers.cases.routing import WHOLE_TEAM, handles_cases, member_ref
from handlers.kit.arguments import Args, parse_platform
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, Message, _, deferred, ngettext
from handlers.kit.registry import ADMINS, Option, command
from handlers.kit.replies import Reply
from storage.queries.routing import case_handlers, covered_platforms, open_loads, platforms_of, set_platforms
from storage.vocabulary import AuditEntity, Platform

SETTING = "admin team <platform:user> platforms=taobao,tmall"


@command(
    "admin team", summary=N_("the team's platforms and open cases; with a team member, set their platforms (admins)"),
    roles=ADMINS, action=MANAGE,
    options=(
        Option("member", N_("a team member or admin whose platforms to set, e.g. slack:U0123ABCD")),
        Option("platforms", N_("the platforms they cover, e.g. taobao,tmall, or none"), keyword=True),
    ),
)  # fmt: skip
def team(ctx: Context, args: Args, session: Session) -> Reply:
    """admin team [<platform:user> platforms=taobao,tmall | platforms=none]
    Alone: team members and admins, their platforms and open cases, and the platforms nobody covers.
    With a team member: the platforms whose new cases may go to them (replaces their list).
    Example: admin team slack:U0789 platforms=taobao,tmall"""
    args.check_options("platforms")
    if not args.words:
        if args.option("platforms"):
            raise UserError(_("Name the team member: `{usage}`.", usage=SETTING))
        return _team_list(session)
    if len(args.words) > 1:
        raise UserError(
            _("'{word}' is not understood here.", word=args.words[1]),
            hint=_("Write `{usage}` (or platforms=none).", usage=SETTING),
        )
    return _set_platforms(ctx, session, args.words[0], args.option("platforms"))


def _set_platforms(ctx: Context, session: Session, who: str, text: str | None) -> Reply:
    member = member_named(session, who, hint=_("`admin member add {who} - team` adds them to the team.", who=who))
    identity = member_ref(member)
    if not handles_cases(member):
        raise UserError(
            _("{identity} is a {role}: only team members and admins act on platforms' cases.", identity=identity,
              role=member.role),
            hint=_("`admin member add {identity} - team move=yes` moves them out of their organisation onto the team "
                   "first.", identity=identity),
        )  # fmt: skip
    if text is None:
        raise UserError(
            _("Say which platforms {identity} covers.", identity=identity),
            hint=_("admin team {identity} platforms=taobao,tmall (or platforms=none)", identity=identity),
            field="platforms",
        )
    platforms = _platform_list(text)
    assert member.id is not None
    before = platforms_of(session, [member.id])[member.id]
    if set(before) == set(platforms):
        return Reply(
            _("{identity} already covers {platforms}; nothing changed.", identity=identity,
              platforms=_platform_names(before))
        )  # fmt: skip
    set_platforms(session, member.id, platforms, ctx.now)
    after = platforms_of(session, [member.id])[member.id]
    record_change(
        session, ctx, AuditEntity.MEMBER, member.id, "platforms",
        note=deferred(N_("{before} -> {after}"), before=_platform_codes(before), after=_platform_codes(after)),
    )  # fmt: skip
    if not after:
        load = open_loads(session, [member.id])[member.id]
        kept = (
            " "
            + ngettext(
                "Their {count} open case stays with them; `case <id> assign <platform:user>` hands one over.",
                "Their {count} open cases stay with them; `case <id> assign <platform:user>` hands one over.",
                load,
            )
            if load
            else ""
        )
        return Reply(_("{identity} covers no platform now: they get no new cases.", identity=identity) + kept)
    return Reply(
        _("{identity} now covers {platforms}: new cases there may go to them.", identity=identity,
          platforms=_platform_names(after))
    )  # fmt: skip


def _platform_list(text: str) -> list[Platform]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UserError(_("platforms= names no platform."), hint=_("e.g. platforms=taobao,tmall, or platforms=none."))
    if any(name.lower() == "none" for name in names):
        if len(names) > 1:
            raise UserError(_("platforms=none clears the list; it cannot be combined with platform names."))
        return []
    chosen: list[Platform] = []
    for name in names:
        platform = parse_platform(name, field="platforms")
        if platform not in chosen:
            chosen.append(platform)
    return chosen


def _platform_names(platforms: list[Platform]) -> str:
    return ", ".join(platform.label for platform in platforms) if platforms else _("no platform")


def _team_list(session: Session) -> Reply:
    members = case_handlers(session)
    ids = [member.id for member in members if member.id is not None]
    platforms, loads = platforms_of(session, ids), open_loads(session, ids)
    reply = Reply(
        ngettext("{count} team member (team and admins):", "{count} team members (team and admins):", len(members))
        if members
        else _("Nobody is on the team.")
    )
    for member in members:
        assert member.id is not None
        cases = ngettext("{count} open case", "{count} open cases", loads[member.id])
        reply.lines.append(f"{member_ref(member)} ({member.role}): {_platform_names(platforms[member.id])} · {cases}")
    uncovered = [platform for platform in Platform if platform not in covered_platforms(session)]
    if uncovered:
        reply.lines.append(
            _("Not covered (their cases go to {team}): {platforms}", team=_(WHOLE_TEAM),
              platforms=_platform_names(uncovered))
        )  # fmt: skip
    return reply


def _platform_codes(platforms: Sequence[Platform]) -> str | Message:
    """`taobao,tmall` for the audit log, or `none` in the reader's language."""
    return ",".join(platform.value for platform in platforms) or deferred(N_("none"))
