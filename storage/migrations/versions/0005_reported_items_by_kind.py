"""reported items counted by kind from the index alone

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

The figures count listings and storefronts reported apart (per month, per organisation). The
indexes on the reported month gain the item's kind, so those counts stay index-only scans at
millions of items instead of reading every item row.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_item_reported_month"))
        batch_op.drop_index(batch_op.f("ix_complaint_item_organisation_id_reported_month"))
        batch_op.create_index(batch_op.f("ix_complaint_item_reported_month_kind"), ["reported_month", "kind"])
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_reported_month_kind"),
            ["organisation_id", "reported_month", "kind"],
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_item_organisation_id_reported_month_kind"))
        batch_op.drop_index(batch_op.f("ix_complaint_item_reported_month_kind"))
        batch_op.create_index(batch_op.f("ix_complaint_item_reported_month"), ["reported_month"])
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_reported_month"), ["organisation_id", "reported_month"]
        )
