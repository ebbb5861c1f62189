"""`rectify check` on a server ledger: PostgreSQL keeps its own pages and foreign keys whole,
so the counterpart of PRAGMA integrity_check is a catalog check that the ledger's tables and
indexes are all there and usable (an interrupted CREATE INDEX CONCURRENTLY leaves one invalid)."""

from __future__ import annotations

from sqlalchemy import Connection, text

from tracker.db.orm import Base


def catalog_check(conn: Connection) -> tuple[str, ...]:
    """('ok',) when every table and index the schema defines exists and is valid, else lines."""
    problems: list[str] = []
    tables = set(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    for name in sorted(Base.metadata.tables):
        if name not in tables:
            problems.append(f"缺少数据表 {name}")
    invalid = conn.execute(text(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)")).scalars()
    problems += [f"索引 {name} 无效，需要重建（REINDEX）" for name in invalid]
    have = set(conn.execute(text(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")).scalars())
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            if index.name and index.name not in have:
                problems.append(f"缺少索引 {index.name}")
    return tuple(problems) or ("ok",)
