"""the case record: relayed messages, and the time to each item's first decision

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

A case's notices are indexed by case, for its timeline. Messages relayed in a case's threads
(brand to team and back) are kept whole as part of the case, so its timeline shows them with
who wrote them. Each item keeps the seconds from its report to its
first decision, with indexes that give the service figures per platform (shares decided within
24 and 72 hours, the median time to a first decision) from the indexes alone. Items decided
before this revision get their time from the decision already recorded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECISION_TIMED = "decision_seconds IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "case_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("side IN ('brand', 'team')", name=op.f("ck_case_message_side")),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_case_message_complaint_id_complaint"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_message")),
    )
    with op.batch_alter_table("case_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_message_complaint_id_at"), ["complaint_id", "at"], unique=False)
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_case_id_created_at"), ["case_id", "created_at"], unique=False)
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_seconds", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        elapsed = "CAST(EXTRACT(EPOCH FROM decided_at - reported_at) AS INTEGER)"
    else:
        elapsed = "CAST(ROUND((julianday(decided_at) - julianday(reported_at)) * 86400) AS INTEGER)"
    op.execute(f"UPDATE complaint_item SET decision_seconds = {elapsed} WHERE decided_at IS NOT NULL")
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_item_service", ["reported_month", "platform", "decision_seconds"])
        batch_op.create_index(
            "ix_complaint_item_service_org", ["organisation_id", "reported_month", "platform", "decision_seconds"]
        )
        batch_op.create_index(
            "ix_complaint_item_decision_time",
            ["platform", "decision_seconds", "reported_month"],
            sqlite_where=sa.text(DECISION_TIMED),
            postgresql_where=sa.text(DECISION_TIMED),
        )
        batch_op.create_index(
            "ix_complaint_item_decision_time_org",
            ["organisation_id", "platform", "decision_seconds", "reported_month"],
            sqlite_where=sa.text(DECISION_TIMED),
            postgresql_where=sa.text(DECISION_TIMED),
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_item_decision_time_org")
        batch_op.drop_index("ix_complaint_item_decision_time")
        batch_op.drop_index("ix_complaint_item_service_org")
        batch_op.drop_index("ix_complaint_item_service")
        batch_op.drop_column("decision_seconds")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_case_id_created_at"))
    with op.batch_alter_table("case_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_message_complaint_id_at"))
    op.drop_table("case_message")
