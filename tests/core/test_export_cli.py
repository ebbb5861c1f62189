"""`rectify export` and `rectify remind` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.core.test_export_fixtures import build_small, column_values, header
from tracker.cli.main import main
from tracker.db.engine import open_ledger
from tracker.excel.export_options import ID_HEADERS, ORG_SETTING
from tracker.services.reference import get_setting, set_setting


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "ledger.sqlite"
    led = open_ledger(path)
    build_small(led)
    set_setting(led, ORG_SETTING, "XX市教育局")
    led.close()
    return str(path)


def test_export_writes_the_filtered_ledger_with_title_and_units(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "台账.xlsx"
    code = main(["--db", db, "export", str(out), "--status", "整改中", "--title", "测试台账",
                 "--by-unit", "--date", "2026-11-23", "--filler", "张三"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "已导出 1 个问题（3 行）" in printed and "统计" in printed
    wb = load_workbook(out)
    ws = wb["台账"]
    assert ws["A1"].value == "测试台账"
    assert ws["A2"].value == "填报单位：XX市教育局"  # remembered in the ledger
    assert column_values(ws, "完成情况") == ["整改中", "整改中（逾期）", "已完成"]
    assert wb["沙坡头区政府"]["A1"].value == "测试台账（沙坡头区政府）"


def test_export_columns_option_picks_and_orders_columns(db: str, tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    assert main(["--db", db, "export", str(out), "--columns", "存在问题,完成情况",
                 "--no-stats", "--org", "XX县教育局"]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["台账", "_rectify"]
    assert header(wb["台账"]) == ["存在问题", "完成情况", *ID_HEADERS]
    assert wb["台账"]["A2"].value == "填报单位：XX县教育局"


def test_export_refuses_other_file_types_and_unknown_columns(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "export", str(tmp_path / "a.xls")]) == 1
    assert "应以 .xlsx 结尾" in capsys.readouterr().err
    assert main(["--db", db, "export", str(tmp_path / "a.xlsx"), "--columns", "序号,照片"]) == 1
    assert "未知的列“照片”" in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()


def test_remind_writes_a_units_notice(db: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "催办单.xlsx"
    assert main(["--db", db, "remind", "--unit", "市教育局", str(out), "--date", "2026-11-23",
                 "--reply-by", "2026-12-10"]) == 0
    assert "已生成“市教育局”的催办单：3 项未完成（逾期 1 项" in capsys.readouterr().out
    # Issue 12: the hidden marker sheet lets the filled-in notice come back through import-excel.
    book = load_workbook(out)
    assert book.sheetnames == ["催办单", "_rectify"] and book["_rectify"].sheet_state == "hidden"
    assert main(["--db", db, "remind", "--unit", "不存在的局", str(out)]) == 1


def test_a_command_line_export_names_its_ledger_though_it_reads_it_read_only(
        db: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["--db", db, "export", str(first), "--title", "a\x0bb"]) == 0
    assert main(["--db", db, "export", str(second)]) == 0
    led = open_ledger(db)
    try:
        stored = get_setting(led, "ledger_id")
    finally:
        led.close()
    marks = [load_workbook(p)["_rectify"]["B5"].value for p in (first, second)]
    assert stored and marks == [stored, stored]
    assert load_workbook(first)["台账"]["A1"].value == "ab"  # Word's Shift+Enter removed
