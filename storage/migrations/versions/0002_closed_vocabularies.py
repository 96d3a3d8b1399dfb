"""closed vocabularies: notice kinds, audit entities and logical channels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

The values are spelled out here, not read from storage/vocabulary.py: a migration keeps the
vocabulary of its day, and a value added later comes with its own revision.

A database holding a value outside these vocabularies is not changed: the upgrade stops with a
message naming each value, so that an operator decides what the rows should say.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTICE_KINDS = (
    "info", "case_opened", "case_summary", "case_assigned", "case_message", "case_actioned", "case_returned",
    "case_status",
    "cross_member_duplicate", "routing_warning", "outcome", "counter_notice", "withdrawn", "appeal_due",
    "appeal_overdue", "escalation", "storefront_closed", "storefront_reinstated", "rogueblock_referral",
    "rogueblock_answer", "raid_submitted", "raid_forwarded", "raid_declined", "raid_penalty", "application",
    "language_request", "language_answer", "language_answered", "proposal", "practice", "proposal_status", "agenda",
    "meeting_decision", "calendar", "milestone", "reminder", "weekly_digest", "missed",
)  # fmt: skip
AUDIT_ENTITIES = (
    "application", "application_group", "channel_mapping", "complaint", "item", "ip_right", "language_request",
    "meeting_decision", "member", "milestone", "organisation", "proposal", "raid", "reminder", "storefront",
)  # fmt: skip
CHANNELS = ("announcements", "outcomes", "team", "language", "working-group", "rogueblock")


def _one_of(column: str, values: Sequence[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def _logical_channel(column: str) -> str:
    return f"{_one_of(column, CHANNELS)} OR substr({column}, 1, 4) = 'org:' OR substr({column}, 1, 3) = 'dm:'"


# (table, column, condition); the constraint is named ck_<table>_<column>.
CHECKS = (
    ("audit_entry", "entity", _one_of("entity", AUDIT_ENTITIES)),
    ("notice", "kind", _one_of("kind", NOTICE_KINDS)),
    ("notice", "channel", _logical_channel("channel")),
    ("posted_message", "channel", _logical_channel("channel")),
    ("reminder", "target", _logical_channel("target")),
    ("channel_mapping", "logical_name", _logical_channel("logical_name")),
)


class UnknownValues(RuntimeError):
    """Rows hold values outside the new vocabularies; nothing was changed."""


def _refuse_unknown_values() -> None:
    connection = op.get_bind()
    found = []
    for table, column, condition in CHECKS:
        rows = connection.execute(
            sa.text(f"SELECT {column}, COUNT(*) FROM {table} WHERE NOT ({condition}) GROUP BY {column} ORDER BY {column}")
        ).all()
        found += [f"{table}.{column} = {value!r} ({count} row{'s' if count != 1 else ''})" for value, count in rows]
    if found:
        raise UnknownValues(
            "Revision 0002 (closed vocabularies) cannot be applied: "
            + "; ".join(found)
            + ". Each value must be one of storage/vocabulary.py's (NoticeKind, AuditEntity, Channel, or an"
            " org:/dm: channel). Update or delete those rows, or add the value to the vocabulary with a"
            " new revision, then start again. The database was not changed."
        )


def upgrade() -> None:
    _refuse_unknown_values()
    # One batch per table: on SQLite each batch copies the table once.
    for table in dict.fromkeys(table for table, _, _ in CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, column, condition in (check for check in CHECKS if check[0] == table):
                batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), condition)


def downgrade() -> None:
    for table in dict.fromkeys(table for table, _, _ in CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, column, _ in (check for check in CHECKS if check[0] == table):
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
