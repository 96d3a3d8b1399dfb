"""`store refer` and `store referral`: a closed storefront's seller referred to RogueBlock, IACC's
payment-processor program, and RogueBlock's answer."""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.storefronts import LINK, NOTE, because, known, storefront_link_of
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, localized
from handlers.kit.local_time import local_time
from handlers.kit.registry import STAFF, Option, OptionKind, command
from handlers.kit.replies import Notice, Reply
from storage.models import Storefront
from storage.vocabulary import AuditEntity, Channel, NoticeKind, Platform, RogueBlockStatus, StorefrontStatus

ANSWERS = ("accepted", "declined")


@command(
    "store refer", summary=N_("refer a closed storefront's seller to RogueBlock (team)"),
    roles=STAFF, action=N_("refer storefronts"), options=(LINK, NOTE),
)  # fmt: skip
def store_refer(ctx: Context, args: Args, session: Session) -> Reply:
    """store refer <store link> [note="..."]
    RogueBlock is IACC's payment-processor program; only closed storefronts' sellers are referred, once.
    Example: store refer https://shop123456.taobao.com"""
    args.check_options("note")
    return _refer(ctx, session, known(session, storefront_link_of(args, "store refer")), args.note())


@command(
    "store referral", summary=N_("record RogueBlock's answer to a referral (team)"), roles=STAFF,
    action=N_("record RogueBlock answers"),
    options=(LINK, Option("answer", N_("RogueBlock's answer"), OptionKind.CHOICE, True, choices=ANSWERS), NOTE),
)  # fmt: skip
def store_referral(ctx: Context, args: Args, session: Session) -> Reply:
    """store referral <store link> accepted|declined [note="..."]
    Example: store referral https://shop123456.taobao.com accepted"""
    args.check_options("note")
    storefront = known(session, storefront_link_of(args, "store referral"))
    answer = args.word(1, _("RogueBlock's answer (accepted or declined)"), usage="store referral")
    args.no_more_words(2, "store referral")
    return _referral(ctx, session, storefront, _answer(answer), args.note())


def _answer(text: str) -> RogueBlockStatus:
    """RogueBlock's answer: accepted or declined (`referred` is what `store refer` records)."""
    normalised = text.strip().lower()
    if normalised not in ANSWERS:
        raise UserError(
            _("'{text}' is not a RogueBlock answer.", text=text),
            hint=_("Use one of: {allowed}.", allowed=", ".join(ANSWERS)),
            field="answer",
        )
    return RogueBlockStatus(normalised)


def _refer(ctx: Context, session: Session, storefront: Storefront, note: str | None) -> Reply:
    """Refer a closed storefront's seller to RogueBlock, IACC's payment-processor program."""
    if storefront.status != StorefrontStatus.CLOSED:
        raise UserError(
            _("{link} is not closed: only closed storefronts' sellers are referred.", link=storefront.canonical_url)
        )
    if storefront.rogueblock_status is not None:
        referred = local_time(storefront.rogueblock_referred_at, ctx.rules.timezone)
        raise UserError(
            _("{link} was referred on {when} ({status}).", link=storefront.canonical_url, when=referred,
              status=storefront.rogueblock_status)
        )  # fmt: skip
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
    link, platform = storefront.canonical_url, Platform(storefront.platform).label
    reply = Reply(_("Referred the seller of {link} to RogueBlock.", link=link))
    reply.notices.append(
        localized(
            lambda: Notice(
                channel=Channel.ROGUEBLOCK, kind=NoticeKind.ROGUEBLOCK_REFERRAL,
                text=because(_("Referred to RogueBlock: the seller of {link} ({platform})", link=link,
                               platform=platform), note),
            )
        )
    )  # fmt: skip
    return reply


def _referral(
    ctx: Context, session: Session, storefront: Storefront, answer: RogueBlockStatus, note: str | None
) -> Reply:
    if storefront.rogueblock_status != RogueBlockStatus.REFERRED:
        state = storefront.rogueblock_status or _("not referred")
        raise UserError(
            _(
                "{link} is {state}; answers are accepted or declined, once, after `store refer`.",
                link=storefront.canonical_url,
                state=state,
            )
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
    link = storefront.canonical_url

    def answered() -> str:
        return _("RogueBlock {answer} the referral of {link}", answer=answer, link=link)

    reply = Reply(because(answered(), None))
    reply.notices.append(
        localized(
            lambda: Notice(
                channel=Channel.ROGUEBLOCK, kind=NoticeKind.ROGUEBLOCK_ANSWER, text=because(answered(), note)
            )
        )
    )
    return reply
