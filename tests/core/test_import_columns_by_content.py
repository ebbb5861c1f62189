"""Issue 13: columns read by their header and confirmed by their cells, units as clerks write
them, the ledger's date, --map / --date, and nothing dropped in silence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tracker.db.engine import Ledger
from tracker.domain import ProblemFilter, Status
from tracker.errors import ImportRejected
from tracker.excel.cell_kinds import percent_of, sentence_status, split_numbered, yes_no_status
from tracker.excel.column_guess import MapError, parse_map
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.units_split import split_units
from tracker.services.imports import apply_plan
from tracker.services.queries import list_problems

TODAY = dt.date(2026, 11, 23)


def _book(path: Path, header: list[str], rows: list[list[Any]], title: str = "",
          sheet: str = "Sheet") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(("cell", "lead", "co"), [
    ("县教育体育局、县人社局", "县教育体育局", ("县人社局",)),
    ("县教育局，县财政局", "县教育局", ("县财政局",)),
    ("县教育局/县财政局", "县教育局", ("县财政局",)),
    ("县财政局配合，县教育局牵头", "县教育局", ("县财政局",)),
    ("县教育局牵头，县财政局、县人社局配合", "县教育局", ("县财政局", "县人社局")),
    ("县教育局（牵头）县财政局", "县教育局", ("县财政局",)),
    ("牵头：县教育局；配合：县财政局", "县教育局", ("县财政局",)),
    ("XX区(县)教育局", "XX区（县）教育局", ()),
    ("　县 教育局 ", "县教育局", ()),
])
def test_unit_cells_split_into_lead_and_co_units(cell: str, lead: str, co: tuple[str, ...]) -> None:
    got = split_units(cell)
    assert (got.lead, got.co) == (lead, co)


def test_cell_values_read_as_a_clerk_means_them() -> None:
    assert [yes_no_status(v) for v in ("是", "否", "√", "×", "已", "未", "也许")] == [
        Status.DONE, Status.IN_PROGRESS, Status.DONE, Status.IN_PROGRESS, Status.DONE,
        Status.IN_PROGRESS, None]
    assert [percent_of(v) for v in (0.6, 1, "30%", "45％", "完成60%", 150, "过半")] == [
        60, 100, 30, 45, 60, None, None]
    assert sentence_status("已完成××，形成制度") is Status.DONE
    assert sentence_status("尚未完成，正在招聘") is Status.IN_PROGRESS
    assert split_numbered("1.核定编制；2.公开招聘") == ["核定编制", "公开招聘"]
    assert split_numbered("（1）核定编制（2）公开招聘") == ["核定编制", "公开招聘"]
    assert split_numbered("按2.5%比例核定编制") == ["按2.5%比例核定编制"]


def test_the_issues_ledger_comes_in_right(ledger: Ledger, tmp_path: Path) -> None:
    """Every silent mistake the issue lists, in one ledger."""
    header = ["序号", "问题描述", "整改措施", "责任科室", "完成时限", "整改进展", "完成进度", "备注"]
    path = _book(tmp_path / "a.xlsx", header, [
        [1, "校舍维修滞后", "列入预算", "县教育体育局、县人社局", "年底前", "已完成", 1.0, None],
        [1, "校舍维修滞后", "分批维修", "县教育体育局", "2024年6月", "整改中", "30%", "需追加资金"],
        [2, "课后服务不足", "制定方案", "县教育体育局（牵头）县财政局", "长期坚持", "长期坚持", None, None],
    ], title="XX县2023年教育督导反馈问题整改台账")
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == []
    apply_plan(ledger, plan, today=TODAY)
    first, second = list_problems(ledger, with_notes=True)
    m1, m2 = first.measures
    assert (m1.status, m1.deadline, m1.lead_unit) == (Status.DONE, dt.date(2023, 12, 31), "县教育体育局")
    assert (m2.status, m2.deadline) == (Status.IN_PROGRESS, dt.date(2024, 6, 30))
    assert first.co_units == "县人社局" and first.remarks == ""
    assert [n.text for n in m2.notes] == ["备注：需追加资金"]  # 完成进度 is a field, not a note
    assert (m1.percent, m2.percent, second.measures[0].percent) == (100, 30, None)
    assert m1.notes == ()
    assert second.measures[0].status is Status.ONGOING and second.lead_unit == "县教育体育局"
    found = list_problems(ledger, ProblemFilter(unit="县教育体育局"))
    assert len(found) == 2
    messages = [(f.sheet, f.row, f.column, f.message) for f in plan.warnings]
    assert any(c == "F" and "整改进展" in m and "按“完成情况”读取" in m for _, _, c, m in messages)
    assert any(c == "E" and "按2023年1月1日解读" in m and "标题中的2023年" in m
               for _, _, c, m in messages)
    assert any(c == "D" and "2个单位单元格" in m for _, _, c, m in messages)
    assert all(s == "Sheet" and r > 0 for s, r, _, _ in messages)
    text = plan.mapping_text()
    assert "D“责任科室” → 牵头单位" in text and "G“完成进度” → 完成进度" in text


def test_an_unused_column_is_named_and_map_brings_it_in(ledger: Ledger, tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", ["序号", "存在问题", "整改措施", "分管科室", "时间"], [
        [1, "校舍维修滞后", "列入预算", "计财股", "2023年12月31日"]])
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    unused = [f for f in plan.warnings if "未导入" in f.message]
    assert [(f.column, f.row) for f in unused] == [("D", 1), ("E", 1)]
    assert "未导入的列：D“分管科室”（1个单元格）；E“时间”（1个单元格）" in plan.mapping_text()
    mapped = build_plan(ledger, path, ImportOptions(
        today=TODAY, column_map=("分管科室=牵头单位", "时间=deadline")))
    (m,) = mapped.problems[0].measures
    assert (m.data.lead_unit, m.data.deadline) == ("计财股", dt.date(2023, 12, 31))
    assert not [f for f in mapped.warnings if "未导入" in f.message]


def test_map_can_leave_a_column_out_and_refuses_unknown_fields(ledger: Ledger,
                                                               tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", ["序号", "存在问题", "整改措施", "责任人"], [
        [1, "校舍维修滞后", "列入预算", "王强"]])
    plan = build_plan(ledger, path, ImportOptions(today=TODAY, column_map=("责任人=忽略",)))
    assert plan.problems[0].data.owner == ""
    with pytest.raises(MapError):
        parse_map(["责任人=颜色"])
    with pytest.raises(ImportRejected, match="不是可导入的字段"):
        build_plan(ledger, path, ImportOptions(today=TODAY, column_map=("责任人=颜色",)))
    missing = build_plan(ledger, path, ImportOptions(today=TODAY, column_map=("单位=牵头单位",)))
    assert any("“单位”在表头行中没有找到" in e.message for e in missing.errors)


def test_date_option_and_sheet_name_year_set_what_relative_deadlines_mean(
        ledger: Ledger, tmp_path: Path) -> None:
    rows = [[1, "校舍维修滞后", "列入预算", "年底前"]]
    header = ["序号", "存在问题", "整改措施", "整改时限"]
    plain = _book(tmp_path / "a.xlsx", header, rows)
    plan = build_plan(ledger, plain, ImportOptions(today=TODAY))
    assert plan.problems[0].measures[0].data.deadline == dt.date(2026, 12, 31)
    assert any("按今天" in f.message and "--date" in f.message for f in plan.warnings)
    dated = build_plan(ledger, plain, ImportOptions(today=TODAY, date=dt.date(2022, 3, 1)))
    assert dated.problems[0].measures[0].data.deadline == dt.date(2022, 12, 31)
    assert not any("相对时限" in f.message for f in dated.warnings)
    named = build_plan(ledger, _book(tmp_path / "b.xlsx", header, rows, sheet="2021年"),
                       ImportOptions(today=TODAY))
    assert named.problems[0].measures[0].data.deadline == dt.date(2021, 12, 31)
    assert any("工作表名称中的2021年" in f.message for f in named.warnings)


def test_a_yes_no_column_and_a_percent_column_named_otherwise(ledger: Ledger,
                                                              tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", ["序号", "存在问题", "整改措施", "完成情况", "整改进度"], [
        [1, "校舍维修滞后", "列入预算", "是", "100%"],
        [2, "课后服务不足", "制定方案", "否", "40%"]])
    plan = build_plan(ledger, path, ImportOptions(today=TODAY))
    assert plan.errors == []
    got = [(m.data.status, m.percent) for p in plan.problems for m in p.measures]
    assert got == [(Status.DONE, 100), (Status.IN_PROGRESS, 40)]
    assert any(f.column == "E" and "百分比" in f.message for f in plan.warnings)
