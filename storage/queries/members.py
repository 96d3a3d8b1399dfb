"""Organisations, members and their rights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.direct import Direct
from storage.models import Application, ChannelMapping, IPRight, Member, Organisation
from storage.vocabulary import Language, RightStatus, Role, dm_recipient


def member_by_identity(session: Session, platform: str, user_id: str) -> Member | None:
    return session.exec(select(Member).where(Member.platform == platform, Member.user_id == user_id)).first()


def settings_admin_record(session: Session, platform: str, user_id: str) -> Member:
    """The record of an admin the settings name, written the first time they are seen or named:
    inactive and with no role of its own, so it grants nothing once the settings no longer name them."""
    member = member_by_identity(session, platform, user_id)
    if member is None:
        member = Member(platform=platform, user_id=user_id, role=Role.MEMBER, active=False)
        session.add(member)
        session.flush()
    return member


@dataclass(frozen=True, slots=True)
class Identity:
    """What every command needs of its caller's membership, read in one statement."""

    member_id: int
    role: Role
    active: bool
    language: Language | None
    organisation_id: int | None
    organisation_slug: str | None


_MEMBER, _ORGANISATION = Member.__table__, Organisation.__table__  # type: ignore[attr-defined]
# Every command reads its caller's membership with it.
_IDENTITY = Direct(
    select_columns(
        _MEMBER.c.id, _MEMBER.c.role, _MEMBER.c.active, _MEMBER.c.language, _MEMBER.c.organisation_id,
        _ORGANISATION.c.slug,
    )
    .select_from(_MEMBER.outerjoin(_ORGANISATION, _ORGANISATION.c.id == _MEMBER.c.organisation_id))
    .where(_MEMBER.c.platform == bindparam("platform"), _MEMBER.c.user_id == bindparam("user_id"))
)  # fmt: skip


def identity_of(session: Session, platform: str, user_id: str) -> Identity | None:
    """The chat identity's membership and organisation, or None when it is not on record."""
    row = _IDENTITY.first(session.connection(), {"platform": platform, "user_id": user_id})
    if row is None:
        return None
    return Identity(int(row[0]), Role(row[1]), bool(row[2]), Language(row[3]) if row[3] else None, row[4], row[5])


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


# Built once: every complaint chooses its right among these.
_RIGHTS = select(IPRight).where(col(IPRight.organisation_id) == bindparam("organisation_id")).order_by(col(IPRight.id))


def rights_of(session: Session, organisation_id: int) -> list[IPRight]:
    """The organisation's rights, in the order they were added."""
    return list(session.exec(_RIGHTS, params={"organisation_id": organisation_id}).all())


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


_LANGUAGE = Direct(
    select_columns(_MEMBER.c.language).where(
        _MEMBER.c.platform == bindparam("platform"), _MEMBER.c.user_id == bindparam("user_id")
    )
)


def member_language(connection: Connection, platform: str, user_id: str) -> str | None:
    """The language a chat identity chose (`lang zh`), or None. Read for every busy acknowledgement
    (`bot.slack.intake`), on the transaction's connection."""
    chosen = _LANGUAGE.scalar(connection, {"platform": platform, "user_id": user_id})
    return str(chosen) if chosen is not None else None


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
        return member_language(session.connection(), *recipient) or applicant_language(session, *recipient)
    rows = session.exec(
        select(ChannelMapping.platform, ChannelMapping.language).where(ChannelMapping.logical_name == logical)
    ).all()
    languages = dict(rows)
    if platform in languages:
        return languages[platform]
    return next((language for language in languages.values() if language is not None), None)
