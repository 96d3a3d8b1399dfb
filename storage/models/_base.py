"""Shared column helpers and the metadata naming convention used by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Enum
from sqlmodel import SQLModel

from storage.vocabulary import DM_PREFIX, ORG_PREFIX, Channel

# Stable constraint names, so migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_of(column: str, vocabulary: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK constraint that keeps `column` inside a closed vocabulary."""
    allowed = ", ".join(f"'{member.value}'" for member in vocabulary)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=column)


def stored_as_text(vocabulary: type[StrEnum], length: int) -> Enum:
    """Column type of a closed vocabulary: each member's value in a VARCHAR(length), read back as the member.

    Neither a native enum type nor a constraint of its own: the schema stays the plain string column
    that `one_of` checks, so typing a column this way needs no migration.
    """
    return Enum(
        vocabulary,
        length=length,
        native_enum=False,
        create_constraint=False,
        values_callable=lambda members: [member.value for member in members],
    )


def logical_channel(column: str) -> CheckConstraint:
    """A CHECK constraint that keeps `column` a logical channel: a fixed one, `org:<slug>` or `dm:<platform>:<user>`."""
    fixed = ", ".join(f"'{channel.value}'" for channel in Channel)
    # substr rather than LIKE: LIKE ignores letter case on SQLite but not on PostgreSQL.
    prefixed = " OR ".join(f"substr({column}, 1, {len(prefix)}) = '{prefix}'" for prefix in (ORG_PREFIX, DM_PREFIX))
    return CheckConstraint(f"{column} IN ({fixed}) OR {prefixed}", name=column)
