"""The team's steps on raid evidence: forward it to Alibaba, record the penalty Alibaba applied, or decline it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from handlers.cases.storefront_rules import add_strike, closure_refusal
from handlers.kit.arguments import MAX_NOTE, Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, deferred, localized, ngettext
from handlers.kit.registry import STAFF, Option, OptionKind, command
from handlers.kit.replies import Button, Notice, Reply
from handlers.program.raids import NOTE, REFERENCE, load_raid, move, thread
from storage.models import RaidEvidence, Storefront
from storage.queries.raids import storefronts_of_raid
from storage.vocabulary import AuditEntity, Channel, NoticeKind, Platform, RaidStatus, StorefrontStatus

PENALTIES = ("close", "strike")
REFERENCE_WORD = N_("raid reference (e.g. RAID-000001)")


@command(
    "raid forward", summary=N_("send raid evidence on to Alibaba (team)"),
    roles=STAFF, action=N_("forward raid evidence"), options=(REFERENCE, NOTE),
)  # fmt: skip
def raid_forward(ctx: Context, args: Args, session: Session) -> Reply:
    """raid forward RAID-000001 [note="..."]
    The brand is told in the raid's thread; Alibaba's penalty is then recorded with `raid penalty`.
    Example: raid forward RAID-000001 note="sent to Alibaba's IPP team"
    """
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.FORWARDED, note)
    ref, who = evidence.reference, ctx.caller.ref
    reply = Reply(_("{reference} is forwarded to Alibaba; the brand is told.", reference=ref))
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_FORWARDED,
        lambda: _because(_("{reference} forwarded to Alibaba by {who}", reference=ref, who=who), note),
        lambda: _because(_("{reference} was forwarded to Alibaba for seller penalties", reference=ref), note),
        buttons=lambda: tuple(
            Button(_("Penalty: {penalty}", penalty=word), f"raid penalty {ref} {word}") for word in PENALTIES
        ),
    )  # fmt: skip
    return reply


@command(
    "raid decline", summary=N_("decline raid evidence, saying why (team)"),
    roles=STAFF, action=N_("decline raid evidence"), options=(REFERENCE, NOTE),
)  # fmt: skip
def raid_decline(ctx: Context, args: Args, session: Session) -> Reply:
    """raid decline RAID-000001 note="why"
    The note is required: the brand is told why.
    Example: raid decline RAID-000001 note="the raid record is unsigned"
    """
    args.check_options("note")
    if not args.note():
        raise UserError(_('Say why the evidence is declined with note="...": the brand is told.'), field="note")
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.DECLINED, note)
    ref, who = evidence.reference, ctx.caller.ref
    reply = Reply(_("{reference} is declined; the brand is told why.", reference=ref))
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_DECLINED,
        lambda: _because(_("{reference} declined by {who}", reference=ref, who=who), note),
        lambda: _because(_("{reference} was declined", reference=ref), note),
    )  # fmt: skip
    return reply


@command(
    "raid penalty", summary=N_("record the penalty Alibaba applied on forwarded evidence (team)"),
    roles=STAFF, action=N_("record penalties on raid evidence"),
    options=(
        REFERENCE,
        Option("penalty", N_("what Alibaba did to the storefronts"), OptionKind.CHOICE, True, choices=PENALTIES),
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
    args.word(0, _(REFERENCE_WORD))
    penalty = args.word(1, _("penalty (close or strike)")).lower()
    if penalty not in PENALTIES:
        raise UserError(_("'{word}' is not a raid penalty.", word=args.words[1]), hint=_("Use close or strike."))
    evidence, note = _evidence(ctx, args, session)
    move(session, ctx, evidence, RaidStatus.PENALTY_APPLIED, note)
    assert evidence.id is not None
    ref, who = evidence.reference, ctx.caller.ref
    stores = storefronts_of_raid(session, evidence.id)
    if penalty == "close":
        already = [store.canonical_url for store in stores if store.status == StorefrontStatus.CLOSED]
        results = [_close(session, ctx, store, ref) for store in stores]
        closed = [store.canonical_url for store, result in zip(stores, results, strict=True) if result.closed]

        def done() -> str:
            return _closures(len(closed), already)
    else:
        results = [_strike(session, ctx, store, ref, note) for store in stores]
        closed = []

        def done() -> str:
            return ngettext(
                "a strike against each of {count} storefront",
                "a strike against each of {count} storefronts",
                len(stores),
            )

    def lines() -> list[str]:
        return [result.line() for result in results]

    reply = Reply(_("{reference}: penalty applied, {done}.", reference=ref, done=done()), lines=lines())
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_PENALTY,
        lambda: _because(_("{reference}: penalty applied by {who}, {done}", reference=ref, who=who, done=done()), note),
        lambda: _because(_("{reference}: Alibaba applied the penalty, {done}", reference=ref, done=done()), note),
        fields=lambda: ((_("Storefronts"), "\n".join(lines())),),
    )  # fmt: skip
    if closed:
        reply.notices.append(
            localized(
                lambda: Notice(
                    channel=Channel.OUTCOMES,
                    kind=NoticeKind.STOREFRONT_CLOSED,
                    text=_("Storefronts closed on raid evidence {reference}.", reference=ref),
                    fields=((_("Storefronts"), "\n".join(closed)),),
                )
            )
        )
    return reply


def _evidence(ctx: Context, args: Args, session: Session) -> tuple[RaidEvidence, str | None]:
    """The evidence named first, locked for the step, and the step's note."""
    args.check_options("note")
    reference = args.word(0, _(REFERENCE_WORD))
    return load_raid(session, ctx, reference, for_update=True), args.note()


def _closures(closed: int, already: list[str]) -> str:
    """`1 storefront closed (permanently banned), 1 was already closed (<link>)`: only what the penalty changed
    is counted as closed."""
    if closed:
        done = ngettext(
            "{count} storefront closed (permanently banned)", "{count} storefronts closed (permanently banned)", closed
        )
    else:
        done = _("no storefront closed")
    if already:
        done = ngettext(
            "{done}, {count} was already closed ({links})",
            "{done}, {count} were already closed ({links})",
            len(already),
            done=done,
            links=", ".join(already),
        )
    return done


def _because(text: str, note: str | None) -> str:
    """`text: note`, or `text.` without a note."""
    return _("{text}: {note}", text=text, note=note) if note else _("{text}.", text=text)


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What the penalty did to one storefront, worded in the reader's language when shown."""

    url: str
    closed: bool = False
    refusal: str | None = None  # why it was not closed (already worded)
    strikes: int | None = None
    threshold: int | None = None

    def line(self) -> str:
        if self.strikes is not None:
            strikes = ngettext("{count} active strike", "{count} active strikes", self.strikes)
            return _("{link} · {strikes} (closes at {threshold})", link=self.url, strikes=strikes,
                     threshold=self.threshold)  # fmt: skip
        if self.closed:
            return _("{link} · closed", link=self.url)
        return _("{link} · not closed: {why}", link=self.url, why=self.refusal)


def _close(session: Session, ctx: Context, store: Storefront, ref: str) -> StoreResult:
    """Close a storefront the accepted evidence names; what happened to it."""
    assert store.id is not None
    why_not = closure_refusal(session, ctx, store)
    if why_not:
        return StoreResult(store.canonical_url, refusal=why_not)
    before = store.status
    store.status, store.closed_at, store.closed_by = StorefrontStatus.CLOSED, ctx.now, ctx.caller.ref
    session.add(store)
    note = deferred(N_("raid evidence {reference}"), reference=ref)
    record_change(
        session, ctx, AuditEntity.STOREFRONT, store.id, "status", from_status=before, to_status=store.status, note=note
    )
    return StoreResult(store.canonical_url, closed=True)


def _strike(session: Session, ctx: Context, store: Storefront, ref: str, note: str | None) -> StoreResult:
    """A strike against a storefront the accepted evidence names; what happened to it."""
    assert store.id is not None
    why = (
        deferred(N_("raid evidence {reference}: {note}"), reference=ref, note=note)
        if note
        else deferred(N_("raid evidence {reference}"), reference=ref)
    )
    strikes = add_strike(session, ctx, store, None, why.english()[:MAX_NOTE])
    record_change(session, ctx, AuditEntity.STOREFRONT, store.id, "strike", note=why)
    threshold = ctx.rules.strike_threshold(Platform(store.platform))
    return StoreResult(store.canonical_url, strikes=strikes, threshold=threshold)
