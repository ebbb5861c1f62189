"""What the summary sentence and the per-unit table count, and how rows read from a ledger
become those counts. Plain data and counting, no database and no SQLAlchemy: the services
read the rows, and so does `rectify summary`'s plain sqlite3 path
(tracker/services/summary_plain.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker import rules
from tracker.domain import Status
from tracker.units import split_co_units

STATUSES = {st.value: st for st in Status}
# Between the co-unit texts of one problem's measures, as the read joins them (never in a name).
SEP = "\x1f"


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


@dataclass(frozen=True)
class UnitState:
    """What a problem's place in the per-unit table depends on: its status, and whether it
    is overdue on the day (rules.overdue)."""

    status: Status
    overdue: bool


@dataclass(frozen=True)
class UnitTallies:
    """Per (lead unit, state) how many problems and how many of their measures were
    extended, and per unit how many problems it only co-operates on (配合, leading none)."""

    leads: tuple[tuple[str, UnitState, int, int], ...]
    cooperating: dict[str, int]


_DAYS: dict[Any, dt.date | None] = {None: None}


def day_of(value: Any) -> dt.date | None:
    """A date column off a driver cursor (sqlite3: ISO text; PostgreSQL: a date), memoised:
    a ledger has a few hundred distinct deadlines."""
    found = _DAYS.get(value, False)
    if found is False:
        found = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if len(_DAYS) < 100_000:
            _DAYS[value] = found
    return found  # type: ignore[return-value]


def tallies_of(found: UnitFacts, day: dt.date) -> UnitTallies:
    """The tallies of per-problem facts (a past day's, rebuilt from history)."""
    leads: Counter[tuple[str, UnitState]] = Counter()
    extended: Counter[tuple[str, UnitState]] = Counter()
    for pid, unit in found.links:
        f = found.facts[pid]
        key = (unit, UnitState(f.status, rules.overdue(f.open_deadline, day)))
        leads[key] += 1
        extended[key] += found.extended.get(pid, 0)
    lead_pairs = set(found.links)
    cooperating: Counter[str] = Counter(
        unit for pid, unit in found.co_links if pid in found.facts and (pid, unit) not in lead_pairs)
    return UnitTallies(tuple((u, s, n, extended[u, s]) for (u, s), n in leads.items()),
                       dict(cooperating))


def tally(by_facts: Iterable[Sequence[Any]], by_links: Iterable[Sequence[Any]] | None,
          n_measures: int, extended: Sequence[Sequence[Any]], names: dict[Any, str]
          ) -> tuple[SummaryFacts, UnitTallies | None]:
    """The sentence's facts and the unit table's tallies from the rows of the read:
    ``by_facts`` (lead unit id, status, deadline, open deadline, overdue) per problem;
    ``by_links`` (lead unit id, status, overdue, co-units, the measures' lead unit ids
    joined by ",", their co-unit texts joined by SEP) per problem, None for no table;
    ``extended`` (lead unit id, status, overdue, measures' lead ids, extended measures) per
    problem with extended measures. Rows are counted in C first (a Counter of tuples) and
    worked out once per distinct row."""
    facts = Counter(map(tuple, by_facts))
    summary = SummaryFacts(_sentence_groups(facts), n_measures, sum(int(r[4]) for r in extended))
    if by_links is None:
        return summary, None
    lead_counts: Counter[tuple[Any, Any, bool]] = Counter()
    for (unit, status, _deadline, _open, late), n in facts.items():
        lead_counts[unit, status, bool(late)] += n
    others = _OtherLeads()
    alike: Counter[tuple[Any, str, frozenset[Any]]] = Counter()
    for (unit, status, late, co, leads, cos), n in Counter(map(tuple, by_links)).items():
        more = others(leads, unit)
        for u in more:
            lead_counts[u, status, bool(late)] += n
        if co or cos:
            alike[unit, f"{co}{SEP}{cos or ''}", more] += n
    ext_units: Counter[tuple[Any, Any, bool]] = Counter()
    for unit, status, late, leads, n in extended:
        for u in {unit, *others(leads, unit)}:
            ext_units[u, status, bool(late)] += int(n)
    rows = [(names[u], _state(status, late), n, ext_units[u, status, late])
            for (u, status, late), n in lead_counts.items() if u in names]
    return summary, UnitTallies(tuple(rows), _cooperating(alike.items(), names))


_STATES: dict[tuple[Any, bool], UnitState] = {}


def _state(status: Any, late: bool) -> UnitState:
    """The shared UnitState of a stored status and overdue flag."""
    found = _STATES.get((status, late))
    if found is None:
        found = _STATES[status, late] = UnitState(STATUSES[status], late)
    return found


class _OtherLeads:
    """The measures' lead unit ids ("3,5,3") other than the problem's own, parsed once per
    distinct text."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, Any], frozenset[Any]] = {}

    def __call__(self, leads: str | None, unit: Any) -> frozenset[Any]:
        if not leads:
            return frozenset()
        found = self._seen.get((leads, unit))
        if found is None:
            found = self._seen[leads, unit] = frozenset(
                int(x) for x in leads.split(",") if x) - {unit}
        return found


def _sentence_groups(facts: Counter[tuple[Any, ...]]) -> tuple[tuple[ProblemFacts, int], ...]:
    """Problems grouped by (status, deadline, open deadline) for the sentence."""
    counted: Counter[tuple[Any, Any, Any]] = Counter()
    for (_unit, status, deadline, open_deadline, _late), n in facts.items():
        counted[status, deadline, open_deadline] += n
    return tuple((ProblemFacts(STATUSES[st], day_of(d), day_of(o)), n)
                 for (st, d, o), n in counted.items())


def _cooperating(alike: Iterable[tuple[tuple[Any, str, frozenset[Any]], int]],
                 names: dict[Any, str]) -> dict[str, int]:
    """Per unit, the problems it is a co-unit of (of the problem or a measure) but leads none
    of: problems alike in co-unit texts and lead units come counted together, each such group
    split and compared once (a ledger repeats its co-unit texts)."""
    split: dict[str, frozenset[str]] = {}
    out: Counter[str] = Counter()
    for (lead, texts, more), n in alike:
        co = split.get(texts)
        if co is None:
            co = split[texts] = frozenset(
                name for text in texts.split(SEP) if text for name in split_co_units(text))
        for name in co.difference(names[u] for u in (lead, *more) if u in names):
            out[name] += n
    return dict(out)
