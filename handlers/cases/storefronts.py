"""`store`: storefront strikes, closures and reinstatements."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, parse_link
from handlers.cases.notices import OUTCOMES, TEAM
from handlers.cases.storefront_rules import add_strike, closure_refusal
from handlers.kit.arguments import Args, parse_enum, parse_platform
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply, plural
from storage.models import Storefront
from storage.queries.marketplace_items import ensure_targets, storefront_by_key
from storage.queries.storefronts import active_strike_count, complaints_naming, storefronts, strikes_of
from storage.vocabulary import ItemKind, Platform, RogueBlockStatus, StorefrontStatus

ACTIONS = ("show", "strike", "close", "reinstate", "refer", "referral", "list")
ROGUEBLOCK = "rogueblock"


@command("store", summary="storefront strikes, closure and reinstatement")
def store(ctx: Context, args: Args, session: Session) -> Reply:
    """store show <store link>
    store strike <store link> [note="..."]     (team: a serious counterfeit finding)
    store close <store link> [note="..."]      (team: at the platform's strike threshold or
                                                after accepted raid evidence)
    store reinstate <store link> [note="..."]  (team: the seller's appeal was upheld)
    store refer <store link> [note="..."]      (team: refer a closed store's seller to IACC's
                                                RogueBlock payment-processor program)
    store referral <store link> accepted|declined [note="..."]   (team: RogueBlock's answer)
    store list [closed] [platform=<name>]      (team)
    To ask for a storefront's removal, file its link with `complaint`.
    Example: store show https://shop123456.taobao.com"""
    args.check_options("note", "platform")
    action = args.word(0, f"action ({', '.join(ACTIONS)})").lower()
    note = args.note()
    if action == "list":
        ctx.require_staff("list storefronts")
        return _list(ctx, session, args)
    if action not in ACTIONS:
        raise UserError(f"'{action}' is not a store action.", hint=f"Use one of: {', '.join(ACTIONS)}.")
    link = _storefront_link(args.word(1, "storefront link"))
    if action == "show":
        return _show(ctx, session, link)
    ctx.require_staff(f"{action} storefronts")
    if action == "strike":
        ids, _ = ensure_targets(
            session, link.key.platform, ItemKind.STOREFRONT, {link.key.external_id: link.canonical_url}, ctx.now
        )
        storefront = session.get(Storefront, ids[link.key.external_id])
        assert storefront is not None and storefront.id is not None
        strikes = add_strike(session, ctx, storefront, None, note)
        record_change(session, ctx, "storefront", storefront.id, "strike", note=note)
        threshold = ctx.rules.strike_threshold(link.key.platform)
        return Reply(f"Strike recorded: {storefront.canonical_url} has {strikes} of the {threshold} that close it.")
    storefront = _known(session, link)
    if action == "refer":
        return _refer(ctx, session, storefront, note)
    if action == "referral":
        answer = args.word(2, "RogueBlock's answer (accepted or declined)")
        return _referral(ctx, session, storefront, parse_enum(RogueBlockStatus, answer, "RogueBlock answer"), note)
    return _close(ctx, session, storefront, note) if action == "close" else _reinstate(ctx, session, storefront, note)


def _storefront_link(text: str) -> ParsedLink:
    result = parse_link(text)
    if not isinstance(result, ParsedLink):
        raise UserError(f"'{text}' is not a storefront link: {result.reason}.")
    if result.key.kind is not ItemKind.STOREFRONT:
        raise UserError(
            f"{result.canonical_url} is a listing, not a storefront.",
            hint="Paste the store's link, e.g. https://shop123456.taobao.com.",
        )
    return result


def _known(session: Session, link: ParsedLink) -> Storefront:
    storefront = storefront_by_key(session, link.key.platform, link.key.external_id)
    if storefront is None:
        raise NotFound(f"{link.canonical_url} is not known yet: no complaint or strike names it.")
    return storefront


def _show(ctx: Context, session: Session, link: ParsedLink) -> Reply:
    storefront = _known(session, link)
    assert storefront.id is not None
    strikes = strikes_of(session, storefront.id)
    active = active_strike_count(session, storefront.id, ctx.now)
    scope = None if ctx.is_staff else ctx.require_organisation()
    reply = Reply(f"{storefront.canonical_url} · {storefront.status}")
    reply.fields = [
        ("Platform", Platform(storefront.platform).label),
        ("Active strikes", f"{active} (closes at {ctx.rules.strike_threshold(Platform(storefront.platform))})"),
        (
            "Complaints naming it",
            str(complaints_naming(session, storefront.id, scope)) + ("" if ctx.is_staff else " of yours"),
        ),
    ]
    if storefront.closed_at:
        reply.fields.append(("Closed", local_time(storefront.closed_at, ctx.rules.timezone)))
    if storefront.rogueblock_status:
        referred = local_time(storefront.rogueblock_referred_at, ctx.rules.timezone)
        reply.fields.append(("RogueBlock", f"{storefront.rogueblock_status} (referred {referred})"))
    if ctx.is_staff:
        for strike in strikes:
            state = "active until" if strike.expires_at > ctx.now else "expired"
            reply.lines.append(
                f"strike {local_time(strike.created_at, ctx.rules.timezone)} by {strike.recorded_by}, "
                f"{state} {local_time(strike.expires_at, ctx.rules.timezone)}"
            )
    return reply


def _close(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    why_not = closure_refusal(session, ctx, storefront)
    if why_not:
        raise UserError(f"{storefront.canonical_url} cannot be closed: {why_not}.")
    _set_status(ctx, session, storefront, StorefrontStatus.CLOSED, note)
    reply = Reply(f"Closed {storefront.canonical_url} (permanently banned).")
    text = f"Storefront closed: {storefront.canonical_url} ({Platform(storefront.platform).label})" + _because(note)
    reply.notices += [
        Notice(channel=TEAM, kind="storefront_closed", text=text),
        Notice(channel=OUTCOMES, kind="storefront_closed", text=text),
    ]
    return reply


def _reinstate(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    if storefront.status != StorefrontStatus.CLOSED:
        raise UserError(f"{storefront.canonical_url} is not closed.")
    _set_status(ctx, session, storefront, StorefrontStatus.ACTIVE, note)
    reply = Reply(f"Reinstated {storefront.canonical_url} after an upheld appeal.")
    text = f"Storefront reinstated on appeal: {storefront.canonical_url}" + _because(note)
    reply.notices.append(Notice(channel=TEAM, kind="storefront_reinstated", text=text))
    return reply


def _refer(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    """Refer a closed storefront's seller to RogueBlock, IACC's payment-processor program."""
    if storefront.status != StorefrontStatus.CLOSED:
        raise UserError(f"{storefront.canonical_url} is not closed: only closed storefronts' sellers are referred.")
    if storefront.rogueblock_status is not None:
        referred = local_time(storefront.rogueblock_referred_at, ctx.rules.timezone)
        raise UserError(f"{storefront.canonical_url} was referred on {referred} ({storefront.rogueblock_status}).")
    assert storefront.id is not None
    storefront.rogueblock_status = RogueBlockStatus.REFERRED
    storefront.rogueblock_referred_at = ctx.now
    session.add(storefront)
    record_change(
        session, ctx, "storefront", storefront.id, "rogueblock", to_status=RogueBlockStatus.REFERRED, note=note
    )
    text = f"Referred to RogueBlock: the seller of {storefront.canonical_url} ({Platform(storefront.platform).label})"
    reply = Reply(f"Referred the seller of {storefront.canonical_url} to RogueBlock.")
    reply.notices.append(Notice(channel=ROGUEBLOCK, kind="rogueblock_referral", text=text + _because(note)))
    return reply


def _referral(
    ctx: Context, session: Session, storefront: Storefront, answer: RogueBlockStatus, note: str | None
) -> Reply:
    if storefront.rogueblock_status != RogueBlockStatus.REFERRED or answer is RogueBlockStatus.REFERRED:
        state = storefront.rogueblock_status or "not referred"
        raise UserError(
            f"{storefront.canonical_url} is {state}; answers are accepted or declined, once, after `store refer`."
        )
    assert storefront.id is not None
    storefront.rogueblock_status = answer
    session.add(storefront)
    record_change(
        session,
        ctx,
        "storefront",
        storefront.id,
        "rogueblock",
        from_status=RogueBlockStatus.REFERRED,
        to_status=answer,
        note=note,
    )
    reply = Reply(f"RogueBlock {answer} the referral of {storefront.canonical_url}.")
    reply.notices.append(Notice(channel=ROGUEBLOCK, kind="rogueblock_answer", text=reply.text[:-1] + _because(note)))
    return reply


def _set_status(
    ctx: Context, session: Session, storefront: Storefront, status: StorefrontStatus, note: str | None
) -> None:
    assert storefront.id is not None
    before = storefront.status
    closing = status is StorefrontStatus.CLOSED
    storefront.status = status
    storefront.closed_at = ctx.now if closing else None
    storefront.closed_by = ctx.caller.ref if closing else None
    session.add(storefront)
    record_change(session, ctx, "storefront", storefront.id, "status", from_status=before, to_status=status, note=note)


def _because(note: str | None) -> str:
    return f": {note}" if note else "."


def _list(ctx: Context, session: Session, args: Args) -> Reply:
    closed = any(word.lower() == "closed" for word in args.words[1:])
    platform = parse_platform(args.options["platform"]) if args.option("platform") else None
    rows = storefronts(session, closed=closed, platform=platform, now=ctx.now)
    if not rows:
        return Reply("No storefronts match.")
    reply = Reply(f"{plural(len(rows), 'storefront')}{' closed' if closed else ''}, most struck first:")
    reply.lines = [f"{store.canonical_url} · {store.status} · {plural(count, 'strike')}" for store, count in rows]
    return reply
