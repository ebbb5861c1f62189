"""The first ledger schema: sources, units, categories, problems, measures, progress notes.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first tables."""
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer()),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("doc_number", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
    )
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "ledger_setting",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "problem",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("source.id", ondelete="RESTRICT")),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id", ondelete="SET NULL")),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="SET NULL")),
        sa.Column("co_units", sa.Text(), nullable=False),
        sa.Column("leader", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("closeout_by", sa.Text(), nullable=False),
        sa.Column("closeout_on", sa.Date()),
        sa.Column("closeout_note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("deadline", sa.Date()),
        sa.Column("open_deadline", sa.Date()),
        sa.Column("deadline_text", sa.Text(), nullable=False),
        sa.Column("measures_total", sa.Integer(), nullable=False),
        sa.Column("measures_done", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    for col in ("source_id", "category_id", "lead_unit_id", "status", "deadline", "open_deadline"):
        op.create_index(f"ix_problem_{col}", "problem", [col])
    op.create_index("ix_problem_source_seq", "problem", ["source_id", "seq"])
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "problem_id", sa.Integer(), sa.ForeignKey("problem.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), sa.ForeignKey("unit.id", ondelete="SET NULL")),
        sa.Column("co_units", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date()),
        sa.Column("deadline_text", sa.Text(), nullable=False),
        sa.Column("deadline_kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("done_on", sa.Date()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_measure_problem_id", "measure", ["problem_id"])
    op.create_index("ix_measure_lead_unit_id", "measure", ["lead_unit_id"])
    op.create_table(
        "progress_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "measure_id", sa.Integer(), sa.ForeignKey("measure.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_progress_note_measure_id", "progress_note", ["measure_id"])


def downgrade() -> None:
    """Drop everything."""
    for table in ("progress_note", "measure", "problem", "ledger_setting", "category", "unit",
                  "source"):
        op.drop_table(table)
