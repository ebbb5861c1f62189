"""Schema versions: refuse files we do not understand, and run Alembic upgrades at open."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import clock
from tracker.db.location import read_only_uri
from tracker.db.plain import revision_graph
from sqlalchemy import Connection, func, insert, select

from tracker.errors import LedgerOpenError, NewerSchemaError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_MAGIC = b"SQLite format 3\x00"


def known_revisions() -> set[str]:
    """Every revision this program's migrations know."""
    return set(revision_graph())


def head_revision() -> str:
    """The newest revision this program writes (the one no other revision builds on)."""
    graph = revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    assert len(heads) == 1, f"migrations must have one head, found {heads}"
    return heads.pop()


def file_revision(path: Path) -> str | None:
    """The Alembic revision stamped in a ledger file, read without writing to it."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise LedgerOpenError(
                    f"“{path.name}”是一个 SQLite 数据库，但不是整改台账文件（缺少版本信息），未做任何改动。"
                )
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def check_file(path: Path) -> None:
    """Raise a clear error for a file that is not a ledger or is newer than this program."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise LedgerOpenError(f"无法读取台账文件“{path}”：{exc.strerror}") from exc
    if not head:
        return  # an empty file is a new ledger
    if head != SQLITE_MAGIC:
        raise LedgerOpenError(f"“{path.name}”不是整改台账文件（不是 SQLite 数据库），未做任何改动。")
    try:
        rev = file_revision(path)
    except sqlite3.DatabaseError as exc:
        raise LedgerOpenError(f"“{path.name}”已损坏，无法读取：{exc}。请从备份恢复。") from exc
    if rev is not None and rev not in known_revisions():
        raise NewerSchemaError(
            f"“{path.name}”由更新版本的整改台账程序保存（数据版本 {rev}），当前程序无法安全打开。"
            "请升级程序后再打开；文件未做任何改动。"
        )


def needs_upgrade(path: Path) -> bool:
    """True when an existing ledger file is stamped with an older revision than the head."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    return file_revision(path) not in (None, head_revision())


def upgrade(ledger: Ledger) -> None:
    """Bring the ledger to the head revision; back it up first when it already holds data."""
    if ledger.is_server:
        from tracker.db.server import server_revision

        with ledger.engine.connect() as conn:
            current = server_revision(conn)
    else:
        exists = ledger.path.exists() and ledger.path.stat().st_size > 0
        current = file_revision(ledger.path) if exists else None
    head = head_revision()
    if current == head:
        return
    if ledger.read_only:
        raise LedgerOpenError(
            f"“{ledger.path.name}”需要升级数据格式，但文件是只读的。请复制到可写的位置后再打开。"
        )
    # A server runs the whole upgrade in one transaction (DDL included): nothing to back up.
    if current is not None and not ledger.is_server:
        from tracker.db.backup import backup_to

        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        dest = ledger.path.parent / "backups" / f"{ledger.path.stem}-升级前-{current}-{stamp}.sqlite"
        backup_to(ledger, dest)
    from alembic import command  # only now: importing Alembic costs ~0.15 s per start
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # IMMEDIATE: two windows opening one new ledger at once must not both try to create it;
    # the second waits for the first, then finds the head revision already stamped.
    with ledger.engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if ledger.is_server:
            from tracker.db.notify import install_notify
            from tracker.db.server import install_id_sequences

            install_id_sequences(conn)
            install_notify(conn)
        if current is None:
            _seed_categories(conn)


def _seed_categories(conn: Connection) -> None:
    """A new ledger starts with the usual 评价重点 as its category list."""
    from tracker.db.orm import Category
    from tracker.domain import DEFAULT_CATEGORIES

    if conn.execute(select(func.count()).select_from(Category)).scalar():
        return
    conn.execute(insert(Category), [
        {"name": name, "position": i} for i, name in enumerate(DEFAULT_CATEGORIES, start=1)])
