"""Which ledger, and which of its records, an exported Excel file refers to. A file carries the
ledger's random id and the history mark at export time; ids alone are not enough, because
SQLite (and the bulk import) hand a deleted problem's or measure's id to the next new one."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from tracker.db import location
from tracker.db.engine import Ledger
from tracker.db.orm import ChangeLog, LedgerSetting
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
    if not ledger.is_server and not location.file_writable(ledger.path):
        return ""
    from tracker.db.engine import open_ledger

    try:  # a server ledger: the role decides (a read-only role's open stays read-only)
        writable = open_ledger(ledger.target(), user=ledger.user, migrate=False,
                               auto_backup=False)
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
    """Problems and measures created after an export, by their recorded creation: after the
    export's history mark (exact, even within the export's second), or later than its time
    (older files have no mark; and a ledger restored from an older backup reuses history
    ids). Every way of creating one records a create; an undone delete is a "restore", so
    it stays the file's record."""
    after = []
    if mark is not None:
        after.append(ChangeLog.id > mark)
    if exported_at is not None:
        after.append(ChangeLog.at > exported_at)
    if not after:
        return NewSince()
    with ledger.read() as s:
        rows = s.execute(select(ChangeLog.entity, ChangeLog.entity_id).where(
            or_(*after), ChangeLog.action == "create",
            ChangeLog.entity.in_(("problem", "measure")))).all()
    return NewSince(frozenset(i for e, i in rows if e == "problem"),
                    frozenset(i for e, i in rows if e == "measure"))
