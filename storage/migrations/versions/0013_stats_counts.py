"""running counts behind stats, per month, organisation and figure

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

`stats_count` holds how many items each figure of `stats` counts per month, for each organisation
and for the whole program (organisation 0): items reported (by platform and kind), items decided
(by status), removals by time to removal and first decisions by platform and time to them (in time
buckets: an hour wide up to a week, a day up to 90 days, 30 days beyond; a bucket is its largest
number of seconds). The program keeps them in the transaction of every change; the upgrade counts
the items already stored. Spelled out here, as they are on the day of this revision.

An organisation's closures are those of the storefronts its complaints named: a partial index on
(organisation_id, storefront_id) finds them without reading the organisation's listings.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = ("reported", "decided", "removal_time", "decision_time")
WHOLE_PROGRAM = 0
HOUR, DAY = 3600, 86400
TIERS = ((7 * DAY, HOUR), (90 * DAY, DAY))
WIDEST = 30 * DAY
STOREFRONT = sa.text("storefront_id IS NOT NULL")


def bucket(seconds: str) -> str:
    """The bucket of a time, in SQL: the upper bound of its tier's width; 0 for times up to 0."""
    tiers = " ".join(f"WHEN {seconds} <= {bound} THEN (({seconds} + {width - 1}) / {width}) * {width}"
                     for bound, width in TIERS)  # fmt: skip
    return f"CASE WHEN {seconds} <= 0 THEN 0 {tiers} ELSE (({seconds} + {WIDEST - 1}) / {WIDEST}) * {WIDEST} END"


COUNT_ORGANISATIONS = f"""
INSERT INTO stats_count (organisation_id, figure, month, platform, label, bucket, n)
SELECT scope, figure, month, platform, label, bucket, count(*) FROM (
    SELECT organisation_id AS scope, 'reported' AS figure, reported_month AS month, platform, kind AS label,
           0 AS bucket
    FROM complaint_item
    UNION ALL
    SELECT organisation_id, 'decided', decided_month, '', status, 0
    FROM complaint_item WHERE decided_month IS NOT NULL
    UNION ALL
    SELECT organisation_id, 'removal_time', decided_month, '', '', {bucket("removal_seconds")}
    FROM complaint_item WHERE decided_month IS NOT NULL AND removal_seconds IS NOT NULL
    UNION ALL
    SELECT organisation_id, 'decision_time', reported_month, platform, '', {bucket("decision_seconds")}
    FROM complaint_item WHERE decision_seconds IS NOT NULL
) AS counted
GROUP BY scope, figure, month, platform, label, bucket
"""
COUNT_PROGRAM = f"""
INSERT INTO stats_count (organisation_id, figure, month, platform, label, bucket, n)
SELECT {WHOLE_PROGRAM}, figure, month, platform, label, bucket, sum(n) FROM stats_count
GROUP BY figure, month, platform, label, bucket
"""


def upgrade() -> None:
    op.create_table(
        "stats_count",
        sa.Column("organisation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("figure", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "figure IN (" + ", ".join(f"'{figure}'" for figure in FIGURES) + ")", name=op.f("ck_stats_count_figure")
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "figure", "month", "platform", "label", "bucket", name=op.f("pk_stats_count")
        ),
    )
    op.execute(COUNT_ORGANISATIONS)
    op.execute(COUNT_PROGRAM)
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_storefront_id"),
            ["organisation_id", "storefront_id"],
            sqlite_where=STOREFRONT,
            postgresql_where=STOREFRONT,
        )


def downgrade() -> None:
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_item_organisation_id_storefront_id"))
    op.drop_table("stats_count")
