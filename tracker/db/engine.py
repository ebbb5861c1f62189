"""open_ledger(path or URL): a SQLite file (safe pragmas) or a PostgreSQL database
(tracker.db.server) -> a Ledger with migrations and short sessions."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from tracker.db import location, schema, server
from tracker.db.location import default_ledger_path as default_ledger_path  # re-exported
from tracker.errors import (
    ConflictError,
    LedgerLockedError,
    LedgerOpenError,
    ReadOnlyError,
    StorageError,
    TrackerError,
)

BUSY_TIMEOUT_MS = 5000


def translate_db_error(exc: BaseException) -> TrackerError:
    """Map a driver error to the typed error a clerk gets a sentence for."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return LedgerLockedError(
            "台账文件正被另一个窗口或程序占用，等待后仍未释放。请关闭其他正在写入的窗口后重试，"
            "刚才的修改没有保存，仍在窗口中。"
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return ReadOnlyError("台账文件是只读的，不能保存修改。请检查文件权限，或另存一份后再编辑。")
    if "full" in text:
        return StorageError("磁盘空间已满，修改没有保存。请清理磁盘空间后重试，窗口中的内容仍在。")
    if "not a database" in text or "malformed" in text:
        return LedgerOpenError("文件已损坏或不是整改台账文件，无法读写。请从备份恢复。")
    if "unable to open" in text or "permission" in text or "disk i/o" in text:
        return StorageError("无法写入台账文件（权限不足或磁盘错误）。修改没有保存，窗口中的内容仍在。")
    return StorageError(f"数据库错误，修改没有保存：{getattr(exc, 'orig', exc)}")


class Ledger:
    """An open ledger: the engine, whether it is read-only, and short-lived sessions.

    ``path`` is the file; for a server ledger (``url`` set) it is a local stand-in in the
    user's data folder that names it and holds its local backups (server.local_anchor)."""

    def __init__(
        self, path: Path, engine: Engine, *, read_only: bool, user: str, warnings: list[str],
        url: str = "",
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.user = user
        self.warnings = warnings
        self.url = url
        self.dialect = engine.dialect.name
        # SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory write lock (server.make_engine).
        self._write_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        # A read is one snapshot on both stores: SQLite's deferred transaction is one already;
        # PostgreSQL's default READ COMMITTED would let a list and its counts disagree.
        self._read_engine = (engine.execution_options(isolation_level="REPEATABLE READ")
                             if self.is_server else engine)

    @property
    def is_server(self) -> bool:
        """True for a PostgreSQL ledger, False for a SQLite file."""
        return self.dialect == "postgresql"

    @property
    def label(self) -> str:
        """What the clerk sees as the ledger's name: the file path, or the server URL."""
        return self.url or str(self.path)

    def target(self) -> Path | str:
        """What open_ledger takes to open this ledger again (for a server, the full URL)."""
        if self.is_server:
            return self.engine.url.render_as_string(hide_password=False)
        return self.path

    def listen(self) -> Any:
        """A tracker.db.notify.ChangeListener of other people's changes on a server ledger;
        None for a file (nobody else writes to it at the same time)."""
        if not self.is_server:
            return None
        from tracker.db.notify import ChangeListener

        try:
            return ChangeListener(self.engine.url)
        except Exception as exc:  # the window then refreshes on its own, as for a file
            raise self.translate(exc) from exc

    def translate(self, exc: BaseException) -> TrackerError:
        """The typed error for a driver error on this store."""
        if self.is_server:
            found = server.translate_error(exc, self.url)
            if found is not None:
                return found
        return translate_db_error(exc)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session in one deferred (snapshot) transaction; nothing it does is committed."""
        try:
            with Session(self._read_engine, expire_on_commit=False) as session:
                try:
                    yield session
                finally:
                    session.rollback()
        except (OperationalError, DBAPIError) as exc:
            raise self.translate(exc) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one BEGIN IMMEDIATE transaction, committed whole or not at all."""
        if self.read_only:
            raise ReadOnlyError("台账以只读方式打开，不能保存修改。")
        try:
            with Session(self._write_engine, expire_on_commit=False) as session:
                session.info["user"] = self.user
                with session.begin():
                    yield session
        except StaleDataError as exc:
            raise ConflictError(
                "这条记录已在别处（另一个窗口或导入）被修改。已为您重新载入最新内容，请核对后再保存。"
            ) from exc
        except (OperationalError, DBAPIError) as exc:
            raise self.translate(exc) from exc

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection for the backup API and integrity checks (SQLite only:
        a server ledger is backed up by copying its rows, see tracker.db.copy)."""
        if self.is_server:
            raise StorageError("服务器台账没有本地数据库文件；备份请用 rectify backup 或 rectify copy。")
        return _connect(self.path, read_only=self.read_only, network=self._network)

    _network = False

    def structure_check(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The store's own integrity check and the broken foreign keys: PRAGMA checks on
        SQLite; on PostgreSQL (which enforces foreign keys and checksums pages itself) a
        catalog check that every table and index of the ledger is there and valid."""
        if self.is_server:
            from tracker.db.server_checks import catalog_check

            with self.engine.connect() as server_conn:
                return catalog_check(server_conn), ()
        raw = self.raw_connection()
        try:
            integrity = tuple(r[0] for r in raw.execute("PRAGMA integrity_check"))
            fks = tuple(f"表 {r[0]} 第 {r[1]} 行 → {r[2]}"
                        for r in raw.execute("PRAGMA foreign_key_check"))
        finally:
            raw.close()
        return integrity, fks

    def close(self) -> None:
        """Release every pooled connection (SQLite checkpoints the WAL on last close)."""
        self.engine.dispose()


def _connect(path: Path, *, read_only: bool, network: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            location.read_only_uri(path),
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    # We issue BEGIN ourselves (see _on_begin): pysqlite's implicit transactions are unsafe.
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    if not read_only:
        # WAL's shared memory does not work across machines (sqlite.org/wal.html): on a
        # network share the ledger keeps a rollback journal instead.
        conn.execute("PRAGMA journal_mode=DELETE" if network else "PRAGMA journal_mode=WAL")
        # FULL: a committed edit survives power loss, not only a crash of the program.
        conn.execute("PRAGMA synchronous=FULL")
    return conn


def _is_read_only(path: Path) -> bool:
    if path.exists():
        # Try it: os.access says yes on Windows for a folder the clerk cannot write to.
        return not location.file_writable(path) or not location.folder_writable(path.parent)
    return False


def default_ledger() -> Path | str:
    """RECTIFY_DB (a file or a postgresql:// URL) if set, else the default ledger file."""
    env = os.environ.get("RECTIFY_DB", "").strip()
    if server.is_server_url(env):
        return env
    return default_ledger_path()


def current_user() -> str:
    """The OS user name, used in the change history when no name is set."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts
        return "unknown"


def open_ledger(
    path: str | os.PathLike[str] | None = None,
    *,
    user: str | None = None,
    read_only: bool = False,
    migrate: bool = True,
    auto_backup: bool = True,
) -> Ledger:
    """Open (creating if needed) a ledger file, refuse newer schemas, migrate, take the day's
    automatic backup, and return it. A postgresql:// URL opens a server ledger instead."""
    target = path if path is not None else default_ledger()
    # A server's URL, that URL after pathlib squashed its '//', or its local stand-in (the
    # window remembers ledgers by path): all open the server ledger.
    url = str(target) if server.is_server_url(str(target)) else server.anchor_url(Path(target))
    if url:
        from tracker.db.server_open import open_server_ledger

        return open_server_ledger(url, user=user, read_only=read_only, migrate=migrate)
    p = Path(target).expanduser()
    p = p.absolute()
    warnings: list[str] = []
    net = location.network_warning(p)
    if net:
        warnings.append(net)
    if p.is_dir():
        raise LedgerOpenError(f"“{p}”是一个文件夹，不是台账文件。")
    if not p.exists():
        if read_only:
            raise LedgerOpenError(f"找不到台账文件“{p}”。")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerOpenError(f"无法创建台账所在文件夹“{p.parent}”：{exc.strerror}") from exc
    else:
        schema.check_file(p)  # refuses a non-ledger or newer file before any write touches it
        if read_only and migrate and not _is_read_only(p) and schema.needs_upgrade(p):
            # A reader (rectify list, export) of a ledger saved by the previous version: bring
            # it up to date once (with its pre-upgrade backup), then read it as asked.
            open_ledger(p, user=user, auto_backup=False).close()
    ro = read_only or _is_read_only(p)
    if ro and not read_only:
        warnings.append("台账文件是只读的：可以查看和导出，但不能修改。")
    engine = create_engine(
        "sqlite://",
        creator=lambda: _connect(p, read_only=ro, network=bool(net)),
        # QueuePool, as SQLAlchemy uses for SQLite files: the "sqlite://" URL alone would pick
        # SingletonThreadPool, which closes other threads' connections once more than five
        # threads have used the ledger, and the process crashes (seen with six workers).
        poolclass=QueuePool,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    ledger = Ledger(p, engine, read_only=ro, user=user or current_user(), warnings=warnings)
    ledger._network = bool(net)
    try:
        if migrate:
            schema.upgrade(ledger)
    except TrackerError:
        ledger.close()
        raise
    except (OperationalError, DBAPIError, sqlite3.Error) as exc:
        ledger.close()
        raise translate_db_error(exc) from exc
    # Read-only opens back up too (`rectify list` counts as opening); only the folder must take it.
    if auto_backup and location.folder_writable(p.parent):
        from tracker.db.backup import auto_backup as take_daily_backup

        try:
            take_daily_backup(ledger)
        except TrackerError as exc:  # a failed backup must not keep the clerk from working
            warnings.append(f"今天的自动备份没有完成：{exc.message}")
    return ledger
