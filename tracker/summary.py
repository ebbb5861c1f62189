"""Counts by status and deadline as of a date, and the sentence every report needs."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from typing import Any

from sqlalchemy import Date, func, literal, select

from tracker import clock
from tracker.db.engine import Ledger
from tracker.db.orm import Measure, Problem, Unit
from tracker.domain import ProblemFilter, Status
from tracker.services.queries import filter_clause

YEAR_END = "年底前"


@dataclass(frozen=True)
class ProblemFacts:
    """The three stored values a problem's place in the summary depends on."""

    status: Status
    deadline: dt.date | None
    open_deadline: dt.date | None
    # When a done/closed problem was finished (its last measure's done date): a summary as of
    # an earlier date counts it as still open then.
    done_on: dt.date | None = None


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

    @property
    def rate(self) -> float:
        """Completion rate in percent."""
        return 100.0 * self.completed / self.total if self.total else 0.0


def classify(f: ProblemFacts, as_of: dt.date) -> tuple[str, dt.date | None]:
    """Which part of the sentence a problem falls in: completed, overdue, ongoing, undated,
    or dated with the month-end (or year-end) it is planned for."""
    if not f.status.is_open and f.done_on is not None and f.done_on > as_of:
        if f.deadline is not None and f.deadline < as_of:
            return "overdue", None
        f = ProblemFacts(Status.IN_PROGRESS, f.deadline, None)
    if not f.status.is_open:
        return "completed", None
    if f.open_deadline is not None and f.open_deadline < as_of:
        return "overdue", None
    if f.status is Status.ONGOING:
        return "ongoing", None
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
    """Summarise the problems a filter selects, as of a date (default today)."""
    day = as_of or clock.today()
    with ledger.read() as s:
        where = filter_clause(s, flt)
        done = _done_column(day)
        rows = s.execute(
            select(Problem.status, Problem.deadline, Problem.open_deadline, done, func.count())
            .where(where)
            .group_by(Problem.status, Problem.deadline, Problem.open_deadline, done)
        ).all()
        n_measures = s.scalar(
            select(func.count()).select_from(Measure)
            .where(Measure.problem_id.in_(select(Problem.id).where(where)))
        ) or 0
    statuses = {st.value: st for st in Status}
    return summarize_counted(
        ((ProblemFacts(statuses[r[0]], r[1], r[2], r[3]), r[4]) for r in rows), day, n_measures)


def _done_column(as_of: dt.date) -> Any:
    """When each problem was finished, looked up only for a summary dated in the past."""
    if as_of >= clock.today():
        return literal(None, Date)
    return (select(func.max(Measure.done_on)).where(Measure.problem_id == Problem.id)
            .correlate(Problem).scalar_subquery())


def unit_counts(
    ledger: Ledger, flt: ProblemFilter = ProblemFilter(), as_of: dt.date | None = None
) -> list[UnitCounts]:
    """Per lead unit (of the problem or of any of its measures), the same counts as a table."""
    day = as_of or clock.today()
    statuses = {st.value: st for st in Status}
    with ledger.read() as s:
        where = filter_clause(s, flt)
        facts = {r[0]: ProblemFacts(statuses[r[1]], r[2], r[3], r[4]) for r in s.execute(
            select(Problem.id, Problem.status, Problem.deadline, Problem.open_deadline,
                   _done_column(day)).where(where))}
        links = s.execute(
            select(Problem.id, Unit.name).join(Unit, Problem.lead_unit_id == Unit.id).where(where)
            .union(select(Measure.problem_id, Unit.name).join(Unit, Measure.lead_unit_id == Unit.id)
                   .where(Measure.problem_id.in_(select(Problem.id).where(where))))
        ).all()
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    for pid, unit in links:
        part, _ = classify(facts[pid], day)
        c = per_unit[unit]
        c["total"] += 1
        c[part] += 1
    out = [
        UnitCounts(unit, c["total"], c["completed"], c["total"] - c["completed"], c["overdue"],
                   c["ongoing"])
        for unit, c in per_unit.items()
    ]
    return sorted(out, key=lambda u: (-u.overdue, -u.total, u.unit))
