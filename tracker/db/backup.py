"""Copies of a live ledger through the SQLite online backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import StorageError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger


def backup_to(ledger: Ledger, dest: Path) -> Path:
    """Write a consistent copy of ``ledger`` to ``dest`` (written beside, then renamed)."""
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        tmp.unlink(missing_ok=True)
        src = ledger.raw_connection()
        try:
            out = sqlite3.connect(str(tmp))
            try:
                src.backup(out)
                # A backup is a self-contained file: no WAL beside it.
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        tmp.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"备份到“{dest}”失败：{exc}") from exc
    return dest
