"""Check results kept per record, rule set and audit date, so that `check --store` is incremental; and
the last run's report, for a run over a store in which nothing changed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_results",
        sa.Column("record_id", sa.Integer, sa.ForeignKey("records.id"), nullable=False),
        sa.Column("ruleset", sa.String(64), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=True),
        sa.Column("applied", sa.Text, nullable=False),
        sa.Column("findings", sa.Text, nullable=True),
        sa.Column("slim", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("record_id", "ruleset", "as_of", name="pk_check_results"),
    )
    op.create_table(
        "check_runs",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("report", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("check_runs")
    op.drop_table("check_results")
