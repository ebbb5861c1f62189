"""Rows of a statement as the database driver's own tuples, for the reads that count or
print 100,000 problems: SQLAlchemy compiles and binds the statement for the store, and its
Row objects (and their per-value processing) are skipped, since they cost more than the work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session


def driver_rows(session: Session, stmt: Executable) -> list[Any]:
    """Every row of ``stmt`` as the driver's tuples (sqlite3: dates as ISO text;
    psycopg: dates as dates)."""
    result = session.connection().execute(stmt)
    try:
        return list(result.cursor.fetchall())  # type: ignore[union-attr]
    finally:
        result.close()
