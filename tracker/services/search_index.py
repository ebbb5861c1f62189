"""The stored search text of many problems at once: computed by the one rule
(rules.problem_search_text) from streamed SQL rows, for rebuilding after a rename and for
`rectify check` to verify, without loading ORM objects (a unit may lead 60,000 problems)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, select, true, update
from sqlalchemy.orm import Session, aliased

from tracker.db.orm import Measure, Problem, Unit
from tracker.rules import MeasureWords, problem_search_text

_MeasureUnit = aliased(Unit)
CHUNK = 5000


def expected_search_texts(session: Session, where: ColumnElement[bool] | None = None
                          ) -> Iterator[tuple[int, str, str]]:
    """(problem id, stored search text, what the rule says it should be) for the problems
    ``where`` selects, in id order; two ordered streams merged, so memory stays flat."""
    cond = where if where is not None else true()
    problems = session.execute(
        select(Problem.id, Problem.search_text, Problem.description, Problem.goal,
               Problem.remarks, Problem.owner, Problem.leader, Problem.co_units, Unit.name)
        .outerjoin(Unit, Problem.lead_unit_id == Unit.id).where(cond).order_by(Problem.id)
        .execution_options(yield_per=CHUNK))
    measures = session.execute(
        select(Measure.problem_id, Measure.text, Measure.owner, Measure.co_units,
               Measure.deadline_text, _MeasureUnit.name)
        .join(Problem, Measure.problem_id == Problem.id)
        .outerjoin(_MeasureUnit, Measure.lead_unit_id == _MeasureUnit.id)
        .where(cond).order_by(Measure.problem_id, Measure.position, Measure.id)
        .execution_options(yield_per=CHUNK))
    stream = iter(measures)
    pending: Any = next(stream, None)
    for p in problems:
        words: list[MeasureWords] = []
        while pending is not None and pending[0] < p[0]:
            pending = next(stream, None)  # a measure of a problem outside the stream
        while pending is not None and pending[0] == p[0]:
            words.append(MeasureWords(pending[1], pending[2], pending[3], pending[4],
                                      pending[5] or ""))
            pending = next(stream, None)
        expected = problem_search_text(p[2], p[3], p[4], p[5], p[6], p[7], p[8] or "", words)
        yield p[0], p[1], expected


def rebuild_search_texts(session: Session, where: ColumnElement[bool]) -> int:
    """Store the rule's search text for every selected problem whose stored one differs;
    returns how many changed. A cache column: no version bump, no history line."""
    stale = [{"pid": pid, "text": expected}
             for pid, stored, expected in expected_search_texts(session, where)
             if stored != expected]
    if stale:
        table = cast(Table, Problem.__table__)
        session.execute(update(table).where(table.c.id == bindparam("pid"))
                        .values(search_text=bindparam("text")), stale)
    return len(stale)


def problems_of_unit(unit_id: int) -> ColumnElement[bool]:
    """Problems a unit leads, itself or through any of its measures."""
    return (Problem.lead_unit_id == unit_id) | Problem.id.in_(
        select(Measure.problem_id).where(Measure.lead_unit_id == unit_id))
