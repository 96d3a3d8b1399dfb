"""Case routing: each new case goes to the least-loaded team member for its platform, and a team
member can hand a case to a colleague.

A platform nobody covers sends its cases to the whole team, and the team channel hears about it
once a day so an admin can assign someone (`admin team <platform:user> platforms=...`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from handlers.cases.notices import describe_items
from handlers.kit.audit_trail import record_change
from handlers.kit.context import STAFF_ROLES, Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import full_stop
from handlers.kit.i18n import N_, _, localized
from handlers.kit.replies import Notice, Reply
from storage.models import Complaint, Member, Organisation
from storage.queries.cases import OPEN_COMPLAINT_STATUSES
from storage.queries.routing import members_covering, open_loads, platforms_of
from storage.vocabulary import AuditEntity, Channel, NoticeKind, Platform, dm_channel

WHOLE_TEAM = N_("the whole team")
# The audit log keeps statuses in 30 characters; longer identities are recorded by member id.
AUDIT_REF_LIMIT = 30


@dataclass(frozen=True, slots=True)
class Routing:
    """Where a new case went: a team member, or the whole team when nobody covers its platform."""

    platform: Platform
    assignee: Member | None

    @property
    def assignee_id(self) -> int | None:
        return self.assignee.id if self.assignee is not None else None

    @property
    def clause(self) -> str:
        """The end of the team's `New case ...` sentence: `, assigned to console:team1` or
        `; no team member covers Taobao: the whole team`."""
        if self.assignee is None:
            return _("; no team member covers {platform}: {team}", platform=self.platform.label, team=_(WHOLE_TEAM))
        return _(", assigned to {member}", member=member_label(self.assignee))


def assignee_label(session: Session, complaint: Complaint) -> str | None:
    """How the case's assignee is named, or None when the whole team has it."""
    member = session.get(Member, complaint.assigned_to_id) if complaint.assigned_to_id else None
    return member_label(member) if member is not None else None


def member_ref(member: Member) -> str:
    return f"{member.platform}:{member.user_id}"


def member_label(member: Member) -> str:
    """How a member is named in messages: their display name, else their chat identity."""
    return member.display_name or member_ref(member)


def handles_cases(member: Member) -> bool:
    """Active team members and admins act on cases; nobody else can be assigned one."""
    return member.active and member.role in STAFF_ROLES


def takes_cases(ctx: Context, member: Member) -> bool:
    """`handles_cases`, or an admin named in the settings: nothing of that is written on their member
    record, so the settings decide, for as long as they name them. They are never routed new cases."""
    return handles_cases(member) or member_ref(member) in ctx.rules.admins


class CaseRouter:
    """Routes the new cases of one filing (which may make dozens): who covers each platform and
    their open-case loads are read once, then counted up as cases are given out."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._pools: dict[Platform, tuple[list[Member], dict[int, int]]] = {}
        self._warned: set[Platform] = set()

    def route(self, platform: Platform) -> Routing:
        """The least-loaded member covering `platform` (ties: the lower member id), or nobody."""
        if platform not in self._pools:
            members = members_covering(self.session, platform)
            self._pools[platform] = (members, open_loads(self.session, [m.id for m in members if m.id is not None]))
        members, loads = self._pools[platform]
        if not members:
            return Routing(platform, None)
        chosen = min(members, key=lambda member: (loads[member.id or 0], member.id or 0))
        loads[chosen.id or 0] += 1
        return Routing(platform, chosen)

    def notices(self, ctx: Context, complaint: Complaint, organisation: Organisation, routing: Routing) -> list[Notice]:
        """`routing_notices`, with the warning about an uncovered platform once per filing."""
        if routing.assignee is None:
            if routing.platform in self._warned:
                return []
            self._warned.add(routing.platform)
        return routing_notices(ctx, complaint, organisation, routing)


def routing_notices(ctx: Context, complaint: Complaint, organisation: Organisation, routing: Routing) -> list[Notice]:
    """A direct message to the assignee, or (once a day per platform) a warning that nobody
    covers the platform."""
    case = complaint.case_id
    show = f"case {case}"
    assignee = routing.assignee
    if assignee is not None:
        return [
            localized(
                lambda: Notice(
                    channel=dm_channel(assignee.platform, assignee.user_id),
                    kind=NoticeKind.CASE_ASSIGNED,
                    text=_(
                        "{case} is yours: {items} from {organisation} `{command}` shows it.",
                        case=case,
                        items=describe_items(complaint),
                        organisation=full_stop(organisation.name),
                        command=show,
                    ),
                )
            )
        ]
    platform = routing.platform
    assign = f"admin team <platform:user> platforms={platform.value}"
    return [
        localized(
            lambda: Notice(
                channel=Channel.TEAM,
                kind=NoticeKind.ROUTING_WARNING,
                text=_(
                    "No team member covers {platform}: its new cases go to {team} (first today: {case}). "
                    "Admins: `{command}` assigns someone.",
                    platform=platform.label,
                    team=_(WHOLE_TEAM),
                    case=case,
                    command=assign,
                ),
                dedupe_key=f"routing-warning:{platform.value}:{ctx.today.isoformat()}",
            )
        )
    ]


def audit_ref(member: Member | None) -> str | None:
    if member is None:
        return None
    ref = member_ref(member)
    return ref if len(ref) <= AUDIT_REF_LIMIT else f"member #{member.id}"


def hand_over(session: Session, ctx: Context, complaint: Complaint, to: Member) -> Reply:
    """Give an open case to a team member or admin: audit entry, their direct message, a line in
    the team thread. Any platform may be handed to anyone on the team, with a warning."""
    case = complaint.case_id
    assert complaint.id is not None and to.id is not None
    if not takes_cases(ctx, to):
        move = f"admin member add {member_ref(to)} - team move=yes"
        raise UserError(
            _(
                "{member} is a {role}, not on the team: only team members and admins take cases.",
                member=member_ref(to),
                role=to.role,
            ),
            hint=_("`{command}` moves them out of their organisation onto the team.", command=move),
        )
    if complaint.status not in OPEN_COMPLAINT_STATUSES:
        raise UserError(
            _("{case} is {status}: only open cases can be handed over.", case=case, status=complaint.status)
        )
    if complaint.assigned_to_id == to.id:
        raise UserError(_("{case} is already assigned to {member}.", case=case, member=member_label(to)))
    previous = session.get(Member, complaint.assigned_to_id) if complaint.assigned_to_id is not None else None
    complaint.assigned_to_id = to.id
    complaint.updated_at = ctx.now
    session.add(complaint)
    record_change(
        session,
        ctx,
        AuditEntity.COMPLAINT,
        complaint.id,
        "assigned",
        from_status=audit_ref(previous),
        to_status=audit_ref(to),
    )
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    taking_it = to.id == ctx.member_id
    named = member_label(to)
    show = f"case {case}"

    def was() -> str:
        return member_label(previous) if previous is not None else _(WHOLE_TEAM)

    reply = Reply(
        _("{case} is now yours (was {was}).", case=case, was=was())
        if taking_it
        else _("{case} is now assigned to {member} (was {was}).", case=case, member=named, was=was())
    )
    platform = Platform(complaint.platform)
    if platform not in platforms_of(session, [to.id])[to.id]:
        reply.text += " " + (
            _("Note: You do not cover {platform}.", platform=platform.label)
            if taking_it
            else _("Note: {member} does not cover {platform}.", member=named, platform=platform.label)
        )
    if not taking_it:
        reply.notices.append(
            localized(
                lambda: Notice(
                    channel=dm_channel(to.platform, to.user_id),
                    kind=NoticeKind.CASE_ASSIGNED,
                    text=_(
                        "{case} is yours: {items} from {organisation}, handed over by {who}. `{command}` shows it.",
                        case=case,
                        items=describe_items(complaint),
                        organisation=organisation.name,
                        who=ctx.caller.ref,
                        command=show,
                    ),
                )
            )
        )

    def line() -> Notice:
        said = (
            _("{who} took {case} (was {was}).", who=ctx.caller.ref, case=case, was=was())
            if taking_it
            else _("{who} handed {case} to {member} (was {was}).", who=ctx.caller.ref, case=case, member=named,
                   was=was())
        )  # fmt: skip
        return Notice(channel=Channel.TEAM, case_id=case, kind=NoticeKind.CASE_ASSIGNED, text=said)

    reply.notices.append(localized(line))
    return reply
