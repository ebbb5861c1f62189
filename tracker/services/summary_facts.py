"""What the summary counts, read from the ledger: per problem the three values its place in
the report sentence depends on (today's: counted from narrow rows on a file, grouped by the
server), rebuilt from history for a past day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Executable, func, select
from sqlalchemy.orm import Session

from tracker.db.engine import Ledger
from tracker.db.orm import Extension, Measure, Problem, Unit
from tracker.domain import ProblemFilter
from tracker.services.as_of import is_past, problems_as_of
from tracker.services.queries import filter_clause
from tracker.services.driver_rows import driver_rows
from tracker.services.unit_table import summary_and_tallies
from tracker.summary_model import STATUSES, ProblemFacts, SummaryFacts, UnitFacts, day_of
from tracker.units import split_co_units

_STATUSES = STATUSES


def summary_facts(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> SummaryFacts:
    """Facts of the problems ``flt`` selects as they stood on ``day`` (today's and a later
    day's read with the unit table's statements, the table left out)."""
    if is_past(day):
        rows = problems_as_of(ledger, flt, day)
        counted = Counter(ProblemFacts(p.status, p.deadline, p.open_deadline) for p in rows)
        extended = sum(_extended(ledger, [p.id for p in rows], day).values())
        return SummaryFacts(tuple(counted.items()), sum(len(p.measures) for p in rows), extended)
    if ledger.is_server:  # its hash aggregate sends a few hundred rows, not every problem's
        return _grouped_on_server(ledger, flt, day)
    return summary_and_tallies(ledger, flt, day, by_unit=False)[0]


def _grouped_on_server(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> SummaryFacts:
    """Today's facts grouped by the server (status, deadline, open deadline), counted there."""
    with ledger.read() as s:
        where = filter_clause(s, flt)
        grouped = driver_rows(s, select(Problem.status, Problem.deadline, Problem.open_deadline,
                                        func.count())
                              .where(where)
                              .group_by(Problem.status, Problem.deadline, Problem.open_deadline))
        mine = Measure.problem_id.in_(select(Problem.id).where(where))
        n_measures = s.scalar(select(func.count()).select_from(Measure).where(mine)) or 0
        extended = s.scalar(select(func.count(func.distinct(Extension.measure_id)))
                            .join(Measure, Extension.measure_id == Measure.id)
                            .where(mine, Extension.on <= day)) or 0
    return SummaryFacts(tuple((ProblemFacts(_STATUSES[st], day_of(d), day_of(o)), n)
                              for st, d, o, n in grouped), int(n_measures), int(extended))


def _extended_query(which: ColumnElement[bool], day: dt.date) -> Executable:
    """Per problem (of those ``which`` selects by measure), its measures extended by ``day``."""
    return (select(Measure.problem_id, func.count(func.distinct(Extension.measure_id)))
            .join(Measure, Extension.measure_id == Measure.id)
            .where(which, Extension.on <= day).group_by(Measure.problem_id))


def _extended(ledger: Ledger, ids: list[int], day: dt.date) -> dict[int, int]:
    """Per problem, how many of its measures had been extended by ``day``."""
    out: dict[int, int] = {}
    with ledger.read() as s:
        for start in range(0, len(ids), 900):
            out.update(s.execute(_extended_query(Measure.problem_id.in_(ids[start:start + 900]),
                                                 day)).all())  # type: ignore[arg-type]
    return out


_day = day_of


def _facts_by_id(s: Session, where: ColumnElement[bool]) -> dict[int, ProblemFacts]:
    """Each selected problem's facts; problems with the same facts share one ProblemFacts
    (100,000 problems have a few hundred distinct ones)."""
    shared: dict[tuple[Any, Any, Any], ProblemFacts] = {}
    out: dict[int, ProblemFacts] = {}
    for pid, status, deadline, open_deadline in driver_rows(
            s, select(Problem.id, Problem.status, Problem.deadline, Problem.open_deadline)
            .where(where)):
        key = (status, deadline, open_deadline)
        facts = shared.get(key)
        if facts is None:
            facts = shared[key] = ProblemFacts(_STATUSES[status], _day(deadline),
                                               _day(open_deadline))
        out[pid] = facts
    return out


def unit_facts(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> UnitFacts:
    """Facts per problem and its lead units (of the problem or any measure) on ``day``."""
    if is_past(day):
        rows = problems_as_of(ledger, flt, day)
        links = {(p.id, u) for p in rows
                 for u in [p.lead_unit, *(m.lead_unit for m in p.measures)] if u}
        co = _co_links((p.id, t) for p in rows for t in [p.co_units, *(m.co_units for m in p.measures)])
        return UnitFacts({p.id: ProblemFacts(p.status, p.deadline, p.open_deadline)
                          for p in rows}, tuple(sorted(links)),
                         _extended(ledger, [p.id for p in rows], day), co)
    with ledger.read() as s:
        where = filter_clause(s, flt)
        facts = _facts_by_id(s, where)
        extended = dict(driver_rows(s, _extended_query(
            Measure.problem_id.in_(select(Problem.id).where(where)), day)))
        pairs = driver_rows(
            s,
            select(Problem.id, Unit.name).join(Unit, Problem.lead_unit_id == Unit.id).where(where)
            .union(select(Measure.problem_id, Unit.name).join(Unit, Measure.lead_unit_id == Unit.id)
                   .where(Measure.problem_id.in_(select(Problem.id).where(where))))
        )
        co_texts = driver_rows(s,
            select(Problem.id, Problem.co_units).where(where, Problem.co_units != "")
            .union_all(select(Measure.problem_id, Measure.co_units)
                       .where(Measure.problem_id.in_(select(Problem.id).where(where)),
                              Measure.co_units != "")))
    return UnitFacts(facts, tuple((int(pid), str(name)) for pid, name in pairs),
                     extended, _co_links(co_texts))


def _co_links(texts: Iterable[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """(problem, co-unit) pairs, once each, from stored co_units texts ("A、B")."""
    names: dict[str, tuple[str, ...]] = {}  # each distinct text split once: a ledger repeats them
    pairs: set[tuple[int, str]] = set()
    for pid, text in texts:
        if text:
            split = names.get(text)
            if split is None:
                split = names[text] = split_co_units(text)
            pairs.update((int(pid), name) for name in split)
    return tuple(sorted(pairs))
