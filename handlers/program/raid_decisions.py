"""The team's steps on raid evidence: forward it to Alibaba, record the penalty Alibaba applied, or decline it."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.storefront_rules import add_strike, closure_refusal
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.registry import STAFF, Option, OptionKind, command
from handlers.kit.replies import Button, Notice, Reply, plural
from handlers.program.raids import NOTE, REFERENCE, load_raid, move, thread
from storage.models import RaidEvidence, Storefront
from storage.queries.raids import storefronts_of_raid
from storage.vocabulary import AuditEntity, Channel, NoticeKind, Platform, RaidStatus, StorefrontStatus

PENALTIES = ("close", "strike")


@command(
    "raid forward", summary="send raid evidence on to Alibaba (team)",
    roles=STAFF, action="forward raid evidence", options=(REFERENCE, NOTE),
)  # fmt: skip
def raid_forward(ctx: Context, args: Args, session: Session) -> Reply:
    """raid forward RAID-000001 [note="..."]
    The brand is told in the raid's thread; Alibaba's penalty is then recorded with `raid penalty`.
    Example: raid forward RAID-000001 note="sent to Alibaba's IPP team"
    """
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.FORWARDED, note)
    ref, because = evidence.reference, _because(note)
    reply = Reply(f"{ref} is forwarded to Alibaba; the brand is told.")
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_FORWARDED, f"{ref} forwarded to Alibaba by {ctx.caller.ref}{because}",
        f"{ref} was forwarded to Alibaba for seller penalties{because}",
        buttons=tuple(Button(f"Penalty: {word}", f"raid penalty {ref} {word}") for word in PENALTIES),
    )  # fmt: skip
    return reply


@command(
    "raid decline", summary="decline raid evidence, saying why (team)",
    roles=STAFF, action="decline raid evidence", options=(REFERENCE, NOTE),
)  # fmt: skip
def raid_decline(ctx: Context, args: Args, session: Session) -> Reply:
    """raid decline RAID-000001 note="why"
    The note is required: the brand is told why.
    Example: raid decline RAID-000001 note="the raid record is unsigned"
    """
    args.check_options("note")
    if not args.note():
        raise UserError('Say why the evidence is declined with note="...": the brand is told.', field="note")
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.DECLINED, note)
    ref, because = evidence.reference, _because(note)
    reply = Reply(f"{ref} is declined; the brand is told why.")
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_DECLINED, f"{ref} declined by {ctx.caller.ref}{because}",
        f"{ref} was declined{because}",
    )  # fmt: skip
    return reply


@command(
    "raid penalty", summary="record the penalty Alibaba applied on forwarded evidence (team)",
    roles=STAFF, action="record penalties on raid evidence",
    options=(
        REFERENCE, Option("penalty", "what Alibaba did to the storefronts", OptionKind.CHOICE, True, choices=PENALTIES),
        NOTE,
    ),
)  # fmt: skip
def raid_penalty(ctx: Context, args: Args, session: Session) -> Reply:
    """raid penalty RAID-000001 close|strike [note="..."]
    `close` closes every storefront the evidence names (where the closure rules allow); `strike`
    records a strike against each.
    Example: raid penalty RAID-000001 close note="sellers banned by Alibaba"
    """
    args.check_options("note")
    args.word(0, "raid reference (e.g. RAID-000001)")
    penalty = args.word(1, "penalty (close or strike)").lower()
    if penalty not in PENALTIES:
        raise UserError(f"'{args.words[1]}' is not a raid penalty.", hint="Use close or strike.")
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.PENALTY_APPLIED, note)
    assert evidence.id is not None
    ref, because = evidence.reference, _because(note)
    stores = storefronts_of_raid(session, evidence.id)
    closed: list[str] = []
    if penalty == "close":
        already = [store.canonical_url for store in stores if store.status == StorefrontStatus.CLOSED]
        lines = [_close(session, ctx, store, ref) for store in stores]
        closed = [line.removesuffix(" · closed") for line in lines if line.endswith(" · closed")]
        done = _closures(len(closed), already)
    else:
        lines = [_strike(session, ctx, store, ref, note) for store in stores]
        done = f"a strike against each of {plural(len(stores), 'storefront')}"
    reply = Reply(f"{ref}: penalty applied, {done}.", lines=lines)
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_PENALTY, f"{ref}: penalty applied by {ctx.caller.ref}, {done}{because}",
        f"{ref}: Alibaba applied the penalty, {done}{because}", fields=(("Storefronts", "\n".join(lines)),),
    )  # fmt: skip
    if closed:
        text = f"Storefronts closed on raid evidence {ref}."
        fields = (("Storefronts", "\n".join(closed)),)
        reply.notices.append(
            Notice(channel=Channel.OUTCOMES, kind=NoticeKind.STOREFRONT_CLOSED, text=text, fields=fields)
        )
    return reply


def _evidence(ctx: Context, args: Args, session: Session) -> tuple[RaidEvidence, str | None]:
    """The evidence named first, locked for the step, and the step's note."""
    args.check_options("note")
    reference = args.word(0, "raid reference (e.g. RAID-000001)")
    return load_raid(session, ctx, reference, for_update=True), args.note()


def _closures(closed: int, already: list[str]) -> str:
    """`1 storefront closed (permanently banned), 1 was already closed (<link>)`: only what the penalty changed
    is counted as closed."""
    done = f"{plural(closed, 'storefront')} closed (permanently banned)" if closed else "no storefront closed"
    if already:
        done += f", {len(already)} {'was' if len(already) == 1 else 'were'} already closed ({', '.join(already)})"
    return done


def _because(note: str | None) -> str:
    return f": {note}" if note else "."


def _close(session: Session, ctx: Context, store: Storefront, ref: str) -> str:
    """Close a storefront the accepted evidence names; its line for the reply."""
    assert store.id is not None
    why_not = closure_refusal(session, ctx, store)
    if why_not:
        return f"{store.canonical_url} · not closed: {why_not}"
    before = store.status
    store.status, store.closed_at, store.closed_by = StorefrontStatus.CLOSED, ctx.now, ctx.caller.ref
    session.add(store)
    note = f"raid evidence {ref}"
    record_change(
        session, ctx, AuditEntity.STOREFRONT, store.id, "status", from_status=before, to_status=store.status, note=note
    )
    return f"{store.canonical_url} · closed"


def _strike(session: Session, ctx: Context, store: Storefront, ref: str, note: str | None) -> str:
    """A strike against a storefront the accepted evidence names; its line for the reply."""
    assert store.id is not None
    why = (f"raid evidence {ref}" + (f": {note}" if note else ""))[:1000]
    strikes = add_strike(session, ctx, store, None, why)
    record_change(session, ctx, AuditEntity.STOREFRONT, store.id, "strike", note=why)
    threshold = ctx.rules.strike_threshold(Platform(store.platform))
    return f"{store.canonical_url} · {plural(strikes, 'active strike')} (closes at {threshold})"
