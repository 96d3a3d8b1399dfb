"""best practices numbered apart from proposals

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

A proposal's or best practice's reference (P-0001, BP-0001) was its row id, so both kinds shared
one sequence and the first practice could be BP-0004. Each row now has a number among its kind,
unique per kind. Rows already stored keep their id as their number: every reference already
posted in chat (and on its vote buttons) still names the same item. New items take the next
number of their kind, so a database with P-0001 to P-0003 and BP-0004 goes on with P-0004 and
BP-0005, and a new database starts at P-0001 and BP-0001.

A downgrade drops the numbers: references are the ids again, so items numbered after the
upgrade change reference.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    op.execute("UPDATE proposal SET number = id")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_proposal_kind_number"), ["kind", "number"])


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_proposal_kind_number"), type_="unique")
        batch_op.drop_column("number")
