"""Sort indexes that PostgreSQL can walk: the same names as migration 0003 (and the
source/seq index of 0001), with the id tie-breaker at the end and, for the two expression
indexes, the columns the expression reads carried along (INCLUDE). A no-op on SQLite.

Why: every ORDER BY of tracker.services.queries ends in ``problem.id``. SQLite stores the
rowid at the end of every index entry, so its indexes already end in id; PostgreSQL's do not,
and without id the planner sorted all 100,000 problems (an on-disk merge with the default
4 MB work_mem) instead of reading an index in order: 180-500 ms per header click. And an
index-only scan needs every column the query reads to be stored in the index: an expression
alone is not, so the status and progress sorts also fetched every table row.
And the description index of 0003 becomes a hash index there (see INDEXES), and the
source/seq index puts problems without a source first, as SQLite does.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUS_RANK = ("CASE status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 "
               "WHEN 'ongoing' THEN 2 WHEN 'done' THEN 3 WHEN 'closed' THEN 4 ELSE 9 END")
PROGRESS_PG = "measures_done * 1.0 / GREATEST(measures_total, 1)"

# name: (index body before this revision, index body from this revision on), all on problem.
INDEXES = {
    # NULLs first, as SQLite sorts them: problems without a source lead the ledger's own
    # order on both stores (queries._order asks the server for NULLS FIRST).
    "ix_problem_source_seq": ("(source_id, seq)", "(source_id NULLS FIRST, seq, id)"),
    "ix_problem_unit_seq": ("(lead_unit_id, seq)", "(lead_unit_id, seq, id)"),
    "ix_problem_category_seq": ("(category_id, seq)", "(category_id, seq, id)"),
    "ix_problem_owner_seq": ("(owner, seq)", "(owner, seq, id)"),
    # Not a sort index on the server: a btree entry holds at most a third of a page (2,704
    # bytes), so a description of some 900 Chinese characters could not be saved at all.
    # A hash index has no such limit and still answers lookups by description; a sort by
    # description on the server sorts the matching rows instead.
    "ix_problem_description": ("(description)", "USING hash (description)"),
    "ix_problem_deadline_order": ("((deadline IS NULL), deadline, seq)",
                                  "((deadline IS NULL), deadline, seq, id)"),
    "ix_problem_status_order": (f"(({STATUS_RANK}), seq)",
                                f"(({STATUS_RANK}), seq, id) INCLUDE (status)"),
    "ix_problem_progress_order": (f"(({PROGRESS_PG}), seq)",
                                  f"(({PROGRESS_PG}), seq, id) "
                                  "INCLUDE (measures_done, measures_total)"),
}


def _rebuild(which: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's indexes end in the rowid already: nothing to do
    for name, bodies in INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON problem {bodies[which]}")
    # Fresh statistics, so the planner sees the new indexes as the cheap way at once.
    op.execute("ANALYZE problem")


def upgrade() -> None:
    """On PostgreSQL, rebuild the sort indexes ending in id (about a second at 100,000)."""
    _rebuild(1)


def downgrade() -> None:
    """On PostgreSQL, the indexes as migration 0003 made them."""
    _rebuild(0)
