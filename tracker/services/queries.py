"""Read the ledger: filtered and sorted in SQL, rows built straight from result tuples
(no ORM objects) so 100,000 problems stay fast. Every sort of the table walks an index
(migration 0003): the ORDER BY expressions here must stay exactly the indexed ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    func,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from tracker import clock, rules
from tracker.rules import source_label
from tracker.db.engine import Ledger
from tracker.db.sqlexpr import HideIndex, SqlByStore
from tracker.db.orm import (
    Category,
    Extension,
    Measure,
    Problem,
    ProgressNote,
    Source,
    Unit,
)
from tracker.domain import (
    DeadlineKind,
    MeasureRow,
    ProblemFilter,
    ProblemRow,
    ProgressNoteRow,
    Status,
)
from tracker.errors import NotFoundError
from tracker.services.query_filter import filter_clause as filter_clause  # re-exported
from tracker.services.query_filter import matching_ids as matching_ids
from tracker.services.query_filter import search_texts as search_texts
from tracker.services.query_filter import text_terms as text_terms
from tracker.services.query_filter import unit_clause as unit_clause
from tracker.services.query_filter import unit_problem_counts as unit_problem_counts

STATUS_ORDER = {s.value: i for i, s in enumerate(
    [Status.NOT_STARTED, Status.IN_PROGRESS, Status.ONGOING, Status.DONE, Status.CLOSED])}
_STATUSES = {st.value: st for st in Status}
SORT_KEYS = ("seq", "source", "category", "description", "lead_unit", "owner", "deadline",
             "status", "progress")
MeasureUnit = aliased(Unit)
# Literal SQL, not case()/bound parameters: only an expression written exactly like the one
# in an index (migration 0003) lets SQLite read the index instead of sorting 100,000 rows.
STATUS_RANK_SQL = ("CASE problem.status " + " ".join(
    f"WHEN '{value}' THEN {rank}" for value, rank in STATUS_ORDER.items()) + " ELSE 9 END")
PROGRESS_SQL = "problem.measures_done * 1.0 / max(problem.measures_total, 1)"
# PostgreSQL has no two-argument max(); GREATEST is the same value and the same expression
# as its index (migration 0003), so the sort stays an index walk there too.
PROGRESS_SQL_PG = "problem.measures_done * 1.0 / GREATEST(problem.measures_total, 1)"


def _raw(col: Any) -> Any:
    """Fetch a date column as its stored ISO text; _day() parses it. SQLAlchemy's own date
    processing costs a regex per value, which is most of the time at 100,000 rows."""
    return type_coerce(col, String)


_DAYS: dict[str, dt.date] = {}


def _day(text: str | dt.date | None) -> dt.date | None:
    """ISO text -> date, memoised: a ledger holds few distinct dates. (PostgreSQL's driver
    hands over date objects already; type_coerce adds no CAST, so they arrive as they are.)"""
    if text is None:
        return None
    if not isinstance(text, str):
        return text[0] if isinstance(text, tuple) else _as_date(text)
    d = _DAYS.get(text)
    if d is None:
        d = dt.date.fromisoformat(text[:10])
        if len(_DAYS) < 100_000:
            _DAYS[text] = d
    return d


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _stamp(text: str | dt.datetime | None) -> dt.datetime | None:
    if isinstance(text, dt.datetime):  # PostgreSQL: a datetime already
        return text
    return dt.datetime.fromisoformat(text) if text else None


def _order(sort: str, descending: bool, scan: bool = False, dialect: str = "sqlite",
           outer: bool = True) -> list[Any]:
    """ORDER BY for a sort key. ``scan``: the filter searches the text, so SQLite reads every
    row anyway; a unary + (a no-op SQLite does not see through, unlike likely()) hides the sort
    index, as walking it with a table lookup per row takes twice as long as sorting the
    matches. On PostgreSQL (``dialect``) with the other table outer-joined (``outer``), its
    NULLs come first as on SQLite; SQLite's text stays the one its indexes and ui's first
    page (tracker.services.first_page) are written for."""
    keys: dict[str, list[Any]] = {
        "seq": [Problem.source_id, Problem.seq],
        "source": [Source.title, Source.id, Problem.seq],
        "category": [Category.position, Category.id, Problem.seq],
        "description": [Problem.description],
        "lead_unit": [Unit.name, Problem.seq],
        "owner": [Problem.owner, Problem.seq],
        "deadline": [Problem.deadline.is_(None), Problem.deadline, Problem.seq],
        "status": [literal_column(STATUS_RANK_SQL), Problem.seq],
        "progress": [SqlByStore(PROGRESS_SQL, PROGRESS_SQL_PG), Problem.seq],
    }
    sort = sort if sort in keys else "seq"
    cols = keys[sort]
    if scan:
        first = cols[0]
        cols = [HideIndex(first), *cols[1:]]
    if descending:
        cols = [c.desc() for c in cols]
    if dialect == "postgresql" and (sort == "seq" or (outer and sort in _JOINED)):
        # PostgreSQL sorts NULL last (ascending); SQLite, and problem_ids, first. (The
        # server's index on source_id, seq, id has its NULLs first too: migration 0006.)
        cols[0] = cols[0].nulls_last() if descending else cols[0].nulls_first()
    return [*cols, Problem.id.desc() if descending else Problem.id]


def ledger_order(dialect: str) -> list[Any]:
    """The ledger's own order (编号: by source, then 序号, ids breaking ties), problems without
    a source first on either store: what `list`, `list --json` and the printed lines use."""
    return _order("seq", False, dialect=dialect)


# Sorts by a column of another table: (that table, the problem's key to it). SQLite walks
# the other table in order and each one's problems by an index on (key, seq); problems
# without one come first, as NULL sorts first. PostgreSQL: _grouped_ids.
_JOINED: dict[str, tuple[Any, Any]] = {
    "source": (Source, Problem.source_id),
    "category": (Category, Problem.category_id),
    "lead_unit": (Unit, Problem.lead_unit_id),
}


def _base(columns: Sequence[Any]) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Problem)
        .outerjoin(Source, Problem.source_id == Source.id)
        .outerjoin(Category, Problem.category_id == Category.id)
        .outerjoin(Unit, Problem.lead_unit_id == Unit.id)
    )


def _ids(s: Session, q: Select[Any]) -> list[int]:
    """First column of every row. SQLAlchemy runs the statement (binds processed); the ids
    are read off the DBAPI cursor, as a Row object per id costs 50 ms at 100,000."""
    result = s.connection().execute(q)
    try:
        return [row[0] for row in result.cursor.fetchall()]  # type: ignore[union-attr]
    finally:
        result.close()


def _grouped_ids(s: Session, other: Any, key: Any, where: Any, order: list[Any],
                 descending: bool) -> list[int]:
    """PostgreSQL, a sort by another table's column: that table's rows in sort order, then
    the problems in (key, seq, id) order as their index holds them (migration 0006), put
    together here; the filter runs once. A join sorted all the rows again: the planner does
    not carry a nested loop's inner order through the loop, so it re-sorted each key's
    problems, or hash-joined and sorted all on disk (4 MB work_mem): by source, descending,
    130-150 -> 30 ms at 100,000 (docs/benchmarks.md). Problems without a key come first
    (ascending), as on SQLite."""
    keys = _ids(s, select(other.id).order_by(*order[:-2]))
    # In the order its index holds (source's has its NULLs first: migration 0006).
    if descending:
        head = key.desc().nulls_last() if key is Problem.source_id else key.desc()
        walk = [head, Problem.seq.desc(), Problem.id.desc()]
    else:
        walk = [key.nulls_first() if key is Problem.source_id else key, Problem.seq, Problem.id]
    q = select(key, Problem.id).where(where).order_by(*walk)
    result = s.connection().execute(q)
    try:
        rows = result.cursor.fetchall()  # type: ignore[union-attr]
    finally:
        result.close()
    groups: dict[int | None, list[int]] = {}
    for k, problem_id in rows:
        group = groups.get(k)
        if group is None:
            group = groups[k] = []
        group.append(problem_id)
    joined = [problem_id for k in keys for problem_id in groups.get(k, ())]
    alone = groups.get(None, [])
    return joined + alone if descending else alone + joined


def problem_ids(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), sort: str = "seq",
    descending: bool = False,
) -> list[int]:
    """Ids of the matching problems in display order (the table fetches rows lazily).
    A filter on state (status, overdue, due soon) for a past day selects by the state the
    problems had then (tracker.services.as_of)."""
    if flt.status is not None or flt.overdue or flt.due_within_days is not None:
        from tracker.services.as_of import is_past, problems_as_of  # it builds on this module

        if is_past(flt.as_of):
            return [p.id for p in problems_as_of(ledger, flt, flt.as_of or clock.today(), sort,
                                                 descending)]
    with ledger.read() as s:
        where = filter_clause(s, flt)
        order = _order(sort, descending, scan=bool(text_terms(flt.text)),
                       dialect=ledger.dialect, outer=False)
        if sort not in _JOINED:
            return _ids(s, select(Problem.id).where(where).order_by(*order))
        other, key = _JOINED[sort]
        if ledger.dialect == "postgresql":
            return _grouped_ids(s, other, key, where, order, descending)
        alone = _ids(s, select(Problem.id).where(where, key.is_(None)).order_by(*order[-2:]))
        joined = _ids(s, select(Problem.id).select_from(other).join(Problem, key == other.id)
                      .where(where).order_by(*order))
        return joined + alone if descending else alone + joined


_ROW_COLS = (
    Problem.id, Problem.seq, Problem.source_id, Source.title, Source.kind, Source.year,
    Problem.category_id, Category.name, Problem.description, Problem.goal, Unit.name,
    Problem.co_units, Problem.leader, Problem.owner, Problem.remarks, Problem.status,
    _raw(Problem.deadline), _raw(Problem.open_deadline), Problem.deadline_text,
    Problem.measures_total,
    Problem.measures_done, Problem.closeout_by, _raw(Problem.closeout_on),
    Problem.closeout_note, Problem.version, _raw(Problem.updated_at), _raw(Problem.created_at),
)


def _row(t: Any, measures: tuple[MeasureRow, ...] = ()) -> ProblemRow:
    return ProblemRow(
        id=t[0], seq=t[1], source_id=t[2], source=source_label(t[3], t[4], t[5]), category_id=t[6], category=t[7] or "",
        description=t[8], goal=t[9], lead_unit=t[10] or "", co_units=t[11], leader=t[12],
        owner=t[13], remarks=t[14], status=_STATUSES[t[15]], deadline=_day(t[16]),
        open_deadline=_day(t[17]), deadline_text=t[18], measures_total=t[19],
        measures_done=t[20], closeout_by=t[21], closeout_on=_day(t[22]), closeout_note=t[23],
        version=t[24], updated_at=_stamp(t[25]), created_on=_day(t[26]),
        measures=measures,
    )


def _measures_for(
    s: Session, where: ColumnElement[bool], with_notes: bool
) -> dict[int, tuple[MeasureRow, ...]]:
    notes: dict[int, list[ProgressNoteRow]] = defaultdict(list)
    if with_notes:
        nq = (select(ProgressNote.id, ProgressNote.measure_id, _raw(ProgressNote.noted_on),
                     ProgressNote.text)
              .join(Measure, ProgressNote.measure_id == Measure.id)
              .where(where).order_by(ProgressNote.noted_on, ProgressNote.id))
        for n in s.execute(nq):
            notes[n[1]].append(ProgressNoteRow(n[0], n[1], _day(n[2]), n[3]))  # type: ignore[arg-type]
    mq = (select(Measure.id, Measure.problem_id, Measure.position, Measure.text, MeasureUnit.name,
                 Measure.co_units, Measure.owner, _raw(Measure.deadline), Measure.deadline_text,
                 Measure.deadline_kind, Measure.status, _raw(Measure.done_on), Measure.version,
                 Measure.percent)
          .outerjoin(MeasureUnit, Measure.lead_unit_id == MeasureUnit.id)
          .where(where).order_by(Measure.problem_id, Measure.position, Measure.id))
    # The first extension of a measure holds its original deadline (延期 keeps it on record).
    original: dict[int, tuple[dt.date | None, str]] = {}
    eq = (select(Extension.measure_id, _raw(Extension.from_date), Extension.from_text)
          .join(Measure, Extension.measure_id == Measure.id).where(where)
          .order_by(Extension.id.desc()))
    for mid, from_date, from_text in s.execute(eq):
        original[mid] = (_day(from_date), from_text or ("" if from_date else "未明确时限"))
    out: dict[int, list[MeasureRow]] = defaultdict(list)
    kinds = {k.value: k for k in DeadlineKind}
    statuses = _STATUSES
    for m in s.execute(mq):
        out[m[1]].append(MeasureRow(
            id=m[0], problem_id=m[1], position=m[2], text=m[3], lead_unit=m[4] or "",
            co_units=m[5], owner=m[6], deadline=_day(m[7]), deadline_text=m[8],
            deadline_kind=kinds[m[9]], status=statuses[m[10]], done_on=_day(m[11]),
            version=m[12],
            notes=tuple(notes.get(m[0], ())),
            original_deadline=original.get(m[0], (None, ""))[0],
            original_deadline_text=original.get(m[0], (None, ""))[1],
            percent=m[13],
        ))
    return {k: tuple(v) for k, v in out.items()}


def list_problems(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), sort: str = "seq",
    descending: bool = False, with_measures: bool = True, with_notes: bool = False,
) -> list[ProblemRow]:
    """Matching problems in display order, with their measures (and notes) when asked."""
    with ledger.read() as s:
        where = filter_clause(s, flt)
        order = _order(sort, descending, scan=bool(text_terms(flt.text)),
                       dialect=ledger.dialect)
        q = _base(_ROW_COLS).where(where).order_by(*order)
        rows = s.execute(q).all()
        if not with_measures:
            return [_row(t) for t in rows]
        sub = _base([Problem.id]).where(where)
        measures = _measures_for(s, Measure.problem_id.in_(sub), with_notes)
        return [_row(t, measures.get(t[0], ())) for t in rows]


def get_problems(
    ledger: Ledger, ids: Iterable[int], with_measures: bool = False, with_notes: bool = False
) -> list[ProblemRow]:
    """Rows for the given ids, in the same order; ids no longer stored are skipped.
    With measures and notes they are whole snapshots (restore_problem takes them back)."""
    wanted = list(ids)
    if not wanted:
        return []
    with ledger.read() as s:
        by_id: dict[int, ProblemRow] = {}
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            measures = (_measures_for(s, Measure.problem_id.in_(chunk), with_notes)
                        if with_measures else {})
            for t in s.execute(_base(_ROW_COLS).where(Problem.id.in_(chunk))):
                by_id[t[0]] = _row(t, measures.get(t[0], ()))
        return [by_id[i] for i in wanted if i in by_id]


def get_problem(ledger: Ledger, problem_id: int) -> ProblemRow:
    """One problem with its measures and progress notes."""
    with ledger.read() as s:
        t = s.execute(_base(_ROW_COLS).where(Problem.id == problem_id)).first()
        if t is None:
            raise NotFoundError(f"问题（编号 {problem_id}）不存在，可能已被删除。")
        measures = _measures_for(s, Measure.problem_id == problem_id, True)
        return _row(t, measures.get(problem_id, ()))


class ProblemLine(NamedTuple):
    """One problem as `rectify list` prints it, and nothing more (a tuple: 100,000 whole
    ProblemRows with their measures take seconds to build; these take milliseconds)."""

    seq: int
    source: str
    description: str
    lead_unit: str
    deadline_text: str
    status: Status
    overdue: bool
    measures_done: int
    measures_total: int


def line_of(p: ProblemRow, as_of: dt.date) -> ProblemLine:
    """The short line of a whole row (a problem rebuilt as of a past day)."""
    return ProblemLine(p.seq, p.source, p.description, p.lead_unit, p.deadline_text, p.status,
                       rules.overdue(p.open_deadline, as_of), p.measures_done, p.measures_total)


def problem_lines(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), sort: str = "seq",
    descending: bool = False, as_of: dt.date | None = None,
) -> list[ProblemLine]:
    """Matching problems in display order as short lines, overdue as of ``as_of``."""
    day = as_of or flt.as_of or clock.today()
    cols = (Problem.seq, Problem.source_id, Problem.description, Unit.name, Problem.deadline_text,
            Problem.status, rules.overdue_sql(Problem.open_deadline, day), Problem.measures_done,
            Problem.measures_total)
    with ledger.read() as s:
        labels: dict[int | None, str] = {
            sid: source_label(title, kind, year)
            for sid, title, kind, year in s.execute(
                select(Source.id, Source.title, Source.kind, Source.year))}
        where = filter_clause(s, flt)
        # Walking the sort index beats scan-and-sort here (measured): the sorter would have
        # to hold every row's text. substr() in SQL to shorten descriptions was slower too.
        order = _order(sort, descending, scan=bool(text_terms(flt.text)),
                       dialect=ledger.dialect)
        result = s.connection().execute(_base(cols).where(where).order_by(*order))
        try:
            rows = result.cursor.fetchall()  # type: ignore[union-attr]
        finally:
            result.close()
    st = _STATUSES
    return [ProblemLine(r[0], labels.get(r[1], ""), r[2], r[3] or "", r[4], st[r[5]],
                        bool(r[6]), r[7], r[8]) for r in rows]


def count_problems(ledger: Ledger, flt: ProblemFilter = ProblemFilter()) -> int:
    """How many problems match."""
    with ledger.read() as s:
        q = select(func.count()).select_from(Problem).where(filter_clause(s, flt))
        return int(s.scalar(q) or 0)
