"""The ledger's derived values checked against the rules that derive them: each problem's rollup
cache (status, deadlines, counts) against roll_up of its measures, and its stored search text
against rules.problem_search_text. One pass per table, all in problem order and merged: the
problems; the measures' words for the search text; and roll_up's inputs per problem counted
in SQL (ROLLUPS), the status then decided by rollup.problem_status itself.

The rows come straight from the driver's cursor (the SQLAlchemy selects compiled once for the
store's dialect): at 100,000 problems and 230,000 measures, building SQLAlchemy Row objects
cost more than the rules themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from tracker.db.engine import Ledger
from tracker.db.orm import Measure, Problem, Unit
from tracker.domain import DeadlineKind, Status
from tracker.rollup import problem_status, roll_up
from tracker.rules import MeasureWords, problem_search_text

CHUNK = 5000
ProgressFn = Callable[[int, int], None]
_MeasureUnit = aliased(Unit)

# Problem columns: the rollup cache, then what its search text is made of.
PROBLEMS = (select(Problem.id, Problem.seq, Problem.status, Problem.deadline,
                   Problem.open_deadline, Problem.measures_total, Problem.measures_done,
                   Problem.search_text, Problem.description, Problem.goal, Problem.remarks,
                   Problem.owner, Problem.leader, Problem.co_units, Unit.name)
            .outerjoin(Unit, Problem.lead_unit_id == Unit.id).order_by(Problem.id))
MEASURES = (select(Measure.problem_id, Measure.deadline_text, Measure.text, Measure.owner,
                   Measure.co_units, _MeasureUnit.name)
            .outerjoin(_MeasureUnit, Measure.lead_unit_id == _MeasureUnit.id)
            .order_by(Measure.problem_id, Measure.position, Measure.id))
# roll_up's inputs in bulk, per problem: how many measures of each status (problem_status
# depends only on which statuses occur), the latest deadline, the earliest deadline of an
# open, not-ongoing measure, and how many rows have a status or kind the app never writes.
_DUE = [s.value for s in Status if s.is_open and s is not Status.ONGOING]
ROLLUPS = (select(Measure.problem_id, func.count(),
                  *(func.sum(case((Measure.status == s.value, 1), else_=0)) for s in Status),
                  func.max(Measure.deadline),
                  func.min(case((Measure.status.in_(_DUE), Measure.deadline))),
                  func.sum(case((Measure.deadline_kind.in_([k.value for k in DeadlineKind]), 1),
                                else_=0)))
           .group_by(Measure.problem_id).order_by(Measure.problem_id))
_NONE = roll_up([])  # a problem without measures


@dataclass(frozen=True)
class CacheFindings:
    """Problems whose cached values disagree with the rules, as “问题 12（序号 3）” lines."""

    rollups: tuple[str, ...]
    search_texts: tuple[str, ...]


_DAYS: dict[str, dt.date] = {}  # a ledger has a few hundred distinct deadlines


def _day(value: Any) -> dt.date | None:
    """A date column as a date: the sqlite3 driver hands back the ISO text."""
    if isinstance(value, str):
        day = _DAYS.get(value)
        if day is None:
            day = _DAYS[value] = dt.date.fromisoformat(value[:10])
        return day
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _rows(session: Session, stmt: Any) -> Iterator[Sequence[Any]]:
    """The statement's rows as the driver's tuples, fetched in chunks."""
    conn = session.connection()
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while True:
            chunk = cursor.fetchmany(CHUNK)
            if not chunk:
                return
            yield from chunk
    finally:
        cursor.close()


def _label(pid: int, seq: int | None) -> str:
    return f"问题 {pid}（序号 {seq if seq is not None else '?'}）"


def _merged(rows: Iterator[Sequence[Any]], pid: int, state: list[Any]) -> list[Sequence[Any]]:
    """The rows of ``rows`` (ordered by problem id) that belong to problem ``pid``; state[0]
    holds the next row read ahead."""
    found = []
    while state[0] is not None and state[0][0] < pid:
        state[0] = next(rows, None)  # an orphan: foreign_key_check reports it
    while state[0] is not None and state[0][0] == pid:
        found.append(state[0])
        state[0] = next(rows, None)
    return found


def check_caches(ledger: Ledger, progress: ProgressFn | None = None) -> CacheFindings:
    """Every problem's rollup and search text recomputed and compared, in one read."""
    rollups: list[str] = []
    stale: list[str] = []
    with ledger.read() as s:
        total = s.execute(select(func.count(Problem.id))).scalar_one()
        measures, facts = _rows(s, MEASURES), _rows(s, ROLLUPS)
        m_next, f_next = [next(measures, None)], [next(facts, None)]
        for n, p in enumerate(_rows(s, PROBLEMS), start=1):
            agg = _merged(facts, p[0], f_next)
            if not _rollup_agrees(p, agg[0] if agg else None):
                rollups.append(_label(p[0], p[1]))
            words = [MeasureWords(m[2], m[3], m[4], m[1], m[5] or "")
                     for m in _merged(measures, p[0], m_next)]
            if p[7] != problem_search_text(p[8], p[9], p[10], p[11], p[12], p[13], p[14] or "",
                                           words):
                stale.append(_label(p[0], p[1]))
            if progress is not None and n % CHUNK == 0:
                progress(n, total)
    return CacheFindings(tuple(rollups), tuple(stale))


def _rollup_agrees(p: Sequence[Any], agg: Sequence[Any] | None) -> bool:
    """Whether problem row ``p`` caches what roll_up says of its measures (``agg``: their
    ROLLUPS row; None when it has none)."""
    if agg is None:
        r = _NONE
        return (r.status.value, r.deadline, r.open_deadline, r.total, r.done) == (
            p[2], _day(p[3]), _day(p[4]), p[5], p[6])
    count, by_status = agg[1], agg[2:2 + len(Status)]
    latest, due, known_kinds = agg[2 + len(Status):]
    if sum(by_status) != count or known_kinds != count:  # a value the app never writes
        return False
    present = [st for st, k in zip(Status, by_status) if k]
    done = sum(k for st, k in zip(Status, by_status) if not st.is_open)
    return (problem_status(present).value, _day(latest), _day(due), count, done) == (
        p[2], _day(p[3]), _day(p[4]), p[5], p[6])
