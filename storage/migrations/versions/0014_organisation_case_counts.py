"""an organisation's open cases counted from an index

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30

`cases open` for one organisation and its App Home count the organisation's open cases beside
the page. The index on the organisation and the filing time made that count read every case's
row for its status; an index on the organisation, the status and the filing time counts them
from the index alone, and still hands a page over newest first for each status.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_organisation_id_status_created_at"), ["organisation_id", "status", "created_at"]
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_organisation_id_status_created_at"))
