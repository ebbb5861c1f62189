"""What an export asks of the ledger: the longest stored value of each short column (so the
sheet's column widths fit without reading every problem twice), and the problems themselves,
chunk by chunk, read straight off the driver's cursor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from tracker import rules
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Evidence, Measure, Problem, Source, Unit
from tracker.domain import ProblemFilter, ProblemRow
from tracker.services.queries import _ROW_COLS, _base, _measures_for, _row, filter_clause
from tracker.services.driver_rows import driver_rows


@dataclass(frozen=True)
class ColumnLengths:
    """Longest stored value, in characters, of each short column among the matching problems
    (the measure_* fields are over their measures); 0 where nothing is stored."""

    count: int
    source: int
    category: int
    lead_unit: int
    co_units: int
    leader: int
    owner: int
    remarks: int
    deadline_text: int
    measure_lead_unit: int
    measure_deadline_text: int
    measure_deadline: int  # the stored date's length: non-zero when any measure has a date
    measure_co_units: int
    measure_owner: int
    overdue: int  # how many of the problems are overdue on the day asked


def column_lengths(ledger: Ledger, flt: ProblemFilter, as_of: dt.date) -> ColumnLengths:
    """Three aggregate queries over the filter: problems, their measures, and the overdue."""
    with ledger.read() as s:
        where = filter_clause(s, flt)
        ids = select(Problem.id).where(where)
        p = s.execute(
            select(func.count(), func.max(func.length(Source.title)),
                   func.max(func.length(Category.name)), func.max(func.length(Unit.name)),
                   func.max(func.length(Problem.co_units)), func.max(func.length(Problem.leader)),
                   func.max(func.length(Problem.owner)), func.max(func.length(Problem.remarks)),
                   func.max(func.length(Problem.deadline_text)))
            .select_from(Problem)
            .outerjoin(Source, Problem.source_id == Source.id)
            .outerjoin(Category, Problem.category_id == Category.id)
            .outerjoin(Unit, Problem.lead_unit_id == Unit.id)
            .where(where)
        ).one()
        m = s.execute(
            select(func.max(func.length(Unit.name)), func.max(func.length(Measure.deadline_text)),
                   func.max(func.length(cast(Measure.deadline, String))), func.max(func.length(Measure.co_units)),
                   func.max(func.length(Measure.owner)))
            .select_from(Measure).outerjoin(Unit, Measure.lead_unit_id == Unit.id)
            .where(Measure.problem_id.in_(ids))
        ).one()
        overdue = s.scalar(select(func.count()).select_from(Problem)
                           .where(where, rules.overdue_sql(Problem.open_deadline, as_of)))
    pl = [int(v or 0) for v in p]
    ml = [int(v or 0) for v in m]
    return ColumnLengths(
        count=pl[0], source=pl[1], category=pl[2], lead_unit=pl[3], co_units=pl[4],
        leader=pl[5], owner=pl[6], remarks=pl[7], deadline_text=pl[8],
        measure_lead_unit=ml[0], measure_deadline_text=ml[1], measure_deadline=ml[2],
        measure_co_units=ml[3], measure_owner=ml[4], overdue=int(overdue or 0))




class _DriverRows:
    """Hands queries._measures_for the driver's tuples for its statements instead of
    SQLAlchemy Row objects (it reads them by position): the same SQL and row builders as
    list_problems, without a Row per measure, note and extension."""

    def __init__(self, s: Session) -> None:
        self.s = s

    def execute(self, q: Any) -> list[Any]:
        """The statement's rows, as tuples."""
        return driver_rows(self.s, q)


def export_problems(ledger: Ledger, ids: Sequence[int]) -> list[ProblemRow]:
    """The problems ``ids`` in that order (those deleted meanwhile skipped), each with its
    measures, progress notes and evidence names: list_problems(with_notes=True) and
    evidence_by_problem in one short read. The same columns and row builders as
    list_problems (tracker.services.queries), so the two cannot drift apart."""
    if not ids:
        return []
    with ledger.read() as s:
        measures = _measures_for(_DriverRows(s), Measure.problem_id.in_(ids), True)  # type: ignore[arg-type]
        found = {t[0]: t for t in driver_rows(s, _base(_ROW_COLS).where(Problem.id.in_(ids)))}
        names: dict[int, list[str]] = {}
        for pid, name in driver_rows(s, select(Evidence.problem_id, Evidence.name)
                                      .where(Evidence.problem_id.in_(ids))
                                      .order_by(Evidence.problem_id, Evidence.id)):
            names.setdefault(pid, []).append(name)
    out = []
    no_measures: tuple[Any, ...] = ()
    for pid in ids:
        t = found.get(pid)
        if t is None:
            continue
        row = _row(t, measures.get(pid, no_measures))
        if pid in names:  # rare: one more copy of the row for the problems with evidence
            row = replace(row, evidence_names=tuple(names[pid]))
        out.append(row)
    return out


def any_percent(ledger: Ledger, ids: Sequence[int]) -> bool:
    """Whether any measure of these problems states a 完成进度 (the column is then printed)."""
    with ledger.read() as s:
        # Most ledgers never state one: one indexed probe answers before any id is sent.
        if s.scalar(select(Measure.id).where(Measure.percent.is_not(None)).limit(1)) is None:
            return False
        for start in range(0, len(ids), 900):
            q = (select(Measure.id).where(Measure.percent.is_not(None),
                                          Measure.problem_id.in_(ids[start:start + 900])).limit(1))
            if s.scalar(q) is not None:
                return True
    return False
