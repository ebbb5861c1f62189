"""Counts by status and deadline as of a date, and the sentence every report needs."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tracker import clock, rules
from tracker.clock import is_past
from tracker.domain import ProblemFilter, Status
from tracker.summary_model import ProblemFacts, SummaryFacts, UnitTallies, tallies_of

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

# The functions that read a ledger import the services when called: the sentence and the
# table are also worked out by `rectify summary`'s plain sqlite3 path (summary_plain.py),
# which must not load SQLAlchemy.

__all__ = ["ProblemFacts", "LedgerSummary", "UnitCounts", "ledger_summary", "unit_counts",
           "summary_with_units", "sentence", "summarize", "percent", "cn_date"]

YEAR_END = "年底前"


@dataclass(frozen=True)
class DeadlineGroup:
    """Open problems planned to finish by the same report phrase (年底前, 2027年7月底前)."""

    label: str
    until: dt.date
    count: int


@dataclass(frozen=True)
class LedgerSummary:
    """Every count the summary sentence and the 统计 sheet show. The parts add up:
    completed + sum(groups) + ongoing + undated + overdue == total."""

    as_of: dt.date
    total: int
    measures: int
    completed: int
    closed: int
    groups: tuple[DeadlineGroup, ...]
    ongoing: int
    undated: int
    overdue: int
    by_status: tuple[tuple[Status, int], ...]
    extended: int = 0  # measures whose deadline was extended (延期), counted apart

    @property
    def rate(self) -> float:
        """整改完成率 in percent (done or closed out of all)."""
        return 100.0 * self.completed / self.total if self.total else 0.0


@dataclass(frozen=True)
class UnitCounts:
    """One row of the per-unit table."""

    unit: str
    total: int
    completed: int
    open: int
    overdue: int
    ongoing: int
    extended: int = 0
    # 配合: problems the unit only co-operates on (a co-unit, leading none of it). They are not
    # in ``total``, so no problem is counted twice when the table is added up.
    cooperating: int = 0

    @property
    def rate(self) -> float:
        """Completion rate in percent."""
        return 100.0 * self.completed / self.total if self.total else 0.0


def unit_part(status: Status, overdue: bool) -> str:
    """The part of the per-unit table a problem counts in: completed, overdue, ongoing, or
    other (open, not overdue, with a deadline or none). classify() starts with this rule."""
    if not status.is_open:
        return "completed"
    if overdue:
        return "overdue"
    if status is Status.ONGOING:
        return "ongoing"
    return "other"


def classify(f: ProblemFacts, as_of: dt.date) -> tuple[str, dt.date | None]:
    """Which part of the sentence a problem falls in: completed, overdue, ongoing, undated,
    or dated with the month-end (or year-end) it is planned for."""
    part = unit_part(f.status, rules.overdue(f.open_deadline, as_of))
    if part != "other":
        return part, None
    if f.deadline is None or f.deadline < as_of:
        return "undated", None
    if f.deadline.year == as_of.year:
        return "dated", dt.date(as_of.year, 12, 31)
    last = calendar.monthrange(f.deadline.year, f.deadline.month)[1]
    return "dated", dt.date(f.deadline.year, f.deadline.month, last)


def _label(until: dt.date, as_of: dt.date) -> str:
    if until.year == as_of.year:
        return YEAR_END
    if until.month == 12:
        return f"{until.year}年底前"
    return f"{until.year}年{until.month}月底前"


def summarize(facts: Iterable[ProblemFacts], as_of: dt.date, measures: int = 0) -> LedgerSummary:
    """Count problems into the parts of the sentence."""
    return summarize_counted(((f, 1) for f in facts), as_of, measures)


def summarize_counted(
    facts: Iterable[tuple[ProblemFacts, int]], as_of: dt.date, measures: int = 0
) -> LedgerSummary:
    """summarize() over (facts, how many problems share them): SQL groups them first."""
    parts: Counter[str] = Counter()
    dated: Counter[dt.date] = Counter()
    statuses: Counter[Status] = Counter()
    for f, n in facts:
        part, until = classify(f, as_of)
        parts[part] += n
        statuses[f.status] += n
        if until is not None:
            dated[until] += n
    groups = tuple(DeadlineGroup(_label(d, as_of), d, n) for d, n in sorted(dated.items()))
    return LedgerSummary(
        as_of=as_of, total=sum(statuses.values()), measures=measures,
        completed=parts["completed"], closed=statuses[Status.CLOSED], groups=groups,
        ongoing=parts["ongoing"], undated=parts["undated"], overdue=parts["overdue"],
        by_status=tuple((s, statuses[s]) for s in Status if statuses[s]),
    )


def percent(value: float) -> str:
    """62.5 -> '62.5%', 100.0 -> '100%'."""
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def cn_date(d: dt.date) -> str:
    """2026-11-23 -> 2026年11月23日."""
    return f"{d.year}年{d.month}月{d.day}日"


def sentence(s: LedgerSummary, subject: str = "") -> str:
    """The report sentence; empty groups are left out. ``subject`` names a unit or source."""
    head = f"截至{cn_date(s.as_of)}，{subject}"
    if s.total == 0:
        return f"{head}暂无整改问题。"
    parts = [f"{head}共梳理问题{s.total}个" + (f"（整改措施{s.measures}项）" if s.measures else "")]
    if s.completed:
        done = f"已整改完成{s.completed}个"
        if s.closed and s.closed != s.completed:
            done += f"（其中已销号{s.closed}个）"
        elif s.closed:
            done += "（均已销号）"
        parts.append(done)
    parts += [f"{g.count}个计划{g.label}完成" for g in s.groups]
    if s.extended:
        parts.append(f"其中延期{s.extended}项")
    if s.ongoing:
        parts.append(f"长期坚持{s.ongoing}个")
    if s.undated:
        parts.append(f"{s.undated}个尚未明确整改时限")
    if s.overdue:
        parts.append(f"逾期未完成{s.overdue}个")
    parts.append(f"整改完成率{percent(s.rate)}")
    return "，".join(parts) + "。"


def ledger_summary(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), as_of: dt.date | None = None
) -> LedgerSummary:
    """Summarise the problems a filter selects, as the ledger stood on a date (default today)."""
    from tracker.services.summary_facts import summary_facts

    day = as_of or clock.today()
    return summary_of(summary_facts(ledger, flt, day), day)


def summary_of(facts: SummaryFacts, day: dt.date) -> LedgerSummary:
    """The sentence's counts from the facts read for ``day``."""
    return replace(summarize_counted(facts.groups, day, facts.measures), extended=facts.extended)


def unit_counts(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), as_of: dt.date | None = None
) -> list[UnitCounts]:
    """Per lead unit (of the problem or of any of its measures), the same counts as a table;
    配合 counts the problems a unit is only a co-unit of, so a unit that only co-operates is
    listed too."""
    from tracker.services.summary_facts import unit_facts
    from tracker.services.unit_table import unit_tallies

    day = as_of or clock.today()
    return counts_of(tallies_of(unit_facts(ledger, flt, day), day) if is_past(day)
                     else unit_tallies(ledger, flt, day))


def summary_with_units(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), as_of: dt.date | None = None
) -> tuple[LedgerSummary, list[UnitCounts]]:
    """ledger_summary() and unit_counts() together: today's from one read of the ledger."""
    from tracker.services.unit_table import unit_tallies_with_summary

    day = as_of or clock.today()
    if is_past(day):
        return ledger_summary(ledger, flt, day), unit_counts(ledger, flt, day)
    facts, tallies = unit_tallies_with_summary(ledger, flt, day)
    return summary_of(facts, day), counts_of(tallies)


def counts_of(found: UnitTallies) -> list[UnitCounts]:
    """The table's rows from the tallies, most overdue first."""
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    for unit, state, n, extended in found.leads:
        c = per_unit[unit]
        c["total"] += n
        c[unit_part(state.status, state.overdue)] += n
        c["extended"] += extended
    for unit, n in found.cooperating.items():
        per_unit[unit]["cooperating"] += n
    out = [
        UnitCounts(unit, c["total"], c["completed"], c["total"] - c["completed"], c["overdue"],
                   c["ongoing"], c["extended"], c["cooperating"])
        for unit, c in per_unit.items()
    ]
    return sorted(out, key=lambda u: (-u.overdue, -u.total, u.unit))
