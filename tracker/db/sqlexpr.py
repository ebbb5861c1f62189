"""SQL spelled per store: the few expressions whose text differs between SQLite and
PostgreSQL, so the services can stay dialect-free and SQLite keeps its exact index text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class SqlByStore(ColumnElement[Any]):
    """Literal SQL with one text for SQLite (and the default) and one for PostgreSQL."""

    inherit_cache = False  # the text lives on the instance, not in the cache key

    def __init__(self, sqlite_text: str, postgresql_text: str, type_: Any = None) -> None:
        self.sqlite_text = sqlite_text
        self.postgresql_text = postgresql_text
        self.type = type_ or Float()


@compiles(SqlByStore)
def _sqlite_text(element: SqlByStore, compiler: Any, **kw: Any) -> str:
    return element.sqlite_text


@compiles(SqlByStore, "postgresql")
def _postgresql_text(element: SqlByStore, compiler: Any, **kw: Any) -> str:
    return element.postgresql_text


class HideIndex(ColumnElement[Any]):
    """``+column`` on SQLite: a no-op that keeps the planner off a sort index when it would
    read every row anyway. PostgreSQL has no unary + for text and needs no such hint: plain."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        self.column = column
        self.type = column.type


@compiles(HideIndex)
def _hide_sqlite(element: HideIndex, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


@compiles(HideIndex, "postgresql")
def _hide_postgresql(element: HideIndex, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)
