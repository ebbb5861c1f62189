"""The ledger's derived values checked against the rules that derive them: each problem's rollup
cache (status, deadlines, counts) against its measures, and its stored search text against
rules.problem_search_text. Rows are streamed from SQL, never loaded as ORM objects, so the
check stays fast and flat in memory at 100,000 problems."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db.engine import Ledger
from tracker.db.orm import Measure, Problem
from tracker.domain import DeadlineKind, Status
from tracker.rollup import MeasureFacts, roll_up
from tracker.services.search_index import expected_search_texts

CHUNK = 5000


@dataclass(frozen=True)
class CacheFindings:
    """Problems whose cached values disagree with the rules, as “问题 12（序号 3）” lines."""

    rollups: tuple[str, ...]
    search_texts: tuple[str, ...]


def check_caches(ledger: Ledger) -> CacheFindings:
    """Every problem's rollup and search text recomputed and compared, in one read."""
    with ledger.read() as s:
        # Stale search texts first (usually none): the rollup pass reads every problem's 序号
        # anyway and names them, saving a query for their numbers.
        stale = {pid for pid, stored, expected in expected_search_texts(s) if stored != expected}
        seqs: dict[int, int] = {}
        rollups = []
        for pid, seq, ok in _rollups(s):
            if not ok:
                rollups.append(_label(pid, seq))
            if pid in stale:
                seqs[pid] = seq
    return CacheFindings(tuple(rollups), tuple(_label(pid, seqs.get(pid)) for pid in sorted(stale)))


def _label(pid: int, seq: int | None) -> str:
    return f"问题 {pid}（序号 {seq if seq is not None else '?'}）"


def _rollups(s: Session) -> Iterator[tuple[int, int, bool]]:
    """(problem id, 序号, cache agrees with roll_up of its measures) in id order: two ordered
    streams merged, as search_index does."""
    problems = s.execute(
        select(Problem.id, Problem.seq, Problem.status, Problem.deadline, Problem.open_deadline,
               Problem.measures_total, Problem.measures_done)
        .order_by(Problem.id).execution_options(yield_per=CHUNK))
    measures = s.execute(
        select(Measure.problem_id, Measure.status, Measure.deadline, Measure.deadline_kind,
               Measure.deadline_text)
        .order_by(Measure.problem_id, Measure.position, Measure.id)
        .execution_options(yield_per=CHUNK))
    stream = iter(measures)
    pending: Any = next(stream, None)
    for p in problems:
        rows = []
        while pending is not None and pending[0] < p[0]:
            pending = next(stream, None)  # an orphan measure: foreign_key_check reports it
        while pending is not None and pending[0] == p[0]:
            rows.append(pending)
            pending = next(stream, None)
        try:
            r = roll_up([MeasureFacts(Status(m[1]), m[2], DeadlineKind(m[3]), m[4] or "")
                         for m in rows])
        except ValueError:  # a status or deadline kind the app never writes
            yield p[0], p[1], False
            continue
        yield p[0], p[1], (r.status.value, r.deadline, r.open_deadline, r.total, r.done) == (
            p[2], p[3], p[4], p[5], p[6])
