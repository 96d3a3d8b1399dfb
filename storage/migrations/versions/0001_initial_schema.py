"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "application_group",
        sa.Column("group_key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_key", name=op.f("pk_application_group")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_entry_entity_entity_id_at"), ["entity", "entity_id", "at"], unique=False
        )

    op.create_table(
        "channel_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("logical_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_mapping")),
        sa.UniqueConstraint("platform", "logical_name", name=op.f("uq_channel_mapping_platform_logical_name")),
    )
    op.create_table(
        "delivery_cursor",
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last_notice_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("platform", name=op.f("pk_delivery_cursor")),
    )
    op.create_table(
        "handled_request",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("handled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reply_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_handled_request")),
    )
    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("reminder_offsets", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('application_deadline', 'status_update', 'orientation', 'launch', 'meeting')",
            name=op.f("ck_milestone_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_at"), ["at"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notice_dedupe_key")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("size_band", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("iacc_member", sa.Boolean(), nullable=False),
        sa.Column("good_faith", sa.Boolean(), nullable=False),
        sa.Column("represents", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("authorisation_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "size_band IS NULL OR size_band IN ('small', 'medium', 'large')", name=op.f("ck_organisation_size_band")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    op.create_table(
        "posted_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("channel_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("message_ref", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posted_message")),
        sa.UniqueConstraint("platform", "channel", "case_id", name=op.f("uq_posted_message_platform_channel_case_id")),
    )
    with op.batch_alter_table("posted_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posted_message_platform_channel_ref_message_ref"),
            ["platform", "channel_ref", "message_ref"],
            unique=False,
        )

    op.create_table(
        "storefront",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("canonical_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("rogueblock_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("rogueblock_referred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("first_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "platform IN ('taobao', 'tmall', 'tmall_global', 'aliexpress', '1688', 'alibaba')",
            name=op.f("ck_storefront_platform"),
        ),
        sa.CheckConstraint(
            "rogueblock_status IS NULL OR rogueblock_status IN ('referred', 'accepted', 'declined')",
            name=op.f("ck_storefront_rogueblock_status"),
        ),
        sa.CheckConstraint("status IN ('active', 'closed')", name=op.f("ck_storefront_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storefront")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_storefront_platform_external_id")),
    )
    with op.batch_alter_table("storefront", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_storefront_closed_at"),
            ["closed_at"],
            unique=False,
            sqlite_where=sa.text("closed_at IS NOT NULL"),
            postgresql_where=sa.text("closed_at IS NOT NULL"),
        )

    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("applicant_user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("legal_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("size_band", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("is_rights_holder", sa.Boolean(), nullable=False),
        sa.Column("represents", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("authorisation_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("good_faith", sa.Boolean(), nullable=False),
        sa.Column("marks", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("group_key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("arrival_seq", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("size_band IN ('small', 'medium', 'large')", name=op.f("ck_application_size_band")),
        sa.CheckConstraint(
            "status IN ('submitted', 'ineligible', 'queued', 'selected', 'waitlisted', 'notified', 'onboarded', 'withdrawn')",
            name=op.f("ck_application_status"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_application_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_group_key_arrival_seq"), ["group_key", "arrival_seq"], unique=False
        )

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("message_ref", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'skipped', 'failed')", name=op.f("ck_delivery_status")),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"], name=op.f("fk_delivery_notice_id_notice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("notice_id", "platform", name=op.f("uq_delivery_notice_id_platform")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_platform_next_attempt_at"),
            ["platform", "next_attempt_at"],
            unique=False,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "ip_right",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("mark", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("registration_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("jurisdiction", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("classes", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("luxury", sa.Boolean(), nullable=False),
        sa.Column("verified_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("verified_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('trademark', 'copyright', 'patent')", name=op.f("ck_ip_right_kind")),
        sa.CheckConstraint("status IN ('pending', 'verified', 'expired')", name=op.f("ck_ip_right_status")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_ip_right_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ip_right")),
        sa.UniqueConstraint(
            "organisation_id",
            "kind",
            "jurisdiction",
            "registration_number",
            name=op.f("uq_ip_right_organisation_id_kind_jurisdiction_registration_number"),
        ),
    )
    with op.batch_alter_table("ip_right", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ip_right_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("canonical_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("storefront_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "platform IN ('taobao', 'tmall', 'tmall_global', 'aliexpress', '1688', 'alibaba')",
            name=op.f("ck_listing_platform"),
        ),
        sa.ForeignKeyConstraint(["storefront_id"], ["storefront.id"], name=op.f("fk_listing_storefront_id_storefront")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_listing_platform_external_id")),
    )
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("role IN ('member', 'representative', 'team', 'admin')", name=op.f("ck_member_role")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_member_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("platform", "user_id", name=op.f("uq_member_platform_user_id")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("ip_right_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason_text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('listing', 'storefront')", name=op.f("ck_complaint_kind")),
        sa.CheckConstraint(
            "platform IN ('taobao', 'tmall', 'tmall_global', 'aliexpress', '1688', 'alibaba')",
            name=op.f("ck_complaint_platform"),
        ),
        sa.CheckConstraint(
            "reason_code IN ('counterfeit', 'trademark_misuse', 'copyright', 'patent', 'no_proof', 'other')",
            name=op.f("ck_complaint_reason_code"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'in_review', 'partially_actioned', 'actioned', 'withdrawn', 'returned')",
            name=op.f("ck_complaint_status"),
        ),
        sa.CheckConstraint("item_count BETWEEN 1 AND 300", name=op.f("ck_complaint_item_count")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["member.id"], name=op.f("fk_complaint_assigned_to_id_member")),
        sa.ForeignKeyConstraint(["filed_by_id"], ["member.id"], name=op.f("fk_complaint_filed_by_id_member")),
        sa.ForeignKeyConstraint(["ip_right_id"], ["ip_right.id"], name=op.f("fk_complaint_ip_right_id_ip_right")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_complaint_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_assigned_to_id"), ["assigned_to_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_organisation_id_created_at"), ["organisation_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaint_platform_created_at"), ["platform", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_request_key"), ["request_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_status_created_at"), ["status", "created_at"], unique=False)

    op.create_table(
        "language_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("source_language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("target_language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("document_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("document_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("answered_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f("ck_language_request_status")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_language_request_member_id_member")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_language_request_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language_request")),
    )
    with op.batch_alter_table("language_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_language_request_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "platform_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "platform IN ('taobao', 'tmall', 'tmall_global', 'aliexpress', '1688', 'alibaba')",
            name=op.f("ck_platform_assignment_platform"),
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_platform_assignment_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_assignment")),
        sa.UniqueConstraint("member_id", "platform", name=op.f("uq_platform_assignment_member_id_platform")),
    )
    with op.batch_alter_table("platform_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_assignment_member_id"), ["member_id"], unique=False)

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('proposal', 'practice')", name=op.f("ck_proposal_kind")),
        sa.CheckConstraint(
            "status IN ('open', 'under_review', 'accepted', 'declined', 'shared')", name=op.f("ck_proposal_status")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_proposal_member_id_member")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_proposal_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_kind_status_created_at"), ["kind", "status", "created_at"], unique=False
        )

    op.create_table(
        "raid_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("raid_date", sa.Date(), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("authority_case_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('submitted', 'forwarded', 'penalty_applied', 'declined')", name=op.f("ck_raid_evidence_status")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_raid_evidence_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["member.id"], name=op.f("fk_raid_evidence_submitted_by_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raid_evidence")),
    )
    with op.batch_alter_table("raid_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raid_evidence_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("first_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("recurrence", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_reminder_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_member_id_active"), ["member_id", "active"], unique=False)

    op.create_table(
        "complaint_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("storefront_id", sa.Integer(), nullable=True),
        sa.Column("original_text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("canonical_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reported_month", sa.Integer(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_month", sa.Integer(), nullable=True),
        sa.Column("removal_seconds", sa.Integer(), nullable=True),
        sa.Column("counter_rounds", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'listing' AND listing_id IS NOT NULL AND storefront_id IS NULL) OR (kind = 'storefront' AND storefront_id IS NOT NULL AND listing_id IS NULL)",
            name=op.f("ck_complaint_item_one_target"),
        ),
        sa.CheckConstraint("kind IN ('listing', 'storefront')", name=op.f("ck_complaint_item_kind")),
        sa.CheckConstraint(
            "status IN ('reported', 'removed', 'not_removed', 'not_found', 'withdrawn', 'counter_noticed', 'removal_upheld', 'reinstated')",
            name=op.f("ck_complaint_item_status"),
        ),
        sa.CheckConstraint("counter_rounds BETWEEN 0 AND 3", name=op.f("ck_complaint_item_counter_rounds")),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_item_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"], name=op.f("fk_complaint_item_listing_id_listing")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_complaint_item_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["storefront_id"], ["storefront.id"], name=op.f("fk_complaint_item_storefront_id_storefront")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_item")),
        sa.UniqueConstraint("complaint_id", "position", name=op.f("uq_complaint_item_complaint_id_position")),
    )
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_item_decided_month_removal_seconds"),
            ["decided_month", "removal_seconds"],
            unique=False,
            sqlite_where=sa.text("removal_seconds IS NOT NULL"),
            postgresql_where=sa.text("removal_seconds IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_item_decided_month_status"),
            ["decided_month", "status"],
            unique=False,
            sqlite_where=sa.text("decided_month IS NOT NULL"),
            postgresql_where=sa.text("decided_month IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_item_listing_id_status"),
            ["listing_id", "status"],
            unique=False,
            sqlite_where=sa.text("listing_id IS NOT NULL"),
            postgresql_where=sa.text("listing_id IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_decided_month_removal_seconds"),
            ["organisation_id", "decided_month", "removal_seconds"],
            unique=False,
            sqlite_where=sa.text("removal_seconds IS NOT NULL"),
            postgresql_where=sa.text("removal_seconds IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_decided_month_status"),
            ["organisation_id", "decided_month", "status"],
            unique=False,
            sqlite_where=sa.text("decided_month IS NOT NULL"),
            postgresql_where=sa.text("decided_month IS NOT NULL"),
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_item_organisation_id_reported_month"),
            ["organisation_id", "reported_month"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_complaint_item_reported_month"), ["reported_month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaint_item_storefront_id_status"),
            ["storefront_id", "status"],
            unique=False,
            sqlite_where=sa.text("storefront_id IS NOT NULL"),
            postgresql_where=sa.text("storefront_id IS NOT NULL"),
        )

    op.create_table(
        "held_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("original_text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"], name=op.f("fk_held_link_complaint_id_complaint")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_held_link_member_id_member")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_held_link_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_link")),
    )
    with op.batch_alter_table("held_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_held_link_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "meeting_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestone.id"], name=op.f("fk_meeting_decision_milestone_id_milestone")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_meeting_decision_proposal_id_proposal")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decision")),
    )
    with op.batch_alter_table("meeting_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_decision_milestone_id"), ["milestone_id"], unique=False)

    op.create_table(
        "proposal_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("value IN (-1, 1)", name=op.f("ck_proposal_vote_value")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_proposal_vote_member_id_member")),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"], name=op.f("fk_proposal_vote_proposal_id_proposal")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_vote")),
        sa.UniqueConstraint("proposal_id", "member_id", name=op.f("uq_proposal_vote_proposal_id_member_id")),
    )
    with op.batch_alter_table("proposal_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_vote_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "raid_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raid_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["raid_id"], ["raid_evidence.id"], name=op.f("fk_raid_document_raid_id_raid_evidence")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raid_document")),
    )
    with op.batch_alter_table("raid_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raid_document_raid_id"), ["raid_id"], unique=False)

    op.create_table(
        "raid_storefront",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raid_id", sa.Integer(), nullable=False),
        sa.Column("storefront_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["raid_id"], ["raid_evidence.id"], name=op.f("fk_raid_storefront_raid_id_raid_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["storefront_id"], ["storefront.id"], name=op.f("fk_raid_storefront_storefront_id_storefront")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raid_storefront")),
        sa.UniqueConstraint("raid_id", "storefront_id", name=op.f("uq_raid_storefront_raid_id_storefront_id")),
    )
    with op.batch_alter_table("raid_storefront", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raid_storefront_storefront_id"), ["storefront_id"], unique=False)

    op.create_table(
        "counter_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.CheckConstraint("status IN ('open', 'removal_upheld', 'reinstated')", name=op.f("ck_counter_notice_status")),
        sa.CheckConstraint("round BETWEEN 1 AND 3", name=op.f("ck_counter_notice_round")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["complaint_item.id"], name=op.f("fk_counter_notice_item_id_complaint_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_notice")),
        sa.UniqueConstraint("item_id", "round", name=op.f("uq_counter_notice_item_id_round")),
    )
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_counter_notice_status_due_at"), ["status", "due_at"], unique=False)

    op.create_table(
        "strike",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("storefront_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["complaint_item.id"], name=op.f("fk_strike_item_id_complaint_item")),
        sa.ForeignKeyConstraint(["storefront_id"], ["storefront.id"], name=op.f("fk_strike_storefront_id_storefront")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strike")),
    )
    with op.batch_alter_table("strike", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_strike_storefront_id_expires_at"), ["storefront_id", "expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("strike", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strike_storefront_id_expires_at"))

    op.drop_table("strike")
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counter_notice_status_due_at"))

    op.drop_table("counter_notice")
    with op.batch_alter_table("raid_storefront", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raid_storefront_storefront_id"))

    op.drop_table("raid_storefront")
    with op.batch_alter_table("raid_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raid_document_raid_id"))

    op.drop_table("raid_document")
    with op.batch_alter_table("proposal_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_vote_proposal_id"))

    op.drop_table("proposal_vote")
    with op.batch_alter_table("meeting_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_decision_milestone_id"))

    op.drop_table("meeting_decision")
    with op.batch_alter_table("held_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_held_link_organisation_id"))

    op.drop_table("held_link")
    with op.batch_alter_table("complaint_item", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_storefront_id_status"),
            sqlite_where=sa.text("storefront_id IS NOT NULL"),
            postgresql_where=sa.text("storefront_id IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_complaint_item_reported_month"))
        batch_op.drop_index(batch_op.f("ix_complaint_item_organisation_id_reported_month"))
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_organisation_id_decided_month_status"),
            sqlite_where=sa.text("decided_month IS NOT NULL"),
            postgresql_where=sa.text("decided_month IS NOT NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_organisation_id_decided_month_removal_seconds"),
            sqlite_where=sa.text("removal_seconds IS NOT NULL"),
            postgresql_where=sa.text("removal_seconds IS NOT NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_listing_id_status"),
            sqlite_where=sa.text("listing_id IS NOT NULL"),
            postgresql_where=sa.text("listing_id IS NOT NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_decided_month_status"),
            sqlite_where=sa.text("decided_month IS NOT NULL"),
            postgresql_where=sa.text("decided_month IS NOT NULL"),
        )
        batch_op.drop_index(
            batch_op.f("ix_complaint_item_decided_month_removal_seconds"),
            sqlite_where=sa.text("removal_seconds IS NOT NULL"),
            postgresql_where=sa.text("removal_seconds IS NOT NULL"),
        )

    op.drop_table("complaint_item")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_member_id_active"))

    op.drop_table("reminder")
    with op.batch_alter_table("raid_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raid_evidence_organisation_id"))

    op.drop_table("raid_evidence")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_kind_status_created_at"))

    op.drop_table("proposal")
    with op.batch_alter_table("platform_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_assignment_member_id"))

    op.drop_table("platform_assignment")
    with op.batch_alter_table("language_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_language_request_organisation_id"))

    op.drop_table("language_request")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_status_created_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_request_key"))
        batch_op.drop_index(batch_op.f("ix_complaint_platform_created_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_organisation_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_assigned_to_id"))

    op.drop_table("complaint")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_organisation_id"))

    op.drop_table("member")
    op.drop_table("listing")
    with op.batch_alter_table("ip_right", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ip_right_organisation_id"))

    op.drop_table("ip_right")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_delivery_platform_next_attempt_at"),
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    op.drop_table("delivery")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_group_key_arrival_seq"))

    op.drop_table("application")
    with op.batch_alter_table("storefront", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_storefront_closed_at"),
            sqlite_where=sa.text("closed_at IS NOT NULL"),
            postgresql_where=sa.text("closed_at IS NOT NULL"),
        )

    op.drop_table("storefront")
    with op.batch_alter_table("posted_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posted_message_platform_channel_ref_message_ref"))

    op.drop_table("posted_message")
    op.drop_table("organisation")
    op.drop_table("notice")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_at"))

    op.drop_table("milestone")
    op.drop_table("handled_request")
    op.drop_table("delivery_cursor")
    op.drop_table("channel_mapping")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_entity_entity_id_at"))

    op.drop_table("audit_entry")
    op.drop_table("application_group")
