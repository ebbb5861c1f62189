"""The server's index for the ledger's own order (by source, then 序号) with problems without
a source first, as SQLite orders them. A no-op on SQLite.

Why: SQLite sorts NULL first in ascending order, PostgreSQL last. The services now ask the
server for ``source_id NULLS FIRST`` (``DESC NULLS LAST`` descending), so a ledger lists,
prints and exports its problems in the same order in a file and on a server; an index in
that order keeps it an index walk (read backwards for descending).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NAME = "ix_problem_source_seq"


def _rebuild(body: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's index already has its NULLs first
    op.execute(f"DROP INDEX IF EXISTS {NAME}")
    op.execute(f"CREATE INDEX {NAME} ON problem {body}")
    op.execute("ANALYZE problem")


def upgrade() -> None:
    """On PostgreSQL, the source/seq index with NULLs first."""
    _rebuild("(source_id NULLS FIRST, seq, id)")


def downgrade() -> None:
    """On PostgreSQL, the index as migration 0006 made it."""
    _rebuild("(source_id, seq, id)")
