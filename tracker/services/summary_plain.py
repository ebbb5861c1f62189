"""`rectify summary` (and `--by-unit`) of a whole local ledger file for today or a later day,
read with plain ``sqlite3`` before SQLAlchemy is imported: at 100,000 problems importing
SQLAlchemy and the ORM costs a third of the command. A specialised read path, not a second
set of rules: the SQL is unit_table.statements' as SQLite compiles it for no filter
(tests/core/test_summary_plain.py compares the texts), and the rows are counted by the same
summary_model.tally. Any filter, a past day, a server ledger or an unusual file: None, and
the command takes the normal path."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from tracker.db.plain import open_plain
from tracker.summary_model import SummaryFacts, UnitTallies, tally

# unit_table.statements(day, everything, filtered=False) for SQLite, ``:day`` for the day.
OVERDUE = "problem.open_deadline < :day AS anon_1"
MEASURE_LEADS = "group_concat(CAST(measure.lead_unit_id AS VARCHAR), ',')"
SQL = {
    "facts": "SELECT problem.lead_unit_id, problem.status, problem.deadline, "
             f"problem.open_deadline, {OVERDUE} \nFROM problem \nWHERE 1 = 1",
    "links": f"SELECT problem.lead_unit_id, problem.status, {OVERDUE}, problem.co_units, "
             "per_problem.leads, per_problem.cos \nFROM problem LEFT OUTER JOIN (SELECT "
             f"measure.problem_id AS pid, {MEASURE_LEADS} AS leads, "
             "group_concat(measure.co_units, '\x1f') AS cos \nFROM measure GROUP BY "
             "measure.problem_id) AS per_problem ON per_problem.pid = problem.id \nWHERE 1 = 1",
    "measures": "SELECT count(1) AS count_1 \nFROM measure",
    "extended": f"SELECT problem.lead_unit_id, problem.status, {OVERDUE}, (SELECT "
                f"{MEASURE_LEADS} AS aggregate_strings_1 \nFROM measure \nWHERE "
                "measure.problem_id = problem.id) AS anon_2, ext.n \nFROM problem JOIN (SELECT "
                "measure.problem_id AS pid, count(distinct(extension.measure_id)) AS n \nFROM "
                "extension JOIN measure ON extension.measure_id = measure.id \nWHERE "
                "extension.\"on\" <= :day GROUP BY measure.problem_id) AS ext ON ext.pid = "
                "problem.id \nWHERE 1 = 1",
    "names": "SELECT unit.id, unit.name \nFROM unit",
}


def plain_summary(target: str | Path, day: dt.date, by_unit: bool
                  ) -> tuple[SummaryFacts, UnitTallies | None] | None:
    """The summary's facts and (``by_unit``) the unit table's tallies of every problem in a
    local ledger file on ``day`` (today or later), or None for the normal path."""
    found = open_plain(target)
    if found is None:
        return None
    _path, conn = found
    try:
        conn.execute("BEGIN")  # one snapshot for every statement, as the service's transaction
        rows: dict[str, list[Any]] = {}
        for key, sql in SQL.items():
            if key != "links" or by_unit:
                rows[key] = conn.execute(sql, {"day": day.isoformat()}).fetchall()
    except sqlite3.Error:
        return None  # the normal path says what is wrong with the file
    finally:
        conn.close()
    return tally(rows["facts"], rows.get("links"), int(rows["measures"][0][0] or 0),
                 rows["extended"], dict(rows["names"]))
