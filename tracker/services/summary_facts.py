"""What the summary counts, read from the ledger: per problem the three values its place in
the report sentence depends on, grouped in SQL for today, rebuilt from history for a past day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from tracker.db.engine import Ledger
from tracker.db.orm import Extension, Measure, Problem, Unit
from tracker.domain import ProblemFilter, Status
from tracker.services.as_of import is_past, problems_as_of
from tracker.services.queries import filter_clause

_STATUSES = {st.value: st for st in Status}


@dataclass(frozen=True)
class ProblemFacts:
    """The stored values a problem's place in the summary depends on."""

    status: Status
    deadline: dt.date | None
    open_deadline: dt.date | None


@dataclass(frozen=True)
class SummaryFacts:
    """Problems grouped by their facts, with how many share each, and the measure count."""

    groups: tuple[tuple[ProblemFacts, int], ...]
    measures: int
    extended: int = 0  # measures whose deadline was extended (延期) by the day


@dataclass(frozen=True)
class UnitFacts:
    """Per problem its facts, and the (problem, unit) pairs of lead units (problem or measure)."""

    facts: dict[int, ProblemFacts]
    links: tuple[tuple[int, str], ...]
    extended: dict[int, int] = field(default_factory=dict)  # problem id -> extended measures


def summary_facts(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> SummaryFacts:
    """Facts of the problems ``flt`` selects as they stood on ``day``."""
    if is_past(day):
        rows = problems_as_of(ledger, flt, day)
        counted = Counter(ProblemFacts(p.status, p.deadline, p.open_deadline) for p in rows)
        extended = sum(_extended(ledger, [p.id for p in rows], day).values())
        return SummaryFacts(tuple(counted.items()), sum(len(p.measures) for p in rows), extended)
    with ledger.read() as s:
        where = filter_clause(s, flt)
        grouped = s.execute(
            select(Problem.status, Problem.deadline, Problem.open_deadline, func.count())
            .where(where).group_by(Problem.status, Problem.deadline, Problem.open_deadline)
        ).all()
        n_measures = s.scalar(
            select(func.count()).select_from(Measure)
            .where(Measure.problem_id.in_(select(Problem.id).where(where)))
        ) or 0
        extended = s.scalar(
            select(func.count(func.distinct(Extension.measure_id)))
            .join(Measure, Extension.measure_id == Measure.id)
            .where(Measure.problem_id.in_(select(Problem.id).where(where)), Extension.on <= day)
        ) or 0
    return SummaryFacts(
        tuple((ProblemFacts(_STATUSES[r[0]], r[1], r[2]), r[3]) for r in grouped), n_measures,
        extended)


def _extended(ledger: Ledger, ids: list[int], day: dt.date) -> dict[int, int]:
    """Per problem, how many of its measures had been extended by ``day``."""
    out: dict[int, int] = {}
    with ledger.read() as s:
        for start in range(0, len(ids), 900):
            out.update(s.execute(
                select(Measure.problem_id, func.count(func.distinct(Extension.measure_id)))
                .join(Measure, Extension.measure_id == Measure.id)
                .where(Measure.problem_id.in_(ids[start:start + 900]), Extension.on <= day)
                .group_by(Measure.problem_id)).all())  # type: ignore[arg-type]
    return out


def unit_facts(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> UnitFacts:
    """Facts per problem and its lead units (of the problem or any measure) on ``day``."""
    if is_past(day):
        rows = problems_as_of(ledger, flt, day)
        links = {(p.id, u) for p in rows
                 for u in [p.lead_unit, *(m.lead_unit for m in p.measures)] if u}
        return UnitFacts({p.id: ProblemFacts(p.status, p.deadline, p.open_deadline)
                          for p in rows}, tuple(sorted(links)),
                         _extended(ledger, [p.id for p in rows], day))
    with ledger.read() as s:
        where = filter_clause(s, flt)
        facts = {r[0]: ProblemFacts(_STATUSES[r[1]], r[2], r[3]) for r in s.execute(
            select(Problem.id, Problem.status, Problem.deadline, Problem.open_deadline)
            .where(where))}
        pairs = s.execute(
            select(Problem.id, Unit.name).join(Unit, Problem.lead_unit_id == Unit.id).where(where)
            .union(select(Measure.problem_id, Unit.name).join(Unit, Measure.lead_unit_id == Unit.id)
                   .where(Measure.problem_id.in_(select(Problem.id).where(where))))
        ).all()
    return UnitFacts(facts, tuple((int(pid), str(name)) for pid, name in pairs),
                     _extended(ledger, list(facts), day))
