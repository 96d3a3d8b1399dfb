"""`admin team`: who on the team acts on which marketplace platform, and so which new cases go to them."""

from __future__ import annotations

from sqlmodel import Session

from handlers.admin.members import member_named
from handlers.admin.organisations import MANAGE
from handlers.cases.routing import WHOLE_TEAM, handles_cases, member_ref
from handlers.kit.arguments import Args, parse_platform
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.registry import ADMINS, Option, command
from handlers.kit.replies import Reply, plural
from storage.queries.routing import case_handlers, covered_platforms, open_loads, platforms_of, set_platforms
from storage.vocabulary import AuditEntity, Platform

SETTING = "admin team <platform:user> platforms=taobao,tmall"


@command(
    "admin team", summary="the team's platforms and open cases; with a team member, set their platforms (admins)",
    roles=ADMINS, action=MANAGE,
    options=(
        Option("member", "a team member or admin whose platforms to set, e.g. slack:U0123ABCD"),
        Option("platforms", "the platforms they cover, e.g. taobao,tmall, or none", keyword=True),
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
            raise UserError(f"Name the team member: `{SETTING}`.")
        return _team_list(session)
    if len(args.words) > 1:
        raise UserError(f"'{args.words[1]}' is not understood here.", hint=f"Write `{SETTING}` (or platforms=none).")
    return _set_platforms(ctx, session, args.words[0], args.option("platforms"))


def _set_platforms(ctx: Context, session: Session, who: str, text: str | None) -> Reply:
    member = member_named(session, who, hint=f"`admin member add {who} - team` adds them to the team.")
    identity = member_ref(member)
    if not handles_cases(member):
        raise UserError(
            f"{identity} is a {member.role}: only team members and admins act on platforms' cases.",
            hint=f"`admin member add {identity} - team move=yes` moves them out of their organisation onto the team "
            "first.",
        )
    if text is None:
        raise UserError(
            f"Say which platforms {identity} covers.",
            hint=f"admin team {identity} platforms=taobao,tmall (or platforms=none)", field="platforms",
        )  # fmt: skip
    platforms = _platform_list(text)
    assert member.id is not None
    before = platforms_of(session, [member.id])[member.id]
    if set(before) == set(platforms):
        return Reply(f"{identity} already covers {_platform_names(before)}; nothing changed.")
    set_platforms(session, member.id, platforms, ctx.now)
    after = platforms_of(session, [member.id])[member.id]
    record_change(
        session, ctx, AuditEntity.MEMBER, member.id, "platforms",
        note=f"{','.join(p.value for p in before) or 'none'} -> {','.join(p.value for p in after) or 'none'}",
    )  # fmt: skip
    if not after:
        load = open_loads(session, [member.id])[member.id]
        kept = (
            f" Their {plural(load, 'open case')} {'stays' if load == 1 else 'stay'} with them; "
            "`case <id> assign <platform:user>` hands one over."
            if load
            else ""
        )
        return Reply(f"{identity} covers no platform now: they get no new cases.{kept}")
    return Reply(f"{identity} now covers {_platform_names(after)}: new cases there may go to them.")


def _platform_list(text: str) -> list[Platform]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UserError("platforms= names no platform.", hint="e.g. platforms=taobao,tmall, or platforms=none.")
    if any(name.lower() == "none" for name in names):
        if len(names) > 1:
            raise UserError("platforms=none clears the list; it cannot be combined with platform names.")
        return []
    chosen: list[Platform] = []
    for name in names:
        platform = parse_platform(name, field="platforms")
        if platform not in chosen:
            chosen.append(platform)
    return chosen


def _platform_names(platforms: list[Platform]) -> str:
    return ", ".join(platform.label for platform in platforms) if platforms else "no platform"


def _team_list(session: Session) -> Reply:
    members = case_handlers(session)
    ids = [member.id for member in members if member.id is not None]
    platforms, loads = platforms_of(session, ids), open_loads(session, ids)
    reply = Reply(f"{plural(len(members), 'team member')} (team and admins):" if members else "Nobody is on the team.")
    for member in members:
        assert member.id is not None
        reply.lines.append(
            f"{member_ref(member)} ({member.role}): {_platform_names(platforms[member.id])} · "
            f"{plural(loads[member.id], 'open case')}"
        )
    uncovered = [platform for platform in Platform if platform not in covered_platforms(session)]
    if uncovered:
        reply.lines.append(f"Not covered (their cases go to {WHOLE_TEAM}): {_platform_names(uncovered)}")
    return reply
