"""Importing the same hand-made ledger twice: each repeated problem is flagged on its row, and
the command refuses a file whose problems are all already in the ledger unless told to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.import_books import standard_book, two_problem_rows
from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.excel.import_plan import build_plan
from tracker.services.queries import count_problems


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "import-excel", *args])


def _count(db: Path) -> int:
    ledger = open_ledger(db)
    try:
        return count_problems(ledger)
    finally:
        ledger.close()


def test_a_second_import_warns_on_each_repeated_problems_row(tmp_path: Path) -> None:
    path = standard_book(tmp_path / "台账.xlsx", two_problem_rows())
    db = tmp_path / "l.sqlite"
    assert run(db, str(path)) == 0
    ledger = open_ledger(db)
    try:
        plan = build_plan(ledger, path)
    finally:
        ledger.close()
    repeated = [w for w in plan.warnings if "台账中已有相同的问题" in w.message]
    assert [(w.row, w.column) for w in repeated] == [(4, "C"), (7, "C")]
    assert "序号1，来源“2021年履行教育职责评价反馈问题”" in repeated[0].message
    assert "可能是重复导入" in repeated[0].message
    assert plan.all_duplicates


def test_the_command_refuses_a_file_already_imported_unless_allowed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = standard_book(tmp_path / "台账.xlsx", two_problem_rows())
    db = tmp_path / "l.sqlite"
    assert run(db, str(path)) == 0
    capsys.readouterr()

    assert run(db, str(path)) == 1
    assert "--allow-duplicates" in capsys.readouterr().err
    assert _count(db) == 2
    # Issue 12 item 8: a dry run ends with the exit code the real run would have.
    assert run(db, str(path), "--dry-run") == 1
    assert "正式导入时将不会导入任何内容" in capsys.readouterr().err
    assert _count(db) == 2
    assert run(db, str(path), "--allow-duplicates") == 0
    assert _count(db) == 4


def test_whitespace_differences_do_not_hide_a_repeat(tmp_path: Path) -> None:
    rows = two_problem_rows()
    db = tmp_path / "l.sqlite"
    assert run(db, str(standard_book(tmp_path / "a.xlsx", rows))) == 0
    spaced = [({**p, "存在问题": " " + p["存在问题"].replace("，", "，\n")}, ms) for p, ms in rows]
    ledger = open_ledger(db)
    try:
        plan = build_plan(ledger, standard_book(tmp_path / "b.xlsx", spaced))
    finally:
        ledger.close()
    assert plan.all_duplicates
