"""scheduled occurrences recorded once; the scheduler reads what changed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

- `scheduled_occurrence`: each occurrence of a reminder, announcement, agenda or digest, recorded
  (posted or reported missed) in the transaction that writes its notice, once: unique per
  (kind, source, due time).
- `reminder.next_at`: a reminder's next occurrence not yet recorded, indexed with `active`, so the
  scheduler reads only the reminders due soon, never every reminder ever set.
- `schedule_change`, written by triggers on `milestone` and `reminder` (insert, delete, and updates
  of the columns that decide when they fire): the leader reconciles only the rows named there.
  SQLite drops a table's triggers when a migration rebuilds the table (batch mode): a later
  revision that rebuilds `milestone` or `reminder` must create them again (`_create_triggers`).
- `scheduler_mark`: how far the calendar's and digests' occurrences are all recorded.

Data fix: a one-off reminder whose notice is in the outbox fired before this release but stayed
active; it is now inactive (audited as fired). Every other active reminder gets its next
occurrence: a one-off its time (if that passed unrecorded, the scheduler posts it within its grace
or reports it missed), a repeating one its next time after the last hour (within its grace: an
occurrence already posted is not posted again, its notice's key being taken).

The rule arithmetic is spelled out here, not imported: a migration keeps the code of its day.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRACE = timedelta(hours=1)  # reminders' misfire grace in this release
TRIGGERED = {  # table -> the columns whose update changes when it fires
    "milestone": ("kind", "at", "timezone", "reminder_offsets"),
    "reminder": ("first_at", "recurrence", "timezone", "active"),
}


def upgrade() -> None:
    op.create_table(
        "scheduled_occurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("outcome IN ('posted', 'missed')", name=op.f("ck_scheduled_occurrence_outcome")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_occurrence")),
        sa.UniqueConstraint("kind", "source_id", "due_at", name=op.f("uq_scheduled_occurrence_kind_source_id_due_at")),
    )
    op.create_table(
        "schedule_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_change")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "scheduler_mark",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_mark")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reminder_active_next_at"), ["active", "next_at"], unique=False)
    _create_triggers()
    _plan_reminders(datetime.now(UTC))


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_active_next_at"))
        batch_op.drop_column("next_at")
    op.drop_table("scheduler_mark")
    op.drop_table("schedule_change")
    op.drop_table("scheduled_occurrence")


def _create_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(
            """
            CREATE FUNCTION schedule_change_noted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO schedule_change (source, source_id) VALUES (TG_ARGV[0], OLD.id);
                ELSE
                    INSERT INTO schedule_change (source, source_id) VALUES (TG_ARGV[0], NEW.id);
                END IF;
                RETURN NULL;
            END $$
            """
        )
    for table, columns in TRIGGERED.items():
        if postgresql:
            op.execute(
                f"CREATE TRIGGER schedule_change_{table} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION schedule_change_noted('{table}')"
            )
            continue
        for event, row in (("INSERT", "NEW"), (f"UPDATE OF {', '.join(columns)}", "NEW"), ("DELETE", "OLD")):
            name = f"schedule_change_{table}_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                f"INSERT INTO schedule_change (source, source_id) VALUES ('{table}', {row}.id); END"
            )


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TRIGGERED:
            op.execute(f"DROP TRIGGER IF EXISTS schedule_change_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS schedule_change_noted()")
        return
    for table in TRIGGERED:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS schedule_change_{table}_{event}")


reminder = sa.table(
    "reminder",
    sa.column("id", sa.Integer()),
    sa.column("first_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("recurrence", sa.String()),
    sa.column("timezone", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("next_at", sqlmodel.sql.sqltypes.UTCDateTime()),
)
notice = sa.table("notice", sa.column("dedupe_key", sa.String()))
audit_entry = sa.table(
    "audit_entry",
    sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("from_status", sa.String()),
    sa.column("to_status", sa.String()),
    sa.column("note", sa.String()),
)


def _plan_reminders(now: datetime) -> None:
    connection = op.get_bind()
    fired_key = sa.literal("reminder:") + sa.cast(reminder.c.id, sa.String()) + sa.literal(":%")
    fired = sa.and_(
        reminder.c.active.is_(True),
        reminder.c.recurrence.is_(None),
        sa.exists().where(notice.c.dedupe_key.like(fired_key)),
    )
    for (reminder_id,) in connection.execute(sa.select(reminder.c.id).where(fired)).all():
        connection.execute(
            audit_entry.insert().values(
                at=now, actor="scheduler", entity="reminder", entity_id=reminder_id, action="fired",
                from_status="active", to_status="fired", note="fired before it was retired (data fix, revision 0008)",
            )
        )  # fmt: skip
        connection.execute(reminder.update().where(reminder.c.id == reminder_id).values(active=False))
    one_offs = sa.and_(reminder.c.active.is_(True), reminder.c.recurrence.is_(None))
    connection.execute(reminder.update().where(one_offs).values(next_at=reminder.c.first_at))
    repeating = sa.select(reminder.c.id, reminder.c.first_at, reminder.c.recurrence, reminder.c.timezone).where(
        reminder.c.active.is_(True), reminder.c.recurrence.is_not(None)
    )
    for reminder_id, first_at, rule, zone in connection.execute(repeating).all():
        after = max(first_at - timedelta(microseconds=1), now - GRACE)
        next_at = _next_occurrence(rule, after, ZoneInfo(zone))
        connection.execute(reminder.update().where(reminder.c.id == reminder_id).values(next_at=next_at))


def _next_occurrence(rule: str, after: datetime, zone: ZoneInfo) -> datetime:
    """The first firing of `weekly:<0-6>:<HH:MM>` or `daily:<HH:MM>` strictly after `after`, in UTC;
    a local time the clocks skip comes just after the jump, a repeated one the first time."""
    parts = rule.split(":")
    weekday = int(parts[1]) if parts[0] == "weekly" else None
    at = time(int(parts[-2]), int(parts[-1]))
    start: date = after.astimezone(zone).date()
    for offset in range(9):
        day = start + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
        if candidate > after:
            return candidate
    raise ValueError(f"not a reminder rule: {rule!r}")
