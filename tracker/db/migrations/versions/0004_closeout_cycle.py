"""The close-out cycle: evidence kept inside the ledger (deduplicated by content), deadline
extensions with the original deadline on record, and 回头看 rechecks (a send-back is a status
change with its reason in the history and a progress note).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add evidence_blob, evidence, extension and recheck."""
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("problem_id", sa.Integer(),
                  sa.ForeignKey("problem.id", name="fk_evidence_problem_id_problem",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("measure_id", sa.Integer(),
                  sa.ForeignKey("measure.id", name="fk_evidence_measure_id_measure",
                                ondelete="SET NULL")),
        sa.Column("sha256", sa.String(64),
                  sa.ForeignKey("evidence_blob.sha256", name="fk_evidence_sha256_evidence_blob",
                                ondelete="RESTRICT"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
    )
    op.create_index("ix_evidence_problem_id", "evidence", ["problem_id"])
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    op.create_table(
        "extension",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("measure_id", sa.Integer(),
                  sa.ForeignKey("measure.id", name="fk_extension_measure_id_measure",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("from_date", sa.Date()),
        sa.Column("from_text", sa.Text(), nullable=False),
        sa.Column("to_date", sa.Date()),
        sa.Column("to_text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
    )
    op.create_index("ix_extension_measure_id", "extension", ["measure_id"])
    op.create_table(
        "recheck",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("problem_id", sa.Integer(),
                  sa.ForeignKey("problem.id", name="fk_recheck_problem_id_problem",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
    )
    op.create_index("ix_recheck_problem_id", "recheck", ["problem_id"])


def downgrade() -> None:
    """Drop the close-out cycle's tables."""
    for table in ("recheck", "extension", "evidence", "evidence_blob"):
        op.drop_table(table)
