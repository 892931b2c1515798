"""Stored audits with their records and findings, corrective actions, and corrected records that replace
earlier ones (`records.superseded_by`).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:  # SQLite: the table is copied with its rows
        batch.add_column(sa.Column("superseded_by", sa.Integer, nullable=True))
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("run_at", sa.Text, nullable=False),
        sa.Column("run_by", sa.Text, nullable=False),
        sa.Column("event_seq", sa.BigInteger, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("ruleset", sa.String(64), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("number", name="uq_audits_number"),
    )
    op.create_table(
        "audit_records",
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "record_id", name="pk_audit_records"),
    )
    op.create_table(
        "audit_findings",
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("finding_id", sa.String(16), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("procedure", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("form", sa.Text, nullable=True),
        sa.Column("record_id", sa.Integer, nullable=True),
        sa.Column("record_no", sa.Text, nullable=True),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("capa_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("audit_id", "key", name="pk_audit_findings"),
    )
    op.create_index("ix_audit_findings_key", "audit_findings", ["key"])
    op.create_table(
        "capas",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("finding_key", sa.String(16), nullable=False),
        sa.Column("audit_id", sa.Integer, sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("procedure", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("record_no", sa.Text, nullable=True),
        sa.Column("finding", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("root_cause", sa.Text, nullable=True),
        sa.Column("action", sa.Text, nullable=True),
        sa.Column("evidence", sa.Text, nullable=True),
        sa.Column("verified_by", sa.Text, nullable=True),
        sa.Column("verified_on", sa.Date, nullable=True),
        sa.Column("effective", sa.Boolean, nullable=True),
        sa.Column("opened_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index("ix_capas_finding_key", "capas", ["finding_key"])


def downgrade() -> None:
    op.drop_table("capas")
    op.drop_table("audit_findings")
    op.drop_table("audit_records")
    op.drop_table("audits")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("superseded_by")
