"""Write a generated sample ledger (tracker.demo) into an empty ledger: one transaction, rows
inserted in batches with one executemany per table, so 100,000 problems take seconds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tracker.db.engine import Ledger
from tracker.db.orm import Category, Measure, Problem, ProgressNote, Source, Unit
from tracker.demo_model import DemoLedger, DemoUnit
from tracker.errors import ValidationError
from tracker.services.import_bulk import insert_many


# Problems per batch (and per progress report): big enough that executemany dominates.
BATCH = 5000
P_COLS = ("id", "source_id", "seq", "category_id", "description", "goal", "lead_unit_id",
          "co_units", "leader", "owner", "remarks", "closeout_by", "closeout_on",
          "closeout_note", "status", "deadline", "open_deadline", "deadline_text",
          "measures_total", "measures_done", "search_text", "created_at", "updated_at",
          "version")
M_COLS = ("id", "problem_id", "position", "text", "lead_unit_id", "co_units", "owner",
          "deadline", "deadline_text", "deadline_kind", "status", "done_on", "created_at",
          "updated_at", "version")
N_COLS = ("id", "measure_id", "noted_on", "text", "created_at")


def write_demo(ledger: Ledger, demo: DemoLedger,
               progress: Callable[[int, int], None] | None = None) -> int:
    """Insert ``demo`` in one transaction; refuses a ledger that already holds problems.
    Returns how many problems were written."""
    with ledger.write() as s:
        existing = s.scalar(select(func.count()).select_from(Problem)) or 0
        if existing:
            # The default ledger is the clerk's real one: sample problems must never mix in.
            raise ValidationError(
                f"台账“{ledger.path.name}”里已有 {existing} 个问题。示例台账只能生成到空台账中，"
                "请用 --db 指定一个新文件。"
            )
        units = _unit_ids(s, demo.units)
        cats = _category_ids(s, demo.categories)
        source_ids: list[int] = [
            s.execute(insert(Source).values(
                kind=src.kind, title=src.title, year=src.year, issuer=src.issuer,
                doc_number=src.doc_number, issued_on=src.issued_on, created_at=src.created_at,
            ).returning(Source.id)).scalar_one()
            for src in demo.sources
        ]
        pid = (s.scalar(select(func.max(Problem.id))) or 0) + 1
        mid = (s.scalar(select(func.max(Measure.id))) or 0) + 1
        nid = (s.scalar(select(func.max(ProgressNote.id))) or 0) + 1
        rows_p: list[tuple[Any, ...]] = []
        rows_m: list[tuple[Any, ...]] = []
        rows_n: list[tuple[Any, ...]] = []

        def flush() -> None:
            # Problems before the measures that refer to them, measures before their notes.
            for table, cols, rows in ((Problem.__table__, P_COLS, rows_p),
                                      (Measure.__table__, M_COLS, rows_m),
                                      (ProgressNote.__table__, N_COLS, rows_n)):
                if rows:
                    insert_many(s, table, cols, rows)
                    rows.clear()

        done = 0
        for p in demo.problems:
            for pos, m in enumerate(p.measures, start=1):
                rows_m.append((
                    mid, pid, pos, m.text, units[m.lead_unit], m.co_units, m.owner,
                    _day(m.deadline), m.deadline_text, m.deadline_kind, m.status,
                    _day(m.done_on), _stamp(m.created_at), _stamp(m.updated_at), 1))
                for n in m.notes:
                    rows_n.append((nid, mid, _day(n.noted_on), n.text, _stamp(n.created_at)))
                    nid += 1
                mid += 1
            rows_p.append((
                pid, source_ids[p.source], p.seq, cats.get(p.category), p.description, p.goal,
                units[p.lead_unit], p.co_units, p.leader, p.owner, p.remarks, p.closeout_by,
                _day(p.closeout_on), p.closeout_note, p.status, _day(p.deadline),
                _day(p.open_deadline), p.deadline_text, p.measures_total, p.measures_done,
                p.search_text, _stamp(p.created_at), _stamp(p.updated_at), 1))
            pid += 1
            done += 1
            if len(rows_p) >= BATCH:
                flush()
                if progress:
                    progress(done, demo.count)
        flush()
        if progress:
            progress(done, demo.count)
    return done


def _unit_ids(s: Session, units: list[DemoUnit]) -> dict[str, int]:
    """Ids of the sample's units, adding those the ledger lacks (existing ones stay as are)."""
    have = _names(s, Unit)
    missing = [dict(name=u.name, contact=u.contact, phone=u.phone)
               for u in units if u.name not in have]
    if missing:
        s.execute(insert(Unit), missing)
        have = _names(s, Unit)
    return have


def _category_ids(s: Session, names: tuple[str, ...]) -> dict[str, int]:
    """Ids of the sample's categories, adding those the ledger lacks in the listed order."""
    have = _names(s, Category)
    missing = [dict(name=name, position=i) for i, name in enumerate(names, start=1)
               if name not in have]
    if missing:
        s.execute(insert(Category), missing)
        have = _names(s, Category)
    return have


def _names(s: Session, table: type[Unit] | type[Category]) -> dict[str, int]:
    """Name -> id of every row of a named list."""
    return {name: id_ for name, id_ in s.execute(select(table.name, table.id))}


def _day(value: dt.date | None) -> str | None:
    # The text SQLAlchemy's SQLite Date type stores, so rows read back identically.
    return value.isoformat() if value is not None else None


def _stamp(value: dt.datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime type stores (microseconds always written).
    return value.isoformat(" ", "microseconds")


