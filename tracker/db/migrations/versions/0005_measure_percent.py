"""完成进度 on a measure: a progress percent (0–100) read from a ledger's 完成进度 column or set in
the editor; NULL when nobody stated one (most ledgers never do). And co-units in one spelling:
folded names joined by "、" (tracker.units), which the `--unit` filter matches name by name.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

from tracker.rules import MeasureWords, problem_search_text
from tracker.units import canonical_co_units

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None
CHUNK = 900

_UNIT = sa.table("unit", sa.column("id", sa.Integer()), sa.column("name", sa.Text()))
_PROBLEM = sa.table("problem", *(sa.column(c, sa.Text()) for c in (
    "description", "goal", "remarks", "owner", "leader", "co_units", "search_text")),
    sa.column("id", sa.Integer()), sa.column("lead_unit_id", sa.Integer()))
_MEASURE = sa.table("measure", *(sa.column(c, sa.Text()) for c in (
    "text", "owner", "co_units", "deadline_text")), sa.column("id", sa.Integer()),
    sa.column("problem_id", sa.Integer()), sa.column("lead_unit_id", sa.Integer()),
    sa.column("position", sa.Integer()))


def upgrade() -> None:
    """Add measure.percent (nullable: an unknown percent is not 0 %); normalise co_units."""
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("percent", sa.Integer(), nullable=True))
    bind = op.get_bind()
    touched: set[int] = set()
    for t, owner in ((_PROBLEM, _PROBLEM.c.id), (_MEASURE, _MEASURE.c.problem_id)):
        rows = bind.execute(sa.select(t.c.id, owner, t.c.co_units).where(t.c.co_units != "")).all()
        # Only rows whose text changes ("A，B" -> "A、B"); versions stay: nobody edited them.
        changed = [{"row_id": rid, "canon": canonical_co_units(text)} for rid, _, text in rows
                   if canonical_co_units(text) != text]
        touched.update(pid for rid, pid, text in rows if canonical_co_units(text) != text)
        if changed:
            bind.execute(t.update().where(t.c.id == sa.bindparam("row_id"))
                         .values(co_units=sa.bindparam("canon")), changed)
    ids = sorted(touched)
    for start in range(0, len(ids), CHUNK):
        _refresh_search_texts(bind, ids[start:start + CHUNK])


def _refresh_search_texts(bind: Any, ids: list[int]) -> None:
    """The search text holds the co-units: rebuilt by the one rule, so `rectify check` agrees."""
    m_unit = _UNIT.alias("m_unit")
    words: dict[int, list[MeasureWords]] = defaultdict(list)
    for pid, text, owner, co, dtext, unit in bind.execute(
            sa.select(_MEASURE.c.problem_id, _MEASURE.c.text, _MEASURE.c.owner,
                      _MEASURE.c.co_units, _MEASURE.c.deadline_text, m_unit.c.name)
            .outerjoin(m_unit, _MEASURE.c.lead_unit_id == m_unit.c.id)
            .where(_MEASURE.c.problem_id.in_(ids))
            .order_by(_MEASURE.c.problem_id, _MEASURE.c.position, _MEASURE.c.id)):
        words[pid].append(MeasureWords(text or "", owner or "", co or "", dtext or "", unit or ""))
    updates = [{"row_id": pid, "found": problem_search_text(
        desc or "", goal or "", remarks or "", owner or "", leader or "", co or "", unit or "",
        words[pid])} for pid, desc, goal, remarks, owner, leader, co, unit in bind.execute(
            sa.select(_PROBLEM.c.id, _PROBLEM.c.description, _PROBLEM.c.goal,
                      _PROBLEM.c.remarks, _PROBLEM.c.owner, _PROBLEM.c.leader,
                      _PROBLEM.c.co_units, _UNIT.c.name)
            .outerjoin(_UNIT, _PROBLEM.c.lead_unit_id == _UNIT.c.id)
            .where(_PROBLEM.c.id.in_(ids)))]
    if updates:
        bind.execute(_PROBLEM.update().where(_PROBLEM.c.id == sa.bindparam("row_id"))
                     .values(search_text=sa.bindparam("found")), updates)


def downgrade() -> None:
    """Drop measure.percent (the co-units keep their one spelling)."""
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("percent")
