"""A small program as the first revision (0001) stored it, written without today's models.

Rows are written through bare tables holding only the columns given, so they keep describing
revision 0001 however the models change later.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from sqlalchemy import JSON, ColumnClause, Connection, column, table, text
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.database import Database

FIRST_REVISION = "0001"
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
TABLES = (
    "organisation", "member", "ip_right", "listing", "complaint", "complaint_item", "audit_entry", "notice",
    "delivery", "posted_message", "reminder", "channel_mapping",
)  # fmt: skip


def insert(connection: Connection, table_name: str, /, **values: object) -> None:
    """One row of `table_name`, with only the columns given, typed by their values."""

    def typed(column_name: str, value: object) -> ColumnClause[object]:
        if isinstance(value, datetime):
            return column(column_name, UTCDateTime())
        return column(column_name, JSON()) if isinstance(value, dict) else column(column_name)

    connection.execute(table(table_name, *(typed(key, value) for key, value in values.items())).insert(), values)


def fill_first_revision(database: Database) -> None:
    """A brand with a representative and a verified right, a team member, a case with two items
    (one removed), its audit entries, notices to fixed, organisation and direct-message channels
    with their deliveries (sent, pending, failed), a case thread, a weekly reminder and a mapping."""
    # fmt: off
    with database.engine.begin() as connection:
        row = partial(insert, connection)
        row("organisation", id=1, slug="acme", name="ACME Corp", iacc_member=True, good_faith=True, active=True,
            created_at=NOW)
        row("member", id=1, platform="slack", user_id="U0BRAND1", organisation_id=1, role="representative",
            active=True, created_at=NOW)
        row("member", id=2, platform="slack", user_id="U0TEAM1", role="team", active=True, created_at=NOW)
        row("ip_right", id=1, organisation_id=1, kind="trademark", mark="ACME", registration_number="12345678",
            jurisdiction="CN", status="verified", luxury=False, created_at=NOW)
        for listing in (1, 2):
            row("listing", id=listing, platform="taobao", external_id=f"100{listing}",
                canonical_url=f"https://item.taobao.com/item.htm?id=100{listing}", first_seen_at=NOW)
        row("complaint", id=1, organisation_id=1, filed_by_id=1, ip_right_id=1, platform="taobao", kind="listing",
            reason_code="counterfeit", status="partially_actioned", item_count=2, assigned_to_id=2, created_at=NOW,
            updated_at=NOW)
        for position, status in ((1, "removed"), (2, "reported")):
            row("complaint_item", id=position, complaint_id=1, position=position, organisation_id=1,
                platform="taobao", kind="listing", listing_id=position, original_text=f"taobao 100{position}",
                canonical_url=f"https://item.taobao.com/item.htm?id=100{position}", status=status, reported_at=NOW,
                reported_month=202611, counter_rounds=0)
        row("audit_entry", id=1, at=NOW, actor="slack:U0TEAM1", entity="item", entity_id=1, action="status",
            from_status="reported", to_status="removed")
        row("audit_entry", id=2, at=NOW, actor="slack:U0TEAM1", entity="complaint", entity_id=1, action="status",
            from_status="submitted", to_status="partially_actioned", note="one listing is still up")
        payload = {"fields": [["Items", "2"]], "buttons": [], "replace": False}
        for notice, channel, kind in (
            (1, "team", "case_opened"), (2, "org:acme", "case_opened"), (3, "dm:slack:U0TEAM1", "case_assigned"),
            (4, "working-group", "proposal"),
        ):
            row("notice", id=notice, created_at=NOW, channel=channel, case_id="MS-000001" if notice < 4 else None,
                kind=kind, text=f"notice {notice}", payload=payload)
        row("delivery", id=1, notice_id=1, platform="slack", status="sent", attempts=1, next_attempt_at=NOW,
            message_ref="1763496000.000100", uncertain=False, sent_at=NOW)
        row("delivery", id=2, notice_id=2, platform="slack", status="pending", attempts=0, next_attempt_at=NOW,
            uncertain=False)
        row("delivery", id=3, notice_id=3, platform="discord", status="failed", attempts=12, next_attempt_at=NOW,
            last_error="403 Missing Access", uncertain=True)
        row("posted_message", id=1, platform="slack", channel="team", case_id="MS-000001", channel_ref="C0TEAM01",
            message_ref="1763496000.000100", created_at=NOW)
        row("reminder", id=1, member_id=1, target="org:acme", text="send the monthly figures", first_at=NOW,
            recurrence="weekly:0:09:00", timezone="America/New_York", active=True, created_at=NOW)
        row("channel_mapping", id=1, platform="slack", logical_name="working-group", external_id="C0WORKGRP",
            updated_by="slack:U0ADMIN", updated_at=NOW)
    # fmt: on


def every_row(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables `fill_first_revision` writes to, in id order, as the database returns
    them: the first revision's columns only (later revisions may add columns)."""
    with database.engine.connect() as connection:
        return {
            name: [
                tuple(value for column, value in row._mapping.items() if (name, column) not in ADDED_COLUMNS)
                for row in connection.execute(text(f"SELECT * FROM {name} ORDER BY id"))
            ]
            for name in TABLES
        }


# Columns later revisions added to those tables, with the revision.
ADDED_COLUMNS = {("delivery", "claimed_by"), ("delivery", "first_attempt_at")}  # 0006
