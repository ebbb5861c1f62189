"""Alembic environment: runs on the connection open_ledger hands over, in batch mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from tracker.db.orm import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: rebuild tables instead
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # `alembic revision --autogenerate` from a developer shell
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///dev-ledger.sqlite"
    with create_engine(url).begin() as conn:
        _run(conn)
