"""The window's first rows read with plain ``sqlite3``, before SQLAlchemy is imported.

Importing SQLAlchemy and the ORM takes longer than a bare Qt window takes to appear, so the
window paints its first page from here and opens the ledger properly right after. This is a
specialised read path, not a second set of rules: it returns the same ``ProblemRow`` values
as ``queries.get_problems`` (colours and the overdue rule are then computed by the same
functions), in the same order as ``queries.problem_ids`` — tests/ui/test_first_paint.py
compares both on every sort key. It only serves a local SQLite ledger at the current
migration revision; anything else returns None and the caller takes the normal path."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from tracker.db.plain import open_plain
from tracker.domain import ProblemRow, Status
from tracker.rules import source_label


# The same literal SQL as queries.STATUS_RANK_SQL / PROGRESS_SQL (and as the expression
# indexes of migration 0003, so SQLite walks the index instead of sorting).
STATUS_ORDER = {s.value: i for i, s in enumerate(
    [Status.NOT_STARTED, Status.IN_PROGRESS, Status.ONGOING, Status.DONE, Status.CLOSED])}
STATUS_RANK_SQL = ("CASE problem.status " + " ".join(
    f"WHEN '{value}' THEN {rank}" for value, rank in STATUS_ORDER.items()) + " ELSE 9 END")
PROGRESS_SQL = "problem.measures_done * 1.0 / max(problem.measures_total, 1)"

# queries._order for each sort key without a search text, as SQLite reads it.
ORDER_SQL: dict[str, list[str]] = {
    "seq": ["problem.source_id", "problem.seq"],
    "source": ["source.title", "source.id", "problem.seq"],
    "category": ["category.position", "category.id", "problem.seq"],
    "description": ["problem.description"],
    "lead_unit": ["unit.name", "problem.seq"],
    "owner": ["problem.owner", "problem.seq"],
    "deadline": ["problem.deadline IS NULL", "problem.deadline", "problem.seq"],
    "status": [STATUS_RANK_SQL, "problem.seq"],
    "progress": [PROGRESS_SQL, "problem.seq"],
}
# Sorts on another table's column: that table and the problem's key to it (queries._JOINED).
JOINED = {"source": ("source", "source_id"), "category": ("category", "category_id"),
          "lead_unit": ("unit", "lead_unit_id")}

# queries._ROW_COLS, in the same order.
ROW_SQL = (
    "SELECT problem.id, problem.seq, problem.source_id, source.title, source.kind, source.year, "
    "problem.category_id, category.name, problem.description, problem.goal, unit.name, "
    "problem.co_units, problem.leader, problem.owner, problem.remarks, problem.status, "
    "problem.deadline, problem.open_deadline, problem.deadline_text, problem.measures_total, "
    "problem.measures_done, problem.closeout_by, problem.closeout_on, problem.closeout_note, "
    "problem.version, problem.updated_at, problem.created_at FROM problem "
    "LEFT OUTER JOIN source ON problem.source_id = source.id "
    "LEFT OUTER JOIN category ON problem.category_id = category.id "
    "LEFT OUTER JOIN unit ON problem.lead_unit_id = unit.id"
)
_STATUSES = {st.value: st for st in Status}
CHUNK = 900  # SQLite's bound-parameter limit is 999 on old builds


def order_by(sort: str, descending: bool, keys: Sequence[str] | None = None) -> str:
    """The ORDER BY text of queries._order (no search text), ids breaking ties."""
    cols = list(ORDER_SQL.get(sort, ORDER_SQL["seq"]) if keys is None else keys)
    suffix = " DESC" if descending else ""
    return "ORDER BY " + ", ".join(f"{c}{suffix}" for c in [*cols, "problem.id"])


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _stamp(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def row_of(t: Sequence[object]) -> ProblemRow:
    """A ProblemRow from one ROW_SQL tuple (as queries._row builds it)."""
    return ProblemRow(
        id=t[0], seq=t[1], source_id=t[2], source=source_label(t[3], t[4], t[5]),  # type: ignore[arg-type]
        category_id=t[6], category=t[7] or "", description=t[8], goal=t[9],  # type: ignore[arg-type]
        lead_unit=t[10] or "", co_units=t[11], leader=t[12], owner=t[13],  # type: ignore[arg-type]
        remarks=t[14], status=_STATUSES[t[15]], deadline=_day(t[16]),  # type: ignore[arg-type, index]
        open_deadline=_day(t[17]), deadline_text=t[18], measures_total=t[19],  # type: ignore[arg-type]
        measures_done=t[20], closeout_by=t[21], closeout_on=_day(t[22]),  # type: ignore[arg-type]
        closeout_note=t[23], version=t[24], updated_at=_stamp(t[25]),  # type: ignore[arg-type]
        created_on=_day(t[26]),  # type: ignore[arg-type]
    )


class FirstPageReader:
    """A read-only sqlite3 connection to a ledger file that answers the table's two
    questions (the ids in order, the rows of some ids) until the ledger is open."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, target: str | Path) -> FirstPageReader | None:
        """A reader for a plain local ledger file at the head revision, else None (a server
        ledger, a network share, a missing, foreign, older or newer file: the normal path)."""
        found = open_plain(target, same_thread=False)
        return None if found is None else cls(*found)

    def ids(self, sort: str = "seq", descending: bool = False,
            limit: int | None = None) -> list[int]:
        """Problem ids in the order queries.problem_ids gives for no filter; the first
        ``limit`` of them when given (the first page needs 200, not 100,000)."""
        c = self._conn
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        if sort not in JOINED:
            return [r[0] for r in c.execute(f"SELECT problem.id FROM problem "
                                            f"{order_by(sort, descending)}{tail}")]
        table, key = JOINED[sort]
        alone = [r[0] for r in c.execute(
            f"SELECT problem.id FROM problem WHERE problem.{key} IS NULL "
            f"{order_by(sort, descending, ['problem.seq'])}{tail}")]
        joined = [r[0] for r in c.execute(
            f"SELECT problem.id FROM {table} JOIN problem ON problem.{key} = {table}.id "
            f"{order_by(sort, descending)}{tail}")]
        both = joined + alone if descending else alone + joined
        return both if limit is None else both[:limit]

    def count(self) -> int:
        """How many problems the ledger holds (the table's row count with no filter)."""
        return int(self._conn.execute("SELECT count(*) FROM problem").fetchone()[0])

    def rows(self, ids: Sequence[int]) -> list[ProblemRow]:
        """The rows of these ids in the same order; ids no longer stored are skipped."""
        wanted = list(ids)
        by_id: dict[int, ProblemRow] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for t in self._conn.execute(f"{ROW_SQL} WHERE problem.id IN ({marks})", chunk):
                by_id[t[0]] = row_of(t)
        return [by_id[i] for i in wanted if i in by_id]

    def close(self) -> None:
        """Close the connection (the ledger is open by now)."""
        self._conn.close()
