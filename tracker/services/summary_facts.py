"""What the summary counts, read from the ledger: per problem the three values its place in
the report sentence depends on, grouped in SQL for today, rebuilt from history for a past day."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Executable, func, select
from sqlalchemy.orm import Session

from tracker.db.engine import Ledger
from tracker.db.orm import Extension, Measure, Problem, Unit
from tracker.domain import ProblemFilter, Status
from tracker.services.as_of import is_past, problems_as_of
from tracker.services.queries import filter_clause
from tracker.units import split_co_units

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
    """Per problem its facts, the (problem, unit) pairs of lead units (problem or measure) and
    of co-units (配合单位 of the problem or a measure)."""

    facts: dict[int, ProblemFacts]
    links: tuple[tuple[int, str], ...]
    extended: dict[int, int] = field(default_factory=dict)  # problem id -> extended measures
    co_links: tuple[tuple[int, str], ...] = ()


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


def _cursor_rows(s: Session, stmt: Executable) -> list[Any]:
    """The statement's rows as the driver's tuples: 100,000 SQLAlchemy Rows (and their date
    processing) cost more than the counting."""
    result = s.connection().execute(stmt)
    try:
        return result.cursor.fetchall()  # type: ignore[union-attr, return-value]
    finally:
        result.close()


_DAYS: dict[Any, dt.date | None] = {None: None}


def _day(value: Any) -> dt.date | None:
    """A date column off the cursor (sqlite3: ISO text; PostgreSQL: a date), memoised."""
    found = _DAYS.get(value, False)
    if found is False:
        found = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if len(_DAYS) < 100_000:
            _DAYS[value] = found
    return found  # type: ignore[return-value]


def _facts_by_id(s: Session, where: ColumnElement[bool]) -> dict[int, ProblemFacts]:
    """Each selected problem's facts; problems with the same facts share one ProblemFacts
    (100,000 problems have a few hundred distinct ones)."""
    shared: dict[tuple[Any, Any, Any], ProblemFacts] = {}
    out: dict[int, ProblemFacts] = {}
    for pid, status, deadline, open_deadline in _cursor_rows(
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
        extended = dict(_cursor_rows(s, _extended_query(
            Measure.problem_id.in_(select(Problem.id).where(where)), day)))
        pairs = _cursor_rows(
            s,
            select(Problem.id, Unit.name).join(Unit, Problem.lead_unit_id == Unit.id).where(where)
            .union(select(Measure.problem_id, Unit.name).join(Unit, Measure.lead_unit_id == Unit.id)
                   .where(Measure.problem_id.in_(select(Problem.id).where(where))))
        )
        co_texts = _cursor_rows(s,
            select(Problem.id, Problem.co_units).where(where, Problem.co_units != "")
            .union_all(select(Measure.problem_id, Measure.co_units)
                       .where(Measure.problem_id.in_(select(Problem.id).where(where)),
                              Measure.co_units != "")))
    return UnitFacts(facts, tuple((int(pid), str(name)) for pid, name in pairs),
                     extended, _co_links(co_texts))


@dataclass(frozen=True)
class UnitTallies:
    """unit_facts counted for the per-unit table: per (lead unit, facts) how many problems
    and how many of their measures were extended, and per unit how many problems it only
    co-operates on (配合, leading none of it)."""

    leads: tuple[tuple[str, ProblemFacts, int, int], ...]
    cooperating: dict[str, int]


def tallies_of(found: UnitFacts) -> UnitTallies:
    """The tallies of per-problem facts (a past day's, rebuilt from history)."""
    leads: Counter[tuple[str, ProblemFacts]] = Counter()
    extended: Counter[tuple[str, ProblemFacts]] = Counter()
    for pid, unit in found.links:
        key = (unit, found.facts[pid])
        leads[key] += 1
        extended[key] += found.extended.get(pid, 0)
    lead_pairs = set(found.links)
    cooperating: Counter[str] = Counter(
        unit for pid, unit in found.co_links if pid in found.facts and (pid, unit) not in lead_pairs)
    return UnitTallies(tuple((u, f, n, extended[u, f]) for (u, f), n in leads.items()),
                       dict(cooperating))


def unit_tallies(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> UnitTallies:
    """tallies_of(unit_facts(...)) for today or a later day (a past day's facts are rebuilt
    from history: tallies_of those), from narrow driver tuples (no union, no per-problem
    object) counted by (unit, facts), so that classify runs once per group. SQLite's own
    GROUP BY sorts 100,000 rows by all four keys and costs more than hashing them here."""
    with ledger.read() as s:
        where = filter_clause(s, flt)
        problems = _cursor_rows(s, select(Problem.id, Problem.lead_unit_id, Problem.status,
                                          Problem.deadline, Problem.open_deadline,
                                          Problem.co_units).where(where))
        # A measure led by its problem's own lead unit adds no link: left out in SQL.
        measure_leads = set(_cursor_rows(
            s, select(Measure.problem_id, Measure.lead_unit_id)
            .join(Problem, Problem.id == Measure.problem_id)
            .where(where, Measure.lead_unit_id.is_not(None),
                   Measure.lead_unit_id.is_distinct_from(Problem.lead_unit_id))))
        measure_co = _cursor_rows(
            s, select(Measure.problem_id, Measure.co_units)
            .join(Problem, Problem.id == Measure.problem_id)
            .where(where, Measure.co_units != ""))
        extended: dict[Any, int] = dict(_cursor_rows(s, _extended_query(
            Measure.problem_id.in_(select(Problem.id).where(where)), day)))
        names: dict[Any, str] = dict(_cursor_rows(s, select(Unit.id, Unit.name)))
    key_of: dict[Any, tuple[Any, Any, Any]] = {}
    lead_of: dict[Any, Any] = {}
    co_texts: dict[Any, set[str]] = defaultdict(set)
    for pid, unit, status, deadline, open_deadline, co in problems:
        key_of[pid] = (status, deadline, open_deadline)
        lead_of[pid] = unit
        if co:
            co_texts[pid].add(co)
    for pid, text in measure_co:
        co_texts[pid].add(text)
    pairs = [(pid, unit) for pid, unit in lead_of.items() if unit in names]
    pairs += [(pid, unit) for pid, unit in measure_leads if unit in names]
    counted = Counter((unit, key_of[pid]) for pid, unit in pairs)
    n_extended: Counter[tuple[Any, tuple[Any, Any, Any]]] = Counter()
    if extended:
        for pid, unit in pairs:
            if pid in extended:
                n_extended[unit, key_of[pid]] += extended[pid]
    shared: dict[tuple[Any, Any, Any], ProblemFacts] = {}
    leads: list[tuple[str, ProblemFacts, int, int]] = []
    for (unit, key), n in counted.items():
        facts = shared.get(key)
        if facts is None:
            status, deadline, open_deadline = key
            facts = shared[key] = ProblemFacts(_STATUSES[status], _day(deadline),
                                               _day(open_deadline))
        leads.append((names[unit], facts, n, n_extended[unit, key]))
    return UnitTallies(tuple(leads), _cooperating(co_texts, lead_of, measure_leads, names))


def _cooperating(co_texts: dict[Any, set[str]], lead_of: dict[Any, Any],
                 measure_leads: set[tuple[Any, Any]], names: dict[Any, str]) -> dict[str, int]:
    """Per unit, the problems it is a co-unit of (of the problem or a measure) but leads none
    of: problems alike in co-unit texts and lead units are counted together, each such group
    split and compared once (a ledger repeats its co-unit texts)."""
    extra: dict[Any, list[Any]] = defaultdict(list)
    for pid, unit in measure_leads:
        extra[pid].append(unit)
    alike: Counter[tuple[frozenset[str], Any, tuple[Any, ...]]] = Counter(
        (frozenset(texts), lead_of[pid], tuple(sorted(extra.get(pid, ()))))
        for pid, texts in co_texts.items())
    split: dict[str, tuple[str, ...]] = {}
    out: Counter[str] = Counter()
    for (texts, lead, more), n in alike.items():
        co: set[str] = set()
        for text in texts:
            if text not in split:
                split[text] = split_co_units(text)
            co.update(split[text])
        co.difference_update(names[u] for u in (lead, *more) if u in names)
        for name in co:
            out[name] += n
    return dict(out)


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
