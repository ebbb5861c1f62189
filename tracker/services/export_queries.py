"""What an export asks of the ledger before writing its first row: the longest stored value
of each short column, so the sheet's column widths fit without reading every problem twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, func, select

from tracker import rules
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Measure, Problem, Source, Unit
from tracker.domain import ProblemFilter
from tracker.services.queries import filter_clause


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
