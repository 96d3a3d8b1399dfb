"""`admin`: organisations, members and roles, IP rights, and channel mappings."""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.cases.routing import WHOLE_TEAM, handles_cases, member_ref
from handlers.kit.arguments import Args, parse_date, parse_enum, parse_platform
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time
from handlers.kit.registry import command
from handlers.kit.replies import Reply, plural
from storage.models import ChannelMapping, IPRight, Member, Organisation
from storage.queries.members import (
    channel_mapping,
    channel_mappings,
    member_by_identity,
    members_of,
    organisation_by_slug,
    organisations,
    rights_of,
)
from storage.queries.routing import case_handlers, covered_platforms, open_loads, platforms_of, set_platforms
from storage.vocabulary import AuditEntity, Channel, CompanySize, Platform, RightKind, RightStatus, Role, org_slug

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
IDENTITY = re.compile(r"^(slack|discord|console):([A-Za-z0-9_.-]{1,64})$")
CHANNEL_IDS = {"slack": re.compile(r"^[CG][A-Z0-9]{6,20}$"), "discord": re.compile(r"^\d{15,21}$")}
YES = {"yes", "true", "1", "y"}
NO = {"no", "false", "0", "n"}


@command("admin", summary="organisations, members, IP rights and channels (admins)")
def admin(ctx: Context, args: Args, session: Session) -> Reply:
    """admin org add <slug> "<name>" [name_zh=..] [country=US] [size=small|medium|large]
        [represents=".."] [iacc=yes] [good_faith=yes]
    admin org list | admin org show <slug>
    admin member add <platform:user> <org slug | -> <member|representative|team|admin>
    admin member remove <platform:user>
    admin team   (team members and admins, their platforms and open cases)
    admin team <platform:user> platforms=taobao,tmall | platforms=none
        (the platforms whose new cases go to them; replaces their list)
    admin right add <org> <trademark|copyright|patent> <registration no.> mark=".." jurisdiction=CN
        [classes=25,18] [expires=YYYY-MM-DD]
    admin right verify <id> | admin right expire <id>
    admin right luxury <id> yes|no   (Taobao's luxury rule: complaints may use reason=no_proof)
    admin channel <logical channel> <slack|discord> <channel id>
        logical channels: announcements, outcomes, team, language, working-group, rogueblock, org:<slug>
    admin channels
    Example: admin member add slack:U0123ABCD acme representative"""
    ctx.require_admin("manage the program")
    area = args.word(0, "area (org, member, team, right, channel, channels)").lower()
    action = args.words[1].lower() if len(args.words) > 1 else ""
    if area == "team":
        return _team(ctx, args, session)
    if area == "org":
        return _organisation(ctx, args, session, action)
    if area == "member":
        return _member(ctx, args, session, action)
    if area == "right":
        return _right(ctx, args, session, action)
    if area == "channel":
        return _channel(ctx, args, session)
    if area == "channels":
        rows = channel_mappings(session)
        reply = Reply(f"{plural(len(rows), 'channel mapping')}:" if rows else "No channels are mapped yet.")
        reply.lines = [f"{row.logical_name} -> {row.platform} {row.external_id}" for row in rows]
        return reply
    raise UserError(f"'{area}' is not an admin area.", hint="Use org, member, team, right, channel or channels.")


def _organisation(ctx: Context, args: Args, session: Session, action: str) -> Reply:
    if action == "list":
        rows = organisations(session)
        reply = Reply(f"{plural(len(rows), 'organisation')}:" if rows else "No organisations yet.")
        reply.lines = [
            f"{org.slug}: {org.name}" + (f" (for {org.represents})" if org.represents else "") for org in rows
        ]
        return reply
    if action == "show":
        organisation = _organisation_named(session, args.word(2, "organisation slug"))
        assert organisation.id is not None
        reply = Reply(f"{organisation.slug}: {organisation.name}")
        reply.lines = [f"member {m.platform}:{m.user_id} ({m.role})" for m in members_of(session, organisation.id)]
        reply.lines += [
            f"right #{r.id} {r.kind} {r.mark} {r.jurisdiction} {r.registration_number} {r.status}"
            + (f", expires {r.expires_on}" if r.expires_on else "")
            for r in rights_of(session, organisation.id)
        ]
        return reply
    if action != "add":
        raise UserError("Use `admin org add`, `admin org list` or `admin org show`.")
    args.check_options("name_zh", "country", "size", "represents", "iacc", "good_faith")
    slug = args.word(2, "organisation slug").lower()
    name = args.word(3, "organisation name (in quotes if it has spaces)")
    if not SLUG.match(slug):
        raise UserError(
            f"'{slug}' is not a usable slug.", hint="2-40 lowercase letters, digits and hyphens, e.g. acme-group."
        )
    if organisation_by_slug(session, slug) is not None:
        raise UserError(f"There is already an organisation '{slug}'.")
    country = (args.option("country") or "").upper() or None
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise UserError(f"'{country}' is not a two-letter country code.")
    organisation = Organisation(
        slug=slug,
        name=name[:200],
        name_zh=args.limited("name_zh", 200),
        country=country,
        size_band=parse_enum(CompanySize, args.options["size"], "company size") if args.option("size") else None,
        represents=args.limited("represents", 200),
        iacc_member=(args.option("iacc") or "").lower() in YES,
        good_faith=(args.option("good_faith") or "").lower() in YES,
        created_at=ctx.now,
    )
    session.add(organisation)
    session.flush()
    assert organisation.id is not None
    record_change(session, ctx, AuditEntity.ORGANISATION, organisation.id, "created")
    return Reply(
        f"Created organisation {slug} ({organisation.name}). "
        f"Add members with `admin member add <platform:user> {slug} member`."
    )


def _member(ctx: Context, args: Args, session: Session, action: str) -> Reply:
    identity = args.word(2, "member identity, e.g. slack:U0123ABCD")
    match = IDENTITY.match(identity)
    if match is None:
        raise UserError(
            f"'{identity}' is not a chat identity.",
            hint="Write platform:user, e.g. slack:U0123ABCD, discord:81234567890, console:brand1.",
        )
    platform, user_id = match.groups()
    existing = member_by_identity(session, platform, user_id)
    if action == "remove":
        if existing is None or not existing.active:
            raise NotFound(f"{identity} is not a member.")
        assert existing.id is not None
        record_change(session, ctx, AuditEntity.MEMBER, existing.id, "removed", from_status=existing.role)
        existing.active = False
        session.add(existing)
        return Reply(f"Removed {identity}.")
    if action != "add":
        raise UserError("Use `admin member add` or `admin member remove`.")
    org_text = args.word(3, "organisation slug (or - for none)")
    role = parse_enum(Role, args.word(4, "role"), "role")
    organisation = None if org_text == "-" else _organisation_named(session, org_text)
    if organisation is None and role in (Role.MEMBER, Role.REPRESENTATIVE):
        raise UserError(f"A {role} must belong to an organisation.", hint="Name its slug instead of -.")
    member = existing or Member(platform=platform, user_id=user_id, role=role, created_at=ctx.now)
    before = existing.role if existing and existing.active else None
    member.role = role
    member.active = True
    member.organisation_id = organisation.id if organisation else None
    session.add(member)
    session.flush()
    assert member.id is not None
    record_change(session, ctx, AuditEntity.MEMBER, member.id, "role", from_status=before, to_status=role)
    where = f"in {organisation.slug}" if organisation else "with no organisation"
    return Reply(f"{identity} is now {role} {where}.")


def _team(ctx: Context, args: Args, session: Session) -> Reply:
    """`admin team`: who acts on which platform; `admin team <who> platforms=..`: set it."""
    args.check_options("platforms")
    if len(args.words) == 1:
        if args.option("platforms"):
            raise UserError("Name the team member: `admin team <platform:user> platforms=taobao,tmall`.")
        return _team_list(session)
    if len(args.words) > 2:
        raise UserError(
            f"'{args.words[2]}' is not understood here.",
            hint="Write `admin team <platform:user> platforms=taobao,tmall` (or platforms=none).",
        )
    member = member_named(
        session, args.words[1], hint=f"`admin member add {args.words[1]} - team` adds them to the team."
    )
    identity = member_ref(member)
    if not handles_cases(member):
        raise UserError(
            f"{identity} is a {member.role}: only team members and admins act on platforms' cases.",
            hint=f"`admin member add {identity} - team` makes them a team member first.",
        )
    text = args.option("platforms")
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


def member_named(session: Session, text: str, *, hint: str) -> Member:
    """The active member with a chat identity such as `slack:U0123ABCD`; `hint` says how to find one."""
    match = IDENTITY.match(text)
    if match is None:
        raise UserError(
            f"'{text}' is not a chat identity.",
            hint="Write platform:user, e.g. slack:U0123ABCD, discord:81234567890, console:team1.",
        )
    member = member_by_identity(session, *match.groups())
    if member is None or not member.active:
        raise NotFound(f"{text} is not a member.", hint=hint)
    return member


def _right(ctx: Context, args: Args, session: Session, action: str) -> Reply:
    if action == "luxury":
        right = _right_numbered(session, args.word(2, "IP right id"))
        assert right.id is not None
        answer = args.word(3, "yes or no").lower()
        if answer not in YES | NO:
            raise UserError(f"'{answer}' is not yes or no.", hint=f"admin right luxury {right.id} yes")
        right.luxury = answer in YES
        session.add(right)
        record_change(
            session, ctx, AuditEntity.IP_RIGHT, right.id, "luxury", to_status="luxury" if right.luxury else "regular"
        )
        rule = (
            "its Taobao listings can be reported with reason=no_proof"
            if right.luxury
            else "reason=no_proof no longer applies"
        )
        return Reply(
            f"IP right #{right.id} ({right.mark}) is {'now' if right.luxury else 'no longer'} a luxury brand: {rule}."
        )
    if action in ("verify", "expire"):
        right = _right_numbered(session, args.word(2, "IP right id"))
        assert right.id is not None
        before = right.status
        right.status = RightStatus.VERIFIED if action == "verify" else RightStatus.EXPIRED
        if action == "verify":
            right.verified_by, right.verified_at = ctx.caller.ref, ctx.now
        session.add(right)
        record_change(
            session, ctx, AuditEntity.IP_RIGHT, right.id, "status", from_status=before, to_status=right.status
        )
        return Reply(f"IP right #{right.id} ({right.mark}) is now {right.status}.")
    if action != "add":
        raise UserError("Use `admin right add`, `admin right verify`, `admin right expire` or `admin right luxury`.")
    args.check_options("mark", "jurisdiction", "classes", "expires", "luxury")
    organisation = _organisation_named(session, args.word(2, "organisation slug"))
    kind = parse_enum(RightKind, args.word(3, "right kind"), "kind of IP right")
    registration = args.word(4, "registration number")
    mark, jurisdiction = args.option("mark"), (args.option("jurisdiction") or "").upper()
    if not mark or not jurisdiction:
        raise UserError('An IP right needs mark="..." and jurisdiction=.., e.g. mark="ACME" jurisdiction=CN.')
    expires = parse_date(args.options["expires"], "expiry date") if args.option("expires") else None
    assert organisation.id is not None
    right = IPRight(
        organisation_id=organisation.id, kind=kind, mark=mark[:200], registration_number=registration[:64],
        jurisdiction=jurisdiction[:8], classes=args.limited("classes", 200), expires_on=expires,
        luxury=(args.option("luxury") or "").lower() in YES, created_at=ctx.now,
    )  # fmt: skip
    session.add(right)
    session.flush()
    assert right.id is not None
    record_change(session, ctx, AuditEntity.IP_RIGHT, right.id, "created", to_status=right.status)
    return Reply(
        f"Added IP right #{right.id}: {kind} {mark} ({jurisdiction} {registration}), pending. "
        f"Verify it with `admin right verify {right.id}`."
    )


def _channel(ctx: Context, args: Args, session: Session) -> Reply:
    logical = args.word(1, "logical channel").lower()
    platform = args.word(2, "platform (slack or discord)").lower()
    external = args.word(3, "channel id")
    if (slug := org_slug(logical)) is not None:
        _organisation_named(session, slug)
    elif logical not in tuple(Channel):
        raise UserError(
            f"'{logical}' is not a logical channel.", hint=f"Use one of {', '.join(Channel)} or org:<slug>."
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
    session.add(mapping)
    session.flush()
    assert mapping.id is not None
    record_change(
        session,
        ctx,
        AuditEntity.CHANNEL_MAPPING,
        mapping.id,
        "mapped",
        from_status=before,
        to_status=external,
        note=f"{logical} on {platform}",
    )
    return Reply(f"{logical} on {platform} is now channel {external} (set {local_time(ctx.now, ctx.rules.timezone)}).")


def _right_numbered(session: Session, text: str) -> IPRight:
    number = text.lstrip("#")
    right = session.get(IPRight, int(number)) if number.isdigit() else None
    if right is None:
        raise NotFound(
            f"There is no IP right #{number}.", hint="`admin org show <slug>` lists an organisation's rights."
        )
    return right


def _organisation_named(session: Session, slug: str) -> Organisation:
    organisation = organisation_by_slug(session, slug)
    if organisation is None:
        raise NotFound(f"There is no organisation '{slug}'.", hint="`admin org list` shows them.")
    return organisation
