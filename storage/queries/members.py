"""Organisations, members and their rights."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from storage.models import Application, ChannelMapping, IPRight, Member, Organisation
from storage.vocabulary import RightStatus, dm_recipient


def member_by_identity(session: Session, platform: str, user_id: str) -> Member | None:
    return session.exec(select(Member).where(Member.platform == platform, Member.user_id == user_id)).first()


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.slug == slug.lower())).first()


def organisations(session: Session) -> list[Organisation]:
    return list(session.exec(select(Organisation).order_by(col(Organisation.slug))).all())


def members_of(session: Session, organisation_id: int) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .where(Member.organisation_id == organisation_id, col(Member.active))
            .order_by(col(Member.platform), col(Member.user_id))
        ).all()
    )


def rights_of(session: Session, organisation_id: int) -> list[IPRight]:
    return list(
        session.exec(select(IPRight).where(IPRight.organisation_id == organisation_id).order_by(col(IPRight.id))).all()
    )


def usable_rights(session: Session, organisation_id: int, today: date) -> list[IPRight]:
    """Verified rights that have not expired: the only ones a complaint may rely on."""
    return [
        right
        for right in rights_of(session, organisation_id)
        if right.status == RightStatus.VERIFIED and (right.expires_on is None or right.expires_on >= today)
    ]


def channel_mappings(session: Session, platform: str | None = None) -> list[ChannelMapping]:
    query = select(ChannelMapping).order_by(col(ChannelMapping.platform), col(ChannelMapping.logical_name))
    if platform is not None:
        query = query.where(ChannelMapping.platform == platform)
    return list(session.exec(query).all())


def channel_mapping(
    session: Session, platform: str, logical_name: str, *, for_update: bool = False
) -> ChannelMapping | None:
    """A logical channel's mapping on a platform; with `for_update`, locked until the transaction ends."""
    query = select(ChannelMapping).where(
        ChannelMapping.platform == platform, ChannelMapping.logical_name == logical_name
    )
    return session.exec(query.with_for_update() if for_update else query).first()


def member_language(session: Session, platform: str, user_id: str) -> str | None:
    """The language a chat identity chose (`lang zh`), or None."""
    return session.exec(select(Member.language).where(Member.platform == platform, Member.user_id == user_id)).first()


def applicant_language(session: Session, platform: str, user_id: str) -> str | None:
    """The language a chat identity read when it last applied to the program, or None."""
    return session.exec(
        select(Application.language)
        .where(
            Application.applicant_platform == platform,
            Application.applicant_user_id == user_id,
            col(Application.language).is_not(None),
        )
        .order_by(col(Application.id).desc())
    ).first()


def channel_language(session: Session, platform: str, external_id: str) -> str | None:
    """The language of a mapped channel (`admin channel ... lang=zh`), or None."""
    return session.exec(
        select(ChannelMapping.language).where(
            ChannelMapping.platform == platform, ChannelMapping.external_id == external_id
        )
    ).first()


def notice_language(session: Session, platform: str, logical: str) -> str | None:
    """The language notices to a logical channel are posted in on `platform`: a direct message's
    recipient's choice, else the language they applied in (an applicant is no member yet, and their
    platform's locale is known only while they write); a channel's language as mapped on `platform`
    (None when mapped without one); for a platform with no mapping of it (the console), the language
    it has on another platform."""
    recipient = dm_recipient(logical)
    if recipient is not None:
        return member_language(session, *recipient) or applicant_language(session, *recipient)
    rows = session.exec(
        select(ChannelMapping.platform, ChannelMapping.language).where(ChannelMapping.logical_name == logical)
    ).all()
    languages = dict(rows)
    if platform in languages:
        return languages[platform]
    return next((language for language in languages.values() if language is not None), None)
