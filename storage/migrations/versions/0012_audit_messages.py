"""audit messages: the program's notes read in each reader's language; an applicant's language

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

- `audit_entry.note_message`: a note the program wrote (e.g. "2 listing items on Taobao"), as its
  message id and values (JSON), read in each reader's language; `note` keeps its English. NULL:
  `note` is what someone typed, or the entry is older, and it is shown as stored.
- `application.language`: the language the applicant read when applying (their choice, else their
  platform's locale); the direct messages about their application are written in it. NULL (older
  applications): the program's language. Checked to be one of the bot's languages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("en", "zh")  # spelled out: a migration keeps the vocabulary of its day
ALLOWED = "language IS NULL OR language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")"


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_message", sa.JSON(), nullable=True))
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(op.f("ck_application_language"), ALLOWED)


def downgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_application_language"), type_="check")
        batch_op.drop_column("language")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("note_message")
