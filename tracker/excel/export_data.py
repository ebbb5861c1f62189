"""Read what an export needs without holding the whole ledger in memory: problems streamed in
chunks in ledger order, and the longest value of each short column (to size columns before
the first row is written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemRow
from tracker.services.as_of import is_past, problems_as_of
from tracker.services.evidence import evidence_by_problem, evidence_counts
from tracker.services.export_queries import column_lengths, export_problems
from tracker.services.queries import problem_ids

CHUNK = 1000  # problems per read: small enough for flat memory, big enough for few queries


@dataclass(frozen=True)
class Selection:
    """The problems one sheet shows, as ordered ids (cheap even at 100,000)."""

    ids: tuple[int, ...]
    past: dt.date | None = None  # an export dated before today shows the ledger of that day

    def __len__(self) -> int:
        return len(self.ids)


def select_problems(ledger: Ledger, flt: ProblemFilter) -> Selection:
    """The matching problems' ids in ledger order (source, then number); for a past date,
    the problems that existed then, selected by the state they had."""
    if is_past(flt.as_of):
        day = flt.as_of
        return Selection(tuple(p.id for p in problems_as_of(ledger, flt, day)), day)  # type: ignore[arg-type]
    return Selection(tuple(problem_ids(ledger, flt, sort="seq")))


def iter_problems(ledger: Ledger, selection: Selection, chunk: int = CHUNK
                  ) -> Iterator[ProblemRow]:
    """Each selected problem with its measures and progress notes, in selection order
    (as of the selection's past day, if it has one). Each chunk is its own short read; a
    problem deleted meanwhile is skipped."""
    for start in range(0, len(selection.ids), chunk):
        part = selection.ids[start:start + chunk]
        if selection.past is not None:
            found = problems_as_of(ledger, ProblemFilter(ids=part), selection.past,
                                   with_notes=True)
            names = evidence_by_problem(ledger, part)
            rows = {p.id: replace(p, evidence_names=tuple(e.name for e in names.get(p.id, ())))
                    for p in found}
            yield from (rows[pid] for pid in part if pid in rows)
        else:
            yield from export_problems(ledger, part)


def column_extents(ledger: Ledger, flt: ProblemFilter, as_of: dt.date) -> dict[str, int]:
    """Longest value of each short column among the matching problems, in half-widths
    (counting every character as CJK, which errs towards a wider column)."""
    n = column_lengths(ledger, flt, as_of)
    dated = 14 if n.measure_deadline else 0  # "2026年12月31日" when a date has no text
    return {
        "number": len(str(n.count)),
        "source": 2 * n.source,
        "category": 2 * n.category,
        "lead_unit": 2 * max(n.lead_unit, n.measure_lead_unit),
        "co_units": 2 * max(n.co_units, n.measure_co_units),  # measures have their own
        "leader": 2 * n.leader,
        "owner": 2 * max(n.owner, n.measure_owner),
        "remarks": 2 * n.remarks,
        "deadline": max(2 * max(n.deadline_text, n.measure_deadline_text), dated),
        "status": 14 if n.overdue else 8,  # 整改中（逾期） / 长期坚持
    }


def unit_names(units: Sequence[str]) -> list[str]:
    """Lead units in the order their sheets appear: by name, blanks dropped."""
    return sorted({u for u in units if u.strip()})


def has_evidence(ledger: Ledger, selection: Selection) -> bool:
    """Whether any selected problem has evidence (the 佐证材料 column is then printed)."""
    return bool(evidence_counts(ledger, selection.ids))
