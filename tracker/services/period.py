"""What changed between two days (a 调度 period): newly completed, closed out, overdue,
extended and added problems, each side rebuilt by tracker.services.as_of from the change
history, so the period says only what the ledger could have printed on both days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tracker import rules
from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, ProblemRow, Status
from tracker.services.as_of import problems_as_of

# The kinds of change, in the order a 调度通报 lists them, with their Chinese names.
KINDS: tuple[tuple[str, str], ...] = (
    ("completed", "新完成整改"),
    ("closed", "新销号"),
    ("overdue", "新增逾期"),
    ("extended", "延期"),
    ("added", "新增问题"),
)


@dataclass(frozen=True)
class Extension:
    """A problem whose open deadline moved later within the period."""

    problem: ProblemRow
    before: dt.date
    after: dt.date


@dataclass(frozen=True)
class PeriodChanges:
    """The problems of each kind of change between ``since`` and ``until`` (as of both)."""

    since: dt.date
    until: dt.date
    completed: tuple[ProblemRow, ...] = ()
    closed: tuple[ProblemRow, ...] = ()
    overdue: tuple[ProblemRow, ...] = ()
    extended: tuple[Extension, ...] = ()
    added: tuple[ProblemRow, ...] = ()
    # Every problem the filter selects at ``until`` and at ``since`` (for per-unit tables).
    now: tuple[ProblemRow, ...] = field(default=(), repr=False)
    before: tuple[ProblemRow, ...] = field(default=(), repr=False)

    def rows(self, kind: str) -> tuple[ProblemRow, ...]:
        """The problems of one kind of change ("completed", …, "added")."""
        if kind == "extended":
            return tuple(e.problem for e in self.extended)
        return tuple(getattr(self, kind))

    def counts(self) -> dict[str, int]:
        """How many problems of each kind."""
        return {kind: len(self.rows(kind)) for kind, _ in KINDS}

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not any(self.counts().values())


@dataclass(frozen=True)
class UnitPeriod:
    """One unit's row of the 调度 table: its problems now and what changed for them."""

    unit: str
    total: int
    completed: int
    overdue_now: int
    overdue_before: int
    changes: dict[str, int]

    @property
    def rate(self) -> float:
        """Completion rate now, in percent."""
        return 100.0 * self.completed / self.total if self.total else 0.0


def _dated_open(p: ProblemRow) -> dt.date | None:
    return p.open_deadline if p.status.is_open else None


def period_changes(ledger: Ledger, flt: ProblemFilter, since: dt.date,
                   until: dt.date) -> PeriodChanges:
    """Compare the problems a filter selects as of ``since`` with those as of ``until``."""
    if since > until:
        since, until = until, since
    # State-dependent parts of the filter hold at the end of the period only.
    loose = dataclasses.replace(flt, status=None, overdue=False, due_within_days=None, as_of=None)
    before = {p.id: p for p in problems_as_of(ledger, loose, since)}
    now = problems_as_of(ledger, dataclasses.replace(flt, as_of=until), until)
    completed, closed, overdue, extended, added = [], [], [], [], []
    for p in now:
        old = before.get(p.id)
        if old is None:
            added.append(p)
        if not p.status.is_open and (old is None or old.status.is_open):
            completed.append(p)
        if p.status is Status.CLOSED and (old is None or old.status is not Status.CLOSED):
            closed.append(p)
        if rules.overdue(p.open_deadline, until) and not (
                old is not None and rules.overdue(old.open_deadline, since)):
            overdue.append(p)
        if old is not None and _extended(old, p):
            extended.append(Extension(p, _dated_open(old) or old.deadline,  # type: ignore[arg-type]
                                      _dated_open(p) or p.deadline))  # type: ignore[arg-type]
    return PeriodChanges(since, until, tuple(completed), tuple(closed), tuple(overdue),
                         tuple(extended), tuple(added), tuple(now), tuple(before.values()))


def _extended(old: ProblemRow, new: ProblemRow) -> bool:
    """A measure's dated deadline moved later (延期), the problem still open on either day."""
    then = {m.id: m.deadline for m in old.measures}
    for m in new.measures:
        was = then.get(m.id)
        if was is not None and m.deadline is not None and m.deadline > was:
            return True
    if not old.measures and old.deadline and new.deadline:
        return new.deadline > old.deadline
    return False


def _units_of(p: ProblemRow) -> set[str]:
    """The problem's lead unit and its measures' lead units (as tracker.summary counts them)."""
    units = {p.lead_unit} | {m.lead_unit for m in p.measures}
    return {u for u in units if u} or {"（未填写牵头单位）"}


def unit_periods(changes: PeriodChanges) -> list[UnitPeriod]:
    """Per unit: problems, completed and overdue now, and each kind of change; the units
    with the most overdue problems first."""
    totals: Counter[str] = Counter()
    done: Counter[str] = Counter()
    late: Counter[str] = Counter()
    late_before: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for p in changes.now:
        for u in _units_of(p):
            totals[u] += 1
            done[u] += not p.status.is_open
            late[u] += rules.overdue(p.open_deadline, changes.until)
    for p in changes.before:
        for u in _units_of(p):
            late_before[u] += rules.overdue(p.open_deadline, changes.since)
    for kind, _ in KINDS:
        for p in changes.rows(kind):
            for u in _units_of(p):
                kinds[u][kind] += 1
    out = [UnitPeriod(u, totals[u], done[u], late[u], late_before[u],
                      {k: kinds[u][k] for k, _ in KINDS}) for u in totals]
    return sorted(out, key=lambda r: (-r.overdue_now, -r.total, r.unit))


# The period comparison as table rows, shared by the 调度通报 and (to come) the 统计 sheet of
# `export --since`, so both print the same numbers under the same headings.
UNIT_HEADERS: tuple[str, ...] = ("牵头单位", "问题数", "已完成", "本期逾期", "上期逾期") + tuple(
    label for _, label in KINDS)


def kind_rows(changes: PeriodChanges) -> list[tuple[str, int]]:
    """(变化, 问题数) for each kind of change, in the 调度通报's order."""
    counts = changes.counts()
    return [(label, counts[kind]) for kind, label in KINDS]


def unit_rows(units: list[UnitPeriod]) -> list[tuple[str | int, ...]]:
    """One row per unit under UNIT_HEADERS, most overdue first (as unit_periods sorts)."""
    return [(u.unit, u.total, u.completed, u.overdue_now, u.overdue_before)
            + tuple(u.changes[k] for k, _ in KINDS) for u in units]
