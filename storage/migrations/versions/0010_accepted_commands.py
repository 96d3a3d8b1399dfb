"""accepted commands kept until answered

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

A chat platform does not send an acknowledged request again. Each command is written here before
it is acknowledged and marked done once answered, so a command whose process died in between is
found and finished by another.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCEPTED = sa.text("status = 'accepted'")


def upgrade() -> None:
    op.create_table(
        "accepted_command",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("response_url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column(
            "status", sa.Enum("accepted", "done", name="intakestatus", native_enum=False, length=16), nullable=False
        ),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('accepted', 'done')", name=op.f("ck_accepted_command_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accepted_command")),
        sa.UniqueConstraint("request_key", name=op.f("uq_accepted_command_request_key")),
    )
    with op.batch_alter_table("accepted_command", schema=None) as batch_op:
        for column in ("lease_until", "owner"):
            batch_op.create_index(
                batch_op.f(f"ix_accepted_command_{column}"),
                [column],
                sqlite_where=ACCEPTED,
                postgresql_where=ACCEPTED,
            )


def downgrade() -> None:
    with op.batch_alter_table("accepted_command", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accepted_command_owner"))
        batch_op.drop_index(batch_op.f("ix_accepted_command_lease_until"))
    op.drop_table("accepted_command")
