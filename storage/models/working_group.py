"""The working group: proposals and best practices with their votes, meetings' decisions, and
which team members act for which marketplace platform."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models._base import one_of, stored_as_text, utcnow
from storage.vocabulary import Platform, ProposalKind, ProposalStatus


class Proposal(SQLModel, table=True):
    """Input on the program (a proposal the team decides on) or a best practice (shared)."""

    __table_args__ = (
        one_of("kind", ProposalKind),
        one_of("status", ProposalStatus),
        Index(None, "kind", "status", "created_at"),
        UniqueConstraint("kind", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    # Its number among its kind: proposals and best practices each count from 1 (P-0001, BP-0001).
    # Rows from before revision 0003 kept their id as their number, so their references still hold.
    number: int
    member_id: int = Field(foreign_key="member.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    title: str = Field(max_length=200)
    text: str = Field(max_length=4000)
    # Comma-separated tags such as "taobao,handbags".
    tags: str = Field(default="", max_length=300)
    status: ProposalStatus = Field(sa_type=stored_as_text(ProposalStatus, 16))
    decision_note: str | None = Field(default=None, max_length=1000)
    decided_by: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def reference(self) -> str:
        return f"{'P' if self.kind == ProposalKind.PROPOSAL else 'BP'}-{self.number:04d}"


class ProposalVote(SQLModel, table=True):
    """One member's vote on one proposal or practice: for (+1) or against (-1), changeable."""

    __tablename__ = "proposal_vote"
    __table_args__ = (
        UniqueConstraint("proposal_id", "member_id"),
        CheckConstraint("value IN (-1, 1)", name="value"),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    value: int
    updated_at: datetime = Field(default_factory=utcnow)


class MeetingDecision(SQLModel, table=True):
    """A decision recorded after a working-group meeting (a milestone of kind meeting)."""

    __tablename__ = "meeting_decision"

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id")
    text: str = Field(max_length=2000)
    recorded_by: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class PlatformAssignment(SQLModel, table=True):
    """A team member who acts on one marketplace platform's cases."""

    __tablename__ = "platform_assignment"
    __table_args__ = (UniqueConstraint("member_id", "platform"), one_of("platform", Platform))

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
