"""The program around complaints: applications, the calendar, raid evidence, language help."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import logical_channel, one_of, stored_as_text, utcnow
from storage.vocabulary import (
    ApplicationStatus,
    CompanySize,
    Language,
    LanguageRequestStatus,
    MilestoneKind,
    RaidStatus,
)


class Application(SQLModel, table=True):
    """A company's application to the program, queued in its group in order of arrival."""

    __table_args__ = (
        one_of("status", ApplicationStatus),
        one_of("size_band", CompanySize),
        one_of("language", Language, nullable=True),
        Index(None, "group_key", "arrival_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    applicant_platform: str = Field(max_length=16)
    applicant_user_id: str = Field(max_length=64)
    legal_name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    country: str = Field(max_length=2)
    region: str = Field(max_length=40)
    size_band: str = Field(max_length=10)
    contact: str = Field(max_length=200)
    is_rights_holder: bool
    represents: str | None = Field(default=None, max_length=200)
    authorisation_sha256: str | None = Field(default=None, max_length=64)
    good_faith: bool = False
    marks: str = Field(max_length=1000)
    group_key: str = Field(max_length=60)
    arrival_seq: int
    status: ApplicationStatus = Field(
        default=ApplicationStatus.SUBMITTED, sa_type=stored_as_text(ApplicationStatus, 16)
    )
    status_reason: str | None = Field(default=None, max_length=500)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    submitted_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # The language the applicant read when applying (their choice, else their platform's locale):
    # the direct messages about the application read it. None (older rows): the program's language.
    language: Language | None = Field(default=None, sa_type=stored_as_text(Language, 8))


class ApplicationGroup(SQLModel, table=True):
    """Seats for one group (region x company size) of an application round."""

    __tablename__ = "application_group"

    group_key: str = Field(primary_key=True, max_length=60)
    seats: int = Field(ge=0)
    updated_by: str = Field(max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class Milestone(SQLModel, table=True):
    """A dated step of the program calendar with its reminder offsets."""

    __table_args__ = (one_of("kind", MilestoneKind), Index(None, "at"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    title: str = Field(max_length=200)
    at: datetime
    timezone: str = Field(max_length=64)
    # Minutes before `at`, comma separated, e.g. "10080,1440,60,0".
    reminder_offsets: str = Field(default="10080,1440,60,0", max_length=200)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class Reminder(SQLModel, table=True):
    """A reminder a member set for themselves or a channel: once, or on a weekly/daily rule."""

    __table_args__ = (Index(None, "member_id", "active"), Index(None, "active", "next_at"), logical_channel("target"))

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    # Where it is posted: a logical channel (`team`, `org:acme`) or `dm:<platform>:<user id>`.
    target: str = Field(max_length=100)
    text: str = Field(max_length=1000)
    # The first (or only) time it fires, in UTC.
    first_at: datetime
    # None for once; "weekly:<0-6>:<HH:MM>" (Monday is 0) or "daily:<HH:MM>", local to `timezone`.
    recurrence: str | None = Field(default=None, max_length=40)
    timezone: str = Field(max_length=64)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # The scheduler's: the next occurrence not yet posted or reported missed (UTC). Null until the
    # scheduler has planned the reminder, and once a one-off is done.
    next_at: datetime | None = None


class RaidEvidence(SQLModel, table=True):
    """Evidence from a civil raid, submitted for seller penalties."""

    __tablename__ = "raid_evidence"
    __table_args__ = (one_of("status", RaidStatus),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    submitted_by_id: int = Field(foreign_key="member.id")
    raid_date: date
    authority: str = Field(max_length=200)
    authority_case_number: str = Field(max_length=100)
    status: RaidStatus = Field(default=RaidStatus.SUBMITTED, sa_type=stored_as_text(RaidStatus, 20))
    decision_note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def reference(self) -> str:
        """RAID-000012: how members and the team name it, and its thread's key."""
        assert self.id is not None
        return f"RAID-{self.id:06d}"


class RaidStorefront(SQLModel, table=True):
    """A storefront named by raid evidence."""

    __tablename__ = "raid_storefront"
    __table_args__ = (UniqueConstraint("raid_id", "storefront_id"),)

    id: int | None = Field(default=None, primary_key=True)
    raid_id: int = Field(foreign_key="raid_evidence.id")
    storefront_id: int = Field(foreign_key="storefront.id", index=True)


class RaidDocument(SQLModel, table=True):
    """A document of raid evidence, kept by name, size and SHA-256 (chain of custody)."""

    __tablename__ = "raid_document"

    id: int | None = Field(default=None, primary_key=True)
    raid_id: int = Field(foreign_key="raid_evidence.id", index=True)
    name: str = Field(max_length=255)
    size_bytes: int
    sha256: str = Field(max_length=64)
    media_type: str = Field(max_length=100)


class LanguageRequest(SQLModel, table=True):
    """A member's request for help with Chinese-language text or a document."""

    __tablename__ = "language_request"
    __table_args__ = (one_of("status", LanguageRequestStatus),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    source_language: str = Field(max_length=8)
    target_language: str = Field(max_length=8)
    text: str | None = Field(default=None, max_length=4000)
    document_name: str | None = Field(default=None, max_length=255)
    document_sha256: str | None = Field(default=None, max_length=64)
    status: LanguageRequestStatus = Field(
        default=LanguageRequestStatus.OPEN, sa_type=stored_as_text(LanguageRequestStatus, 16)
    )
    answer: str | None = Field(default=None, max_length=4000)
    answered_by: str | None = Field(default=None, max_length=100)
    answered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def reference(self) -> str:
        """LR-000012: how members and the language team name it, and its thread's key."""
        assert self.id is not None
        return f"LR-{self.id:06d}"
