"""How many problems each ready-made filter of the side panel holds, in a few grouped queries
(no per-filter count: 100,000 problems and ~40 filters must still answer in well under a second)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select

from tracker import clock, rules
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Problem, Source
from tracker.domain import ProblemFilter, Status
from tracker.services.query_filter import unit_problem_counts
from tracker.services.queries import filter_clause


@dataclass(frozen=True)
class NamedCount:
    """One entry of a grouped list: a source, unit or category with its number of problems."""

    key: int | str
    name: str
    count: int


@dataclass(frozen=True)
class FilterCounts:
    """Counts for the side panel, as of one day and with the two due-soon horizons."""

    as_of: dt.date
    total: int
    overdue: int
    due_soon: int
    due_later: int
    by_status: tuple[tuple[Status, int], ...]
    by_source: tuple[NamedCount, ...]
    by_unit: tuple[NamedCount, ...]
    by_category: tuple[NamedCount, ...]
    recheck_due: int = 0  # closed out long enough ago for 回头看, not rechecked since

    def status_count(self, status: Status) -> int:
        """How many problems have ``status`` (0 when none)."""
        return dict(self.by_status).get(status, 0)


def filter_counts(
    ledger: Ledger, as_of: dt.date | None = None, soon_days: int = 7, later_days: int = 30,
    recheck_months: int | None = None,
) -> FilterCounts:
    """Counts matching ProblemFilter(overdue=True), ProblemFilter(due_within_days=n), each
    status, each source, each lead unit (of the problem or any measure) and each category."""
    day = as_of or clock.today()
    od = Problem.open_deadline

    def flag(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    with ledger.read() as s:
        head = s.execute(select(
            func.count(),
            flag(rules.overdue_sql(od, day)),
            flag(rules.due_within_sql(od, day, soon_days)),
            flag(rules.due_within_sql(od, day, later_days)),
        ).select_from(Problem)).one()
        recheck = 0
        if recheck_months is not None:
            due = filter_clause(s, ProblemFilter(as_of=day, recheck_due_months=recheck_months))
            recheck = s.scalar(select(func.count()).select_from(Problem).where(due)) or 0
        statuses = {st.value: st for st in Status}
        by_status = dict(s.execute(
            select(Problem.status, func.count()).group_by(Problem.status)).all())
        src_counts = dict(s.execute(
            select(Problem.source_id, func.count()).group_by(Problem.source_id)).all())
        sources = s.execute(select(Source.id, Source.title, Source.kind, Source.year)
                            .order_by(Source.year.desc().nulls_last(), Source.id)).all()
        cat_counts = dict(s.execute(
            select(Problem.category_id, func.count()).group_by(Problem.category_id)).all())
        cats = s.execute(select(Category.id, Category.name)
                         .order_by(Category.position, Category.id)).all()
        # Units as `--unit` sees them: leading the problem or a measure, or co-operating.
        units = unit_problem_counts(s)
    return FilterCounts(
        as_of=day, total=int(head[0]), overdue=int(head[1]), due_soon=int(head[2]),
        due_later=int(head[3]),
        by_status=tuple((st, int(by_status.get(st.value, 0))) for st in statuses.values()),
        by_source=tuple(
            NamedCount(sid, rules.source_label(title, kind, year),
                       int(src_counts.get(sid, 0)))
            for sid, title, kind, year in sources),
        by_unit=tuple(NamedCount(name, name, int(n)) for name, n in units),
        by_category=tuple(NamedCount(cid, name, int(cat_counts.get(cid, 0)))
                          for cid, name in cats),
        recheck_due=int(recheck),
    )
