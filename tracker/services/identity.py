"""Which ledger, and which of its records, an exported Excel file refers to. A file carries the
ledger's random id and the history mark at export time; ids alone are not enough, because
SQLite (and the bulk import) hand a deleted problem's or measure's id to the next new one."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.db.engine import Ledger
from tracker.db.orm import ChangeLog, LedgerSetting, Measure, Problem
from tracker.errors import TrackerError
from tracker.services.reference import get_setting

LEDGER_ID_KEY = "ledger_id"


@dataclass(frozen=True)
class NewSince:
    """Problems and measures created after an export: their ids are not the file's records."""

    problems: frozenset[int] = frozenset()
    measures: frozenset[int] = frozenset()


def ledger_identity(ledger: Ledger, create: bool = True) -> str:
    """This ledger's random id, made and stored the first time it is asked for ('' when it
    has none yet and ``create`` is False, or the file itself cannot be written)."""
    known = get_setting(ledger, LEDGER_ID_KEY)
    if known or not create:
        return known
    if not ledger.read_only:
        return _make_identity(ledger)
    # `rectify export` reads the ledger read-only; the id is still made once, with one short
    # write, or every file it exports would go out without one.
    if not os.access(ledger.path, os.W_OK):
        return ""
    from tracker.db.engine import open_ledger

    try:
        writable = open_ledger(ledger.path, user=ledger.user, migrate=False, auto_backup=False)
    except TrackerError:
        return ""
    try:
        return _make_identity(writable)
    except TrackerError:  # busy or refused: the file goes out as older exports did
        return ""
    finally:
        writable.close()


def _make_identity(ledger: Ledger) -> str:
    with ledger.write() as s:  # BEGIN IMMEDIATE: two processes cannot both make one
        row = s.get(LedgerSetting, LEDGER_ID_KEY)
        if row is None:
            row = LedgerSetting(key=LEDGER_ID_KEY, value=uuid.uuid4().hex)
            s.add(row)
        return row.value


def history_mark(ledger: Ledger) -> int:
    """The newest change-history id: every later create happened after this moment."""
    with ledger.read() as s:
        return int(s.scalar(select(func.max(ChangeLog.id))) or 0)


def new_since(ledger: Ledger, mark: int | None, exported_at: dt.datetime | None) -> NewSince:
    """Problems and measures created after an export. With the export's history mark this is
    exact (every create is recorded; an undone delete is a "restore", not a create). Older
    files carry only the export time, whole seconds, so a record made in that same second
    cannot be told apart and counts as the file's own."""
    with ledger.read() as s:
        if mark is not None:
            q = select(ChangeLog.entity, ChangeLog.entity_id).where(
                ChangeLog.id > mark, ChangeLog.action == "create",
                ChangeLog.entity.in_(("problem", "measure")))
            rows = s.execute(q).all()
            return NewSince(frozenset(i for e, i in rows if e == "problem"),
                            frozenset(i for e, i in rows if e == "measure"))
        if exported_at is None:
            return NewSince()
        return NewSince(
            frozenset(s.scalars(select(Problem.id).where(Problem.created_at > exported_at))),
            frozenset(s.scalars(select(Measure.id).where(Measure.created_at > exported_at))))
