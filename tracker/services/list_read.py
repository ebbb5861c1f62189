"""`rectify list` and `list --json` read as the driver's tuples: the same WHERE as every other
read (queries.filter_clause) and the same order (source, 序号, id), but no Row, ProblemLine or
ProblemRow object per problem. At 100,000 problems and 230,000 measures building those cost
more than reading the rows.

The list's rows come from a plain scan of the problem table put in the list's order by an
index-only query of the ids (walking the (source_id, seq) index and looking each wide row up
costs a third more than a scan). `list --json` reads a chunk of problems at a time with their
measures, extensions and evidence: SQLAlchemy selects compiled once for SQLite, each chunk's
ids bound as parameters, so memory stays flat. The rules (overdue, source names, extension
words) stay with their owners in tracker.rules and the row classes; tests compare this path's
output with the service path's byte for byte (tests/core/test_list_fast.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session, aliased

from tracker import rules
from tracker.closeout_model import EvidenceRow, ExtensionRow
from tracker.db.engine import Ledger
from tracker.db.orm import Category, Evidence, Extension, Measure, Problem, Source, Unit
from tracker.domain import ProblemFilter
from tracker.services.queries import _day, filter_clause, ledger_order
from tracker.services.driver_rows import driver_rows

_MeasureUnit = aliased(Unit)
_IDS = "__chunk_ids__"  # stands for a chunk's "?, ?, …" in the compiled SQL
# The list's order, as lookup.numbered_lines sorts it (an index-only walk of ix_problem_source_seq).


@dataclass(frozen=True)
class ListRows:
    """`rectify list`'s rows in order, each (id, seq, source id, description, lead unit id,
    deadline text, status value, overdue 1/0/None, measures done, measures total), and the
    names the ids stand for (a ledger has a handful of sources and units)."""

    rows: list[tuple[Any, ...]]
    sources: dict[Any, str]
    units: dict[Any, str]


def list_rows(ledger: Ledger, flt: ProblemFilter, as_of: dt.date) -> ListRows:
    """The problems ``flt`` selects, as `rectify list` prints them, overdue as of ``as_of``;
    on both stores (one snapshot: the ids and the rows are read in the same transaction)."""
    cols = (Problem.id, Problem.seq, Problem.source_id, Problem.description,
            Problem.lead_unit_id, Problem.deadline_text, Problem.status,
            rules.overdue_sql(Problem.open_deadline, as_of), Problem.measures_done,
            Problem.measures_total)
    with ledger.read() as s:
        where = filter_clause(s, flt)
        sources: dict[int | None, str] = {
            sid: rules.source_label(title, kind, year) for sid, title, kind, year in
            driver_rows(s, select(Source.id, Source.title, Source.kind, Source.year))}
        units: dict[int | None, str] = dict(driver_rows(s, select(Unit.id, Unit.name)))
        ids = driver_rows(s, select(Problem.id).where(where)
                          .order_by(*ledger_order(ledger.dialect)))
        result = s.connection().execute(select(*cols).where(where))
        try:
            by_id = {r[0]: r for r in result.cursor}  # type: ignore[union-attr, attr-defined]
        finally:
            result.close()
    return ListRows([by_id[i] for (i,) in ids], sources, units)


# list --json, per chunk of problem ids: what problem_json and _measure_json show.
JSON_PROBLEMS = (
    select(Problem.id, Problem.seq, Source.title, Source.kind, Source.year, Category.name,
           Problem.description, Problem.status, Problem.deadline, Problem.open_deadline,
           Unit.name, Problem.owner, Problem.leader, Problem.co_units, Problem.created_at,
           Problem.closeout_on, Problem.closeout_by)
    .select_from(Problem)
    .outerjoin(Source, Problem.source_id == Source.id)
    .outerjoin(Category, Problem.category_id == Category.id)
    .outerjoin(Unit, Problem.lead_unit_id == Unit.id)
    .where(Problem.id.in_([literal_column(_IDS)]))
)
JSON_MEASURES = (
    select(Measure.id, Measure.problem_id, Measure.text, _MeasureUnit.name, Measure.co_units,
           Measure.owner, Measure.deadline, Measure.deadline_text, Measure.status,
           Measure.percent, Measure.done_on)
    .outerjoin(_MeasureUnit, Measure.lead_unit_id == _MeasureUnit.id)
    .where(Measure.problem_id.in_([literal_column(_IDS)]))
    .order_by(Measure.problem_id, Measure.position, Measure.id)
)
# Oldest first: the first one holds the measure's original deadline.
JSON_EXTENSIONS = (
    select(Extension.id, Extension.measure_id, Extension.from_date, Extension.from_text,
           Extension.to_date, Extension.to_text, Extension.reason, Extension.approved_by,
           Extension.on)
    .join(Measure, Extension.measure_id == Measure.id)
    .where(Measure.problem_id.in_([literal_column(_IDS)]))
    .order_by(Extension.measure_id, Extension.id)
)
JSON_EVIDENCE = (
    select(Evidence.id, Evidence.problem_id, Evidence.measure_id, Evidence.name, Evidence.size,
           Evidence.sha256, Evidence.added_on, Evidence.added_by, Evidence.note)
    .where(Evidence.problem_id.in_([literal_column(_IDS)]))
    .order_by(Evidence.problem_id, Evidence.id)
)


@dataclass(frozen=True)
class JsonChunk:
    """One chunk of `list --json`: the problems' tuples in list order (JSON_PROBLEMS'
    columns), their measures' tuples by problem (JSON_MEASURES'), and their extensions and
    evidence as the rows the services return."""

    problems: list[tuple[Any, ...]]
    measures: dict[int, list[tuple[Any, ...]]]
    extensions: dict[int, list[ExtensionRow]]
    evidence: dict[int, list[EvidenceRow]]


# The one memoised reading of a date column's text, shared with the service path.
day = _day


class JsonReader:
    """The SQL of `list --json` compiled once for a SQLite ledger and run on the session's
    own sqlite3 connection (so in its snapshot), a chunk of problem ids bound at a time."""

    def __init__(self, session: Session) -> None:
        self._conn = session.connection()
        dialect = self._conn.dialect
        self._raw: Any = self._conn.connection.driver_connection
        self._sql = [str(q.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                     for q in (JSON_PROBLEMS, JSON_MEASURES, JSON_EXTENSIONS, JSON_EVIDENCE)]

    def _run(self, sql: str, ids: Sequence[int]) -> list[tuple[Any, ...]]:
        marks = ", ".join("?" * len(ids))
        rows: list[tuple[Any, ...]] = self._raw.execute(sql.replace(_IDS, marks),
                                                        tuple(ids)).fetchall()
        return rows

    def chunk(self, ids: Sequence[int]) -> JsonChunk:
        """These problems (in this order; one deleted meanwhile is skipped) and theirs."""
        p_sql, m_sql, x_sql, e_sql = self._sql
        found = {t[0]: t for t in self._run(p_sql, ids)}
        measures: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for m in self._run(m_sql, ids):
            measures[m[1]].append(m)
        extensions: dict[int, list[ExtensionRow]] = defaultdict(list)
        for x in self._run(x_sql, ids):
            extensions[x[1]].append(ExtensionRow(x[0], x[1], day(x[2]), x[3], day(x[4]), x[5],
                                                 x[6], x[7], day(x[8])))  # type: ignore[arg-type]
        evidence: dict[int, list[EvidenceRow]] = defaultdict(list)
        for e in self._run(e_sql, ids):
            added_on: Any = day(e[6])  # never NULL
            evidence[e[1]].append(EvidenceRow(e[0], e[1], e[2], e[3], e[4], e[5], added_on,
                                              e[7], e[8]))
        return JsonChunk([found[i] for i in ids if i in found], measures, extensions, evidence)


def json_chunks(ledger: Ledger, flt: ProblemFilter, size: int) -> Iterator[JsonChunk] | None:
    """`list --json`'s problems (the list's order) ``size`` at a time, in one read; None for
    a server ledger (the service path serves it)."""
    if ledger.is_server:
        return None
    return _chunks(ledger, flt, size)


def _chunks(ledger: Ledger, flt: ProblemFilter, size: int) -> Iterator[JsonChunk]:
    with ledger.read() as s:
        ids = [i for (i,) in driver_rows(
            s, select(Problem.id).where(filter_clause(s, flt))
            .order_by(*ledger_order(ledger.dialect)))]
        reader = JsonReader(s)
        for start in range(0, len(ids), size):
            yield reader.chunk(ids[start:start + size])
