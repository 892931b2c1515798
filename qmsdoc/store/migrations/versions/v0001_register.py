"""The records register: stored files (blobs), the records read from them, and the event log.

Revision ID: 0001
Revises: none (the first schema version)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("blob", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("form", sa.Text, nullable=False),
        sa.Column("revision", sa.Text, nullable=False),
        sa.Column("record_no", sa.Text, nullable=True),
        sa.Column("record_date", sa.Date, nullable=True),
        sa.Column("date_field", sa.Text, nullable=True),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.Text, nullable=False),
        sa.Column("retention_end", sa.Date, nullable=True),
        sa.Column("data", sa.Text, nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("disposed_at", sa.Text, nullable=True),
        sa.Column("disposed_by", sa.Text, nullable=True),
        sa.Column("disposed_reason", sa.Text, nullable=True),
        sa.UniqueConstraint("blob", "location", name="uq_records_blob_location"),
    )
    op.create_index("ix_records_form", "records", ["form"])
    op.create_index("ix_records_record_date", "records", ["record_date"])
    op.create_index("ix_records_record_no", "records", ["record_no"])
    op.create_index("ix_records_retention_end", "records", ["retention_end"])
    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_events_entity", "events", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("records")
    op.drop_table("blobs")
