"""Copy a whole ledger between stores (SQLite file <-> PostgreSQL database), row for row,
and prove the copy: the same count and the same hash of every row in every table."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, func, insert, select

from tracker.db.orm import Base
from tracker.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

BATCH = 2000  # rows per INSERT batch: big enough to be quick, small enough to stay in memory


@dataclass(frozen=True)
class TableDigest:
    """One table's row count and the SHA-256 of its rows in primary-key order."""

    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class CopyResult:
    """What a copy wrote: the digest of every table, read back from the copy."""

    tables: tuple[TableDigest, ...]

    @property
    def problems(self) -> int:
        """How many problems the copy holds."""
        return next((t.rows for t in self.tables if t.table == "problem"), 0)

    @property
    def total_rows(self) -> int:
        """Rows in every table together."""
        return sum(t.rows for t in self.tables)


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children: foreign keys hold


def _canonical(value: Any) -> str:
    """One text per value, the same whichever store it came from."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def digest(ledger: Ledger) -> tuple[TableDigest, ...]:
    """Count and hash every table of ``ledger`` in one snapshot."""
    out = []
    with ledger.read() as s:
        for table in _tables():
            h, n = hashlib.sha256(), 0
            for row in s.execute(_ordered(table)).yield_per(BATCH):
                h.update("\x1f".join(_canonical(v) for v in row).encode("utf-8") + b"\x1e")
                n += 1
            out.append(TableDigest(table.name, n, h.hexdigest()))
    return tuple(out)


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(row._mapping))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def holds_records(ledger: Ledger) -> bool:
    """True when the ledger has any problem, source or unit (a fresh one has only categories)."""
    from tracker.db.orm import Problem, Source, Unit

    with ledger.read() as s:
        return any(s.scalar(select(func.count()).select_from(t)) for t in (Problem, Source, Unit))


def copy_ledger(source: Ledger, dest: Ledger) -> CopyResult:
    """Copy every row of ``source`` into the empty ledger ``dest`` (one transaction there),
    then verify the copy against the source; raises when anything differs."""
    if holds_records(dest):
        raise ValidationError(f"目标台账“{dest.label}”里已有数据。rectify copy 只复制到空台账"
                              "（新文件或新建的空数据库），以免覆盖别人的记录。")
    tables = _tables()
    with source.read() as src, dest.write() as out:
        for table in reversed(tables):  # the seeded category list of a new ledger goes too
            out.execute(delete(table))
        for table in tables:
            for batch in _batches(iter(src.execute(_ordered(table)).yield_per(BATCH)), BATCH):
                out.execute(insert(table), batch)
    want, got = digest(source), digest(dest)
    if want != got:
        bad = [w.table for w, g in zip(want, got) if w != g]
        raise StorageError(f"复制后的核对没有通过（表 {'、'.join(bad)} 与原台账不一致）。"
                           "请不要使用这份副本，重新复制一次。")
    return CopyResult(got)
