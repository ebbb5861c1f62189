"""The WHERE of a problem filter: source, category, status, unit (lead or co-unit), deadlines,
the search words and 回头看; and the search rule the table applies in memory. Every part is an
indexed column, the search text, or a short scan of co_units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, String, and_, exists, false, literal, or_, select, union
from sqlalchemy.orm import Session

from tracker import clock, rules
from tracker.db.engine import Ledger
from tracker.db.orm import Measure, Problem, Recheck, Unit
from tracker.domain import ProblemFilter, Status
from tracker.units import CO_SEPARATOR, fold_name, split_co_units
from tracker.services.driver_rows import driver_rows


def text_terms(text: str) -> list[str]:
    """The words of a search: every one must occur in a problem's search text."""
    return text.lower().split()


def matching_ids(ids: Iterable[int], texts: dict[int, str], text: str) -> list[int]:
    """The ids (order kept) whose search text holds every word of ``text``: the same test
    as the SQL filter (search_text is stored lower-cased), for a table that keeps the texts
    in memory and answers each keystroke without a query."""
    terms = text_terms(text)
    get = texts.get
    if len(terms) == 1:  # the usual case, kept to one `in` per problem
        term = terms[0]
        return [i for i in ids if term in (get(i) or "")]
    return [i for i in ids if all(t in (get(i) or "") for t in terms)]


def search_texts(ledger: Ledger) -> dict[int, str]:
    """Every problem's search text by id (about 35 MB at 100,000 problems)."""
    with ledger.read() as s:
        result = s.connection().execute(select(Problem.id, Problem.search_text))
        try:
            # Straight from the cursor: no list of 100,000 tuples alongside the dict.
            rows: Iterable[tuple[int, str]] = result.cursor  # type: ignore[assignment]
            return dict(rows)
        finally:
            result.close()


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _co_unit_like(col: Any, name: str) -> ColumnElement[bool]:
    """``name`` is one of the co-units stored in ``col`` ("A、B"): an exact name, so 市教育局
    never matches 县市教育局. Plain SQL (|| and LIKE) that SQLite and PostgreSQL both run."""
    sep = literal(CO_SEPARATOR, String)
    return (sep + col + sep).like(f"%{CO_SEPARATOR}{_escape_like(name)}{CO_SEPARATOR}%",
                                  escape="\\")


def unit_clause(session: Session, unit: str) -> ColumnElement[bool]:
    """Problems ``unit`` leads (the problem or a measure) or co-operates on (a co-unit of the
    problem or of a measure): the rule of `--unit`, the side panel and the per-unit sheets."""
    raw = unit.strip()
    name = fold_name(raw)
    if not name:
        return false()
    uids = list(session.scalars(select(Unit.id).where(Unit.name.in_({raw, name}))))
    # One uncorrelated IN over a UNION of the ids each rule finds: a correlated EXISTS made
    # SQLite walk the unit's measures once per problem (over a minute at 100,000 problems),
    # and an OR of the rules on the problem row made it test every rule on every row.
    co_measures = and_(Measure.co_units != "", _co_unit_like(Measure.co_units, name))
    parts: list[Any] = [
        select(Problem.id).where(Problem.co_units != "", _co_unit_like(Problem.co_units, name)),
        select(Measure.problem_id).where(
            or_(Measure.lead_unit_id.in_(uids), co_measures) if uids else co_measures),
    ]
    if uids:
        parts.insert(0, select(Problem.id).where(Problem.lead_unit_id.in_(uids)))
    return Problem.id.in_(union(*parts))


def filter_clause(session: Session, flt: ProblemFilter) -> ColumnElement[bool]:
    """The WHERE clause for a filter; every part is an indexed column or the search text."""
    return and_(True, *filter_parts(session, flt))


def filter_parts(session: Session, flt: ProblemFilter) -> list[ColumnElement[bool]]:
    """filter_clause's conditions, to be joined by AND; none when the filter selects all."""
    parts: list[ColumnElement[bool]] = []
    as_of = flt.as_of or clock.today()
    if flt.source_id is not None:
        parts.append(Problem.source_id == flt.source_id)
    if flt.category_id is not None:
        parts.append(Problem.category_id == flt.category_id)
    if flt.status is not None:
        parts.append(Problem.status == flt.status.value)
    if flt.unit:
        parts.append(unit_clause(session, flt.unit))
    if flt.overdue:
        parts.append(rules.overdue_sql(Problem.open_deadline, as_of))
    if flt.due_within_days is not None:
        parts.append(rules.due_within_sql(Problem.open_deadline, as_of, flt.due_within_days))
    for term in text_terms(flt.text):
        parts.append(Problem.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
    if flt.ids is not None:
        parts.append(Problem.id.in_(flt.ids))
    if flt.recheck_due_months is not None:
        # rules.recheck_due in SQL: closed out long enough ago, not rechecked since.
        parts.append(Problem.status == Status.CLOSED.value)
        parts.append(Problem.closeout_on <= rules.months_before(as_of, flt.recheck_due_months))
        parts.append(~exists().where(Recheck.problem_id == Problem.id,
                                     Recheck.on >= Problem.closeout_on))
    return parts


def unit_problem_counts(session: Session) -> list[tuple[str, int]]:
    """Every unit named on a problem, by name, with the number of problems `--unit` lists for
    it (unit_clause: it leads the problem or a measure, or co-operates on either), each problem
    once; a unit that only co-operates is there too. For the side panel's 按单位 list."""
    names = dict(driver_rows(session, select(Unit.id, Unit.name)))
    lead = select(Problem.id, Problem.lead_unit_id).where(Problem.lead_unit_id.is_not(None))
    pairs: set[tuple[int, str]] = {(pid, names[uid]) for pid, uid in driver_rows(
        session, lead.union(select(Measure.problem_id, Measure.lead_unit_id)
                            .where(Measure.lead_unit_id.is_not(None))))}
    split = split_co_units  # cached per distinct text: a ledger repeats them
    pairs.update((pid, name) for pid, text in driver_rows(
        session, select(Problem.id, Problem.co_units).where(Problem.co_units != "")
        .union(select(Measure.problem_id, Measure.co_units).where(Measure.co_units != "")))
        for name in split(text))
    counts: dict[str, int] = {}
    for _pid, name in pairs:
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items())

