"""`store refer` and `store referral`: a closed storefront's seller referred to RogueBlock, IACC's
payment-processor program, and RogueBlock's answer."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.storefronts import LINK, NOTE, because, known, storefront_link_of
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, OptionKind, command
from handlers.kit.replies import Notice, Reply
from storage.models import Storefront
from storage.vocabulary import AuditEntity, Channel, NoticeKind, Platform, RogueBlockStatus, StorefrontStatus

ANSWERS = ("accepted", "declined")


@command(
    "store refer", summary="refer a closed storefront's seller to RogueBlock (team)",
    roles=STAFF, action="refer storefronts", options=(LINK, NOTE),
)  # fmt: skip
def store_refer(ctx: Context, args: Args, session: Session) -> Reply:
    """store refer <store link> [note="..."]
    RogueBlock is IACC's payment-processor program; only closed storefronts' sellers are referred, once.
    Example: store refer https://shop123456.taobao.com"""
    args.check_options("note")
    return _refer(ctx, session, known(session, storefront_link_of(args, "store refer")), args.note())


@command(
    "store referral", summary="record RogueBlock's answer to a referral (team)", roles=STAFF,
    action="record RogueBlock answers",
    options=(LINK, Option("answer", "RogueBlock's answer", OptionKind.CHOICE, True, choices=ANSWERS), NOTE),
)  # fmt: skip
def store_referral(ctx: Context, args: Args, session: Session) -> Reply:
    """store referral <store link> accepted|declined [note="..."]
    Example: store referral https://shop123456.taobao.com accepted"""
    args.check_options("note")
    storefront = known(session, storefront_link_of(args, "store referral"))
    answer = args.word(1, "RogueBlock's answer (accepted or declined)", usage="store referral")
    args.no_more_words(2, "store referral")
    return _referral(ctx, session, storefront, parse_enum(RogueBlockStatus, answer, "RogueBlock answer"), args.note())


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
        session,
        ctx,
        AuditEntity.STOREFRONT,
        storefront.id,
        "rogueblock",
        to_status=RogueBlockStatus.REFERRED,
        note=note,
    )
    text = f"Referred to RogueBlock: the seller of {storefront.canonical_url} ({Platform(storefront.platform).label})"
    reply = Reply(f"Referred the seller of {storefront.canonical_url} to RogueBlock.")
    reply.notices.append(
        Notice(channel=Channel.ROGUEBLOCK, kind=NoticeKind.ROGUEBLOCK_REFERRAL, text=text + because(note))
    )
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
        AuditEntity.STOREFRONT,
        storefront.id,
        "rogueblock",
        from_status=RogueBlockStatus.REFERRED,
        to_status=answer,
        note=note,
    )
    reply = Reply(f"RogueBlock {answer} the referral of {storefront.canonical_url}.")
    reply.notices.append(
        Notice(channel=Channel.ROGUEBLOCK, kind=NoticeKind.ROGUEBLOCK_ANSWER, text=reply.text[:-1] + because(note))
    )
    return reply
