"""Round trip: a ledger exported by the app, filled in by a unit with openpyxl (status, 整改进展,
a new deadline, a new measure) and imported back updates the same problems: no duplicates,
changes listed first, conflicts with edits made in the app after the export left to the clerk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tracker.db.engine import Ledger
from tracker.domain import MeasureInput, ProblemInput, Status
from tracker.errors import ConflictError, ImportRejected
from tracker.excel.export import export_ledger
from tracker.excel.export_options import ID_HEADERS, MARKER_SHEET, ExportOptions
from tracker.excel.import_plan import ImportOptions, build_plan
from tracker.excel.roundtrip import KEEP_LEDGER, TAKE_FILE
from tracker.services.history import list_history
from tracker.services.imports import apply_plan
from tracker.services.measures import update_measure
from tracker.services.problems import create_problem, delete_problem
from tracker.services.queries import count_problems, get_problem, list_problems

TODAY = dt.date(2026, 11, 23)
EXPORTED_ON = TODAY  # an export dated before the problems existed would hold none of them
OPTIONS = ImportOptions(today=TODAY)


@pytest.fixture
def small(ledger: Ledger) -> Ledger:
    """Two problems: one with two measures (one overdue at export), one with one."""
    create_problem(ledger, ProblemInput(
        description="教师结构性缺编", lead_unit="市教育局", owner="王强", measures=(
            MeasureInput(text="核定编制", lead_unit="市委编办", deadline_text="2026年10月31日",
                         status=Status.IN_PROGRESS),
            MeasureInput(text="公开招聘", deadline_text="年底前"))))
    create_problem(ledger, ProblemInput(
        description="监控存在盲区", lead_unit="市公安局",
        measures=(MeasureInput(text="补装监控", deadline_text="2027年3月底前"),)))
    return ledger


def export(ledger: Ledger, path: Path, by_unit: bool = False) -> Path:
    export_ledger(ledger, path, options=ExportOptions(report_date=EXPORTED_ON, by_unit=by_unit))
    return path


def columns(ws) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Header text -> column number, from the header row of an exported sheet."""
    for row in ws.iter_rows(min_row=1, max_row=6):
        names = {c.value: c.column for c in row if c.value}
        if "存在问题" in names:
            return names
    raise AssertionError("no header")


def row_of(ws, measure_id: int) -> int:  # type: ignore[no-untyped-def]
    col = columns(ws)[ID_HEADERS[1]]
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == measure_id:
            return row[0].row
    raise AssertionError(f"measure {measure_id} not in sheet")


def edit(path: Path, out: Path, sheet: str = "台账", **by_measure: Mapping[str, object]) -> Path:
    """Write values into the measure rows as a unit would (keys: m<id>, values by header)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    cols = columns(ws)
    for key, values in by_measure.items():
        r = row_of(ws, int(key[1:]))
        for header, value in values.items():
            ws.cell(r, cols[header]).value = value
    wb.save(out)
    return out


def test_export_edit_and_reimport_updates_the_same_problems(small: Ledger, tmp_path: Path) -> None:
    original = export(small, tmp_path / "台账.xlsx")
    before = get_problem(small, 1)
    m1, m2 = before.measures
    edited = edit(original, tmp_path / "交回.xlsx", **{
        f"m{m1.id}": {"完成情况": "已完成", "整改进展": "2026年11月10日：编制已核定"},
        f"m{m2.id}": {"整改时限": "2027年6月底前", "整改进展": "已发布招聘公告"}})

    plan = build_plan(small, edited, OPTIONS)
    assert plan.errors == [] and plan.problems == () and plan.conflicts == []
    described = "\n".join(u.describe() for u in plan.updates)
    assert "完成情况：“整改中” → “已完成”" in described
    assert "新增进展：2026年11月10日：编制已核定" in described
    assert "整改时限：“年底前” → “2027年6月底前”" in described
    assert "新增进展：2026年11月23日：已发布招聘公告" in described  # undated: today

    result = apply_plan(small, plan, today=TODAY)
    assert (result.problems_added, result.problems_updated) == (0, 1)
    assert count_problems(small) == 2
    after = get_problem(small, 1)
    a1, a2 = after.measures
    assert a1.status is Status.DONE and a1.done_on == TODAY
    assert [(n.noted_on, n.text) for n in a1.notes] == [(dt.date(2026, 11, 10), "编制已核定")]
    assert (a2.deadline, a2.deadline_text) == (dt.date(2027, 6, 30), "2027年6月底前")
    assert [(n.noted_on, n.text) for n in a2.notes] == [(TODAY, "已发布招聘公告")]
    fields = {(c.entity, c.action, c.field) for c in list_history(small, problem_id=1)}
    assert {("measure", "update", "status"), ("measure", "update", "deadline_text"),
            ("note", "create", "text")} <= fields


def test_an_unchanged_export_imports_as_no_change(small: Ledger, tmp_path: Path) -> None:
    update_measure(small, 1, progress="第一次进展", progress_on=dt.date(2026, 10, 20))
    plan = build_plan(small, export(small, tmp_path / "a.xlsx", by_unit=True), OPTIONS)
    assert plan.errors == [] and plan.updates == () and plan.problems == ()
    assert plan.summary().startswith("将导入 0 个问题、0 项措施")


def test_importing_the_same_returned_file_twice_adds_nothing_the_second_time(
        small: Ledger, tmp_path: Path) -> None:
    m1 = get_problem(small, 1).measures[0]
    edited = edit(export(small, tmp_path / "a.xlsx"), tmp_path / "b.xlsx", **{
        f"m{m1.id}": {"整改进展": "2026年11月10日：编制已核定"}})
    apply_plan(small, build_plan(small, edited, OPTIONS))
    again = build_plan(small, edited, OPTIONS)
    # The measure's version did not move (a note is its own row): the same line is known now.
    assert again.updates == ()


def test_overdue_mark_is_not_read_as_a_status_change(small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    ws = load_workbook(path)["台账"]
    statuses = [ws.cell(r, columns(ws)["完成情况"]).value for r in range(4, 7)]
    assert "整改中（逾期）" in statuses  # the export marked the overdue measure
    assert build_plan(small, path, OPTIONS).updates == ()


def test_a_row_changed_in_the_app_after_export_is_a_conflict_never_overwritten(
        small: Ledger, tmp_path: Path) -> None:
    m1 = get_problem(small, 1).measures[0]
    path = export(small, tmp_path / "a.xlsx")
    update_measure(small, m1.id, status=Status.ONGOING)  # the clerk, after the export
    edited = edit(path, tmp_path / "b.xlsx", **{f"m{m1.id}": {"完成情况": "已完成"}})

    plan = build_plan(small, edited, OPTIONS)
    (conflict,) = plan.conflicts
    assert conflict.measure_id == m1.id and "导出后" in conflict.conflict
    # The clerk sees what the unit saw, what the ledger says now, and what the file says.
    assert "完成情况：导出时“整改中”，台账中现为“长期坚持”，文件改为“已完成”" in conflict.describe()
    with pytest.raises(ConflictError):
        apply_plan(small, plan)
    assert get_problem(small, 1).measures[0].status is Status.ONGOING

    apply_plan(small, plan, {conflict.key: KEEP_LEDGER})
    assert get_problem(small, 1).measures[0].status is Status.ONGOING
    plan = build_plan(small, edited, OPTIONS)
    apply_plan(small, plan, TAKE_FILE)
    assert get_problem(small, 1).measures[0].status is Status.DONE


def test_a_change_made_between_preview_and_import_stops_the_import(small: Ledger,
                                                                   tmp_path: Path) -> None:
    m1 = get_problem(small, 1).measures[0]
    edited = edit(export(small, tmp_path / "a.xlsx"), tmp_path / "b.xlsx",
                  **{f"m{m1.id}": {"完成情况": "已完成"}})
    plan = build_plan(small, edited, OPTIONS)
    update_measure(small, m1.id, deadline_text="2027年1月31日")
    with pytest.raises(ConflictError):
        apply_plan(small, plan)
    assert get_problem(small, 1).measures[0].status is Status.IN_PROGRESS


def test_a_measure_row_the_unit_added_under_a_problem_becomes_a_new_measure(
        small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    ws = wb["台账"]
    cols = columns(ws)
    last = row_of(ws, get_problem(small, 1).measures[-1].id)
    ws.insert_rows(last + 1)
    for rng in list(ws.merged_cells.ranges):  # insert_rows does not move merges: redo them
        if rng.min_row <= last < rng.max_row + 1 and rng.min_col == cols["存在问题"]:
            ws.unmerge_cells(str(rng))
            ws.merge_cells(start_row=rng.min_row, start_column=rng.min_col, end_row=last + 1,
                           end_column=rng.max_col)
    ws.cell(last + 1, cols["整改措施"]).value = "开展教师走教"
    ws.cell(last + 1, cols["牵头单位"]).value = "市人社局"
    ws.cell(last + 1, cols["完成情况"]).value = "推进中"
    wb.save(tmp_path / "b.xlsx")

    plan = build_plan(small, tmp_path / "b.xlsx", OPTIONS)
    assert plan.errors == [] and plan.problems == () and plan.new_units == ("市人社局",)
    apply_plan(small, plan)
    measures = get_problem(small, 1).measures
    assert [(m.text, m.lead_unit, m.status) for m in measures][-1] == (
        "开展教师走教", "市人社局", Status.IN_PROGRESS)
    assert count_problems(small) == 2


def test_a_problem_deleted_in_the_app_after_export_is_a_conflict(small: Ledger,
                                                                 tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    delete_problem(small, 2)
    plan = build_plan(small, path, OPTIONS)
    (conflict,) = plan.conflicts
    assert conflict.problem_id == 2 and "删除" in conflict.conflict
    apply_plan(small, plan, KEEP_LEDGER)
    assert count_problems(small) == 1
    apply_plan(small, build_plan(small, path, OPTIONS), TAKE_FILE)
    # Sorted: SQLite gives the re-created problem its old id back, PostgreSQL a new one.
    assert sorted(p.description for p in list_problems(small)) == ["教师结构性缺编", "监控存在盲区"]


def test_the_unit_sheets_repeat_the_main_sheet_and_count_once(small: Ledger,
                                                               tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx", by_unit=True)
    m3 = get_problem(small, 2).measures[0]
    edited = edit(path, tmp_path / "b.xlsx", sheet="市公安局",
                  **{f"m{m3.id}": {"完成情况": "已完成"}})
    plan = build_plan(small, edited, OPTIONS)
    assert [(u.sheet, u.measure_id) for u in plan.updates] == [("市公安局", m3.id)]

    both = edit(edited, tmp_path / "c.xlsx", sheet="台账", **{f"m{m3.id}": {"完成情况": "整改中"}})
    plan = build_plan(small, both, OPTIONS)
    (error,) = plan.errors
    assert "两处填写的内容不一致" in error.message


def test_a_file_from_a_newer_program_is_refused(small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    wb[MARKER_SHEET]["B2"] = 9
    wb.save(path)
    with pytest.raises(ImportRejected) as info:
        build_plan(small, path, OPTIONS)
    assert "更新版本" in info.value.message


def test_a_tampered_id_cell_is_an_error_at_its_cell(small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    ws = wb["台账"]
    col = columns(ws)[ID_HEADERS[1]]
    ws.cell(4, col).value = "abc"
    wb.save(path)
    (error,) = build_plan(small, path, OPTIONS).errors
    assert (error.row, "措施ID" in error.message) == (4, True)


def test_an_old_value_the_file_still_shows_does_not_undo_a_later_change_in_the_app(
        small: Ledger, tmp_path: Path) -> None:
    m1, m2 = get_problem(small, 1).measures
    path = export(small, tmp_path / "a.xlsx", by_unit=True)
    update_measure(small, m1.id, status=Status.ONGOING, deadline_text="2027年3月31日")
    assert build_plan(small, path, OPTIONS).updates == ()  # the unit changed nothing

    # The unit edits another measure of that problem on the main sheet; its own sheet and the
    # edited row's old status elsewhere are not read as changes.
    edited = edit(path, tmp_path / "b.xlsx", **{f"m{m2.id}": {"完成情况": "整改中"}})
    plan = build_plan(small, edited, OPTIONS)
    assert plan.errors == []
    (update,) = plan.updates
    assert update.measure_id == m2.id and update.conflict  # its problem moved since the export
    assert [c.describe() for c in update.changes] == ["完成情况：“未启动” → “整改中”"]
    apply_plan(small, plan, TAKE_FILE)
    a1, a2 = get_problem(small, 1).measures
    assert (a1.status, a1.deadline) == (Status.ONGOING, dt.date(2027, 3, 31))
    assert a2.status is Status.IN_PROGRESS


def test_a_returned_file_without_its_id_columns_is_refused_not_duplicated(
        small: Ledger, tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    ws = wb["台账"]
    first_id = columns(ws)[ID_HEADERS[0]]
    ws.delete_cols(first_id, len(ID_HEADERS))
    wb.save(path)
    with pytest.raises(ImportRejected) as info:
        build_plan(small, path, OPTIONS)
    assert "隐藏的“问题ID”“措施ID”列已被删除" in info.value.message
    assert count_problems(small) == 2
    # Named explicitly, the sheet imports as new problems (the clerk's deliberate choice).
    plan = build_plan(small, path, ImportOptions(today=TODAY, sheet="台账"))
    assert len(plan.problems) == 2 and plan.updates == ()


def test_a_problem_the_unit_added_at_the_end_is_imported_as_new(small: Ledger,
                                                                tmp_path: Path) -> None:
    path = export(small, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    ws = wb["台账"]
    cols = columns(ws)
    row = [None] * max(cols.values())
    for header, value in {"存在问题": "食堂留样不规范", "整改措施": "开展专项检查", "牵头单位": "市市场监管局",
                          "整改时限": "年底前", "完成情况": "整改中"}.items():
        row[cols[header] - 1] = value
    ws.append(row)
    wb.save(path)
    plan = build_plan(small, path, OPTIONS)
    assert plan.errors == [] and plan.updates == ()
    (new,) = plan.problems
    assert new.data.description == "食堂留样不规范"
    (m,) = new.measures
    # 年底前 resolves against the sheet's 填报日期 (the export's report date).
    assert (m.data.lead_unit, m.data.deadline, m.data.status) == (
        "市市场监管局", dt.date(2026, 12, 31), Status.IN_PROGRESS)
    apply_plan(small, plan)
    assert count_problems(small) == 3
