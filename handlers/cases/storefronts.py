"""`store`: storefront strikes, closures and reinstatements."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, parse_link
from handlers.cases.storefront_rules import add_strike, closure_refusal, in_utc, reinstatements, sees_pursuit
from handlers.kit.arguments import Args, parse_platform
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import N_, _, localized, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, OptionKind, command, group
from handlers.kit.replies import Notice, Reply
from storage.locks import locked
from storage.models import Storefront
from storage.queries.marketplace_items import ensure_targets, storefront_by_key
from storage.queries.storefronts import (
    active_strike_count,
    complaints_naming,
    end_active_strikes,
    storefronts,
    strikes_of,
)
from storage.vocabulary import AuditEntity, Channel, ItemKind, NoticeKind, Platform, StorefrontStatus

LINK = Option("link", N_("the storefront's link, e.g. https://shop123456.taobao.com"), required=True)
NOTE = Option("note", N_("why, for the audit log and the notice"), keyword=True)

group(
    "store",
    summary=N_("storefront strikes, closure and reinstatement"),
    order=("show", "strike", "close", "reinstate", "refer", "referral", "list"),
)


@command(
    "store show",
    summary=N_("a storefront's status, strikes and the complaints naming it"),
    options=(LINK,),
    reads_only=True,
)
def store_show(ctx: Context, args: Args, session: Session) -> Reply:
    """store show <store link>
    To ask for a storefront's removal, file its link with `complaint`.
    Example: store show https://shop123456.taobao.com"""
    args.check_options()
    return _show(ctx, session, storefront_link_of(args, "store show"))


@command(
    "store strike", summary=N_("record a serious counterfeit finding against a storefront (team)"),
    roles=STAFF, action=N_("strike storefronts"), options=(LINK, NOTE),
)  # fmt: skip
def store_strike(ctx: Context, args: Args, session: Session) -> Reply:
    """store strike <store link> [note="..."]
    Strikes expire after a year; at the platform's threshold the team may close the storefront.
    Example: store strike https://shop123456.taobao.com note="third counterfeit batch"
    """
    args.check_options("note")
    link, note = storefront_link_of(args, "store strike"), args.note()
    ids, _created = ensure_targets(
        session, link.key.platform, ItemKind.STOREFRONT, {link.key.external_id: link.canonical_url}, ctx.now
    )
    storefront = locked(session, Storefront, ids[link.key.external_id])
    assert storefront is not None and storefront.id is not None
    strikes = add_strike(session, ctx, storefront, None, note)
    record_change(session, ctx, AuditEntity.STOREFRONT, storefront.id, "strike", note=note)
    threshold = ctx.rules.strike_threshold(link.key.platform)
    return Reply(
        _("Strike recorded: {link} has {count} of the {threshold} that close it.", link=storefront.canonical_url,
          count=strikes, threshold=threshold)
    )  # fmt: skip


@command(
    "store close", summary=N_("close a storefront for good (team)"),
    roles=STAFF, action=N_("close storefronts"), options=(LINK, NOTE),
)  # fmt: skip
def store_close(ctx: Context, args: Args, session: Session) -> Reply:
    """store close <store link> [note="..."]
    Allowed at the platform's strike threshold or after accepted raid evidence.
    Example: store close https://shop123456.taobao.com"""
    args.check_options("note")
    return _close(ctx, session, known(session, storefront_link_of(args, "store close")), args.note())


@command(
    "store reinstate", summary=N_("reopen a closed storefront after an upheld appeal (team)"),
    roles=STAFF, action=N_("reinstate storefronts"), options=(LINK, NOTE),
)  # fmt: skip
def store_reinstate(ctx: Context, args: Args, session: Session) -> Reply:
    """store reinstate <store link> [note="..."]
    The strikes recorded before the reinstatement no longer count toward closing it again; they stay in its history.
    Example: store reinstate https://shop123456.taobao.com note="appeal upheld"
    """
    args.check_options("note")
    return _reinstate(ctx, session, known(session, storefront_link_of(args, "store reinstate")), args.note())


@command(
    "store list", summary=N_("storefronts, most struck first (team)"), roles=STAFF, action=N_("list storefronts"),
    options=(
        Option("closed", N_("only closed storefronts"), OptionKind.CHOICE, choices=("closed",)),
        Option("platform", N_("only this marketplace"), OptionKind.PLATFORM, keyword=True),
    ),
)  # fmt: skip
def store_list(ctx: Context, args: Args, session: Session) -> Reply:
    """store list [closed] [platform=<name>]
    Example: store list closed platform=aliexpress"""
    args.check_options("platform")
    if args.words and args.words[0].lower() != "closed":
        raise UserError(
            _("I did not expect '{word}' there.", word=args.words[0]),
            hint=_("`help {command}` shows the usage.", command="store list"),
        )
    args.no_more_words(1, "store list")
    return _list(ctx, session, args)


def storefront_link_of(args: Args, usage: str) -> ParsedLink:
    link = _storefront_link(args.word(0, _("storefront link")))
    if len(args.words) > 1 and usage != "store referral":
        args.no_more_words(1, usage)
    return link


def _storefront_link(text: str) -> ParsedLink:
    result = parse_link(text)
    if not isinstance(result, ParsedLink):
        raise UserError(_("'{text}' is not a storefront link: {reason}.", text=text, reason=result.reason))
    if result.key.kind is not ItemKind.STOREFRONT:
        raise UserError(
            _("{link} is a listing, not a storefront.", link=result.canonical_url),
            hint=_("Paste the store's link, e.g. https://shop123456.taobao.com."),
        )
    return result


def known(session: Session, link: ParsedLink, *, for_update: bool = True) -> Storefront:
    """The storefront of a link; locked until the transaction ends unless only read (`storage.locks`)."""
    storefront = storefront_by_key(session, link.key.platform, link.key.external_id, for_update=for_update)
    if storefront is None:
        raise _unknown(link)
    return storefront


def _unknown(link: ParsedLink) -> NotFound:
    return NotFound(_("{link} is not known yet: no complaint or strike names it.", link=link.canonical_url))


def _show(ctx: Context, session: Session, link: ParsedLink) -> Reply:
    scope = None if ctx.is_staff else ctx.require_organisation()
    storefront = known(session, link, for_update=False)
    assert storefront.id is not None
    pursued_only_by_others = (
        scope is not None
        and complaints_naming(session, storefront.id, scope) == 0
        and complaints_naming(session, storefront.id, None) > 0
    )
    if pursued_only_by_others:  # which storefronts other organisations pursue is theirs to know
        raise _unknown(link)
    zone = ctx.rules.timezone
    strikes = strikes_of(session, storefront.id)
    reply = Reply(f"{storefront.canonical_url} · {storefront.status}")
    naming = complaints_naming(session, storefront.id, scope)
    reply.fields = [(_("Platform"), Platform(storefront.platform).label)]
    pursuit = sees_pursuit(session, ctx, storefront)
    if pursuit:
        active = active_strike_count(session, storefront.id, ctx.now)
        threshold = ctx.rules.strike_threshold(Platform(storefront.platform))
        reply.fields.append(
            (_("Active strikes"), _("{count} (closes at {threshold})", count=active, threshold=threshold))
        )
    reply.fields.append(
        (_("Complaints naming it"), str(naming) if ctx.is_staff else _("{count} of yours", count=naming))
    )
    if storefront.closed_at:
        reply.fields.append((_("Closed"), local_time(storefront.closed_at, zone)))
    reinstated_at = reinstatements(session, storefront, len(strikes))
    if reinstated_at and storefront.status == StorefrontStatus.ACTIVE:
        closed, reinstated = reinstated_at[-1]
        when = local_time(reinstated, zone)
        if closed is not None:
            when = _("{when} (closed {closed})", when=when, closed=local_time(closed, zone))
        reply.fields.append((_("Reinstated"), when))
    if pursuit and storefront.rogueblock_status:
        referred = local_time(storefront.rogueblock_referred_at, zone)
        reply.fields.append(
            ("RogueBlock", _("{status} (referred {when})", status=storefront.rogueblock_status, when=referred))
        )
    if ctx.is_staff:
        # A reinstatement ends the strikes then active at its very moment (`end_active_strikes`).
        ended_by = {in_utc(reinstated) for _closed, reinstated in reinstated_at}
        for strike in strikes:
            said = {
                "when": local_time(strike.created_at, zone),
                "who": strike.recorded_by,
                "until": local_time(strike.expires_at, zone),
            }
            if strike.expires_at > ctx.now:
                reply.lines.append(_("strike {when} by {who}, active until {until}", **said))
            elif in_utc(strike.expires_at) in ended_by:
                reply.lines.append(
                    _("strike {when} by {who}, no longer counts: the store was reinstated on {until}", **said)
                )
            else:
                reply.lines.append(_("strike {when} by {who}, expired {until}", **said))
    return reply


def _close(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    why_not = closure_refusal(session, ctx, storefront)
    if why_not:
        raise UserError(_("{link} cannot be closed: {why}.", link=storefront.canonical_url, why=why_not))
    _set_status(ctx, session, storefront, StorefrontStatus.CLOSED, note)
    reply = Reply(_("Closed {link} (permanently banned).", link=storefront.canonical_url))

    def text() -> str:
        return because(
            _("Storefront closed: {link} ({platform})", link=storefront.canonical_url,
              platform=Platform(storefront.platform).label),
            note,
        )  # fmt: skip

    reply.notices += [
        localized(lambda: Notice(channel=Channel.TEAM, kind=NoticeKind.STOREFRONT_CLOSED, text=text())),
        localized(lambda: Notice(channel=Channel.OUTCOMES, kind=NoticeKind.STOREFRONT_CLOSED, text=text())),
    ]
    return reply


def _reinstate(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    if storefront.status != StorefrontStatus.CLOSED:
        raise UserError(_("{link} is not closed.", link=storefront.canonical_url))
    _set_status(ctx, session, storefront, StorefrontStatus.ACTIVE, note)
    assert storefront.id is not None
    # The appeal undid the closure, so the strikes behind it end now: a fresh start, with the history kept.
    ended = end_active_strikes(session, storefront.id, ctx.now)
    reply = Reply(_("Reinstated {link} after an upheld appeal.", link=storefront.canonical_url))
    if ended:
        reply.lines.append(
            ngettext(
                "Its {count} strike no longer counts toward closing it again; it stays in its history (`store show`).",
                "Its {count} strikes no longer count toward closing it again; they stay in its history (`store show`).",
                ended,
            )
        )
    reply.notices.append(
        localized(
            lambda: Notice(
                channel=Channel.TEAM, kind=NoticeKind.STOREFRONT_REINSTATED,
                text=because(_("Storefront reinstated on appeal: {link}", link=storefront.canonical_url), note),
            )
        )
    )  # fmt: skip
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
    record_change(
        session, ctx, AuditEntity.STOREFRONT, storefront.id, "status", from_status=before, to_status=status, note=note
    )


def because(text: str, note: str | None) -> str:
    """`text` ending with the note it was given for, or a full stop."""
    return _("{text}: {note}", text=text, note=note) if note else _("{text}.", text=text)


def _list(ctx: Context, session: Session, args: Args) -> Reply:
    closed = bool(args.words)
    platform = parse_platform(args.options["platform"]) if args.option("platform") else None
    rows = storefronts(session, closed=closed, platform=platform, now=ctx.now)
    if not rows:
        return Reply(_("No storefronts match."))
    if closed:
        heading = ngettext("{count} storefront closed, most struck first:",
                           "{count} storefronts closed, most struck first:", len(rows))  # fmt: skip
    else:
        heading = ngettext("{count} storefront, most struck first:", "{count} storefronts, most struck first:",
                           len(rows))  # fmt: skip
    reply = Reply(heading)
    reply.lines = [
        f"{store.canonical_url} · {store.status} · " + ngettext("{count} strike", "{count} strikes", count)
        for store, count in rows
    ]
    return reply
