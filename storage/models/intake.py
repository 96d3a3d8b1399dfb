"""Commands a chat platform handed over and the bot acknowledged, kept until they are answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, UniqueConstraint, text
from sqlmodel import Column, Field, SQLModel

from storage.models._base import one_of, stored_as_text, utcnow
from storage.vocabulary import IntakeStatus


class AcceptedCommand(SQLModel, table=True):
    """A command acknowledged to its platform, written before the acknowledgement.

    The platform does not send an acknowledged request again, so this row is the only copy of it
    until it is answered. `payload` holds what running it takes (who, the command, where to answer)
    and never a token; `response_url` is the one-off address the answer goes to, kept only until
    the command is done. A process works on the rows it owns and renews `lease_until` while it
    lives; a row whose lease ran out (its owner died, or none was free) is taken by any process.
    """

    __tablename__ = "accepted_command"
    __table_args__ = (
        UniqueConstraint("request_key"),
        one_of("status", IntakeStatus),
        Index(
            None,
            "lease_until",
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
        Index(None, "owner", sqlite_where=text("status = 'accepted'"), postgresql_where=text("status = 'accepted'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    request_key: str = Field(max_length=200)
    payload: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    response_url: str | None = Field(default=None, max_length=1000)
    status: IntakeStatus = Field(default=IntakeStatus.ACCEPTED, sa_type=stored_as_text(IntakeStatus, 16))
    accepted_at: datetime = Field(default_factory=utcnow)
    owner: str | None = Field(default=None, max_length=80)
    lease_until: datetime = Field(default_factory=utcnow)
    # How many processes took it on; one that keeps killing its runner is answered with an apology.
    attempts: int = 0
    finished_at: datetime | None = None
