"""Cells whose value is not what the clerk sees: a real formula imports as its text with a
warning on its row (preview and dry run), text that merely starts with = gets none, and the
cell limit counts characters the way Excel does (𠮷 and emoji count twice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.core.import_books import HEADER, replace_in_sheet, standard_book, title_rows
from tracker.cli.main import main
from tracker.db.engine import Ledger
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.services.imports import apply_plan
from tracker.services.queries import list_problems

OPTIONS = ImportOptions(today=dt.date(2026, 11, 23))
FORMULA = "=基础数据!B2"


def _book_with_a_formula(path: Path) -> Path:
    """A ledger whose first problem's text is a formula pointing at another sheet (as clerks
    build a ledger from a list), and whose second starts with = but was typed as text."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "台账"
    title_rows(ws, len(HEADER))
    ws.append(HEADER)
    desc = HEADER.index("存在问题") + 1
    ws.append([1, None, FORMULA, "核定编制"])  # openpyxl writes "=…" as a formula
    ws.append([2, None, "=不是公式的文字", "补装监控"])
    ws.cell(ws.max_row, desc).data_type = "s"  # typed as text (as Excel's leading ')
    data = wb.create_sheet("基础数据")  # not a ledger: no 存在问题 header
    data.append(["编号", "内容"])
    data.append([1, "教师结构性缺编"])
    wb.save(path)
    return path


def test_a_formula_cell_imports_as_its_text_with_a_warning_on_its_row(
        ledger: Ledger, tmp_path: Path) -> None:
    plan = build_plan(ledger, _book_with_a_formula(tmp_path / "f.xlsx"), OPTIONS)
    assert plan.errors == []
    (warning,) = [w for w in plan.warnings if "公式" in w.message]
    assert (warning.sheet, warning.row, warning.column) == ("台账", 4, "C")
    assert "已按公式文字导入" in warning.message and "计算结果" in warning.message
    assert FORMULA in warning.message
    apply_plan(ledger, plan)
    assert [p.description for p in list_problems(ledger)] == [FORMULA, "=不是公式的文字"]


def test_the_dry_run_shows_the_formula_warning(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _book_with_a_formula(tmp_path / "f.xlsx")
    assert main(["--db", str(tmp_path / "l.sqlite"), "import-excel", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "提醒：工作表“台账”第4行C列：单元格是公式" in out


def test_characters_excel_counts_twice_count_twice_against_the_cell_limit(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = [({"存在问题": "LONGCELL"}, [{"整改措施": "措施"}])]
    path = standard_book(tmp_path / "g.xlsx", rows)
    replace_in_sheet(path, "LONGCELL", "𠮷" * 16_384)  # 16,384 characters, 32,768 for Excel
    (error,) = build_plan(ledger, path, OPTIONS).errors
    assert (error.row, error.column) == (4, "C") and "32768 个字符" in error.message
