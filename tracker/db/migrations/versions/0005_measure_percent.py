"""完成进度 on a measure: a progress percent (0–100) read from a ledger's 完成进度 column or set in
the editor; NULL when nobody stated one (most ledgers never do).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add measure.percent (nullable: an unknown percent is not 0 %)."""
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("percent", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop measure.percent."""
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("percent")
