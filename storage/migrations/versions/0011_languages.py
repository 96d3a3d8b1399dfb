"""languages: a member's own language and a channel's language for its notices

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

- `member.language`: the member's choice (`lang zh|en`); NULL follows the platform's locale, else
  the program's language (MARKETSAFE_LANGUAGE).
- `channel_mapping.language`: the language of notices posted in that channel; NULL is the program's.
Both are checked to be one of the bot's languages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANGUAGES = ("en", "zh")  # spelled out: a migration keeps the vocabulary of its day
ALLOWED = "language IS NULL OR language IN (" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")"


def upgrade() -> None:
    for table in ("member", "channel_mapping"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
            batch_op.create_check_constraint(op.f(f"ck_{table}_language"), ALLOWED)


def downgrade() -> None:
    for table in ("channel_mapping", "member"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_language"), type_="check")
            batch_op.drop_column("language")
