"""A plain ``sqlite3`` read-only connection to a local ledger file at the current migration
revision, opened before SQLAlchemy is imported: the window's first page and `rectify
summary` read through it because importing SQLAlchemy and the ORM costs more than their read.
Anything unusual (a server ledger, a network share, a missing, foreign, older or newer file)
gets None, and the caller takes the normal path, which has the messages for all of those."""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from tracker.db.location import network_warning, read_only_uri

MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REV = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+)?['\"]?", re.M)


@lru_cache(maxsize=1)
def revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files as text, so that opening an
    up-to-date ledger never pays for importing Alembic."""
    graph: dict[str, str | None] = {}
    for path in MIGRATIONS.glob("*.py"):
        found = dict(_REV.findall(path.read_text(encoding="utf-8")))
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision") or None
    return graph


def head_revision() -> str | None:
    """The newest migration revision; None when it is not clear (tracker.db.schema's
    head_revision insists there is one)."""
    try:
        graph = revision_graph()
    except OSError:
        return None
    heads = set(graph) - {d for d in graph.values() if d}
    return heads.pop() if len(heads) == 1 else None


def open_plain(target: str | Path, same_thread: bool = True
               ) -> tuple[Path, sqlite3.Connection] | None:
    """The file's path and a read-only connection to it when it is a plain local ledger file
    at the head revision, else None."""
    text = str(target)
    if "://" in text or text.lower().startswith("postgres") or text.endswith(".server"):
        return None
    try:
        path = Path(text).expanduser().absolute()
        if not path.is_file() or network_warning(path):
            return None
        head = head_revision()
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=2,
                               check_same_thread=same_thread)
    except (OSError, sqlite3.Error, ValueError):
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if head is not None and row is not None and row[0] == head:
            return path, conn
    except sqlite3.Error:
        pass
    conn.close()
    return None
