"""责任人 and 配合单位 belong to each measure: the export shows each measure's own (the problem's
when the measure has none), a returned file changes the measure's, and a hand-made ledger with a
责任人 per row under a merged problem keeps them on the measures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from tests.core.test_roundtrip_excel import OPTIONS, TODAY, columns, edit, export, row_of
from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput
from tracker.excel.export_rows import build_block
from tracker.excel.export_options import COLUMNS
from tracker.excel.import_plan import build_plan
from tracker.services.imports import apply_plan
from tracker.services.problems import create_problem
from tracker.services.queries import get_problem, list_problems


def _owned(ledger: Ledger) -> None:
    create_problem(ledger, ProblemInput(
        description="食堂管理不规范", lead_unit="市教育局", owner="王测试", co_units="市卫健委",
        measures=(MeasureInput(text="制定制度", owner="张三", co_units="市市场监管局"),
                  MeasureInput(text="开展检查", owner="李四"),
                  MeasureInput(text="公示结果"))))


def test_export_shows_each_measures_own_owner_and_co_units(ledger: Ledger, tmp_path: Path) -> None:
    _owned(ledger)
    ws = load_workbook(export(ledger, tmp_path / "a.xlsx"))["台账"]
    cols = columns(ws)
    p = get_problem(ledger, 1)
    rows = [row_of(ws, m.id) for m in p.measures]
    assert [ws.cell(r, cols["责任人"]).value for r in rows] == ["张三", "李四", "王测试"]
    assert [ws.cell(r, cols["配合单位"]).value for r in rows] == ["市市场监管局", "市卫健委", "市卫健委"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    letter = get_column_letter(cols["责任人"])
    assert f"{letter}{rows[0]}:{letter}{rows[-1]}" not in merged


def test_printed_lines_carry_the_measures_owner(ledger: Ledger) -> None:
    _owned(ledger)
    p = get_problem(ledger, 1)
    cols = tuple(COLUMNS.values())
    at = [c.key for c in cols].index("owner")
    block = build_block(p, 1, cols, dt.date(2026, 11, 1))
    assert [line.texts[at] for line in block.lines] == ["张三", "李四", "王测试"]


def test_a_unit_changing_one_measures_owner_updates_that_measure_only(
        ledger: Ledger, tmp_path: Path) -> None:
    _owned(ledger)
    m1, m2, _ = get_problem(ledger, 1).measures
    edited = edit(export(ledger, tmp_path / "a.xlsx"), tmp_path / "b.xlsx",
                  **{f"m{m2.id}": {"责任人": "赵六"}})
    plan = build_plan(ledger, edited, OPTIONS)
    assert plan.errors == [] and plan.conflicts == []
    assert ["\n".join(c.describe() for c in u.changes) for u in plan.updates] == [
        "责任人：“李四” → “赵六”"]

    apply_plan(ledger, plan, today=TODAY)

    after = get_problem(ledger, 1)
    assert after.owner == "王测试"
    assert [m.owner for m in after.measures] == ["张三", "赵六", ""]


def test_a_handmade_ledger_with_an_owner_per_row_under_a_merged_problem_keeps_them(
        ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "存在问题", "整改措施", "责任人", "配合单位", "整改时限"])
    ws.append([1, "校车安全隐患", "更换老旧校车", "张三", "市交通局", "2026年12月31日"])
    ws.append([None, None, "培训驾驶员", "李四", "市公安局", "2026年12月31日"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    path = tmp_path / "手工台账.xlsx"
    wb.save(path)

    plan = build_plan(ledger, path, OPTIONS)
    assert plan.errors == []
    apply_plan(ledger, plan, today=TODAY)

    (p,) = list_problems(ledger)
    assert [(m.owner or p.owner, m.co_units or p.co_units) for m in p.measures] == [
        ("张三", "市交通局"), ("李四", "市公安局")]


def test_a_returned_file_imported_a_second_time_changes_nothing_and_conflicts_with_nothing(
        ledger: Ledger, tmp_path: Path) -> None:
    _owned(ledger)
    m1, m2, _ = get_problem(ledger, 1).measures
    edited = edit(export(ledger, tmp_path / "a.xlsx"), tmp_path / "b.xlsx", **{
        f"m{m1.id}": {"完成情况": "已完成", "责任人": "赵六", "整改时限": "2027年6月底前",
                      "责任领导": "钱局长"},
        f"m{m2.id}": {"整改措施": "开展专项检查"}})
    apply_plan(ledger, build_plan(ledger, edited, OPTIONS), today=TODAY)

    again = build_plan(ledger, edited, OPTIONS)

    assert again.errors == []
    assert [u.describe() for u in again.updates] == []
    assert again.conflicts == []
