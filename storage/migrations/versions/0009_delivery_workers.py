"""delivery workers' heartbeats and claims by worker

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

Each delivery worker beats a row every few seconds and marks the deliveries it claims with its
id, so the claims of a worker that died are taken over in seconds instead of after a lease of
minutes. A delivery keeps when its first attempt that may have reached the platform began, so
the lookup that precedes a second post reads the channel from that moment on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_worker",
        sa.Column("worker_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_delivery_worker")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column("first_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("first_attempt_at")
        batch_op.drop_column("claimed_by")
    op.drop_table("delivery_worker")
