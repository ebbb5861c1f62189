"""恢复备份: check a backup file, keep a copy of the ledger it replaces, then write the backup
into the ledger through the SQLite backup API, in one exclusive transaction."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tracker import clock
from tracker.db import location, schema
from tracker.db.backup import BEFORE_RESTORE, backup_name, copy_database
from tracker.errors import (
    LedgerLockedError,
    LedgerOpenError,
    NewerSchemaError,
    ReadOnlyError,
    StorageError,
)

# Long enough for another window's short save to finish, short enough to explain quickly.
EXCLUSIVE_WAIT_S = 2.0


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: which backup went in, and where the replaced ledger was kept."""

    ledger_path: Path
    backup_file: Path
    revision: str
    safety_copy: Path | None


def check_backup(backup_file: Path) -> str:
    """The backup's schema revision, after refusing empty, foreign, damaged or newer files."""
    path = Path(backup_file)
    name = path.name
    if not path.is_file():
        raise LedgerOpenError(f"找不到备份文件“{path}”。")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(schema.SQLITE_MAGIC))
    except OSError as exc:
        raise LedgerOpenError(f"无法读取备份文件“{name}”：{exc.strerror}") from exc
    if not head:
        raise LedgerOpenError(f"“{name}”是空文件，不是整改台账备份，不能用来恢复。")
    if head != schema.SQLITE_MAGIC:
        raise LedgerOpenError(f"“{name}”不是整改台账备份文件（不是 SQLite 数据库），不能用来恢复。")
    try:
        conn = sqlite3.connect(location.read_only_uri(path), uri=True, timeout=5)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise LedgerOpenError(
                    f"“{name}”已损坏（完整性检查未通过：{'；'.join(map(str, problems[:3]))}），"
                    "不能用来恢复。请选择另一份备份。"
                )
            fks = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fks:
                raise LedgerOpenError(
                    f"“{name}”中有 {len(fks)} 处引用了不存在的记录（外键检查未通过），不能用来恢复。"
                )
        finally:
            conn.close()
        revision = schema.file_revision(path)
    except sqlite3.DatabaseError as exc:
        raise LedgerOpenError(f"“{name}”已损坏，无法读取：{exc}。请选择另一份备份。") from exc
    if revision is None:
        raise LedgerOpenError(f"“{name}”是一个空数据库，不是整改台账备份，不能用来恢复。")
    if revision not in schema.known_revisions():
        raise NewerSchemaError(
            f"“{name}”由更新版本的整改台账程序保存（数据版本 {revision}），当前程序不能恢复它。"
            "请升级程序后再恢复。"
        )
    return revision


class _Damaged(Exception):
    """The ledger file is too damaged for SQLite to read or write."""


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _exclusive(ledger_path: Path) -> sqlite3.Connection:
    """A connection holding the ledger for itself: refuses while another window has it open."""
    conn = sqlite3.connect(str(ledger_path), timeout=EXCLUSIVE_WAIT_S, isolation_level=None)
    try:
        # Leaving WAL mode needs every other connection closed, so it doubles as the check
        # that no other window or program is using the ledger; EXCLUSIVE locking then keeps
        # them out until the restore is finished.
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        conn.close()
        text = str(exc).lower()
        if _is_damage(exc):
            raise _Damaged(str(exc)) from exc
        if "locked" in text or "busy" in text:
            raise LedgerLockedError(
                "台账正被另一个窗口或程序使用，不能恢复。请先关闭其他打开此台账的窗口，再重试；"
                "台账没有改动。"
            ) from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyError("台账文件是只读的，不能用备份覆盖它。请检查文件权限。") from exc
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _healthy(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def _keep_damaged(ledger_path: Path) -> Path:
    """Keep the exact bytes of a ledger SQLite can no longer read (and its side files)."""
    dest = backup_name(ledger_path, BEFORE_RESTORE, detail="已损坏")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # A file copy only because SQLite cannot read it; nothing is writing it (we hold it).
        shutil.copy2(ledger_path, dest)
        for suffix in ("-wal", "-shm"):
            side = Path(str(ledger_path) + suffix)
            if side.exists():
                shutil.copy2(side, Path(str(dest) + suffix))
    except OSError as exc:
        raise StorageError(f"无法保存损坏台账的副本到“{dest.parent}”：{exc.strerror}。没有恢复。") from exc
    return dest


def _replace_damaged(ledger_path: Path, src: sqlite3.Connection) -> None:
    """Put the backup in place of a ledger too damaged to be written through SQLite."""
    tmp = ledger_path.with_name(f"{ledger_path.name}.{os.getpid()}.restore")
    copy_database(src, tmp)
    for suffix in ("-wal", "-shm"):
        # A stale WAL would be replayed onto the restored file and damage it.
        Path(str(ledger_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, ledger_path)


def _finish(ledger_path: Path, backup_file: Path, safety: Path | None, user: str,
            conn: sqlite3.Connection | None = None) -> None:
    """Note the restore in the history, return the ledger to WAL mode and check it."""
    own = conn is None
    if conn is None:
        conn = sqlite3.connect(str(ledger_path), timeout=EXCLUSIVE_WAIT_S, isolation_level=None)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "change_log" in tables:  # absent in backups older than the history; added at open
            conn.execute(
                "INSERT INTO change_log (at, user, entity, entity_id, problem_id, action, field,"
                " old, new) VALUES (?, ?, 'ledger', 0, NULL, 'restore', 'file', ?, ?)",
                (clock.now().strftime("%Y-%m-%d %H:%M:%S.000000"), user,
                 safety.name if safety else "", backup_file.name),
            )
        conn.execute("PRAGMA locking_mode=NORMAL")
        conn.execute("PRAGMA journal_mode=WAL")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StorageError(f"恢复后的台账未通过检查（{check}）。恢复前的台账保存在“{safety}”。")
    finally:
        if own:
            conn.close()


def restore(ledger_path: Path, backup_file: Path, user: str = "") -> RestoreResult:
    """Replace the ledger's content with a checked backup, keeping a copy of what it replaces.

    Every connection to the ledger must be closed first (close the Ledger, reopen after)."""
    if Path(ledger_path).suffix == ".server":  # the local stand-in of a server ledger
        raise LedgerOpenError(
            "服务器台账不能用“恢复备份”覆盖：请把备份文件用 rectify copy 备份文件 postgresql://… "
            "复制到一个新建的空数据库，或由管理员用 pg_restore 恢复（见 docs/server.md）。")
    ledger_path = Path(ledger_path).absolute()
    backup_file = Path(backup_file).absolute()
    if ledger_path.exists() and backup_file.exists() and ledger_path.samefile(backup_file):
        raise LedgerOpenError("所选备份就是当前台账文件本身，不能用它恢复。")
    revision = check_backup(backup_file)
    if not user:
        from tracker.db.engine import current_user

        user = current_user()
    src = sqlite3.connect(location.read_only_uri(backup_file), uri=True, timeout=5)
    try:
        safety = _restore_into(ledger_path, src, backup_file, user)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"恢复失败：{exc}。台账保持恢复前的内容。") from exc
    finally:
        src.close()
    return RestoreResult(ledger_path, backup_file, revision, safety)


def _restore_into(ledger_path: Path, src: sqlite3.Connection, backup_file: Path,
                  user: str) -> Path | None:
    if not ledger_path.exists() or ledger_path.stat().st_size == 0:
        ledger_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(ledger_path), isolation_level=None)
        try:
            src.backup(conn)
            _finish(ledger_path, backup_file, None, user, conn)
        finally:
            conn.close()
        return None
    try:
        conn = _exclusive(ledger_path)
    except _Damaged:
        safety = _keep_damaged(ledger_path)
        _replace_damaged(ledger_path, src)
        _finish(ledger_path, backup_file, safety, user)
        return safety
    try:
        healthy = _healthy(conn)
        if healthy:
            safety = copy_database(conn, backup_name(ledger_path, BEFORE_RESTORE))
        else:
            safety = _keep_damaged(ledger_path)  # our exclusive lock keeps the bytes still
        try:
            # One step: the whole backup lands in the ledger in one transaction, or nothing.
            src.backup(conn)
        except sqlite3.DatabaseError as exc:
            if healthy or not _is_damage(exc):
                raise
            conn.close()
            _replace_damaged(ledger_path, src)
            _finish(ledger_path, backup_file, safety, user)
            return safety
        _finish(ledger_path, backup_file, safety, user, conn)
        return safety
    finally:
        conn.close()
