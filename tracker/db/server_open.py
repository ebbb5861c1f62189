"""Opening a ledger on a PostgreSQL server: connect, refuse newer schemas, migrate (one
transaction, under the write lock), and find out whether the role may edit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, OperationalError

from tracker.db import schema, server
from tracker.errors import LedgerOpenError, TrackerError

if TYPE_CHECKING:
    from tracker.db.engine import Ledger


def open_server_ledger(url_text: str, *, user: str | None = None, read_only: bool = False,
                       migrate: bool = True) -> "Ledger":
    """Open the server ledger at ``url_text``; creates the tables in an empty database.

    SQLite-only steps and why they are not needed here: pragmas (the server has its own
    durable settings); the backup before an upgrade (PostgreSQL runs the whole migration in
    one transaction, so a failed upgrade leaves the database as it was); the daily automatic
    backup (a server is backed up by its administrator with pg_dump, see docs/server.md;
    `rectify backup` still writes an ordinary ledger file on demand)."""
    from tracker.db.engine import Ledger, current_user

    url = server.parse_url(url_text)
    shown = server.display(url)
    engine = server.make_engine(url)
    warnings: list[str] = []
    ledger = Ledger(server.local_anchor(url), engine, read_only=read_only,
                    user=user or url.username or current_user(), warnings=warnings, url=shown)
    try:
        with engine.connect() as conn:
            current = server.server_revision(conn)
            server.check_revision(current, schema.known_revisions(), shown)
            creatable = current is None and server.may_create(conn)
        if current != schema.head_revision():
            if not migrate:
                raise LedgerOpenError(f"服务器台账“{shown}”的数据格式不是最新版本，需要先升级。")
            if read_only or (current is None and not creatable):
                what = "还没有建好台账表" if current is None else "需要升级数据格式"
                raise LedgerOpenError(f"服务器台账“{shown}”{what}，但当前账号无权修改表结构。"
                                      "请让有编辑权限的管理员先连接一次（见 docs/server.md）。")
            schema.upgrade(ledger)
        with engine.connect() as conn:
            editable = server.may_edit(conn)
    except TrackerError:
        engine.dispose()
        raise
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise ledger.translate(exc) from exc
    _mark_anchor(ledger.path, shown)
    if not editable and not read_only:
        ledger.read_only = True
        warnings.append("您的数据库账号只有查看权限：可以查看和导出，但不能修改。")
    return ledger


def _mark_anchor(anchor: Path, shown: str) -> None:
    """A small text file at the local stand-in (the address, never a password): the window's
    recent list only offers ledgers whose path exists, and a person looking finds the URL."""
    try:
        if not anchor.exists():
            anchor.parent.mkdir(parents=True, exist_ok=True)
            anchor.write_text(f"{shown}\n整改台账的服务器台账（PostgreSQL），不是台账文件。\n",
                              encoding="utf-8")
    except OSError:
        pass  # only a convenience: the server ledger is open either way
