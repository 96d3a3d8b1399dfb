"""outcomes stored in the words the team types

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

The team records an appeal with `counter_notice` and its end with `upheld`, but items were stored
(and so shown back) as `counter_noticed` and `removal_upheld`. Items, counter-notices and the
audit log's item changes now hold the words the team types, so replies, notices, the case's
history, the figures and the export all say one word per state. A downgrade writes the old words
back.

The vocabularies are spelled out here, not read from storage/vocabulary.py: a migration keeps the
vocabulary of its day.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_STATUSES = ("reported", "removed", "not_removed", "not_found", "withdrawn", "{counter_notice}", "{upheld}", "reinstated")
APPEAL_STATUSES = ("open", "{upheld}", "reinstated")
NEW_WORDS = {"counter_notice": "counter_notice", "upheld": "upheld"}
OLD_WORDS = {"counter_notice": "counter_noticed", "upheld": "removal_upheld"}


def _one_of(values: Sequence[str], words: dict[str, str]) -> str:
    quoted = ", ".join(f"'{value.format(**words)}'" for value in values)
    return f"status IN ({quoted})"


def _rename(words_from: dict[str, str], words_to: dict[str, str]) -> None:
    # The constraints name the words, so they are dropped before the rows change and made again after.
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_complaint_item_status"), type_="check")
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_counter_notice_status"), type_="check")
    for word in ("counter_notice", "upheld"):
        old, new = words_from[word], words_to[word]
        if word == "upheld":
            op.execute(f"UPDATE counter_notice SET status = '{new}' WHERE status = '{old}'")
        op.execute(f"UPDATE complaint_item SET status = '{new}' WHERE status = '{old}'")
        for column in ("from_status", "to_status"):
            op.execute(
                f"UPDATE audit_entry SET {column} = '{new}' "
                f"WHERE entity = 'item' AND action = 'status' AND {column} = '{old}'"
            )
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_complaint_item_status"), _one_of(ITEM_STATUSES, words_to))
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_counter_notice_status"), _one_of(APPEAL_STATUSES, words_to))


def upgrade() -> None:
    _rename(OLD_WORDS, NEW_WORDS)


def downgrade() -> None:
    _rename(NEW_WORDS, OLD_WORDS)
