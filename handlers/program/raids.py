"""`raid`: civil-raid evidence that rights-holders submit so that Alibaba penalises the sellers.

Documents are kept only by their SHA-256 fingerprints (chain of custody). Each step, from
submission to the penalty, is posted in the raid's thread in the team's and the brand's channels.
This module holds what every step shares: finding a raid, its statuses, its thread, and `raid show`.
Submitting: handlers/program/raid_submission; the team's steps: handlers/program/raid_decisions.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from handlers.kit.arguments import Args
from handlers.kit.audit_trail import add_recorded
from handlers.kit.context import Context
from handlers.kit.documents import CheckedDocument
from handlers.kit.errors import NotFound, UserError
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
REFERENCE = Option("reference", "the raid evidence's reference, e.g. RAID-000001", required=True)
NOTE = Option("note", "a note for the brand and the audit log", keyword=True)
_REFERENCE = re.compile(r"(?i)^(?:RAID-?)?0*(\d{1,9})$")

group(
    "raid",
    summary="submit civil-raid evidence for seller penalties, and follow it",
    order=("submit", "show", "forward", "penalty", "decline"),
)


@command("raid show", summary="a raid evidence's storefronts, documents and history", options=(REFERENCE,))
def raid_show(ctx: Context, args: Args, session: Session) -> Reply:
    """raid show RAID-000001
    Your organisation's raid evidence; the team sees every one.
    Example: raid show RAID-000001"""
    args.check_options()
    evidence = load_raid(session, ctx, args.word(0, "raid reference (e.g. RAID-000001)"))
    assert evidence.id is not None
    organisation = session.get(Organisation, evidence.organisation_id)
    submitter = session.get(Member, evidence.submitted_by_id)
    assert organisation is not None and submitter is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{evidence.reference} · {evidence.status} · {organisation.name}")
    reply.fields = [
        ("Raid", f"{evidence.raid_date}, {evidence.authority} case {evidence.authority_case_number}"),
        ("Submitted", f"{local_time(evidence.created_at, zone)} by {submitter.platform}:{submitter.user_id}"),
    ]
    if evidence.decision_note:
        reply.fields.append(("Decision", evidence.decision_note))
    stores = storefronts_of_raid(session, evidence.id)
    documents = documents_of_raid(session, evidence.id)
    reply.lines = [f"Storefronts ({len(stores)}):", *(f"{s.canonical_url} · {s.status}" for s in stores)]
    reply.lines.append(f"Documents ({len(documents)}):")
    reply.lines += [CheckedDocument(d.name, d.size_bytes, d.sha256, d.media_type).describe() for d in documents]
    reply.lines.append("History:")
    for entry in audit.history(session, [(AuditEntity.RAID, [evidence.id])]):
        note = f" ({entry.note})" if entry.note else ""
        change = f"{entry.from_status or 'new'} -> {entry.to_status}"
        reply.lines.append(f"{local_time(entry.at, zone)} {entry.actor}: {change}{note}")
    return reply


def load_raid(session: Session, ctx: Context, text: str, *, for_update: bool = False) -> RaidEvidence:
    """The evidence named (`RAID-000001`, `1`) if the caller may see it; others' read as missing."""
    match = _REFERENCE.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(f"'{text}' is not a raid reference.", hint="Raid references look like RAID-000001.")
    number = int(match.group(1))
    evidence = raid_by_id(session, number, for_update=for_update)
    if evidence is None or not (ctx.is_staff or evidence.organisation_id == ctx.organisation_id):
        raise NotFound(f"There is no raid evidence RAID-{number:06d} among your organisation's.")
    return evidence


def move(session: Session, ctx: Context, evidence: RaidEvidence, target: RaidStatus, note: str | None) -> None:
    """Change the evidence's status if the step is allowed; refuse naming its status otherwise."""
    assert evidence.id is not None
    current = evidence.status
    if target not in NEXT[current]:
        allowed = " or ".join(NEXT[current]) or "nothing more: it is final"
        raise UserError(
            f"{evidence.reference} cannot become {target}: it is {current}.",
            hint=f"From {current} it can become {allowed}.",
        )
    evidence.status = target
    evidence.updated_at = ctx.now
    if target in (RaidStatus.PENALTY_APPLIED, RaidStatus.DECLINED):
        evidence.decision_note = note
    add_recorded(session, ctx, evidence, AuditEntity.RAID, "status", from_status=current, to_status=target, note=note)


def thread(
    session: Session,
    evidence: RaidEvidence,
    kind: NoticeKind,
    team: str,
    brand: str,
    *,
    fields: tuple[tuple[str, str], ...] = (),
    buttons: tuple[Button, ...] = (),
) -> list[Notice]:
    """The same step told in the raid's thread in the team's channel and in the brand's."""
    organisation = session.get(Organisation, evidence.organisation_id)
    assert organisation is not None
    ref = evidence.reference
    return [
        Notice(channel=Channel.TEAM, case_id=ref, kind=kind, text=team, fields=fields, buttons=buttons),
        Notice(channel=org_channel(organisation.slug), case_id=ref, kind=kind, text=brand, fields=fields),
    ]
