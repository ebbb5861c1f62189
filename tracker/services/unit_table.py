"""Today's summary sentence and per-unit table read from the ledger in one go: the statements
(the plain sqlite3 path in tracker/summary_plain.py runs the same SQL text, compiled from
these — a test compares them) and the service that runs them on either store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, String, and_, cast, func, literal, select
from sqlalchemy.sql.functions import aggregate_strings

from tracker import rules
from tracker.db.engine import Ledger
from tracker.db.orm import Extension, Measure, Problem, Unit
from tracker.domain import ProblemFilter
from tracker.services.query_filter import filter_parts
from tracker.summary_model import SEP, SummaryFacts, UnitTallies, tally
from tracker.services.driver_rows import driver_rows


def statements(day: dt.date, where: Any, filtered: bool) -> dict[str, Select[Any]]:
    """The read's statements for the problems ``where`` selects (``filtered``: not all):
    facts (lead unit id, status, deadline, open deadline, overdue) per problem; links (lead
    unit id, status, overdue, co-units, the measures' lead unit ids and co-unit texts joined)
    per problem; the measure count; per problem with extended measures its lead units and how
    many; the unit names."""
    overdue = rules.overdue_sql(Problem.open_deadline, day)
    # The measures of the selected problems (of all: no IN list to build then).
    mine = [Measure.problem_id.in_(select(Problem.id).where(where))] if filtered else []
    joined_leads = aggregate_strings(cast(Measure.lead_unit_id, String), ",")
    per_problem = (select(Measure.problem_id.label("pid"), joined_leads.label("leads"),
                          aggregate_strings(Measure.co_units, SEP).label("cos"))
                   .where(*mine).group_by(Measure.problem_id).subquery("per_problem"))
    # Few problems have extended measures: their measures' lead units are looked up per problem.
    ext = (select(Measure.problem_id.label("pid"),
                  func.count(func.distinct(Extension.measure_id)).label("n"))
           .join(Measure, Extension.measure_id == Measure.id)
           .where(Extension.on <= day, *mine).group_by(Measure.problem_id).subquery("ext"))
    leads_of = select(joined_leads).where(Measure.problem_id == Problem.id).scalar_subquery()
    return {
        "facts": select(Problem.lead_unit_id, Problem.status, Problem.deadline,
                        Problem.open_deadline, overdue).where(where),
        "links": select(Problem.lead_unit_id, Problem.status, overdue, Problem.co_units,
                        per_problem.c.leads, per_problem.c.cos)
        .outerjoin(per_problem, per_problem.c.pid == Problem.id).where(where),
        "measures": select(func.count(literal(1))).select_from(Measure).where(*mine),
        "extended": select(Problem.lead_unit_id, Problem.status, overdue, leads_of, ext.c.n)
        .join(ext, ext.c.pid == Problem.id).where(where),
        "names": select(Unit.id, Unit.name),
    }


def summary_and_tallies(ledger: Ledger, flt: ProblemFilter, day: dt.date, by_unit: bool = True
                        ) -> tuple[SummaryFacts, UnitTallies | None]:
    """The summary's facts and (``by_unit``) the unit table's tallies for today or a later
    day, read as narrow driver tuples and counted by summary_model.tally. SQLite's own GROUP BY
    sorts the 100,000 rows first and costs more than counting them in C."""
    with ledger.read() as s:
        parts = filter_parts(s, flt)
        stmts = statements(day, and_(True, *parts), bool(parts))
        facts = driver_rows(s, stmts["facts"])
        links = driver_rows(s, stmts["links"]) if by_unit else None
        n_measures = int(driver_rows(s, stmts["measures"])[0][0] or 0)
        extended = driver_rows(s, stmts["extended"])
        names: dict[Any, str] = dict(driver_rows(s, stmts["names"]))
    return tally(facts, links, n_measures, extended, names)


def unit_tallies(ledger: Ledger, flt: ProblemFilter, day: dt.date) -> UnitTallies:
    """What tallies_of(unit_facts(...)) gives, for today or a later day, from one read."""
    return unit_tallies_with_summary(ledger, flt, day)[1]


def unit_tallies_with_summary(ledger: Ledger, flt: ProblemFilter, day: dt.date
                              ) -> tuple[SummaryFacts, UnitTallies]:
    """summary_and_tallies with the table asked for (so it is there)."""
    facts, found = summary_and_tallies(ledger, flt, day)
    assert found is not None
    return facts, found
