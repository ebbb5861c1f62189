"""Backups of a ledger through the SQLite online backup API (never a file copy of a live
database): on demand, once a day when a ledger is opened, and before upgrades and restores."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import clock
from tracker.errors import StorageError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

BACKUP_DIR = "backups"
KEEP_AUTO = 30  # automatic backups kept per ledger; manual and safety copies are never pruned
STAMP = "%Y%m%d-%H%M%S"

AUTO, MANUAL, BEFORE_UPGRADE, BEFORE_RESTORE = "自动", "手动", "升级前", "恢复前"
KINDS = (AUTO, MANUAL, BEFORE_UPGRADE, BEFORE_RESTORE)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a ledger: where, what kind, when taken, how big."""

    path: Path
    kind: str
    taken_at: dt.datetime
    size: int

    @property
    def size_text(self) -> str:
        """The size as a clerk reads it (KB / MB)."""
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def backup_dir(ledger_path: Path) -> Path:
    """The ``backups`` folder beside a ledger file."""
    return Path(ledger_path).parent / BACKUP_DIR


def backup_name(ledger_path: Path, kind: str, when: dt.datetime | None = None,
                detail: str = "") -> Path:
    """backups/<ledger>-<kind>[-<detail>]-<YYYYmmdd-HHMMSS>.sqlite, made unique if taken."""
    stamp = (when or clock.now()).strftime(STAMP)
    middle = f"{kind}-{detail}-" if detail else f"{kind}-"
    base = backup_dir(ledger_path) / f"{Path(ledger_path).stem}-{middle}{stamp}"
    dest, n = base.with_name(base.name + ".sqlite"), 2
    while dest.exists():  # two backups in one second: never overwrite the first
        dest, n = base.with_name(f"{base.name}-{n}.sqlite"), n + 1
    return dest


def copy_database(src: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the database behind ``src`` to ``dest`` (beside, then renamed)."""
    dest = Path(dest)
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        out = sqlite3.connect(str(tmp))
        try:
            # One step (pages=-1): one read snapshot of the source, which in WAL mode does not
            # block writers, and never restarts however busy the ledger is.
            src.backup(out)
            # A backup is a self-contained file: no WAL beside it.
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        _discard(tmp)
        raise StorageError(f"备份到“{dest}”失败：{_reason(exc)}。台账本身没有改动。") from exc
    return dest


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the original error is the one the clerk needs to read


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        if exc.errno == 28:
            return "磁盘空间已满"
        if exc.errno in (1, 13):
            return "没有写入权限"
        return exc.strerror or str(exc)
    text = str(exc)
    if "full" in text:
        return "磁盘空间已满"
    return text


def backup_to(ledger: Ledger, dest: Path) -> Path:
    """Write a consistent copy of ``ledger`` to ``dest`` (written beside, then renamed). A
    server ledger is copied row by row into an ordinary ledger file any clerk can open."""
    if ledger.is_server:
        return server_to_file(ledger, Path(dest))
    try:
        src = ledger.raw_connection()
    except sqlite3.Error as exc:
        raise StorageError(f"无法读取台账以备份：{_reason(exc)}") from exc
    try:
        return copy_database(src, Path(dest))
    finally:
        src.close()


def server_to_file(ledger: Ledger, dest: Path) -> Path:
    """A server ledger's rows, in one snapshot, as a new SQLite ledger file at ``dest``."""
    from tracker.db.copy import copy_ledger
    from tracker.db.engine import open_ledger

    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        out = open_ledger(tmp, user=ledger.user, auto_backup=False)
        try:
            copy_ledger(ledger, out)
        finally:
            out.close()
        plain = sqlite3.connect(str(tmp))  # a self-contained file: no WAL beside it
        try:
            plain.execute("PRAGMA journal_mode=DELETE")
        finally:
            plain.close()
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        _discard(tmp)
        raise StorageError(f"备份到“{dest}”失败：{_reason(exc)}。台账本身没有改动。") from exc
    except BaseException:
        _discard(tmp)
        raise
    return dest


def backup_now(ledger: Ledger) -> BackupInfo:
    """立即备份: a manual backup into the backups folder beside the ledger."""
    dest = backup_to(ledger, backup_name(ledger.path, MANUAL))
    return _info(dest, MANUAL, clock.now())


_NAME = re.compile(r"^(?P<kind>自动|手动|升级前|恢复前)-(?:.+-)?(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite$")


def _info(path: Path, kind: str, when: dt.datetime) -> BackupInfo:
    return BackupInfo(path, kind, when, path.stat().st_size)


def list_backups(ledger_path: Path) -> list[BackupInfo]:
    """This ledger's backups in its backups folder, newest first."""
    folder = backup_dir(ledger_path)
    prefix = f"{Path(ledger_path).stem}-"
    out: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if not path.name.startswith(prefix) or not path.is_file():
            continue
        m = _NAME.match(path.name[len(prefix):])
        if m is None:
            continue
        try:
            out.append(_info(path, m["kind"], dt.datetime.strptime(m["stamp"], STAMP)))
        except (OSError, ValueError):
            continue  # vanished while listing, or a name that only looks like a stamp
    out.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return out


STALE_PART_SECONDS = 3600  # a half-written backup this old belongs to a process that died


def prune_auto_backups(ledger_path: Path, keep: int = KEEP_AUTO) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep``, and half-written copies left by a
    program that was killed while backing up; returns what was removed."""
    removed = [b.path for b in [b for b in list_backups(ledger_path) if b.kind == AUTO][keep:]]
    try:
        # A file's age on the file system's own clock, never against our (settable) clock.
        parts = [p for p in backup_dir(ledger_path).glob(f"{Path(ledger_path).stem}-*.part")
                 if clock.file_age_seconds(p) > STALE_PART_SECONDS]
    except OSError:
        parts = []
    gone = []
    for path in removed + parts:
        try:
            path.unlink()
            gone.append(path)
        except OSError:
            pass  # a locked or vanished old file must not stop the ledger from opening
    return gone


def _has_data(ledger: Ledger) -> bool:
    conn = ledger.raw_connection()
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return any(
            conn.execute(f"SELECT EXISTS(SELECT 1 FROM {t})").fetchone()[0]
            for t in ("problem", "source")
            if t in tables
        )
    finally:
        conn.close()


def taken_today(ledger_path: Path, today: dt.date | None = None) -> bool:
    """Whether today's automatic backup of the ledger is in its backups folder (at most one a
    day is taken; a reader that opens the ledger without SQLAlchemy asks this first)."""
    day = today or clock.today()
    return any(b.kind == AUTO and b.taken_at.date() == day for b in list_backups(ledger_path))


def auto_backup(ledger: Ledger, now: dt.datetime | None = None,
                keep: int = KEEP_AUTO) -> BackupInfo | None:
    """The daily backup when a ledger is opened: at most one per day, keeping the last ``keep``.

    Returns the new backup, or None when today's exists or the ledger holds nothing yet."""
    now = now or clock.now()
    if taken_today(ledger.path, now.date()):
        return None
    if not _has_data(ledger):
        return None  # a brand-new ledger: nothing to lose, no folder to clutter
    dest = backup_to(ledger, backup_name(ledger.path, AUTO, now))
    prune_auto_backups(ledger.path, keep)
    return _info(dest, AUTO, now.replace(microsecond=0))
