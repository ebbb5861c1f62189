"""The `rectify` command through a real subprocess, as a script or a clerk would run it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import STORES

RECTIFY = [sys.executable, "-m", "ui.launch"]


def run(*args: str, db: Path | str | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DISPLAY", None)
    cmd = [*RECTIFY, *(["--db", str(db)] if db else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=120)


@pytest.fixture(scope="module", params=STORES)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Path | str:
    """The demo ledger the CLI reads: a file, and (second run) a server database URL."""
    db: Path | str = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        db = server.url(server.fresh_database())
    out = run("demo", "--problems", "80", db=db)
    assert out.returncode == 0, out.stderr
    assert "80 个问题" in out.stdout
    return db


def test_list_json_has_the_documented_keys(demo_db: Path) -> None:
    out = run("list", "--json", db=demo_db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data) == 80
    assert set(data[0]) == {"id", "seq", "source", "category", "description", "status",
                            "deadline", "overdue", "lead_unit", "owner", "leader", "co_units",
                            "created_on", "closed_on", "verifier", "evidence", "measures"}
    closed = [p for p in data if p["status"] == "closed"]
    assert closed and all(p["verifier"] and p["closed_on"] for p in closed)
    assert all(p["created_on"] <= (p["closed_on"] or p["created_on"]) for p in data)
    assert set(data[0]["measures"][0]) == {"id", "text", "lead_unit", "co_units", "owner",
                                           "deadline", "deadline_text", "status", "percent", "done_on",
                                           "original_deadline", "extensions"}


def test_list_filters_overdue_and_by_unit(demo_db: Path) -> None:
    overdue = json.loads(run("list", "--json", "--overdue", db=demo_db).stdout)
    assert overdue and all(p["overdue"] for p in overdue)
    unit = json.loads(run("list", "--json", "--unit", "市教育局", db=demo_db).stdout)
    assert unit and all(p["lead_unit"] == "市教育局" or any(
        m["lead_unit"] == "市教育局" for m in p["measures"]) for p in unit)
    done = json.loads(run("list", "--json", "--status", "已销号", db=demo_db).stdout)
    assert done and {p["status"] for p in done} == {"closed"}


def test_list_prints_a_readable_table(demo_db: Path) -> None:
    out = run("list", "--status", "in_progress", db=demo_db)
    assert out.returncode == 0
    # Issue 12: the 编号 (the id show, close and history --problem take) comes first.
    assert out.stdout.splitlines()[0].split()[:2] == ["编号", "序号"]
    assert out.stdout.rstrip().endswith("个问题")


def test_summary_prints_the_sentence_as_of_a_date(demo_db: Path) -> None:
    out = run("summary", "--as-of", "2026-11-23", db=demo_db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("截至2026年11月23日，共梳理问题80个")
    assert "整改完成率" in out.stdout


def test_check_passes_on_a_good_ledger_and_fails_on_a_broken_one(demo_db: Path,
                                                                 tmp_path: Path) -> None:
    assert run("check", db=demo_db).returncode == 0
    if not isinstance(demo_db, Path):
        return  # a server enforces foreign keys itself: no broken copy to make
    broken = tmp_path / "broken.sqlite"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(broken) as dst:
        src.backup(dst)
    with sqlite3.connect(broken) as c:
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute("UPDATE measure SET problem_id = 999999 WHERE id = 1")
    c.close()
    out = run("check", db=broken)
    assert out.returncode == 1
    assert "外键" in out.stdout


def test_bad_argument_is_one_chinese_line_and_no_traceback(demo_db: Path) -> None:
    out = run("list", "--status", "whatever", db=demo_db)
    assert out.returncode != 0
    assert "未知的状态" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    out = run("summary", "--as-of", "2022年13月45日", db=demo_db)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    out = run("list", "--bogus", db=demo_db)
    assert out.returncode == 2 and "参数错误" in out.stderr


def test_newer_or_foreign_file_is_refused_without_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(os.urandom(4096))
    out = run("list", db=junk)
    assert out.returncode == 1 and "不是整改台账文件" in out.stderr
    assert "Traceback" not in out.stderr


def test_rectify_db_environment_variable_is_honoured(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite"
    out = run("demo", "--problems", "3", env={"RECTIFY_DB": str(db)})
    assert out.returncode == 0 and db.exists()
