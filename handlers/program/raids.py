"""`raid`: civil-raid evidence that rights-holders submit so that Alibaba penalises the sellers.

Documents are kept only by their SHA-256 fingerprints (chain of custody). Each step, from
submission to the penalty, is posted in the raid's thread in the team's and the brand's channels.
This module holds what every step shares: finding a raid, its statuses, its thread, and `raid show`.
Submitting: handlers/program/raid_submission; the team's steps: handlers/program/raid_decisions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded, note_text
from handlers.kit.context import Context
from handlers.kit.documents import CheckedDocument
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _, localized
from handlers.kit.local_time import local_time
from handlers.kit.registry import Option, command, group
from handlers.kit.replies import Button, Notice, Reply
from storage.models import Member, Organisation, RaidEvidence
from storage.queries import audit
from storage.queries.raids import documents_of_raid, raid_by_id, storefronts_of_raid
from storage.vocabulary import AuditEntity, Channel, NoticeKind, RaidStatus, org_channel

NEXT: dict[RaidStatus, tuple[RaidStatus, ...]] = {
    RaidStatus.SUBMITTED: (RaidStatus.FORWARDED, RaidStatus.DECLINED),
    RaidStatus.FORWARDED: (RaidStatus.PENALTY_APPLIED, RaidStatus.DECLINED),
    RaidStatus.PENALTY_APPLIED: (),
    RaidStatus.DECLINED: (),
}
REFERENCE = Option("reference", N_("the raid evidence's reference, e.g. RAID-000001"), required=True)
NOTE = Option("note", N_("a note for the brand and the audit log"), keyword=True)
_REFERENCE = re.compile(r"(?i)^(?:RAID-?)?0*(\d{1,9})$")

group(
    "raid",
    summary=N_("submit civil-raid evidence for seller penalties, and follow it"),
    order=("submit", "show", "forward", "penalty", "decline"),
)


@command("raid show", summary=N_("a raid evidence's storefronts, documents and history"), options=(REFERENCE,))
def raid_show(ctx: Context, args: Args, session: Session) -> Reply:
    """raid show RAID-000001
    Your organisation's raid evidence; the team sees every one.
    Example: raid show RAID-000001"""
    args.check_options()
    evidence = load_raid(session, ctx, args.word(0, _("raid reference (e.g. RAID-000001)")))
    assert evidence.id is not None
    organisation = session.get(Organisation, evidence.organisation_id)
    submitter = session.get(Member, evidence.submitted_by_id)
    assert organisation is not None and submitter is not None
    zone = ctx.rules.timezone
    submitter_ref = f"{submitter.platform}:{submitter.user_id}"
    reply = Reply(f"{evidence.reference} · {evidence.status} · {organisation.name}")
    reply.fields = [
        (_("Raid"), raid_summary(evidence.raid_date.isoformat(), evidence.authority, evidence.authority_case_number)),
        (
            _("Submitted"),
            _("{moment} by {who}", moment=local_time(evidence.created_at, zone), who=submitter_ref),
        ),
    ]  # fmt: skip
    if evidence.decision_note:
        reply.fields.append((_("Decision"), evidence.decision_note))
    stores = storefronts_of_raid(session, evidence.id)
    documents = documents_of_raid(session, evidence.id)
    reply.lines = [
        _("Storefronts ({count}):", count=len(stores)),
        *(f"{s.canonical_url} · {s.status}" for s in stores),
    ]
    reply.lines.append(_("Documents ({count}):", count=len(documents)))
    reply.lines += [CheckedDocument(d.name, d.size_bytes, d.sha256, d.media_type).describe() for d in documents]
    reply.lines.append(_("History:"))
    for entry in audit.history(session, [(AuditEntity.RAID, [evidence.id])]):
        note = note_text(entry)
        note = f" ({note})" if note else ""
        before = entry.from_status or _("new")
        change = f"{before} -> {entry.to_status}"
        reply.lines.append(f"{local_time(entry.at, zone)} {entry.actor}: {change}{note}")
    return reply


def load_raid(session: Session, ctx: Context, text: str, *, for_update: bool = False) -> RaidEvidence:
    """The evidence named (`RAID-000001`, `1`) if the caller may see it; others' read as missing."""
    match = _REFERENCE.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            _("'{text}' is not a raid reference.", text=text), hint=_("Raid references look like RAID-000001.")
        )
    number = int(match.group(1))
    evidence = raid_by_id(session, number, for_update=for_update)
    if evidence is None or not (ctx.is_staff or evidence.organisation_id == ctx.organisation_id):
        reference = f"RAID-{number:06d}"
        raise NotFound(_("There is no raid evidence {reference} among your organisation's.", reference=reference))
    return evidence


def move(session: Session, ctx: Context, evidence: RaidEvidence, target: RaidStatus, note: str | None) -> None:
    """Change the evidence's status if the step is allowed; refuse naming its status otherwise."""
    assert evidence.id is not None
    current = evidence.status
    if target not in NEXT[current]:
        steps = NEXT[current]
        if len(steps) == 2:
            allowed = _("{first} or {second}", first=steps[0], second=steps[1])
        else:
            allowed = steps[0] if steps else _("nothing more: it is final")
        raise UserError(
            _("{reference} cannot become {target}: it is {status}.", reference=evidence.reference, target=target,
              status=current),
            hint=_("From {status} it can become {allowed}.", status=current, allowed=allowed),
        )  # fmt: skip
    evidence.status = target
    evidence.updated_at = ctx.now
    if target in (RaidStatus.PENALTY_APPLIED, RaidStatus.DECLINED):
        evidence.decision_note = note
    add_recorded(session, ctx, evidence, AuditEntity.RAID, "status", from_status=current, to_status=target, note=note)


def raid_summary(day: str, authority: str, case_number: str) -> str:
    """`2026-10-02, Yiwu AMR case YW-2026-118`."""
    return _("{day}, {authority} case {case_number}", day=day, authority=authority, case_number=case_number)


def thread(
    session: Session,
    evidence: RaidEvidence,
    kind: NoticeKind,
    team: Callable[[], str],
    brand: Callable[[], str],
    *,
    fields: Callable[[], tuple[tuple[str, str], ...]] = tuple,
    buttons: Callable[[], tuple[Button, ...]] = tuple,
) -> list[Notice]:
    """The same step told in the raid's thread in the team's channel and in the brand's, each in
    every language: `team`, `brand`, `fields` and `buttons` build their words in the current one."""
    organisation = session.get(Organisation, evidence.organisation_id)
    assert organisation is not None
    ref = evidence.reference
    return [
        localized(
            lambda: Notice(
                channel=Channel.TEAM, case_id=ref, kind=kind, text=team(), fields=fields(), buttons=buttons()
            )
        ),
        localized(
            lambda: Notice(
                channel=org_channel(organisation.slug), case_id=ref, kind=kind, text=brand(), fields=fields()
            )
        ),
    ]
