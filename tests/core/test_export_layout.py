"""The exported ledger read back with openpyxl: print settings, repeated header, footer,
merged problem cells, measure rows, status words and colours, fonts, and the round-trip ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.core.test_export_fixtures import (
    AS_OF,
    HEADER_ROW,
    SmallBook,
    build_small,
    column_of,
    column_values,
    data_rows,
    header,
    merged_refs,
    open_sheet,
)
from tracker.db.engine import Ledger
from tracker.excel.export import export_ledger
from tracker.excel.export_options import COLUMNS, DEFAULT_COLUMNS, ID_HEADERS, ExportOptions
from tracker.excel.layout import capacity, line_count
from tracker.excel.styles import OVERDUE_FILL, OVERDUE_FONT, STATUS_FILLS
from tracker.domain import ProblemFilter, Status

OPTIONS = ExportOptions(org="XX市教育局", report_date=AS_OF, filler="张三", phone="0955-7012345")


@pytest.fixture
def book(ledger: Ledger) -> SmallBook:
    return build_small(ledger)


@pytest.fixture
def exported(ledger: Ledger, book: SmallBook, tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    export_ledger(ledger, path, ProblemFilter(), OPTIONS)
    return path


def test_sheet_prints_a4_landscape_one_page_wide_with_header_repeated(exported: Path) -> None:
    ws = open_sheet(exported)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.freeze_panes == "A4"


# 问题来源 is printed as a group row above its problems, not as a column (test_source_groups)
GROUPED = tuple(k for k in DEFAULT_COLUMNS if k != "source")


def test_title_and_org_line_sit_above_the_bordered_header(exported: Path) -> None:
    ws = open_sheet(exported)
    last = len(GROUPED)
    assert ws["A1"].value == "XX市教育局问题整改台账"
    assert f"A1:{get_column_letter(last)}1" in merged_refs(ws)
    assert ws["A1"].font.name == "黑体"
    assert ws["A2"].value == "填报单位：XX市教育局"
    assert "填报日期：2026年11月23日" in [c.value for c in ws[2]]
    assert header(ws) == [COLUMNS[k].header for k in GROUPED] + list(ID_HEADERS)
    first = ws.cell(HEADER_ROW, 1)
    assert first.border.top.style == "thin" and first.border.bottom.style == "thin"


def test_each_measure_is_a_row_and_problem_cells_merge_across_them(
        exported: Path, book: SmallBook) -> None:
    ws = open_sheet(exported)
    rows = data_rows(ws)
    assert len(rows) == 3 + 1 + 1  # places has 3 measures, canteen 1, bare none
    assert column_values(ws, "整改措施")[:3] == [
        "加快新建学校建设进度", "科学调整招生片区", "通过教师走教扩充学位"]
    top, bottom = rows[0], rows[2]
    merges = merged_refs(ws)
    for label in ("序号", "问题类别", "存在问题", "整改目标", "责任领导",
                  "备注"):
        letter = get_column_letter(column_of(ws, label))
        assert f"{letter}{top}:{letter}{bottom}" in merges, label
    for label in ("整改措施", "牵头单位", "整改时限", "整改进展", "完成情况", "问题ID", "措施ID"):
        letter = get_column_letter(column_of(ws, label))
        assert not any(m.startswith(f"{letter}{top}:") for m in merges), label
    assert ws.cell(top, column_of(ws, "存在问题")).value == book.places.description
    assert ws.cell(top + 1, column_of(ws, "存在问题")).value is None  # covered by the merge


def test_measure_cells_show_deadline_as_typed_progress_and_status(exported: Path) -> None:
    ws = open_sheet(exported)
    assert column_values(ws, "整改时限")[:4] == ["年底前", "2026年10月31日", "2026年6月底前",
                                                 "长期坚持"]
    assert column_values(ws, "牵头单位")[:5] == ["市教育局", "沙坡头区政府", "市教育局",
                                                 "市市场监管局", "市教育督导室"]
    assert column_values(ws, "整改进展")[0] == "2026年9月20日：已完成选址论证\n2026年11月1日：主体工程开工"
    assert column_values(ws, "完成情况") == ["整改中", "整改中（逾期）", "已完成", "长期坚持", "未启动"]
    assert column_values(ws, "序号")[0] == "1"


def test_overdue_status_is_red_and_other_statuses_have_their_colour(exported: Path) -> None:
    ws = open_sheet(exported)
    col = column_of(ws, "完成情况")
    first = data_rows(ws)[0]
    late = ws.cell(first + 1, col)
    assert late.fill.fgColor.rgb == OVERDUE_FILL
    assert late.font.color.rgb == OVERDUE_FONT and late.font.bold
    assert ws.cell(first, col).fill.fgColor.rgb == STATUS_FILLS[Status.IN_PROGRESS]
    assert ws.cell(first + 2, col).fill.fgColor.rgb == STATUS_FILLS[Status.DONE]


def test_hidden_columns_carry_ids_and_versions_on_every_measure_row(
        exported: Path, book: SmallBook) -> None:
    ws = open_sheet(exported)
    for label in ID_HEADERS:
        assert ws.column_dimensions[get_column_letter(column_of(ws, label))].hidden
    assert column_of(ws, "问题ID") == len(GROUPED) + 1
    places, canteen, bare = book.places, book.canteen, book.bare
    assert column_values(ws, "问题ID") == [places.id] * 3 + [canteen.id, bare.id]
    assert column_values(ws, "措施ID") == [m.id for m in places.measures] + [
        canteen.measures[0].id, None]
    assert column_values(ws, "问题版本") == [places.version] * 3 + [canteen.version, bare.version]
    assert column_values(ws, "措施版本") == [m.version for m in places.measures] + [
        canteen.measures[0].version, None]


def test_hidden_marker_sheet_names_format_time_and_ledger(exported: Path, ledger: Ledger) -> None:
    wb = load_workbook(exported)
    ws = wb["_rectify"]
    assert ws.sheet_state == "hidden"
    assert ws["A1"].value == "rectify-ledger"
    assert (ws["A2"].value, ws["B2"].value) == ("format", 1)
    assert ws["A3"].value == "exported_at" and ws["B3"].value.startswith("20")
    assert (ws["A4"].value, ws["B4"].value) == ("ledger", ledger.path.name)
    assert wb.worksheets[0].title == "台账" and wb.active.title == "台账"


def test_rows_are_as_tall_as_their_wrapped_text(ledger: Ledger, tmp_path: Path) -> None:
    from tracker.domain import MeasureInput, ProblemInput
    from tracker.services.problems import create_problem

    create_problem(ledger, ProblemInput(description="短", measures=(MeasureInput("短措施"),)))
    create_problem(ledger, ProblemInput(description="学位紧张" * 60,
                                        measures=(MeasureInput("短措施"), MeasureInput("另一项"))))
    path = tmp_path / "t.xlsx"
    export_ledger(ledger, path, options=OPTIONS)
    ws = open_sheet(path)
    short, long1, long2 = (ws.row_dimensions[r].height for r in data_rows(ws))
    assert short and long1 and long2
    # 240 CJK characters wrapped at the width the description column got: its rows hold them.
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "存在问题")
    width = ws.column_dimensions[get_column_letter(col)].width
    lines = line_count("学位紧张" * 60, capacity(width, 10))
    assert lines >= 5
    assert long1 + long2 >= lines * 10 * 1.4
    assert short < 30


def test_signature_block_sits_under_the_table(exported: Path) -> None:
    ws = open_sheet(exported)
    last = data_rows(ws)[-1]
    below = [c.value for r in range(last + 1, ws.max_row + 1) for c in ws[r] if c.value]
    assert "填报人：张三" in below and "联系电话：0955-7012345" in below


def test_fonts_follow_the_options(ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    export_ledger(ledger, path, options=ExportOptions(table_font="仿宋", title_font="方正小标宋简体",
                                                      font_size=12, report_date=AS_OF))
    ws = open_sheet(path)
    body = ws.cell(data_rows(ws)[0], column_of(ws, "存在问题"))
    assert (body.font.name, body.font.sz) == ("仿宋", 12)
    assert ws["A1"].font.name == "方正小标宋简体"
    assert body.alignment.wrap_text


def test_chosen_columns_come_in_the_chosen_order_before_the_ids(
        ledger: Ledger, book: SmallBook, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    export_ledger(ledger, path, options=ExportOptions(
        columns=("status", "description", "序号"), report_date=AS_OF))
    ws = open_sheet(path)
    assert header(ws) == ["完成情况", "存在问题", "序号", *ID_HEADERS]
    assert column_values(ws, "完成情况")[1] == "整改中（逾期）"
    assert "B4:B6" in merged_refs(ws)  # 存在问题 merged across the first problem's 3 rows
