"""The PostgreSQL store: ledger URLs, connecting, the schema version on the server, whether
the role may edit, and the driver errors a clerk gets a sentence for."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from tracker.db.location import SCHEMES as SCHEMES  # re-exported
from tracker.db.location import is_server_url as is_server_url  # re-exported
from tracker.db.location import unsquash
from tracker.errors import (
    LedgerLockedError,
    LedgerOpenError,
    NewerSchemaError,
    ReadOnlyError,
    StorageError,
    TrackerError,
)

CONNECT_TIMEOUT_S = 5
LOCK_TIMEOUT_MS = 5000
# One number for every ledger writer: pg_advisory_xact_lock(WRITE_LOCK) is the server's
# counterpart of SQLite's BEGIN IMMEDIATE, so writes stay one at a time, as the services expect.
WRITE_LOCK = 7_173_261_717
def parse_url(value: str) -> URL:
    """The SQLAlchemy URL for psycopg 3, or a Chinese error for a malformed one."""
    try:
        url = make_url(unsquash(value).strip())
    except ArgumentError as exc:
        raise LedgerOpenError(f"服务器台账地址“{value}”格式不对。请写成 "
                              "postgresql://用户名@服务器:端口/数据库名。") from exc
    if not url.database:
        raise LedgerOpenError(f"服务器台账地址“{display(url)}”缺少数据库名（/ 后面的部分）。")
    return url.set(drivername="postgresql+psycopg")


def build_url(host: str, port: int, database: str, user: str) -> str:
    """The ledger URL for the fields of the server dialog (never with a password)."""
    url = URL.create("postgresql", username=user.strip() or None, host=host.strip() or None,
                     port=port or None, database=database.strip())
    return url.render_as_string(hide_password=False)


KEYRING_SERVICE = "rectify"


def keyring_password(url: URL) -> str | None:
    """The password the clerk chose to keep in the system keyring for this server, if any
    (the keyring package is optional; libpq's pgpass and PGPASSWORD come first)."""
    if url.password or os.environ.get("PGPASSWORD"):
        return None
    try:
        import keyring  # type: ignore[import-not-found]

        return keyring.get_password(KEYRING_SERVICE, display(url))  # type: ignore[no-any-return]
    except Exception:  # no keyring package or no keyring backend: libpq asks pgpass itself
        return None


def display(url: URL) -> str:
    """The URL as shown to the clerk and in logs: never with the password."""
    shown = url.set(drivername="postgresql")
    return shown.render_as_string(hide_password=True)


ANCHOR_SUFFIX = ".server"
_ANCHOR = re.compile(r"^(?P<db>.+)（(?:(?P<user>[^@（）]*)@)?(?P<host>[^@，（）]+)，(?P<port>\d+)）$")


def local_anchor(url: URL) -> Path:
    """A local stand-in path for a server ledger: its backups folder (and the name used in
    messages and the recent list) live beside it in the user's data folder; the file there
    holds only the address, and anchor_url() reads the server back from its name."""
    from platformdirs import user_data_dir

    host = (url.host or "localhost").replace(":", "_")
    user = f"{url.username}@" if url.username else ""
    name = f"{url.database}（{user}{host}，{url.port or 5432}）{ANCHOR_SUFFIX}"
    return Path(user_data_dir("rectify", appauthor=False)) / "服务器台账" / name


def anchor_url(path: Path) -> str:
    """The server URL a local stand-in names (the window's recent list holds these), or ''."""
    if path.suffix != ANCHOR_SUFFIX or path.parent.name != "服务器台账":
        return ""
    m = _ANCHOR.match(path.stem)
    if not m:
        return ""
    return build_url(m["host"], int(m["port"]), m["db"], m["user"] or "")


def make_engine(url: URL) -> Engine:
    """An engine for the server: pings pooled connections (a network can drop them), gives up
    connecting after a few seconds, and lets writers queue behind WRITE_LOCK."""
    stored = keyring_password(url)
    if stored:
        url = url.set(password=stored)
    # sslmode is libpq's default 'prefer' unless the URL says otherwise: TLS when offered.
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "rectify",
            "options": f"-c lock_timeout={LOCK_TIMEOUT_MS} -c TimeZone=UTC",
        },
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def server_revision(conn: Connection) -> str | None:
    """The Alembic revision stamped in the database; None when it is empty."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise LedgerOpenError("这个数据库里已有别的表，但不是整改台账（缺少版本信息），未做任何改动。"
                                  "请为台账单独建一个空数据库（见 docs/server.md）。")
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_revision(rev: str | None, known: set[str], where: str) -> None:
    """Refuse a database written by a newer program."""
    if rev is not None and rev not in known:
        raise NewerSchemaError(
            f"服务器台账“{where}”由更新版本的整改台账程序保存（数据版本 {rev}），当前程序无法安全打开。"
            "请升级程序后再连接；数据库未做任何改动。")


def may_edit(conn: Connection) -> bool:
    """Whether the connecting role may change problems (a read-only role may only SELECT)."""
    return bool(conn.execute(text(
        "SELECT has_table_privilege(current_user, 'problem', 'INSERT')"
        " AND has_table_privilege(current_user, 'problem', 'UPDATE')")).scalar())


def may_create(conn: Connection) -> bool:
    """Whether the role may create tables in the public schema (to set up a new ledger)."""
    return bool(conn.execute(text(
        "SELECT has_schema_privilege(current_user, 'public', 'CREATE')")).scalar())


# Explicit ids (the bulk writers take max(id)+1, as SQLite allows) leave a serial column's
# sequence behind; this trigger moves it past the largest id after every INSERT statement, so
# the next ORM insert never collides. SQLite needs nothing: it always picks max(rowid)+1.
_BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION rectify_bump_id_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE seq text := pg_get_serial_sequence(quote_ident(TG_TABLE_NAME), 'id');
        top bigint; cur bigint;
BEGIN
  EXECUTE format('SELECT max(id) FROM %I', TG_TABLE_NAME) INTO top;
  EXECUTE format('SELECT last_value FROM %s', seq) INTO cur;
  IF top IS NOT NULL AND top > cur THEN
    PERFORM setval(seq, top);
  END IF;
  RETURN NULL;
END $$;
"""


def install_id_sequences(conn: Connection) -> None:
    """(Re)create the sequence-bumping trigger on every table with a serial id."""
    conn.execute(text(_BUMP_FUNCTION))
    rows = conn.execute(text(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND column_name = 'id' AND column_default LIKE 'nextval(%'")).scalars().all()
    for table in rows:
        conn.execute(text(
            f'CREATE OR REPLACE TRIGGER rectify_bump_id AFTER INSERT ON "{table}"'
            " FOR EACH STATEMENT EXECUTE FUNCTION rectify_bump_id_seq()"))


def translate_error(exc: BaseException, where: str) -> TrackerError | None:
    """A typed error for a PostgreSQL driver error, or None when it is not one we know."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    msg = str(orig).lower()
    if state == "42501" or "permission denied" in msg or "read-only transaction" in msg:
        return ReadOnlyError("您的数据库账号只有查看权限，不能保存修改。需要修改时请联系管理员"
                             "（见 docs/server.md 的编辑角色）。")
    if state in ("55P03", "40001", "40P01") or "lock timeout" in msg:
        return LedgerLockedError("服务器台账正被其他人保存，等待后仍未完成。请稍后重试，"
                                 "刚才的修改没有保存，仍在窗口中。")
    if state == "28P01" or "password authentication failed" in msg:
        return LedgerOpenError(f"连接服务器台账“{where}”失败：用户名或密码不对。请检查密码"
                               "（pgpass 文件、PGPASSWORD 或系统钥匙串）。")
    if "no password supplied" in msg:
        return LedgerOpenError(f"连接服务器台账“{where}”需要密码。请在 pgpass 文件或系统钥匙串中保存密码，"
                               "脚本中可以设置 PGPASSWORD（见 docs/server.md）。")
    if state == "3D000" or ("database" in msg and "does not exist" in msg):
        return LedgerOpenError(f"服务器上没有数据库“{where}”。请让管理员按 docs/server.md 建库，"
                               "或检查地址中的数据库名。")
    if state == "28000" or "role" in msg and "does not exist" in msg:
        return LedgerOpenError(f"服务器不接受这个用户连接“{where}”。请检查用户名，或请管理员授权。")
    if state.startswith("08") or any(w in msg for w in (
            "connection refused", "could not connect", "timeout expired", "could not translate",
            "server closed the connection", "connection is bad", "name or service not known")):
        return StorageError(f"无法连接服务器台账“{where}”：服务器没有响应。请检查网络、服务器地址和端口"
                            "，或请管理员确认数据库服务已启动。修改没有保存。")
    if state == "53100" or "disk full" in msg:
        return StorageError("服务器磁盘空间已满，修改没有保存。请联系管理员。")
    return None


def env_password_hint() -> str:
    """Where the password came from, for the server dialog's note (never the password)."""
    if os.environ.get("PGPASSWORD"):
        return "PGPASSWORD"
    if os.environ.get("PGPASSFILE") or Path("~/.pgpass").expanduser().exists():
        return "pgpass"
    return ""
