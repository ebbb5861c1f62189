"""Read what an export needs without holding the whole ledger in memory: problems streamed in
chunks in ledger order, and the longest value of each short column (to size columns before
the first row is written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.db.engine import Ledger
from tracker.db.orm import Category, Measure, Problem, Source, Unit
from tracker.domain import ProblemFilter, ProblemRow
from tracker.services.queries import filter_clause, list_problems, problem_ids

CHUNK = 1000  # problems per read: small enough for flat memory, big enough for few queries


@dataclass(frozen=True)
class Selection:
    """The problems one sheet shows, as ordered ids (cheap even at 100,000)."""

    ids: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.ids)


def select_problems(ledger: Ledger, flt: ProblemFilter) -> Selection:
    """The matching problems' ids in ledger order (source, then number)."""
    return Selection(tuple(problem_ids(ledger, flt, sort="seq")))


def iter_problems(ledger: Ledger, selection: Selection, chunk: int = CHUNK
                  ) -> Iterator[ProblemRow]:
    """Each selected problem with its measures and progress notes, in selection order.
    Each chunk is its own short read; a problem deleted meanwhile is skipped."""
    for start in range(0, len(selection.ids), chunk):
        part = selection.ids[start:start + chunk]
        rows = {p.id: p for p in list_problems(ledger, ProblemFilter(ids=part),
                                               with_measures=True, with_notes=True)}
        for pid in part:
            row = rows.get(pid)
            if row is not None:
                yield row


def column_extents(ledger: Ledger, flt: ProblemFilter, as_of: dt.date) -> dict[str, int]:
    """Longest value of each short column among the matching problems, in half-widths
    (counting every character as CJK, which errs towards a wider column)."""
    with ledger.read() as s:
        where = filter_clause(s, flt)
        ids = select(Problem.id).where(where)
        p = s.execute(
            select(func.count(), func.max(func.length(Source.title)),
                   func.max(func.length(Category.name)), func.max(func.length(Unit.name)),
                   func.max(func.length(Problem.co_units)), func.max(func.length(Problem.leader)),
                   func.max(func.length(Problem.owner)), func.max(func.length(Problem.remarks)),
                   func.max(func.length(Problem.deadline_text)))
            .select_from(Problem)
            .outerjoin(Source, Problem.source_id == Source.id)
            .outerjoin(Category, Problem.category_id == Category.id)
            .outerjoin(Unit, Problem.lead_unit_id == Unit.id)
            .where(where)
        ).one()
        m = s.execute(
            select(func.max(func.length(Unit.name)), func.max(func.length(Measure.deadline_text)),
                   func.max(func.length(Measure.deadline)), func.max(func.length(Measure.co_units)),
                   func.max(func.length(Measure.owner)))
            .select_from(Measure).outerjoin(Unit, Measure.lead_unit_id == Unit.id)
            .where(Measure.problem_id.in_(ids))
        ).one()
        overdue = s.scalar(select(func.count()).select_from(Problem)
                           .where(where, Problem.open_deadline < as_of))
    count = int(p[0] or 0)
    dated = 14 if (m[2] or 0) else 0  # "2026年12月31日" when a date has no text
    return {
        "number": len(str(count)),
        "source": 2 * int(p[1] or 0),
        "category": 2 * int(p[2] or 0),
        "lead_unit": 2 * max(int(p[3] or 0), int(m[0] or 0)),
        "co_units": 2 * max(int(p[4] or 0), int(m[3] or 0)),  # measures have their own
        "leader": 2 * int(p[5] or 0),
        "owner": 2 * max(int(p[6] or 0), int(m[4] or 0)),
        "remarks": 2 * int(p[7] or 0),
        "deadline": max(2 * max(int(p[8] or 0), int(m[1] or 0)), dated),
        "status": 14 if overdue else 8,  # 整改中（逾期） / 长期坚持
    }


def unit_names(units: Sequence[str]) -> list[str]:
    """Lead units in the order their sheets appear: by name, blanks dropped."""
    return sorted({u for u in units if u.strip()})
