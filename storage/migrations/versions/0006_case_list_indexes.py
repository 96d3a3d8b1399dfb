"""case lists read newest first from an index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

`cases` for the team lists every case newest first, and `cases mine` a team member's cases
newest first. Both sorted the whole table on each page; these indexes hand the rows over in
order, so a page costs its own rows and the walk to its offset. The index on the assignee alone
is replaced by one on the assignee, the filing time and the status, which serves the same
look-ups and counts a member's open cases from the index alone.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_assigned_to_id"))
        batch_op.create_index(
            batch_op.f("ix_complaint_assigned_to_id_created_at_status"), ["assigned_to_id", "created_at", "status"]
        )
        batch_op.create_index(batch_op.f("ix_complaint_created_at_id"), ["created_at", "id"])


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_created_at_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_assigned_to_id_created_at_status"))
        batch_op.create_index(batch_op.f("ix_complaint_assigned_to_id"), ["assigned_to_id"])
