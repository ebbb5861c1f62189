"""The ledger file: pragmas, migrations at open, refusing files it must not touch."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.core.revisions import ledger_at
from tracker.db import schema
from tracker.db.engine import open_ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.errors import LedgerOpenError, NewerSchemaError
from tracker.services.problems import create_problem
from tracker.services.queries import list_problems


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_connection_uses_wal_foreign_keys_and_busy_timeout(ledger) -> None:
    with ledger.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_new_ledger_is_stamped_with_the_head_revision(ledger) -> None:
    assert schema.file_revision(ledger.path) == schema.head_revision()


def test_ledger_made_by_the_first_revision_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    path = ledger_at(tmp_path / "old.sqlite", "0001", "食堂留样不规范")
    assert schema.file_revision(path) == "0001"

    led = open_ledger(path)
    try:
        assert schema.file_revision(path) == schema.head_revision()
        assert [p.description for p in list_problems(led)] == ["食堂留样不规范"]
        backups = list((tmp_path / "backups").glob("old-升级前-0001-*.sqlite"))
        assert len(backups) == 1, "an existing ledger is backed up before it is migrated"
        with sqlite3.connect(backups[0]) as b:
            assert b.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    finally:
        led.close()


def test_ledger_from_a_newer_version_is_refused_and_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    led = open_ledger(path)
    led.close()
    with sqlite3.connect(path) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_future'")
    c.close()
    before = _digest(path)
    with pytest.raises(NewerSchemaError) as err:
        open_ledger(path)
    assert "更新版本" in err.value.message and "未做任何改动" in err.value.message
    assert _digest(path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(LedgerOpenError) as err:
        open_ledger(path)
    assert "不是整改台账文件" in err.value.message
    assert path.read_text(encoding="utf-8") == "这不是数据库"


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE contacts (name TEXT)")
    c.close()
    before = _digest(path)
    with pytest.raises(LedgerOpenError):
        open_ledger(path)
    assert _digest(path) == before


def test_saved_edit_is_there_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    led = open_ledger(path)
    create_problem(led, ProblemInput("课后服务内容单一", measures=(MeasureInput("丰富课程"),)))
    led.close()
    led = open_ledger(path)
    try:
        rows = list_problems(led)
        assert [p.description for p in rows] == ["课后服务内容单一"]
        assert rows[0].measures[0].text == "丰富课程"
    finally:
        led.close()


def test_env_variable_chooses_the_default_ledger(tmp_path: Path, monkeypatch) -> None:
    from tracker.db.engine import default_ledger_path

    monkeypatch.setenv("RECTIFY_DB", str(tmp_path / "x.sqlite"))
    assert default_ledger_path() == tmp_path / "x.sqlite"


def test_a_new_ledger_starts_with_the_usual_categories(ledger) -> None:
    from tracker.domain import DEFAULT_CATEGORIES
    from tracker.services.reference import list_categories

    assert [c.name for c in list_categories(ledger)] == list(DEFAULT_CATEGORIES)


def test_a_reader_of_an_older_ledger_upgrades_it_then_reads(tmp_path: Path) -> None:
    path = ledger_at(tmp_path / "old.sqlite", "0001")
    led = open_ledger(path, read_only=True)
    try:
        assert led.read_only and list_problems(led) == []
    finally:
        led.close()
    assert schema.file_revision(path) == schema.head_revision()
