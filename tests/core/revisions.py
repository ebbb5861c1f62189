"""Build ledger files stamped with an older schema revision, for upgrade tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from tracker.db import schema

OLD_PROBLEM_SQL = (
    "INSERT INTO problem (id, seq, description, goal, co_units, leader, owner, remarks,"
    " closeout_by, closeout_note, status, deadline_text, measures_total, measures_done,"
    " search_text, created_at, updated_at, version) VALUES (1, 1, :d, '', '', '', '', '', '',"
    " '', :s, '', :t, :n, :d, '2022-01-01 00:00:00', '2022-01-01 00:00:00', 1)"
)


def ledger_at(path: Path, revision: str, problem: str | None = None, status: str = "not_started",
              total: int = 0, done: int = 0) -> Path:
    """A ledger made by the migrations up to ``revision`` only, optionally with one problem
    inserted as that revision's schema stores it."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            if problem is not None:
                conn.execute(text(OLD_PROBLEM_SQL),
                             {"d": problem, "s": status, "t": total, "n": done})
    finally:
        engine.dispose()
    return path
