"""Organisations, their members on each chat platform, their IP rights and channel mappings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import logical_channel, one_of, stored_as_text, utcnow
from storage.vocabulary import CompanySize, Language, RightKind, RightStatus, Role


class Organisation(SQLModel, table=True):
    """A rights-holder, or a representative acting for one."""

    __table_args__ = (one_of("size_band", CompanySize, nullable=True),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2)
    region: str | None = Field(default=None, max_length=40)
    size_band: str | None = Field(default=None, max_length=10)
    iacc_member: bool = False
    good_faith: bool = False
    represents: str | None = Field(default=None, max_length=200)
    authorisation_sha256: str | None = Field(default=None, max_length=64)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Member(SQLModel, table=True):
    """A chat identity (platform + user id) and its role, in at most one organisation."""

    __table_args__ = (
        UniqueConstraint("platform", "user_id"),
        one_of("role", Role),
        one_of("language", Language, nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    display_name: str | None = Field(default=None, max_length=120)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    role: Role = Field(sa_type=stored_as_text(Role, 16))
    # A removed member keeps its row (its complaints and audit entries name it) but no access.
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # The member's own choice (`lang zh`); None: the platform's locale, else the program's language.
    language: Language | None = Field(default=None, sa_type=stored_as_text(Language, 8))


class IPRight(SQLModel, table=True):
    """A trademark, copyright or patent an organisation holds; complaints rely on one."""

    __tablename__ = "ip_right"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "jurisdiction", "registration_number"),
        one_of("kind", RightKind),
        one_of("status", RightStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=16)
    mark: str = Field(max_length=200)
    registration_number: str = Field(max_length=64)
    jurisdiction: str = Field(max_length=8)
    classes: str | None = Field(default=None, max_length=200)
    expires_on: date | None = None
    status: RightStatus = Field(default=RightStatus.PENDING, sa_type=stored_as_text(RightStatus, 16))
    luxury: bool = False
    verified_by: str | None = Field(default=None, max_length=100)
    verified_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ChannelMapping(SQLModel, table=True):
    """Where a logical channel (`team`, `org:acme`, ...) lives on one chat platform."""

    __tablename__ = "channel_mapping"
    __table_args__ = (
        UniqueConstraint("platform", "logical_name"),
        logical_channel("logical_name"),
        one_of("language", Language, nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    logical_name: str = Field(max_length=60)
    external_id: str = Field(max_length=64)
    # The language of notices posted there; None: the program's language.
    language: Language | None = Field(default=None, sa_type=stored_as_text(Language, 8))
    updated_by: str = Field(max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)
